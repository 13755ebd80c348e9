"""Each delivery job's state, for the pages, ``sankao deliveries`` and ``sankao explain`` (docs/delivery.md).

A job is ``skipped`` when its unit has contacts and none of them receives its kind (an office's choice), else
``pending`` (not tried yet), ``failing`` (tried, to be tried again: its last error and when), ``delivered``
(every receiver accepted it: when, to whom by role) or ``dead`` (refused for good, or still failing a day after
its first attempt). The receipts themselves are events (``LetterDelivered``, on the job's stream): ``receipts``
reads them from the log.
"""

from __future__ import annotations

from datetime import datetime, timezone

from core.record.state import stream_id

COLUMNS = "key, position, unit, kind, ref, created, state, attempts, first_try, due, error, done"


def instant(seconds: float | None) -> str | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds")


class Status:
    def __init__(self, app):
        self.app, self.recorder = app, app.recorder

    def available(self) -> bool:
        """Whether the store has the outbox (a read-only copy of a store from before it has not)."""
        try:
            self.recorder.fetch("SELECT 1 FROM outbox LIMIT 1")
            return True
        except Exception:  # no such table: an older store opened read-only
            return False

    def in_use(self) -> bool:
        """Whether delivery is in use here: some contact is set, or some receiver ever accepted or refused a job
        (a store whose office delivers nothing shows no delivery state)."""
        return self.available() and bool(self.recorder.fetch("SELECT 1 FROM contacts LIMIT 1") or
                                         self.recorder.fetch("SELECT 1 FROM outbox_targets LIMIT 1"))

    def _rows(self, where: str = "", params=(), limit: int | None = None) -> list[dict]:
        order = " DESC" if limit else ""  # with a limit, the latest ``limit``, then oldest first
        sql = f"SELECT {COLUMNS} FROM outbox {where} ORDER BY position{order}, unit{order}, kind{order}"
        rows = self.recorder.fetch(sql + (f" LIMIT {int(limit)}" if limit else ""), params)
        jobs = [dict(zip(COLUMNS.split(", "), r)) for r in (reversed(rows) if limit else rows)]
        targets: dict[str, list] = {}
        keys = [j["key"] for j in jobs]
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            for job, receiver, channel, role, state, at, answer in self.recorder.fetch(
                    f"SELECT job, receiver, channel, role, state, at, answer FROM outbox_targets WHERE job IN "
                    f"({', '.join('?' * len(chunk))}) ORDER BY at", chunk):
                targets.setdefault(job, []).append({"channel": channel, "role": role, "state": state,
                                                    "at": instant(at), "answer": answer})
        return [shown(j, targets.get(j["key"], [])) for j in jobs]

    def jobs(self, unit: str | None = None, failed: bool = False, limit: int | None = 500) -> list[dict]:
        """The jobs (of ``unit``; only the failing and dead with ``failed``): the latest ``limit``, oldest first."""
        where, params = [], []
        if unit:
            where.append("unit = ?")
            params.append(unit)
        if failed:
            where.append("(state = 'dead' OR (state = 'pending' AND attempts > 0))")
        return self._rows("WHERE " + " AND ".join(where) if where else "", params, limit)

    def letters(self, units=None) -> dict[tuple[str, str, str, str], dict]:
        """The letter and sheet jobs by ``(unit, case, level, date)`` (a case has one letter a dispatch)."""
        where, params = "WHERE kind IN ('letter', 'sheet')", []
        if units is not None:
            units = sorted(units)
            if not units:
                return {}
            if len(units) <= 500:
                where += f" AND unit IN ({', '.join('?' * len(units))})"
                params = units
        found: dict = {}
        wanted = set(units) if units is not None else None
        for job in self._rows(where, params):
            if wanted is None or job["unit"] in wanted:
                case, _, rest = (job["ref"] or "").partition(" ")
                level, _, day = rest.partition(" ")
                found[(job["unit"], case, level, day)] = job
        return found

    def of_month(self, unit: str, period: str) -> list[dict]:
        """What was delivered to ``unit`` about ``period`` (``sankao explain``): the letters and sheets dated in
        it, its month result and accountability decision, the missed self-check deducted in it; each with its
        receipts read from the log."""
        from core.clock import month_before
        found = []
        for job in self.jobs(unit, limit=None):
            if job["kind"] in ("letter", "sheet"):
                event = self.app.mapper.to_domain_event(self.recorder.select_positions([job["cause"]])[0])
                if event.date.isoformat()[:7] != period:
                    continue
                job = {**job, "date": event.date.isoformat(), "level": event.level}
            elif job["kind"] == "self_check":
                if job["ref"] != month_before(period):
                    continue
            elif job["ref"] != period:
                continue
            found.append({**job, "receipts": self.receipts(job["key"])})
        return found

    def counts(self, unit: str | None = None) -> dict[str, int]:
        """How many jobs are pending, failing, delivered, dead (of ``unit``)."""
        where, params = ("WHERE unit = ?", (unit,)) if unit else ("", ())
        rows = self.recorder.fetch(f"SELECT state, attempts > 0, count(*) FROM outbox {where} GROUP BY state, "
                                   "attempts > 0", params)
        out = {"pending": 0, "failing": 0, "delivered": 0, "dead": 0, "skipped": 0}
        for state, tried, n in rows:
            out["failing" if state == "pending" and tried else state] += n
        return out

    def retry(self, keys=(), dead: bool = False) -> int:
        """Send again: the dead jobs (``dead``) and the jobs ``keys`` that are dead or failing, now, with a new day
        of attempts (their receivers that accepted it are not sent it again)."""
        import time
        q, now, done = self.recorder.q, time.time(), 0
        with self.recorder.transaction() as cur:
            if dead:
                cur.execute(q("DELETE FROM outbox_targets WHERE state = 'dead' AND job IN (SELECT key FROM outbox "
                              "WHERE state = 'dead')"))
                cur.execute(q("UPDATE outbox SET state = 'pending', attempts = 0, first_try = NULL, due = ?, "
                              "lease = NULL, owner = NULL, done = NULL WHERE state = 'dead'"), (now,))
                done += cur.rowcount
            for key in keys:
                cur.execute(q("DELETE FROM outbox_targets WHERE state = 'dead' AND job = ?"), (key,))
                cur.execute(q("UPDATE outbox SET state = 'pending', attempts = 0, first_try = NULL, due = ?, "
                              "lease = NULL, owner = NULL, done = NULL WHERE key = ? AND state <> 'delivered'"),
                            (now, key))  # dead, failing or skipped
                done += cur.rowcount
        return done

    def known(self, key: str) -> bool:
        return bool(self.recorder.fetch("SELECT 1 FROM outbox WHERE key = ?", (key,)))

    def receipts(self, job: str) -> list[dict]:
        """The receipts of ``job`` as recorded in the log (its ``LetterDelivered`` events), with their positions."""
        found = []
        for n in self.recorder.select_events(stream_id("delivery", job)):
            e = self.app.mapper.to_domain_event(n)
            found.append({"position": n.id, "channel": e.channel, "role": e.role, "key": e.key,
                          "at": e.timestamp.isoformat(timespec="seconds"), "answer": e.answer,
                          "attempts": e.attempts})
        return found


def shown(job: dict, targets: list[dict]) -> dict:
    state = "failing" if job["state"] == "pending" and job["attempts"] else job["state"]
    return {"key": job["key"], "cause": job["position"], "unit": job["unit"], "kind": job["kind"], "ref": job["ref"],
            "state": state, "attempts": job["attempts"], "created": instant(job["created"]),
            "next": instant(job["due"]) if state in ("pending", "failing") else None, "error": job["error"],
            "done": instant(job["done"]), "receivers": targets}
