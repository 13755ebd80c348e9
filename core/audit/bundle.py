"""Audit bundles: the log taken out of Sankao, checked without it, and replayed into a fresh store.

``export`` writes a folder an auditor can take away:

- ``events.jsonl``: every event of the log (a prefix of it with ``until``), one JSON
  object a line: ``position``, ``stream`` (32 hex), ``version``, ``type`` and ``state``
  (the stored event, its exact UTF-8 JSON text). An access token's ``TokenIssued`` is
  carried redacted, as Certificate Transparency logs redact: its ``state`` without the
  token's digest (``core.report.redacted``), ``redacted: ["digest"]`` and ``leaf``, the leaf
  hash of the event as stored, which the verifier takes as given for it alone;
- ``heads.jsonl``: the heads recorded in that prefix (``size``, ``root``, ``label``);
- ``manifest.json``: size, root, the leaf encoding, when and from where;
- ``verify.py``: the standard-library verifier (``core/tree/merkle.py`` followed by
  ``core/audit/bundle_verifier.py``).

``replay`` loads a bundle's facts into a fresh store, scores them again with the
plugins in force then (as recorded in the bundle), and compares what it recorded
with what the bundle says was recorded.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from core.audit import log
from core.tree import merkle
from core.errors import SankaoError
from core.messages import Name, msg
from core.report import REDACTED, redacted
from events import CONSEQUENCE_TOPICS

HERE = Path(__file__).resolve().parent
LEAF_ENCODING = merkle.__doc__.split("- The leaf bytes of a Sankao event, byte by byte (``leaf_bytes``)::")[1]
LEAF_ENCODING = LEAF_ENCODING.split("Functions work on")[0].strip("\n")


def verifier_source() -> str:
    """``verify.py``: the Merkle functions and the bundle verifier in one standard-library file."""
    return (Path(merkle.__file__).read_text(encoding="utf-8") + "\n\n"
            + (HERE / "bundle_verifier.py").read_text(encoding="utf-8"))


def _prefix_end(app, until: datetime | None) -> int:
    """The last position of the log's longest prefix whose facts were all recorded by ``until``."""
    size = app.recorder.max_notification_id()
    if until is None:
        return size
    for n in app.recorder.select_notifications(start=1, limit=10 ** 9, exclude=CONSEQUENCE_TOPICS):
        if app.mapper.to_domain_event(n).timestamp > until:
            return n.id - 1
    return size


def export(app, folder: Path, until: datetime | None = None, source: str = "") -> dict:
    """Write the bundle into the new folder ``folder``; returns its manifest. The bundle is written beside it
    and moved into place whole: a failed export leaves nothing behind."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise SankaoError(msg("audit.export_exists", folder=folder))
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    try:
        manifest = _write(app, staging, until, source)
        staging.replace(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


def _write(app, folder: Path, until: datetime | None, source: str) -> dict:
    tree = log.current_tree(app)
    end = min(_prefix_end(app, until), tree.size())
    hashes = []
    with open(folder / "events.jsonl", "w", encoding="utf-8") as handle:
        for batch in app.recorder.pages(stop=end, size=20_000) if end else ():
            for n in batch:
                try:
                    state = n.state.decode("utf-8")
                except UnicodeDecodeError:
                    raise SankaoError(msg("audit.not_utf8", position=n.id)) from None
                leaf = merkle.leaf_hash(merkle.leaf_bytes(n.id, str(n.originator_id), n.originator_version,
                                                          n.topic, n.state))
                line = {"position": n.id, "stream": str(n.originator_id), "version": n.originator_version,
                        "type": n.topic, "state": state}
                line.update(_redaction(n.topic, state, leaf))
                handle.write(json.dumps(line, ensure_ascii=False) + "\n")
                hashes.append(leaf)
    root = merkle.root_of(hashes)
    if len(hashes) != end or (end and root != tree.root(end)):
        raise SankaoError(msg("audit.root_mismatch"))
    heads = [h for h in log.recorded_heads(app) if h["size"] <= end and h["position"] <= end]
    with open(folder / "heads.jsonl", "w", encoding="utf-8") as handle:
        for h in heads:
            handle.write(json.dumps({k: h[k] for k in ("size", "root", "label", "position", "recorded_at")}) + "\n")
    manifest = {"format": "sankao-audit-bundle/1", "size": end, "root": root.hex(), "until": until and until.isoformat(),
                "source": source, "created_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "leaf_encoding": LEAF_ENCODING, "hashes": "RFC 9162: leaf SHA-256(0x00 || leaf bytes), node "
                                                          "SHA-256(0x01 || left || right), empty tree SHA-256()",
                "heads": len(heads)}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (folder / "verify.py").write_text(verifier_source(), encoding="utf-8")
    return manifest


def _redaction(topic: str, state: str, leaf: bytes) -> dict:
    """What replaces an event's stored ``state`` in the bundle when ``core.report.REDACTED`` names some of its
    fields: its state without them, the names left out and its leaf hash ({} for any other event)."""
    kind = topic.rpartition(":")[2]
    if kind not in REDACTED:
        return {}
    data = json.loads(state)
    kept = redacted(kind, data)
    if kept is data:
        return {}
    return {"state": json.dumps(kept, ensure_ascii=False, separators=(",", ":")),
            "redacted": [k for k in data if k not in kept], "leaf": leaf.hex()}


def leaf_of(e: dict) -> bytes:
    """The leaf hash of a bundle's event: recomputed from its state, or as carried for a redacted one."""
    if e.get("redacted") and e["type"].rpartition(":")[2] in REDACTED:
        return bytes.fromhex(e["leaf"])
    return merkle.leaf_hash(merkle.leaf_bytes(e["position"], e["stream"], e["version"], e["type"],
                                              e["state"].encode("utf-8")))


