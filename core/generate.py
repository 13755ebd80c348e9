"""A generated assessment year: the demo, the benchmarks and the tests' unseen years.

Deterministic for a seed; every line carries ``id`` and ``at`` and is valid under
SCORING.md §2 when loaded in order into an empty store.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _at(day: date, minute_of_day: int) -> datetime:
    return datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60), SHANGHAI)


def generate_year(*, units: int = 8, projects: int = 160, year: int = 2023, seed: int = 1,
                  tz: ZoneInfo = SHANGHAI) -> list[dict]:
    """Command dicts of one year, in recorded order."""
    rng = random.Random(seed)
    end = date(year, 12, 31)
    timeline: list[tuple[datetime, int, dict]] = []
    seq = 0

    def add(at: datetime, command: dict) -> datetime:
        nonlocal seq
        seq += 1
        timeline.append((at, seq, command))
        return at

    unit_ids = [f"U{n:02d}" if units < 100 else f"U{n:04d}" for n in range(1, units + 1)]
    start = date(year, 1, 3)
    for i, unit in enumerate(unit_ids):
        add(_at(start, 9 * 60 + i % 600), {"cmd": "register_unit", "unit": unit, "name": f"Unit {unit}",
                                           "category": rng.choice(["department", "platform", "park"])})
    share = {u: rng.uniform(0.5, 1.5) for u in unit_ids}
    total_share = sum(share.values())
    for i, unit in enumerate(unit_ids):
        annual = Decimal(rng.randrange(20, 100)) * Decimal(100_000_000)
        cuts = sorted(rng.uniform(0.1, 0.9) for _ in range(3))
        quarterly = [str((annual * Decimal(str(round(c, 2)))).quantize(Decimal(1))) for c in cuts] + [str(annual)]
        planned = max(1, round(projects * share[unit] / total_share))
        command = {"cmd": "set_targets", "unit": unit, "year": year, "annual": str(annual),
                   "quarterly": quarterly, "monthly": str((annual / 12).quantize(Decimal(1))),
                   "planned": planned, "landed": rng.choice([0, planned // 3, planned // 2])}
        if i % 4 == 1:
            command["weights"] = {"annual_amount": 35, "landed_projects": 15}
        add(_at(start, 10 * 60 + i % 600), command)
    weights = [share[u] for u in unit_ids]
    for n in range(1, projects + 1):
        pid = f"P{n:05d}"
        unit = rng.choices(unit_ids, weights)[0]
        planned_on = date(year, 1, 4) + timedelta(days=rng.randrange(0, 330))
        last = add(_at(planned_on + timedelta(days=rng.choice([0, 0, 1, 2])), rng.randrange(480, 1080)),
                   {"cmd": "plan_project", "project": pid, "unit": unit, "name": f"Project {pid}",
                    "planned_on": planned_on.isoformat()})

        def follow(day: date, command: dict, late: int = 3) -> None:
            nonlocal last
            at = max(_at(day + timedelta(days=rng.randrange(0, late + 1)), rng.randrange(480, 1080)),
                     last + timedelta(minutes=1))
            last = add(at, command)

        if rng.random() < 0.75:
            signed_on = planned_on + timedelta(days=rng.randrange(3, 75))
            if signed_on > end:
                continue
            amount = Decimal(rng.randrange(1_000, 150_000)) * Decimal(10_000)
            follow(signed_on, {"cmd": "sign_project", "project": pid, "signed_on": signed_on.isoformat(),
                               "amount": str(amount)}, late=rng.choice([1, 2, 12]))
            if rng.random() < 0.06:
                follow(signed_on + timedelta(days=5), {"cmd": "correct", "project": pid, "field": "signed_amount",
                                                       "value": str(amount + Decimal(rng.randrange(1, 900)) * 10_000),
                                                       "reason": "contract amount verified"})
            if rng.random() < 0.5 and (started := signed_on + timedelta(days=rng.randrange(0, 60))) <= end:
                follow(started, {"cmd": "start_construction", "project": pid, "started_on": started.isoformat()})
            if rng.random() < 0.55 and (landed := signed_on + timedelta(days=rng.randrange(5, 90))) <= end:
                follow(landed, {"cmd": "land_project", "project": pid, "landed_on": landed.isoformat()})
        if rng.random() < 0.04:
            withdrawn = last.astimezone(tz).date() + timedelta(days=rng.randrange(1, 40))
            if withdrawn <= end:
                follow(withdrawn, {"cmd": "withdraw_project", "project": pid, "withdrawn_on": withdrawn.isoformat(),
                                   "reason": "investor withdrew"})
    monday = date(year, 2, 1)
    while monday.weekday() != 0:
        monday += timedelta(days=1)
    while monday <= end:
        add(_at(monday, 8 * 60 + 30), {"cmd": "dispatch", "date": monday.isoformat()})
        monday += timedelta(days=7)
    for month in range(1, 13):
        close = date(year + (month == 12), 1 if month == 12 else month + 1, 5)
        add(_at(close, 23 * 60), {"cmd": "close_month", "period": f"{year}-{month:02d}"})
    timeline.sort(key=lambda item: (item[0], item[1]))
    out = []
    for n, (at, _seq, command) in enumerate(timeline, start=1):
        out.append({**command, "id": f"g{seed}-{n:06d}", "at": at.isoformat()})
    return out
