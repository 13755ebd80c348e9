"""The demo: assessment years shaped like the original (Lanzhou New Area, 2023), up to today.

Twenty units of three kinds (parks, departments, platform companies) with targets that add up
to the zone's annual goal of 100 billion yuan (1000亿元) a year; about 400 major projects a year
planned, signed, landed, started, a few withdrawn and corrected; some recorded days late, a few
after their month was closed; weekly dispatches from February with their early warnings; every
month closed on the 5th; the people of each unit and their three-level responsibility chains; and
supervision (docs/assessment.md §9, ``core.samples.demo_supervision``): self-checks required from February of
last year, a spot check drawn every month with its findings, special assessments, listed supervision.
Last year is whole and closed (its annual evaluation too); this year runs up to the start of
today, its past months closed and the current one live, as an office finds it on a Monday.

Deterministic: a year's commands, ids and times are the same on every machine, and the demo of a
later day only adds to the demo of an earlier one. Every command id starts with ``demo-`` (the
demo never loads into a store holding anything else).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.samples.demo_supervision import supervision_commands

DEMO_PREFIX = "demo-"
SHANGHAI = ZoneInfo("Asia/Shanghai")
YI = Decimal(100_000_000)  # 亿元
WAN = Decimal(10_000)  # 万元

# id, name, category, annual target (亿元), planned projects target, drive (share of the target signed by
# December), profile (when in the year the unit signs)
UNITS = [
    ("U01", "石化产业园", "park", 120, 18, Decimal("1.05"), "steady"),
    ("U02", "秦川园区", "park", 110, 17, Decimal("1.02"), "early"),
    ("U03", "中川园区", "park", 100, 16, Decimal("0.98"), "steady"),
    ("U04", "综合保税区", "park", 90, 15, Decimal("1.04"), "late"),
    ("U05", "西岔园区", "park", 80, 14, Decimal("0.82"), "steady"),
    ("U06", "职教园区", "park", 40, 8, Decimal("0.96"), "late"),
    ("U07", "现代农业示范园", "park", 40, 8, Decimal("0.93"), "steady"),
    ("U08", "经济发展局", "department", 40, 9, Decimal("1.00"), "steady"),
    ("U09", "商务和招商合作局", "department", 60, 12, Decimal("1.06"), "early"),
    ("U10", "工业和信息化局", "department", 50, 10, Decimal("0.98"), "steady"),
    ("U11", "科技发展局", "department", 25, 7, Decimal("0.95"), "late"),
    ("U12", "农林水务局", "department", 20, 6, Decimal("0.84"), "steady"),
    ("U13", "文化和旅游局", "department", 25, 7, Decimal("1.03"), "late"),
    ("U14", "自然资源局", "department", 15, 5, Decimal("0.97"), "steady"),
    ("U15", "生态环境局", "department", 15, 5, Decimal("0.93"), "early"),
    ("U16", "城投集团", "platform", 50, 10, Decimal("1.00"), "steady"),
    ("U17", "产业投资集团", "platform", 45, 10, Decimal("1.04"), "late"),
    ("U18", "建设投资公司", "platform", 30, 8, Decimal("0.96"), "steady"),
    ("U19", "国有资产运营公司", "platform", 25, 7, Decimal("0.90"), "late"),
    ("U20", "农业投资集团", "platform", 20, 6, Decimal("0.99"), "early"),
]
QUARTER_SHARES = {"early": (28, 52, 77), "steady": (22, 47, 73), "late": (18, 42, 70)}

INDUSTRIES = ["新能源电池材料", "精细化工", "光伏组件", "数据中心", "冷链物流", "高端装备制造", "生物医药", "新型建材",
              "氢能装备", "现代种业", "文旅综合体", "电子信息", "有色金属新材料", "智能仓储", "职业教育实训基地",
              "特色农产品加工", "储能系统", "半导体材料", "汽车零部件", "绿色食品"]
KINDS = ["项目", "产业园项目", "生产基地项目", "一期项目", "扩建项目", "研发中心项目"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马胡朱郭何罗高林"
GIVEN = ["伟", "芳", "敏", "静", "磊", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "霞", "平", "刚", "强", "丽",
         "军", "鹏", "华", "建国", "志强", "海燕", "晓东", "文博", "雪梅", "国庆", "玉兰", "振华"]


def _at(day: date, minute_of_day: int) -> datetime:
    return datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60), SHANGHAI)


def _ceremonies(year: int) -> list[date]:
    """The zone's signing ceremonies (集中签约): many units sign their projects the same day."""
    return [date(year, m, d) for m, d in ((1, 30), (2, 24), (3, 30), (4, 27), (5, 30), (6, 28), (7, 7), (8, 25),
                                          (9, 22), (10, 27), (11, 24), (12, 22))]


def _signing_day(rng: random.Random, year: int, profile: str, place: float) -> date:
    """The day a unit of ``profile`` signs its project at ``place`` (0..1) in its year's order of signings:
    spread over the year, earlier for early units and later for late ones, many at the next signing
    ceremony."""
    warped = place ** {"early": 0.85, "steady": 1.0, "late": 1.2}[profile]
    day = date(year, 1, 12) + timedelta(days=int(warped * 340))
    ceremony = next((c for c in _ceremonies(year) if c >= day), None)
    if ceremony is not None and (ceremony - day).days <= 40 and rng.random() < 0.5:
        day = ceremony
    return min(day, date(year, 12, 28))


