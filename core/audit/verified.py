"""Verified reads: an answer checked against the Merkle tree and a head the reader trusts (as immudb's
clients do), so that no answer comes silently from altered rows.

A reader keeps the last head it verified (``TrustedHeads``: a small JSON file on the reader's side, never in
the store; or a head published in a bulletin, given with ``--trust SIZE:ROOT``). A verified read:

1. checks that the store's tree today extends that head (a consistency proof, RFC 9162), and that the tree
   covers the whole log; then remembers today's head as the trusted one;
2. reads the events the answer is made of (the month's frozen board, or each unit's figures: the whole
   stream of the unit's figures for the month), recomputes each one's leaf from its stored bytes and checks
   its inclusion proof against the verified root: an event changed in the store fails, naming its position;
3. checks that each unit's figures stream has no gap, and that the answer says what those verified events
   say (rank and the figures shown): a read-model row that was edited fails, naming the unit and the row's
   position.

What it cannot see without a head published outside the building: a rewrite of the log and the tree together
made before the reader first trusted a head (docs/audit.md lists what each check detects).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from core.tree import merkle
from core.errors import ConfigError, SankaoError
from core.messages import msg
from core.record.state import stream_id
from core.store.recorder import EVENT_COLUMNS, hex_id

BOARD_FIELDS = ("base", "coefficient", "deduction", "final", "signed_amount")


class VerificationFailed(SankaoError):
    """A verified read found the answer, or what it is made of, not as the verified log says.

    :ivar position: the log position of the event (or read-model row) that failed, when there is one.
    """

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


class TrustedHeads:
    """The heads a reader last verified, one per store, kept on the reader's side: ``SANKAO_TRUSTED_HEADS``
    or ``$XDG_CONFIG_HOME/sankao/trusted-heads.json`` (``~/.config/...``)."""

    def __init__(self, path: str | Path | None = None):
        base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        self.path = Path(path or os.environ.get("SANKAO_TRUSTED_HEADS") or os.path.join(base, "sankao",
                                                                                         "trusted-heads.json"))

    def _all(self) -> dict:
        """Every head kept; none when the file does not exist yet. A file that cannot be read, or does not hold
        heads, is refused (``ConfigError`` naming it): starting afresh would silently trust on first use again
        and drop the heads of every other store."""
        if not self.path.exists():
            return {}
        try:
            heads = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(msg("verified.heads_file", path=str(self.path), problem=str(exc).splitlines()[0]))
        if not isinstance(heads, dict) or not all(
                isinstance(h, dict) and isinstance(h.get("size"), int) and isinstance(h.get("root"), str)
                and len(h["root"]) == 64 for h in heads.values()):
            raise ConfigError(msg("verified.heads_file", path=str(self.path),
                                  problem=msg("verified.heads_shape")))
        return heads

    def get(self, store: str) -> tuple[int, str] | None:
        found = self._all().get(store)
        return (found["size"], found["root"]) if found else None

    def put(self, store: str, size: int, root: str) -> None:
        heads = self._all()
        if heads.get(store) == {"size": size, "root": root}:
            return
        heads[store] = {"size": size, "root": root}
        temporary = self.path.with_name(self.path.name + ".tmp")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_text(json.dumps(heads, indent=1, sort_keys=True), encoding="utf-8")
            os.replace(temporary, self.path)
        except OSError as exc:
            temporary.unlink(missing_ok=True) if temporary.is_file() else None
            raise ConfigError(msg("verified.heads_file", path=str(self.path), problem=str(exc))) from None


def parse_trust(value: str) -> tuple[int, str]:
    """A head written ``SIZE:ROOT`` (a size and 64 hex digits), as ``--trust`` and ``?trust=`` take it;
    ``ValueError`` naming the form otherwise."""
    size, _, root = value.partition(":")
    if not size.isdigit() or len(root) != 64 or any(c not in "0123456789abcdef" for c in root.lower()):
        raise ValueError(msg("verified.bad_trust", value=value))
    if int(size) == 0 and root.lower() != merkle.root_of([]).hex():
        raise ValueError(msg("verified.empty_root", root=merkle.root_of([]).hex()))
    return int(size), root.lower()


@dataclass
class Head:
    size: int
    root: bytes
    trusted_from: str  # how the reader came to trust it (a message: first use, the head given, the head kept)


def verify_head(app, store: str, heads: TrustedHeads | None, given: tuple[int, str] | None = None) -> Head:
    """The store's head today, checked to extend the head the reader trusts; kept as the new trusted one."""
    tree = app.tree.tree
    size = tree.size()
    log_size = app.recorder.last_position()
    if log_size != size:
        raise VerificationFailed(msg("verified.sizes", log=log_size, tree=size), min(size, log_size) + 1)
    try:
        root, wholes = tree.root_with({}, size)
    except LookupError as error:
        raise VerificationFailed(msg("verified.tree_lacks", error=str(error))) from None
    trusted = given or (heads.get(store) if heads is not None else None)
    how = msg("verified.first_use") if trusted is None else \
        msg("verified.given" if given else "verified.kept", size=trusted[0])
    if trusted is not None:
        old_size, old_root = trusted
        if old_size > size:
            raise VerificationFailed(msg("verified.fewer", size=size, old_size=old_size))
        if 0 < old_size < size:
            proof = merkle.consistency_proof(tree.mth(), old_size, size)
            if not merkle.verify_consistency(old_size, size, bytes.fromhex(old_root), root, proof):
                raise VerificationFailed(msg("verified.not_extended", old_size=old_size, root=old_root, next=old_size + 1))
        elif old_size == size and bytes.fromhex(old_root) != root:
            raise VerificationFailed(msg("verified.other_root", size=size, root=old_root))
    tree.keep_proven(wholes)
    if heads is not None and given is None:
        heads.put(store, size, root.hex())
    return Head(size, root, how)


