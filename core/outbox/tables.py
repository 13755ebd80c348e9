"""The outbox's tables (docs/delivery.md), written beside the log.

- ``outbox``: one row per delivery job, written in the transaction that records its consequence (a letter, a
  frozen board, …; ``core.outbox.jobs``), or by the deliverer's sweep for a missed self-check deadline. The
  key ``POSITION.UNIT.KIND`` is the consequence's, so a job is never made twice. ``state`` is ``pending``
  until every receiver accepted it or refused it for good (``delivered``, ``dead``); ``due`` is when it may be
  tried next, ``lease``/``owner`` who holds it while sending (a deliverer killed while sending leaves a lease
  that runs out, and the job is tried again with the same keys).
- ``outbox_targets``: one row per (job, receiver) once the receiver accepted it (``delivered``, written in the
  transaction of its ``LetterDelivered``) or refused it for good (``dead``).
- ``contacts``: who receives what (``core.outbox.contacts``): personal information, outside the log.

Instants are seconds since the epoch (UTC).
"""

from __future__ import annotations

from core.store.riders import Rider


def ddl(blob: str, bigint: str) -> list[str]:
    return [
        f"CREATE TABLE IF NOT EXISTS outbox (key TEXT PRIMARY KEY, position {bigint} NOT NULL, unit TEXT NOT NULL, "
        "kind TEXT NOT NULL, ref TEXT, created DOUBLE PRECISION NOT NULL, state TEXT NOT NULL, "
        "attempts INTEGER NOT NULL DEFAULT 0, first_try DOUBLE PRECISION, due DOUBLE PRECISION NOT NULL, "
        "lease DOUBLE PRECISION, owner TEXT, error TEXT, done DOUBLE PRECISION)",
        "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, due)",
        "CREATE INDEX IF NOT EXISTS outbox_position ON outbox (position)",
        "CREATE INDEX IF NOT EXISTS outbox_unit ON outbox (unit, position)",
        "CREATE TABLE IF NOT EXISTS outbox_targets (job TEXT NOT NULL, receiver TEXT NOT NULL, channel TEXT NOT NULL, "
        "role TEXT NOT NULL, state TEXT NOT NULL, at DOUBLE PRECISION NOT NULL, answer TEXT, "
        "PRIMARY KEY (job, receiver))",
        "CREATE TABLE IF NOT EXISTS contacts (id TEXT PRIMARY KEY, unit TEXT NOT NULL, role TEXT NOT NULL, "
        "channel TEXT NOT NULL, address TEXT NOT NULL, secret TEXT, kinds TEXT NOT NULL, lang TEXT NOT NULL, "
        "updated DOUBLE PRECISION NOT NULL)",
        "CREATE INDEX IF NOT EXISTS contacts_unit ON contacts (unit)",
    ]


def _from_now_on(recorder) -> None:
    """A store from before the outbox: the consequences recorded before it are not delivered (they were
    read on the pages); the position it starts from is kept (meta ``outbox_from``)."""
    recorder.set_meta("outbox_from", str(recorder.max_notification_id()))


RIDER = Rider("outbox", ddl, _from_now_on)