def _stored_state(e: dict) -> bytes:
    """A bundle's event as a store keeps it. A redacted token's digest is put back as ``redacted:LEAF``:
    unique, and no token's digest (a replayed store's redacted tokens open nothing)."""
    if not e.get("redacted") or e["type"].rpartition(":")[2] not in REDACTED:
        return e["state"].encode("utf-8")
    data = json.loads(e["state"])
    data.update({k: f"redacted:{e['leaf']}" for k in e["redacted"]})
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass
class Replay:
    """What a replay found: how many recorded consequences agree, and those that do not."""

    agreed: int = 0
    disagreements: list = field(default_factory=list)
    compared: dict = field(default_factory=dict)


def read_bundle(folder: Path) -> list[dict]:
    try:
        lines = (folder / "events.jsonl").read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise SankaoError(msg("audit.not_bundle", folder=folder, error=exc.strerror)) from None
    return [json.loads(line) for line in lines if line.strip()]


def replay(folder: Path, installed, new_platform, tz_name: str = "Asia/Shanghai", store: str | None = None) -> Replay:
    """Load the bundle's facts into a fresh store (``store``, default a temporary one) made by
    ``new_platform(db, timezone)`` (``core.bootstrap.scratch_platform``), score them with the plugins in force
    as recorded, and compare every recorded consequence with the replay's."""
    from eventsourcing.persistence import StoredEvent

    events = read_bundle(folder)
    facts = [e for e in events if e["type"] not in CONSEQUENCE_TOPICS]
    recorded = [e for e in events if e["type"] in CONSEQUENCE_TOPICS]
    with tempfile.TemporaryDirectory() as tmp:
        platform = new_platform(store or str(Path(tmp) / "replay.db"), tz_name)
        try:
            mapper = platform.app.mapper
            # the facts as they were stored, in their order, each with its command id
            for start in range(0, len(facts), 2000):
                chunk = facts[start:start + 2000]
                stored = [StoredEvent(originator_id=e["stream"], originator_version=e["version"], topic=e["type"],
                                      state=_stored_state(e)) for e in chunk]
                domain = [mapper.to_domain_event(s) for s in stored]
                firsts = {}
                for i, d in enumerate(domain):
                    firsts.setdefault(d.command_id, i)
                platform.app.recorder.insert_events(stored, commands=list(firsts.items()), after=lambda cur, rows, d=domain: (
                    platform.app.project(cur, [(r[0], ev, r[4]) for r, ev in zip(rows, d)])))
            platform.scorer.clock = None
            platform.scorer.run()
            return _compare(recorded, facts, platform, events)
        finally:
            platform.close()


