"""The demo's supervision (docs/assessment.md §9), run the way an office runs it.

- 定期自查: in January of the first year the office requires self-checks from February; from then on most
  units file the self-check of each month by the 5th of the next (now and then one entered a few days after
  it was dated), a few file late, now and then one never comes; two units (U12, U19) are sloppier than the rest.
- 随机抽查: the supervision department draws a spot check of every month on the first working day from the
  2nd of the next (five projects, six at a quarter's end) and records a finding for each sampled project
  within that month; four findings are misreports (two signed amounts lowered, two landings moved later,
  each a valid correction), the rest confirmed.
- 专项考核: one special assessment a year.
- 挂牌督战: U12 listed in June of the first year and delisted in November; U05 listed in April of this year.

The draws' seeds are fixed strings, one a month (``demo-seed-YYYY-MM``): the demo is made before it is
recorded, so it cannot take the log's Merkle head as ``sankao draw`` does; ``sankao audit draw`` recomputes
their samples all the same. To know each sample (and so which projects to record findings for), the demo
replays the project facts recorded before each draw, its own corrections included, and draws as §9 does.
"""

from __future__ import annotations

import hashlib
import heapq
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.samples.supervision import apply_project_command

SHANGHAI = ZoneInfo("Asia/Shanghai")
SLOPPY = {"U12", "U19"}
NOTES = ["月度数据已与签约合同逐项核对", "未发现差错", "已与项目业主逐一核实", "已核对落地项目的用地手续"]
#: the months whose spot check finds a misreport, and what it corrects
MISREPORTS = {(0, 4): "signed_amount", (0, 9): "landed_on", (1, 3): "signed_amount", (1, 8): "landed_on"}
REASONS = {"signed_amount": "随机抽查核实: 合同金额虚报, 以实际签约合同为准",
           "landed_on": "随机抽查核实: 项目当时尚未落地, 落地日期以实地核查为准"}


