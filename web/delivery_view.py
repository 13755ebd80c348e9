"""Each letter's delivery state on the pages (docs/delivery.md): the notices page, the unit page, the letter."""

from __future__ import annotations

from core.outbox.status import Status


def attach(platform, cases: list[dict]) -> None:
    """Put ``delivery`` (the job: state, receivers by role, last error) on each letter and sheet of ``cases``
    (a case's letters and its jobs are both in recorded order); nothing where delivery is not in use (no
    contact set, no job ever tried)."""
    status = Status(platform.app)
    if not cases or not status.in_use():
        return
    jobs = status.letters({c["unit"] for c in cases})
    for case in cases:
        found = jobs.get((case["unit"], case["case"]), {"letter": [], "sheet": []})
        for letter, job in zip(case["letters"], found["letter"]):
            letter["delivery"] = job
        if case.get("sheet") and found["sheet"]:
            case["sheet"]["delivery"] = found["sheet"][0]
