"""A generated assessment year: the demo, the benchmarks and the tests' unseen years.

Deterministic for a seed; every line carries ``id`` and ``at`` and is valid under
docs/assessment.md §2 when loaded in order into an empty store.
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
                  tz: ZoneInfo = SHANGHAI, cross_year: bool = False, id_prefix: str | None = None,
                  people: int = 0) -> list[dict]:
    """Command dicts of one year, in recorded order.

    With ``people`` (about that many in all) the year has its people and its annual evaluation
    (docs/assessment.md §8): each unit one leader, one to three directors and the rest officers (some units
    fewer than ten people), registered after the targets; each project's responsibility chain assigned
    when it is planned (some leaders hold other units' projects, some chains stay incomplete); a few
    projects reassigned after the June close; and ``close_year`` the day after December's close.

    With ``cross_year`` the units start in the autumn of the year before: some have
    targets for it too, dispatches run from November, and some projects straddle
    the new year (planned in the old year and signed in the new one, withdrawn
    with a date in the old year after signing in the new one, corrected across
    the year boundary), as offices really record them.
    """
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
    start = date(year - 1, 10, 2) if cross_year else date(year, 1, 3)
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
    chain = _people(add, unit_ids, people, year, seed) if people else None
    prng = random.Random(seed * 7919 + 17)  # the people's own draws: the rest of the year stays as without them
    if cross_year:
        _previous_year(add, rng, unit_ids, weights, year)
    for n in range(1, projects + 1):
        pid = f"P{n:05d}"
        unit = rng.choices(unit_ids, weights)[0]
        planned_on = date(year, 1, 4) + timedelta(days=rng.randrange(0, 330))
        last = add(_at(planned_on + timedelta(days=rng.choice([0, 0, 1, 2])), rng.randrange(480, 1080)),
                   {"cmd": "plan_project", "project": pid, "unit": unit, "name": f"Project {pid}",
                    "planned_on": planned_on.isoformat()})
        planned_at = last
        if chain is not None:
            last = _assign_chain(add, prng, chain, unit_ids, pid, unit, last)

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
        withdrawn_at = None
        if rng.random() < 0.04:
            withdrawn = last.astimezone(tz).date() + timedelta(days=rng.randrange(1, 40))
            if withdrawn <= end:
                follow(withdrawn, {"cmd": "withdraw_project", "project": pid, "withdrawn_on": withdrawn.isoformat(),
                                   "reason": "investor withdrew"})
                withdrawn_at = last
        if chain is not None:
            chain["projects"].append((pid, unit, planned_at, withdrawn_at))
    monday = date(year, 2, 1)
    while monday.weekday() != 0:
        monday += timedelta(days=1)
    while monday <= end:
        add(_at(monday, 8 * 60 + 30), {"cmd": "dispatch", "date": monday.isoformat()})
        monday += timedelta(days=7)
    for month in range(1, 13):
        close = date(year + (month == 12), 1 if month == 12 else month + 1, 5)
        add(_at(close, 23 * 60), {"cmd": "close_month", "period": f"{year}-{month:02d}"})
    if chain is not None:
        _reassign(add, prng, chain, year)
        add(_at(date(year + 1, 1, 6), 10 * 60), {"cmd": "close_year", "year": year})
    timeline.sort(key=lambda item: (item[0], item[1]))
    for seq_at, _seq, command in timeline:  # every business date lies on or before its recorded date
        for key in ("planned_on", "signed_on", "landed_on", "started_on", "withdrawn_on", "date", "value"):
            if key in command and len(str(command[key])) == 10 and str(command[key])[4] == "-":
                assert date.fromisoformat(command[key]) <= seq_at.astimezone(tz).date(), command
    out = []
    for n, (at, _seq, command) in enumerate(timeline, start=1):
        out.append({**command, "id": f"{id_prefix or f'g{seed}-'}{n:06d}", "at": at.isoformat()})
    return out


def _people(add, unit_ids: list[str], people: int, year: int, seed: int) -> dict:
    """Register about ``people`` people across the units (3 to about twice the mean each)."""
    rng = random.Random(seed * 31 + 7)
    mean = max(3, people // len(unit_ids))
    chain: dict = {"leader": {}, "director": {}, "officer": {}, "projects": [], "last": {}}
    n = 0
    for i, unit in enumerate(unit_ids):
        size = max(3, min(2 * mean, round(rng.gauss(mean, mean / 3))))
        directors = min(size - 2, rng.choice([1, 2, 3]))
        levels = ["leader"] + ["director"] * directors + ["officer"] * (size - 1 - directors)
        at = _at(date(year, 1, 3), 16 * 60 + i % 400)
        for level in levels:
            n += 1
            person = f"{unit}-{level[0].upper()}{n:04d}"
            add(at, {"cmd": "register_person", "person": person, "unit": unit, "name": f"Person {person}",
                     "level": level})
            chain[level].setdefault(unit, []).append(person)
    return chain


def _assign_chain(add, rng: random.Random, chain: dict, unit_ids: list[str], pid: str, unit: str, last: datetime):
    """The project's leader (now and then another unit's), director and officer, a minute after planning;
    some chains stay incomplete."""
    for level in ("leader", "director", "officer"):
        if rng.random() < 0.12:
            continue
        owner = rng.choice(unit_ids) if level == "leader" and rng.random() < 0.15 else unit
        last = add(last + timedelta(minutes=1), {"cmd": "assign_project", "project": pid,
                                                  "person": rng.choice(chain[level][owner])})
    return last


def _reassign(add, rng: random.Random, chain: dict, year: int) -> None:
    """After the June close, a few projects planned by then (and not withdrawn by then) change hands."""
    when = _at(date(year, 7, 5), 23 * 60 + 30)
    for pid, unit, planned_at, withdrawn_at in chain["projects"]:
        if rng.random() < 0.08 and planned_at < when and (withdrawn_at is None or withdrawn_at > when):
            level = rng.choice(["director", "officer"])
            add(when, {"cmd": "assign_project", "project": pid, "person": rng.choice(chain[level][unit])})


def _previous_year(add, rng: random.Random, unit_ids: list[str], weights: list[float], year: int) -> None:
    """Targets for half the units in ``year - 1``, dispatches from November, and projects
    that straddle the new year: planned late in the old year, then signed, withdrawn
    with an old-year date, or corrected across the boundary in the new year."""
    old = year - 1
    for i, unit in enumerate(unit_ids[::2]):
        annual = Decimal(rng.randrange(5, 30)) * Decimal(100_000_000)
        add(_at(date(old, 10, 3), 11 * 60 + i % 600),
            {"cmd": "set_targets", "unit": unit, "year": old, "annual": str(annual),
             "quarterly": [str(annual * k // 4) for k in (1, 2, 3)] + [str(annual)],
             "monthly": str((annual / 12).quantize(Decimal(1))), "planned": 3, "landed": 1})
    monday = date(old, 11, 6)
    while monday.year == old:
        add(_at(monday, 8 * 60 + 30), {"cmd": "dispatch", "date": monday.isoformat()})
        monday += timedelta(days=7)
    for n in range(1, 4 * len(unit_ids) + 1):
        pid, unit = f"X{n:05d}", rng.choices(unit_ids, weights)[0]
        planned = date(old, 10, 5) + timedelta(days=rng.randrange(0, 85))
        at = _at(planned, rng.randrange(480, 1080))
        add(at, {"cmd": "plan_project", "project": pid, "unit": unit, "name": f"Project {pid}",
                 "planned_on": planned.isoformat()})
        signed = planned + timedelta(days=rng.randrange(2, 50))
        amount = Decimal(rng.randrange(1_000, 90_000)) * Decimal(10_000)
        at = max(_at(signed + timedelta(days=rng.randrange(0, 3)), rng.randrange(480, 1080)),
                 at + timedelta(minutes=1))
        add(at, {"cmd": "sign_project", "project": pid, "signed_on": signed.isoformat(), "amount": str(amount)})
        late = _at(date(year, 1, 2) + timedelta(days=rng.randrange(0, 40)), rng.randrange(480, 1080))
        late = max(late, at + timedelta(minutes=1))
        choice = rng.random()
        if choice < 0.3:  # withdrawn, dated in the old year, recorded after the signing
            withdrawn = planned + timedelta(days=rng.randrange(0, max(1, (date(old, 12, 31) - planned).days + 1)))
            add(late, {"cmd": "withdraw_project", "project": pid, "withdrawn_on": withdrawn.isoformat(),
                       "reason": "investor withdrew"})
        elif choice < 0.5 and signed.year == year:  # the plan moves into the new year, up to the signing
            moved = date(year, 1, 1) + timedelta(days=rng.randrange(0, (signed - date(year, 1, 1)).days + 1))
            add(late, {"cmd": "correct", "project": pid, "field": "planned_on", "value": moved.isoformat(),
                       "reason": "plan date verified"})
        elif choice < 0.7:  # the signing moves across the boundary, either way
            moved = (date(year, 1, 1) + timedelta(days=rng.randrange(0, 20)) if signed.year == old
                     else max(planned, date(old, 12, 31) - timedelta(days=rng.randrange(0, 20))))
            if moved <= late.astimezone(SHANGHAI).date():
                add(late, {"cmd": "correct", "project": pid, "field": "signed_on", "value": moved.isoformat(),
                           "reason": "contract date verified"})
        elif choice < 0.85:
            landed = max(signed, date(year, 1, 1)) + timedelta(days=rng.randrange(0, 30))
            add(max(late, _at(landed, 1000)), {"cmd": "land_project", "project": pid,
                                               "landed_on": landed.isoformat()})