def verified_events(app, head: Head, positions: list[int]) -> dict[int, object]:
    """The events at ``positions``, each checked to be the one the verified tree holds there."""
    wanted = sorted(set(positions))
    if not wanted:
        return {}
    beyond = [p for p in wanted if p > head.size]
    if beyond:
        raise VerificationFailed(msg("verified.beyond", position=beyond[0], size=head.size), beyond[0])
    notifications = app.recorder.select_positions(wanted)
    missing = sorted(set(wanted) - {n.id for n in notifications})
    if missing:
        raise VerificationFailed(msg("verified.deleted", position=missing[0]),
                                 missing[0])
    leaves = {n.id - 1: merkle.leaf_hash(merkle.leaf_bytes(n.id, hex_id(n.originator_id), n.originator_version,
                                                           n.topic, bytes(n.state))) for n in notifications}
    tree = app.tree.tree
    try:
        root, wholes = tree.root_with(leaves, head.size)
    except LookupError as error:
        raise VerificationFailed(msg("verified.tree_lacks", error=str(error))) from None
    if root != head.root:
        _name_altered(app, head, leaves)
    out = {n.id: app.mapper.to_domain_event(n) for n in notifications}
    tree.keep_proven(wholes)
    return out


def _name_altered(app, head: Head, leaves: dict[int, bytes]):
    """The verified root was not reached: prove each leaf on its own to name the first that fails."""
    mth = app.tree.tree.mth()
    for index, leaf in sorted(leaves.items()):
        try:
            held = merkle.verify_inclusion(leaf, index, head.size, merkle.inclusion_path(mth, index, head.size),
                                           head.root)
        except LookupError:
            held = False
        if not held:
            raise VerificationFailed(msg("verified.altered", position=index + 1), index + 1)
    raise VerificationFailed(msg("verified.no_root"))


def figures_as_known(app, head: Head, unit: str, period: str, known_at: datetime | None):
    """The unit's figures for ``period`` as recorded by ``known_at`` (None: now), from a verified event."""
    chosen = _chosen_figures(app, head, period, [unit], known_at)
    return chosen.get(unit, (None, None))


def _chosen_figures(app, head: Head, period: str, units: list[str], known_at: datetime | None) -> dict:
    """``{unit: (position, event)}``: each unit's figures event for ``period`` in force at ``known_at`` (None:
    now), proved in the verified tree. The read model says which version that is (``rm_figures`` now,
    ``rm_figures_log`` as known at a moment); the log then confirms it: the event at that position is that
    version of the unit's figures stream, recorded by ``known_at``, and the stream's next version, read from
    the log itself, is absent (now) or recorded after ``known_at``. A read-model row that points elsewhere,
    or that hides a later version, fails naming the position. Only two events a unit are read and decoded,
    whatever the length of the stream."""
    rows = app.read_models.figure_versions(period, known_at)
    wanted = set(units)
    said = {unit: (int(version), int(position)) for unit, version, position in rows if unit in wanted}
    streams = {unit: stream_id("figures", f"{unit}/{period}").hex for unit in units}
    following: dict[str, object] = {}  # the version after the one the read model names, from the log
    keys = [(streams[unit], said.get(unit, (0, 0))[0] + 1) for unit in units]
    for i in range(0, len(keys), 400):
        chunk = keys[i:i + 400]
        for notification in app.recorder.fetch_events(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE "
                + " OR ".join(["(stream = ? AND version = ?)"] * len(chunk)),
                [value for key in chunk for value in key]):
            following[hex_id(notification.originator_id)] = notification
    positions = [position for _, position in said.values()] + [n.id for n in following.values()]
    events = verified_events(app, head, positions)
    chosen = {}
    for unit in units:
        stream = streams[unit]
        if unit in said:
            version, position = said[unit]
            event = events[position]
            if (hex_id(event.originator_id) != stream or event.originator_version != version
                    or (known_at is not None and event.timestamp > known_at)):
                raise VerificationFailed(msg("verified.points_elsewhere", unit=unit, period=period, position=position), position)
            chosen[unit] = (position, event)
        later = following.get(stream)
        if later is not None:
            event = events[later.id]
            if known_at is None or event.timestamp <= known_at:
                raise VerificationFailed(msg("verified.left_out", unit=unit, period=period, position=later.id), later.id)
    return chosen