def _amounts(rng: random.Random, total: Decimal, count: int) -> list[Decimal]:
    """``count`` signed amounts in 万元 adding up to about ``total``: a few large projects, many smaller."""
    weights = [rng.lognormvariate(0, 0.45) for _ in range(count)]
    scale = total / Decimal(str(sum(weights)))
    return [max(WAN * 500, (Decimal(str(w)) * scale / WAN).quantize(Decimal(1)) * WAN) for w in weights]


def demo_commands(today: date, seed: int = 31, tz: ZoneInfo = SHANGHAI) -> list[dict]:
    """The demo up to the start of ``today`` (a local date in ``tz``, the assessment time zone): last year
    whole, this year so far, in recorded order, each command with its ``id`` and ``at`` (office hours in
    ``tz``)."""
    timeline: list[tuple[datetime, int, dict]] = []

    def add(at: datetime, command: dict) -> datetime:
        timeline.append((at, len(timeline), command))
        return at

    first = today.year - 1
    for i, (unit, name, category, *_rest) in enumerate(UNITS):
        add(_at(date(first, 1, 3), 9 * 60 + i), {"cmd": "register_unit", "unit": unit, "name": name,
                                                 "category": category})
    chains = _people(add, random.Random(seed), first)
    for year in (first, first + 1):
        _year(add, random.Random(seed * 10_000 + year), year, chains)
    add(_at(date(first + 1, 1, 8), 10 * 60), {"cmd": "close_year", "year": first})
    for at, command in supervision_commands(timeline, [unit for unit, *_rest in UNITS], first, seed):
        add(at, command)

    timeline = [(at.replace(tzinfo=tz), seq, command) for at, seq, command in timeline]  # the same wall clock
    cutoff = datetime.combine(today, time(0, 0), tz)
    timeline = sorted((item for item in timeline if item[0] < cutoff), key=lambda item: (item[0], item[1]))
    out = []
    for number, (at, _seq, command) in enumerate(timeline, start=1):
        for key in ("planned_on", "signed_on", "landed_on", "started_on", "withdrawn_on", "date"):
            assert key not in command or date.fromisoformat(command[key]) <= at.date(), command
        out.append({**command, "id": f"{DEMO_PREFIX}{number:06d}", "at": at.isoformat()})
    return out


def _year(add, rng: random.Random, year: int, chains: dict) -> None:
    """One assessment year: targets on 3 January, the projects, the dispatches, the month closes."""
    chains["projects"] = []
    for i, (unit, _name, category, annual_yi, planned, _drive, profile) in enumerate(UNITS):
        annual = Decimal(annual_yi) * YI
        quarterly = [str((annual * share / 100).quantize(Decimal(1))) for share in QUARTER_SHARES[profile]]
        command = {"cmd": "set_targets", "unit": unit, "year": year, "annual": str(annual),
                   "quarterly": quarterly + [str(annual)], "monthly": str((annual / 12).quantize(Decimal(1))),
                   "planned": planned, "landed": planned}
        if category == "department":  # departments are weighed more on landing than on amounts
            command["weights"] = {"annual_amount": 25, "landed_projects": 25}
        add(_at(date(year, 1, 3), 10 * 60 + i), command)
    n = 0
    for unit, _name, _category, annual_yi, planned, drive, profile in UNITS:
        count = max(3, round(planned * rng.uniform(1.9, 2.3)))
        signed = [rng.random() < 0.82 for _ in range(count)]
        amounts = iter(_amounts(rng, Decimal(annual_yi) * YI * drive, max(1, sum(signed))))
        places = iter((j + rng.random()) / max(1, sum(signed)) for j in range(sum(signed)))
        for will_sign in signed:
            n += 1
            _project(add, rng, chains, unit, f"P{year % 100:02d}{n:04d}", year, profile,
                     (next(amounts), next(places)) if will_sign else None)
    monday = date(year, 2, 1)
    while monday.weekday() != 0:
        monday += timedelta(days=1)
    while monday.year == year:
        add(_at(monday, 8 * 60 + 30), {"cmd": "dispatch", "date": monday.isoformat()})
        monday += timedelta(days=7)
    for month in range(1, 13):
        close = date(year + (month == 12), 1 if month == 12 else month + 1, 5)
        add(_at(close, 17 * 60), {"cmd": "close_month", "period": f"{year}-{month:02d}"})
    _reassign(add, rng, chains, year)


def _recorded(rng: random.Random, day: date, after: datetime) -> datetime:
    """When a fact of business date ``day`` is recorded: mostly the same or the next working day, now and
    then a week or three late (some of those after their month was closed)."""
    delay = rng.choice([0, 0, 0, 1, 1, 2]) if rng.random() > 0.12 else rng.randrange(6, 24)
    return max(_at(day + timedelta(days=delay), rng.randrange(9 * 60, 18 * 60)), after + timedelta(minutes=1))