def _compare(recorded: list[dict], facts: list[dict], platform, events: list[dict]) -> Replay:
    """Every recorded consequence against the replay: a score change as of its cause, a notice in order,
    a frozen board entry by entry (log positions, which differ between the stores, set aside); a recorded
    head against the root of the bundle's own log at its size."""
    from core.engine.figures import Figures
    mapper = platform.app.mapper
    from eventsourcing.persistence import StoredEvent

    def decode(e):
        return mapper.to_domain_event(StoredEvent(originator_id=e["stream"], originator_version=e["version"],
                                                  topic=e["type"], state=e["state"].encode("utf-8")))
    # positions of the bundle's facts -> positions of the same facts in the replay, by order
    replay_positions = [n.id for n in platform.app.recorder.select_notifications(
        start=1, limit=10 ** 9, exclude=CONSEQUENCE_TOPICS)]
    mapping = {f["position"]: replay_positions[i] for i, f in enumerate(facts)}
    ordered_facts = sorted(mapping)

    def replay_position(bundle_position: int) -> int:
        import bisect
        i = bisect.bisect_right(ordered_facts, bundle_position) - 1
        return mapping[ordered_facts[i]] if i >= 0 else 0

    mine = [platform.app.mapper.to_domain_event(n) for n in platform.app.recorder.select_notifications(
        start=1, limit=10 ** 9, topics=CONSEQUENCE_TOPICS)]
    scores: dict = {}
    for e in mine:
        if type(e).__name__ == "ScoreChanged":
            scores.setdefault((e.unit, e.period), []).append(e)
    notices = [e for e in mine if type(e).__name__ == "NoticeIssued"]
    frozen = {e.period: e for e in mine if type(e).__name__ == "BoardFrozen"}
    standings = {e.year: e for e in mine if type(e).__name__ == "StandingFrozen"}
    result = Replay()
    recorded_positions = {raw["position"] for raw in recorded}
    bundle_mth = None
    notice_index = {}
    for e in notices:
        notice_index.setdefault(e.unit, []).append(e)
    for raw in recorded:
        event = decode(raw)
        kind = type(event).__name__
        result.compared[kind] = result.compared.get(kind, 0) + 1
        if kind == "ScoreChanged":
            cause = replay_position(event.position)
            candidates = [s for s in scores.get((event.unit, event.period), []) if s.position <= cause]
            ok = bool(candidates) and Figures.from_event(candidates[-1]) == Figures.from_event(event)
            what = msg("audit.what_score", unit=event.unit, period=event.period, command=event.command_id)
        elif kind == "NoticeIssued":
            same = [n for n in notice_index.get(event.unit, []) if n.originator_version == event.originator_version]
            ok = bool(same) and all(getattr(same[0], k) == getattr(event, k)
                                    for k in ("case", "level", "date", "lag", "points", "outcome", "command_id"))
            what = msg("audit.what_notice", unit=event.unit, case=event.case, level=Name(event.level), date=event.date)
        elif kind == "BoardFrozen":
            mine_board = frozen.get(event.period)

            def rows(board):
                return [{k: v for k, v in r.items() if k != "scored"} for r in board.entries]
            ok = mine_board is not None and rows(mine_board) == rows(event)
            what = msg("audit.what_board", period=event.period)
        elif kind == "StandingFrozen":
            mine_standing = standings.get(event.year)
            ok = mine_standing is not None and all(getattr(mine_standing, k) == getattr(event, k)
                                                   for k in ("through", "units", "people", "policy"))
            what = msg("audit.what_standing", year=event.year)
        elif kind == "HeadRecorded":  # a head describes the bundle's own log (the replay's interleaves differently)
            if bundle_mth is None:
                bundle_mth = merkle.list_mth([leaf_of(e) for e in events])
            ok = event.size <= len(events) and bundle_mth(0, event.size).hex() == event.root
            what = msg("audit.what_head", label=event.label, size=event.size)
        elif kind == "LetterDelivered":  # a receipt tells what a receiver answered: no replay makes it again;
            # it must deliver a consequence of the bundle (or a missed self-check, cause 0)
            ok = event.cause == 0 or event.cause in recorded_positions
            what = msg("audit.what_delivery", job=event.job, channel=event.channel, role=event.role)
        else:
            ok, what = False, msg("audit.what_unknown", kind=kind)
        if ok:
            result.agreed += 1
        else:
            result.disagreements.append(msg("audit.disagreement", kind=Name(kind), what=what, position=raw["position"]))
    return result