def check_board(platform, answer: dict, head: Head, period: str, known_at: datetime | None,
                restated: bool) -> dict:
    """Check a board answer against the verified log; returns what was checked (for the answer's
    ``verified`` key)."""
    from core.engine.figures import Figures
    app = platform.app
    if answer.get("frozen") and not restated:
        stored = app.recorder.select_events(stream_id("board", period), limit=1)
        if not stored:
            raise VerificationFailed(msg("verified.no_frozen", period=period))
        event = verified_events(app, head, [stored[0].id])[stored[0].id]
        expected = {r["unit"]: _line(r["unit"], Figures.from_data(r["figures"]), rank=r["rank"], third=r["third"],
                                     streak=r["streak"], accountability=r["accountability"],
                                     commended=r["commended"])
                    for r in event.entries}
        _compare(answer["units"], expected, period, stored[0].id, ("rank", "third", *BOARD_FIELDS, "streak",
                                                                    "accountability", "commended"))
        return {"events": 1, "positions": [stored[0].id]}
    if restated:
        raise VerificationFailed(msg("verified.restated"))
    units = {u["unit"] for u in answer["units"]} | app.read_models.unit_ids()
    chosen = _chosen_figures(app, head, period, sorted(units), known_at)
    expected, positions = {}, sorted(position for position, _ in chosen.values())
    for unit, (position, event) in sorted(chosen.items()):
        figures = Figures.from_event(event)
        if figures.assessed:
            expected[unit] = _line(unit, figures)
    _compare(answer["units"], expected, period, None, BOARD_FIELDS)
    return {"events": len(positions), "positions": positions}


def _line(unit: str, figures, **ranked) -> dict:
    """A board line of recorded figures written out as the queries write it (``core.read.reading.entry_dict``,
    ``core.report.entry``); ``ranked``: what a frozen board recorded beside the figures."""
    from core import report
    from core.engine.ranking import board_entry
    from core.read.reading import entry_dict
    return report.entry(entry_dict(board_entry(unit, figures), **ranked))


def _compare(units: list[dict], expected: dict, period: str, position: int | None, fields: tuple) -> None:
    shown = {u["unit"]: u for u in units}
    for unit in sorted(set(shown) | set(expected)):
        if unit not in expected:
            raise VerificationFailed(msg("verified.added", unit=unit, period=period), position)
        if unit not in shown:
            raise VerificationFailed(msg("verified.removed", unit=unit, period=period), position)
        for name in fields:
            if str(shown[unit].get(name)) != str(expected[unit].get(name)):
                raise VerificationFailed(msg("verified.figure", unit=unit, name=name, period=period,
                                             shown=shown[unit].get(name), held=expected[unit].get(name)), position)


def check_score(platform, answer: dict, head: Head, unit: str, period: str, known_at: datetime | None,
                restated: bool) -> dict:
    """Check ``sankao score`` against the verified log, as ``check_board`` does for the unit's line."""
    from core.engine.figures import Figures
    app = platform.app
    if restated:
        raise VerificationFailed(msg("verified.restated"))
    line = {"unit": unit, **{name: answer.get(name) for name in BOARD_FIELDS}}
    if answer.get("frozen"):
        stored = app.recorder.select_events(stream_id("board", period), limit=1)
        if not stored:
            raise VerificationFailed(msg("verified.no_frozen", period=period))
        event = verified_events(app, head, [stored[0].id])[stored[0].id]
        found = [r for r in event.entries if r["unit"] == unit]
        expected = {unit: _line(unit, Figures.from_data(found[0]["figures"]))} if found else {}
        _compare([line], expected, period, stored[0].id, BOARD_FIELDS)
        return {"events": 1, "positions": [stored[0].id]}
    position, event = figures_as_known(app, head, unit, period, known_at)
    if event is None:
        raise VerificationFailed(msg("verified.no_figures", unit=unit, period=period))
    expected = {unit: _line(unit, Figures.from_event(event))}
    _compare([line], expected, period, position, BOARD_FIELDS)
    return {"events": 1, "positions": [position]}
