"""Each letter's delivery state on the pages (docs/delivery.md): the notices page, the unit page, the letter."""

from __future__ import annotations

from core.outbox.status import Status


def attach(platform, cases: list[dict], known_at=None, *, errors: bool = False) -> None:
    """Put ``delivery`` (the job: state, receivers by role, the time in the assessment zone) on each letter and sheet
    of ``cases``, matched by case, level and date; nothing where delivery is not in use (no contact set, no job
    ever tried), nor as known at another time (the states are the outbox's, as they stand now). ``errors``: keep
    each job's last error (an administrator's view; it may hold what a server said of an address)."""
    status = Status(platform.app)
    if not cases or known_at is not None or not status.in_use():
        return
    jobs = status.letters({c["unit"] for c in cases})
    for case in cases:
        for document in case["letters"] + ([case["sheet"]] if case.get("sheet") else []):
            job = jobs.get((case["unit"], case["case"], document["level"], document["date"]))
            if job is not None:
                document["delivery"] = shown(platform, job, errors)


def shown(platform, job: dict, errors: bool) -> dict:
    from datetime import datetime
    receivers = [{**r, "at": datetime.fromisoformat(r["at"]).astimezone(platform.tz).strftime("%Y-%m-%d %H:%M:%S")}
                 for r in job["receivers"] if r["state"] == "delivered"]
    return {**job, "receivers": receivers, "error": job["error"] if errors else None}
