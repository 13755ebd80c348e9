"""What becomes a delivery job, in the transaction that records it (docs/delivery.md).

``Jobs.project`` is one of the application's projectors (``core.bootstrap.wire``): it sees every event
recorded, in the transaction that records it, and writes

- a job per ``NoticeIssued`` (kind ``letter``: green, orange or red; ``sheet``: the result feedback sheet),
- a job per unit of a ``BoardFrozen`` (``result``: its rank, third, final), and one more for a unit the
  ranking policy holds accountable (``accountability``),
- for a ``LetterDelivered`` (a receiver accepted a job), its receiver's row in ``outbox_targets``: a second
  receipt of the same (job, receiver) breaks the row's key, so the transaction that would record it twice
  records nothing.

Nothing recorded can therefore miss its job, and no job exists for what was not recorded. A missed self-check
deadline is the absence of a fact at a date, not an event: the deliverer's sweep makes its job once
(``selfcheck.PERIOD.UNIT``) when the day after the deadline has begun (``core.outbox.deliverer``).
"""

from __future__ import annotations

import time

from events import assessment as out
from events.delivery import LetterDelivered

KINDS = ("letter", "sheet", "result", "accountability", "self_check")
LETTERS = frozenset({"green", "orange", "red"})


def job_key(position: int, unit: str, kind: str) -> str:
    return f"{position}.{unit}.{kind}"


def jobs_of(position: int, event) -> list[tuple[str, int, str, str, str | None]]:
    """The jobs ``(key, position, unit, kind, ref)`` an event recorded at ``position`` makes."""
    if isinstance(event, out.NoticeIssued):
        kind = "letter" if event.level in LETTERS else "sheet"
        return [(job_key(position, event.unit, kind), position, event.unit, kind,
                 f"{event.case} {event.level} {event.date.isoformat()}")]
    if isinstance(event, out.BoardFrozen):
        found = []
        for entry in event.entries:
            unit = entry["unit"]
            found.append((job_key(position, unit, "result"), position, unit, "result", event.period))
            if entry.get("accountability"):
                found.append((job_key(position, unit, "accountability"), position, unit, "accountability",
                              event.period))
        return found
    return []


class Jobs:
    """The outbox's projector over a recorder (``q`` for its placeholders)."""

    def __init__(self, recorder):
        self.recorder = recorder

    def project(self, cur, triples: list[tuple[int, object, bytes]]) -> None:
        now = time.time()
        rows, receipts = [], []
        for position, event, _ in triples:
            if isinstance(event, LetterDelivered):
                receipts.append((event.job, event.receiver, event.channel, event.role, "delivered",
                                 event.timestamp.timestamp(), event.answer))
            else:
                rows += jobs_of(position, event)
        q = self.recorder.q
        if rows:
            cur.executemany(q("INSERT INTO outbox (key, position, unit, kind, ref, created, state, due) VALUES "
                              "(?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (key) DO NOTHING"),
                            [(*r, now, now) for r in rows])
        for receipt in receipts:  # a plain insert: the same receiver twice is an IntegrityError, nothing recorded
            cur.execute(q("INSERT INTO outbox_targets (job, receiver, channel, role, state, at, answer) VALUES "
                          "(?, ?, ?, ?, ?, ?, ?)"), receipt)