def _project(add, rng: random.Random, chains: dict, unit: str, pid: str, year: int, profile: str,
             signing: tuple[Decimal, float] | None) -> None:
    industry, kind = rng.choice(INDUSTRIES), rng.choice(KINDS)
    output = f"年产{rng.randrange(2, 50)}万吨" if industry.endswith("材料") and rng.random() < 0.6 else ""
    name = f"{output}{industry}{kind}"
    amount = signing[0] if signing else None
    if signing is not None:
        signed_on = _signing_day(rng, year, profile, signing[1])
        early = date(year, 1, 4) + timedelta(days=rng.randrange(0, 80))  # most are planned in the first quarter
        planned_on = min(early, signed_on) if rng.random() < 0.7 else \
            max(date(year, 1, 4), signed_on - timedelta(days=rng.randrange(7, 100)))
    else:
        planned_on = date(year, 1, 4) + timedelta(days=rng.randrange(0, 80) if rng.random() < 0.7 else
                                                 rng.randrange(0, 320))
        signed_on = None
    last = planned_at = add(_recorded(rng, planned_on, _at(planned_on, 0)),
                            {"cmd": "plan_project", "project": pid, "unit": unit, "name": name, "planned_on": planned_on.isoformat()})
    for level in ("leader", "director", "officer"):
        if rng.random() < 0.06:  # a chain left incomplete
            continue
        owner = rng.choice(list(chains["leader"])) if level == "leader" and rng.random() < 0.1 else unit
        last = add(last + timedelta(minutes=1), {"cmd": "assign_project", "project": pid,
                                                  "person": rng.choice(chains[level][owner])})
    chains["projects"].append((pid, unit, planned_at))
    if signed_on is not None:
        last = add(_recorded(rng, signed_on, last), {"cmd": "sign_project", "project": pid,
                                                      "signed_on": signed_on.isoformat(), "amount": str(amount)})
        if rng.random() < 0.05:  # the contract amount verified a few days later
            verified = amount + Decimal(rng.randrange(-200, 600)) * WAN
            last = add(last + timedelta(days=rng.randrange(2, 9)), {
                "cmd": "correct", "project": pid, "field": "signed_amount", "value": str(max(verified, WAN * 100)),
                "reason": "合同金额核实"})
        if rng.random() < 0.03 and _withdraw(add, rng, chains, pid, year,
                                              signed_on + timedelta(days=rng.randrange(10, 60)), last, "投资方调整投资计划"):
            return
        started_on = signed_on + timedelta(days=rng.randrange(10, 80))
        if rng.random() < 0.62 and started_on <= date(year, 12, 31):
            last = add(_recorded(rng, started_on, last), {"cmd": "start_construction", "project": pid,
                                                           "started_on": started_on.isoformat()})
        landed_on = signed_on + timedelta(days=rng.randrange(15, 120))
        if rng.random() < 0.7 and landed_on <= date(year, 12, 31):
            add(_recorded(rng, landed_on, last), {"cmd": "land_project", "project": pid,
                                                   "landed_on": landed_on.isoformat()})
    elif rng.random() < 0.08:
        _withdraw(add, rng, chains, pid, year, planned_on + timedelta(days=rng.randrange(20, 90)), last, "项目未能落实用地")


def _withdraw(add, rng: random.Random, chains: dict, pid: str, year: int, day: date, after: datetime,
              reason: str) -> bool:
    """Withdraw the project on ``day`` if that is still in ``year``; whether it was."""
    if day > date(year, 12, 31):
        return False
    add(_recorded(rng, day, after), {"cmd": "withdraw_project", "project": pid, "withdrawn_on": day.isoformat(),
                                     "reason": reason})
    chains["withdrawn"].add(pid)
    return True


def _people(add, rng: random.Random, year: int) -> dict:
    """Each unit's leader, two or three directors and three to six officers, with Chinese names."""
    chains: dict = {"leader": {}, "director": {}, "officer": {}, "projects": [], "withdrawn": set()}
    used: set[str] = set()
    n = 0
    for i, (unit, *_rest) in enumerate(UNITS):
        levels = ["leader"] + ["director"] * rng.choice([2, 3]) + ["officer"] * rng.randrange(3, 7)
        for level in levels:
            n += 1
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            while name in used:
                name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            used.add(name)
            person = f"{unit}-{level[0].upper()}{n:03d}"
            add(_at(date(year, 1, 3), 14 * 60 + i), {"cmd": "register_person", "person": person, "unit": unit,
                                                     "name": name, "level": level})
            chains[level].setdefault(unit, []).append(person)
    return chains


def _reassign(add, rng: random.Random, chains: dict, year: int) -> None:
    """After the June close a few projects planned by then change hands (a director or officer moved)."""
    when = _at(date(year, 7, 6), 10 * 60)
    for pid, unit, planned_at in chains["projects"]:
        if planned_at < when and pid not in chains["withdrawn"] and rng.random() < 0.06:
            level = rng.choice(["director", "officer"])
            add(when, {"cmd": "assign_project", "project": pid, "person": rng.choice(chains[level][unit])})
