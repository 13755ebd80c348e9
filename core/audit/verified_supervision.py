"""A verified read of ``sankao supervision PERIOD`` (docs/audit.md, docs/assessment.md §9): the answer made again
of the log's own supervision facts and targets, each proved against the Merkle tree and the head the reader
trusts, never of the read model's rows; a row altered, added or hidden there changes the answer given and is
named."""

from __future__ import annotations

from datetime import datetime

from core.audit.verified import Head, VerificationFailed, verified_events
from core.audit.verified_lists import _positions
from core.messages import msg
from core.read.supervision import TOPICS
from core.read.tables import supervision_row
from core.record.state import stream_id


def check_supervision(platform, answer: dict, head: Head, period: str, known_at: datetime | None) -> dict:
    """Check a supervision answer against the verified log: every supervision fact and ``TargetsSet`` the log
    holds (found by its topic in the log itself) is proved, and so is the month's frozen board (whose close
    divides the facts its points use); the answer must be what they give."""
    app, queries = platform.app, platform.queries
    positions = _positions(app, head, *TOPICS)
    frozen_rows = app.recorder.select_events(stream_id("board", period), limit=1)
    proved = positions + [n.id for n in frozen_rows if n.id <= head.size]
    events = verified_events(app, head, proved)
    frozen = next((events[n.id] for n in frozen_rows if n.id in events), None)
    if frozen is not None and known_at is not None and frozen.timestamp > known_at:
        frozen = None
    rows = [supervision_row(p, events[p]) for p in positions
            if known_at is None or events[p].timestamp <= known_at]
    expected = queries.supervision_of(period, known_at, rows, frozen)
    for key in ("period", "frozen", "self_checks_required"):
        if answer.get(key) != expected[key]:
            raise VerificationFailed(msg("verified.supervision_field", field=key, said=answer.get(key),
                                         held=expected[key]))
    for part, name in (("units", "unit"), ("draws", "draw")):
        said = {item[name]: item for item in answer.get(part, [])}
        held = {item[name]: item for item in expected[part]}
        for key in sorted(said.keys() | held.keys()):
            if said.get(key) != held.get(key):
                raise VerificationFailed(msg("verified.supervision_line", what=key,
                                             differs=_differs(said.get(key), held.get(key))),
                                         _position_of(events, positions, key))
        if list(said) != list(held):
            raise VerificationFailed(msg("verified.supervision_order", part=part))
    return {"events": len(proved), "positions": sorted(proved)}


def _differs(said: dict | None, held: dict | None) -> str:
    if said is None or held is None:
        return f"{said!r} / {held!r}"
    return "; ".join(f"{k}: {said.get(k)!r} / {held.get(k)!r}" for k in held if said.get(k) != held.get(k))


def _position_of(events: dict, positions: list[int], key: str) -> int | None:
    """The latest proved fact about ``key`` (a unit or a draw), to name where to look."""
    found = [p for p in positions if key in (getattr(events[p], "unit", None), getattr(events[p], "draw", None))]
    return found[-1] if found else None