def _at(day: date, minute_of_day: int) -> datetime:
    return datetime.combine(day, time(minute_of_day // 60, minute_of_day % 60), SHANGHAI)


def _period(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _next(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def supervision_commands(timeline: list, units: list[str], first: int, seed: int) -> list[tuple[datetime, dict]]:
    """The supervision of the demo's two years (``first`` and the next), given the demo's ``timeline``
    (``(at, seq, command)`` in any order) and its units: ``(at, command)`` pairs, to be recorded after every
    command of the timeline with the same ``at``."""
    office = _Office(timeline, units, first, random.Random(seed * 7_919 + 20))
    office.require()
    office.self_checks()
    office.spot_checks()
    office.specials_and_listings()
    return office.out


class _Office:
    def __init__(self, timeline: list, units: list[str], first: int, rng: random.Random):
        self.units, self.first, self.rng, self.out = units, first, rng, []
        self.pending = [(at, seq, c) for at, seq, c in timeline if "project" in c and c["cmd"] != "assign_project"]
        heapq.heapify(self.pending)
        self.seq = len(timeline)  # ours come after every command of the timeline at the same time
        self.projects: dict = {}

    def add(self, at: datetime, command: dict) -> None:
        self.out.append((at, command))

    def months(self, since: tuple[int, int] = (0, 1)):
        for y in (0, 1):
            for m in range(1, 13):
                if (y, m) >= since:
                    yield y, self.first + y, m

    def require(self) -> None:
        self.add(_at(date(self.first, 1, 20), 10 * 60), {"cmd": "require_self_checks",
                                                         "from": _period(self.first, 2)})

    def self_checks(self) -> None:
        rng = self.rng
        for _, year, month in self.months(since=(0, 2)):
            after = _next(year, month)
            for unit in self.units:
                r = rng.random()
                sloppy = unit in SLOPPY
                if r < (0.12 if sloppy else 0.03):
                    continue  # never sent
                late = r < (0.35 if sloppy else 0.09)
                day = date(*after, rng.randrange(6, 19) if late else rng.choice([1, 2, 3, 3, 4, 4, 5, 5]))
                entered = day + timedelta(days=rng.randrange(2, 6) if rng.random() < 0.06 else 0)
                command = {"cmd": "self_check", "unit": unit, "period": _period(year, month), "date": day.isoformat()}
                if rng.random() < 0.3:
                    command["note"] = rng.choice(NOTES)
                self.add(_at(entered, rng.randrange(9 * 60, 18 * 60)), command)

    # -- spot checks ------------------------------------------------------------------------------------------
    def replay(self, until: datetime) -> None:
        """The project facts recorded at or before ``until`` (ours among them), in recorded order."""
        while self.pending and self.pending[0][0] <= until:
            _at_, _seq, c = heapq.heappop(self.pending)
            apply_project_command(self.projects, c)

    def sample(self, seed: str, year: int, month: int, size: int) -> list[tuple[str, str]]:
        """docs/assessment.md §9's draw over the projects as replayed so far."""
        end = date(*_next(year, month), 1) - timedelta(days=1)
        period = _period(year, month)
        candidates = [(pid, p["unit"]) for pid, p in self.projects.items()
                      if not (p["withdrawn_on"] is not None and p["withdrawn_on"] <= end)
                      and any(d is not None and (d.year, d.month) == (year, month)
                              for d in (p["signed_on"], p["landed_on"]))]
        key = {pid: hashlib.sha256(f"{seed}|{period}|{pid}".encode("utf-8")).hexdigest() for pid, _ in candidates}
        return sorted(candidates, key=lambda c: (key[c[0]], c[0]))[:size]

    def spot_checks(self) -> None:
        rng = self.rng
        for y, year, month in self.months():
            after = _next(year, month)
            day = _working_day(date(*after, 2))
            at = _at(day, 10 * 60 + 7)
            period = _period(year, month)
            draw, seed = f"SC-{period}", f"demo-seed-{period}"
            self.replay(at)
            sample = self.sample(seed, year, month, 6 if month % 3 == 0 else 5)
            self.add(at, {"cmd": "draw_spot_check", "draw": draw, "period": period, "size": 6 if month % 3 == 0 else 5,
                          "seed": seed, "date": day.isoformat()})
            dates = sorted(day + timedelta(days=rng.randrange(2, 20)) for _ in sample)
            wanted = MISREPORTS.get((y, month))
            for (project, _unit), found in zip(sample, dates):
                found = min(found, date(*after, 25))
                when = _at(found, rng.randrange(9 * 60, 18 * 60))
                self.replay(when)
                command = {"cmd": "record_finding", "draw": draw, "project": project, "date": found.isoformat(),
                           "result": "confirmed"}
                fix = self.misreport(project, wanted, found) if wanted else None
                if fix is not None:
                    command.update(result="misreported", field=wanted, value=fix, reason=REASONS[wanted])
                    wanted = None
                    self.seq += 1
                    heapq.heappush(self.pending, (when, self.seq, command))  # it corrects the project
                self.add(when, command)
            assert wanted is None, f"no project of {draw} could take its misreport"

    def misreport(self, project: str, field: str, found: date) -> str | None:
        """A valid correction of ``field`` for the project as the finding finds it, or None."""
        p = self.projects[project]
        if field == "signed_amount" and p["signed_amount"] is not None:
            return str((p["signed_amount"] * Decimal("0.7")).quantize(Decimal(1)))
        if field == "landed_on" and p["landed_on"] is not None:
            later = min(p["landed_on"] + timedelta(days=self.rng.randrange(20, 45)), found)
            if later > p["landed_on"]:  # still after its signing: the order holds
                return later.isoformat()
        return None

    # -- special assessments and listed supervision ------------------------------------------------------------
    def specials_and_listings(self) -> None:
        first, this = self.first, self.first + 1
        for day, unit, points, reason in (
                (date(first, 8, 14), "U17", "2.00", "重点项目签约后长期未开工, 经专项考核扣分"),
                (date(this, 5, 20), "U09", "1.50", "招商项目信息报送严重失实, 经专项考核扣分")):
            self.add(_at(day, 15 * 60), {"cmd": "special_assessment", "unit": unit, "date": day.isoformat(),
                                         "points": points, "reason": reason})
        for day, cmd, unit, reason in (
                (date(first, 6, 10), "list_unit", "U12", "红色督办函下发后签约进度仍严重滞后, 实行挂牌督战"),
                (date(first, 11, 12), "delist_unit", "U12", "督战期间签约进度明显回升, 予以摘牌"),
                (date(this, 4, 8), "list_unit", "U05", "红色督办函下发后签约进度仍明显滞后, 实行挂牌督战")):
            self.add(_at(day, 16 * 60), {"cmd": cmd, "unit": unit, "date": day.isoformat(), "reason": reason})
