"""A generated assessment year with supervision (docs/assessment.md §9), for the tests' unseen years.

``generate_supervision_year`` takes the year ``generate_year`` makes and adds what a supervision office
records around it: a ``require_self_checks`` early on; the units' self-checks (mostly on time, some late,
some missing, some entered long after, now and then one not owed); a spot check of every month drawn in
the first days of the next one (before or after that month's close) with its findings (mostly confirmed;
some ``misreported``: an amount lowered, a landing moved later or earlier, a signing moved later, so that
projects move into or out of later draws); special assessments; a unit or two under listed supervision.
It also adds lines the contract rejects, as offices do get things wrong: a self-check sent twice or dated
in its own month, a finding for a project not in the sample, dated in a closed month or before the draw,
bad points, a draw id used again for another month, delisting a unit not listed, and more.

The generator keeps its own small account of the projects to know each draw's sample; which lines are
rejected is for the reader of the contract to decide: the second value returned is only the line numbers
(from 1) the generator means to be rejected. Deterministic for a seed; every line has ``id`` and ``at``.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from core.samples.generate import SHANGHAI, generate_year

FACTS = ("plan_project", "sign_project", "land_project", "start_construction", "withdraw_project", "correct")
NOTES = ["monthly figures checked against signed contracts", "no discrepancy found",
         "checked with the project owners", "two landing dates corrected in the unit's own ledger"]


def generate_supervision_year(*, units: int = 6, projects: int = 100, year: int = 2024, seed: int = 1,
                              cross_year: bool = False, id_prefix: str | None = None) -> tuple[list[dict], list[int]]:
    """The command dicts of a year with §9, in recorded order, and the line numbers meant to be rejected."""
    office = _Office(generate_year(units=units, projects=projects, year=year, seed=seed, cross_year=cross_year),
                     year, seed, cross_year)
    office.require()
    office.self_checks()
    office.spot_checks()
    office.specials()
    office.listings()
    return office.lines(id_prefix or f"s{seed}-")


def _end(y: int, m: int) -> date:
    return (date(y + (m == 12), m % 12 + 1, 1)) - timedelta(days=1)


def _next(y: int, m: int) -> tuple[int, int]:
    return (y, m + 1) if m < 12 else (y + 1, 1)


def _period(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _key(seed: str, period: str, project: str) -> tuple[str, str]:
    return hashlib.sha256(f"{seed}|{period}|{project}".encode("utf-8")).hexdigest(), project


def _ordered(p: dict, field: str, value) -> bool:
    """Whether the project, with ``field`` set to ``value``, keeps docs/assessment.md §2's ordering rules."""
    q = {**p, field: value}
    return all(q[a] is None or q[b] is None or q[a] <= q[b]
               for a, b in (("planned_on", "signed_on"), ("signed_on", "landed_on"), ("signed_on", "started_on"),
                            ("planned_on", "withdrawn_on")))



def apply_project_command(projects: dict, c: dict) -> None:
    """Fold one project command line (plan, sign, land, start, withdraw, correct, or a misreported finding's
    correction) into ``{project: fields}``, as a generator that knows its own lines replays them."""
    if c["cmd"] == "plan_project":
        projects[c["project"]] = {"unit": c["unit"], "planned_on": date.fromisoformat(c["planned_on"]),
                                  "signed_on": None, "signed_amount": None, "landed_on": None, "started_on": None,
                                  "withdrawn_on": None}
        return
    p = projects[c["project"]]
    if c["cmd"] == "sign_project":
        p["signed_on"], p["signed_amount"] = date.fromisoformat(c["signed_on"]), Decimal(c["amount"])
    elif c["cmd"] in ("correct", "record_finding"):
        p[c["field"]] = Decimal(c["value"]) if c["field"] == "signed_amount" else date.fromisoformat(c["value"])
    else:
        key = {"land_project": "landed_on", "start_construction": "started_on", "withdraw_project": "withdrawn_on"}[
            c["cmd"]]
        p[key] = date.fromisoformat(c[key])

class _Ledger:
    """The base year and what the office adds to it, in recorded time; self-checks, special assessments and
    listed supervision."""

    def __init__(self, base: list[dict], year: int, seed: int, cross_year: bool):
        self.rng, self.year, self.cross = random.Random(seed * 104_729 + 9), year, cross_year
        self.timeline: list = []  # (at, group, n, command, meant to be rejected)
        self.facts: list = []  # (at, n, command): what the project figures are made of, ours included
        self.base_after: dict = {}  # project -> [(at, cmd, field)] of the base year
        for n, c in enumerate(base):
            at, command = datetime.fromisoformat(c["at"]), {k: v for k, v in c.items() if k not in ("id", "at")}
            self.timeline.append((at, 0, n, command, False))
            if command["cmd"] in FACTS:
                self.facts.append((at, n, command))
                self.base_after.setdefault(command["project"], []).append((at, command["cmd"], command.get("field")))
        self.units = [c["unit"] for c in base if c["cmd"] == "register_unit"]
        self.targets = {(c["unit"], c["year"]) for c in base if c["cmd"] == "set_targets"}
        self.closes = {c["period"]: datetime.fromisoformat(c["at"]) for c in base if c["cmd"] == "close_month"}
        self.months = ([(year - 1, 12)] if cross_year else []) + [(year, m) for m in range(1, 13)]
        self.required, self.n, self.misreported = None, len(base), set()

    def add(self, at: datetime, command: dict, bad: bool = False) -> datetime:
        self.n += 1
        self.timeline.append((at, 1, self.n, command, bad))
        return at

    def when(self, day: date, lo: int = 8 * 60, hi: int = 18 * 60) -> datetime:
        """A moment of ``day`` with seconds (the base year records whole minutes: no ties with it)."""
        minute = self.rng.randrange(lo, hi)
        return datetime.combine(day, time(minute // 60, minute % 60, self.rng.randrange(1, 60)), SHANGHAI)

    def closed(self, d: date, at: datetime) -> bool:
        close = self.closes.get(_period(d.year, d.month))
        return close is not None and close < at

    def projects_at(self, at: datetime) -> dict:
        """The projects as the commands recorded before ``at`` give them (ours meant to be accepted included)."""
        projects: dict = {}
        for when, _n, c in sorted(self.facts, key=lambda f: (f[0], f[1])):
            if when >= at:
                break
            apply_project_command(projects, c)
        return projects

    # self-checks
    def require(self) -> None:
        y, rng = self.year, self.rng
        if self.cross:
            day, self.required = date(y - 1, 11, rng.randint(10, 20)), (y - 1, 12)
        else:
            day, self.required = date(y, 1, rng.randint(2, 9)), (y, rng.choice([1, 2, 2]))
        self.add(self.when(day), {"cmd": "require_self_checks", "from": _period(*self.required)})
        if rng.random() < 0.6:  # a reminder naming a month already past, or no month at all
            late = self.when(date(y, rng.randint(3, 5), rng.randint(8, 25)))
            self.add(late, {"cmd": "require_self_checks", "from": rng.choice([f"{y}-01", f"{y}-13", f"{y}-2"])},
                     bad=True)

    def self_checks(self) -> None:
        rng = self.rng
        for q in self.months:
            after = _next(*q)
            for unit in self.units:
                owed = q >= self.required and (unit, q[0]) in self.targets
                if not owed and rng.random() >= 0.25:
                    continue  # else one not owed: a January one, or a December one of a unit without targets then
                r = rng.random()
                if owed and r < 0.1:
                    continue  # never sent
                day = date(*after, rng.randint(6, 20) if owed and r < 0.25 else rng.choice([1, 2, 3, 3, 4, 4, 5, 5]))
                s = rng.random()
                entered = (day if s < 0.75 else day + timedelta(days=rng.randint(1, 6)) if s < 0.9
                           else date(*_next(*after), rng.randint(6, 12)))  # after the close of the next month
                command = {"cmd": "self_check", "unit": unit, "period": _period(*q), "date": day.isoformat()}
                if rng.random() < 0.4:
                    command["note"] = rng.choice(NOTES)
                at = self.add(self.when(entered), command)
                if rng.random() < 0.03:  # sent twice
                    self.add(at + timedelta(days=rng.randint(1, 3)), {**command, "note": "sent again"}, bad=True)
        y = self.year
        if rng.random() < 0.5:  # dated in its own month
            month = rng.randint(1, 11)
            self.add(self.when(_end(y, month)), {"cmd": "self_check", "unit": rng.choice(self.units),
                                                 "period": _period(y, month), "date": _end(y, month).isoformat()},
                     bad=True)
        if rng.random() < 0.5:  # a unit nobody registered, or a note far too long
            month = rng.randint(1, 11)
            day = date(*_next(y, month), 3)
            wrong = rng.choice([{"unit": "U99"}, {"unit": rng.choice(self.units), "note": "x" * 2001}])
            self.add(self.when(day), {"cmd": "self_check", "unit": self.units[0], "period": _period(y, month),
                                      "date": day.isoformat(), **wrong}, bad=True)

    # special assessments and listed supervision
    def specials(self) -> None:
        rng, y = self.rng, self.year
        reasons = ["serious delay in a key project", "supervision letter left unanswered",
                   "land-use rule breached by a landed project"]
        for _ in range(rng.randint(3, 6)):
            day = date(y, 1, 5) + timedelta(days=rng.randint(0, 350))
            at = self.when(day + timedelta(days=rng.randint(0, 3)))
            points = rng.choice(["1.00", "2.00", "0.50", "5", "3.00", "10", "0.25", "100"])
            self.add(at, {"cmd": "special_assessment", "unit": rng.choice(self.units), "date": day.isoformat(),
                          "points": points, "reason": rng.choice(reasons)})
        for _ in range(rng.randint(1, 3)):
            day = date(y, rng.randint(1, 11), rng.randint(1, 28))
            line = {"cmd": "special_assessment", "unit": rng.choice(self.units), "date": day.isoformat(),
                    "points": "2.00", "reason": rng.choice(reasons)}
            wrong = rng.choice(["points", "points", "closed", "unit"])
            at = self.when(day + timedelta(days=1))
            if wrong == "points":
                line["points"] = rng.choice(["0.005", "0", "0.00", "100.01", "1.234", "1."])
            elif wrong == "closed":
                at = self.when(self.closes[_period(y, day.month)].date() + timedelta(days=rng.randint(1, 8)))
            else:
                line["unit"] = "U99"
            assert wrong != "closed" or self.closed(day, at)
            self.add(at, line, bad=True)

    def listings(self) -> None:
        rng, y = self.rng, self.year
        listed = rng.sample(self.units, min(2, len(self.units) - 1))
        for unit in listed:
            on = date(y, rng.randint(2, 6), rng.randint(1, 28))
            off = date(y, rng.randint(7, 11), rng.randint(1, 28))
            self.add(self.when(on + timedelta(days=rng.randint(0, 1))),
                     {"cmd": "list_unit", "unit": unit, "date": on.isoformat(),
                      "reason": "lagging far behind its annual target"})
            if rng.random() < 0.5:  # listed already
                between = on + timedelta(days=rng.randint(2, max(2, (off - on).days - 1)))
                self.add(self.when(between), {"cmd": "list_unit", "unit": unit, "date": between.isoformat(),
                                              "reason": "listed again"}, bad=True)
            delisted = self.add(self.when(off + timedelta(days=rng.randint(0, 2))),
                                {"cmd": "delist_unit", "unit": unit, "date": off.isoformat(),
                                 "reason": "back on track after rectification"})
            r = rng.random()
            if r < 0.4:  # dated before the delisting
                at = delisted + timedelta(days=rng.randint(3, 6))
                self.add(at, {"cmd": "list_unit", "unit": unit, "reason": "listed again",
                              "date": (off - timedelta(days=rng.randint(1, 5))).isoformat()}, bad=True)
            elif r < 0.6:  # listed again the day it was delisted: not before it
                self.add(delisted + timedelta(hours=1), {"cmd": "list_unit", "unit": unit, "date": off.isoformat(),
                                                         "reason": "relapsed"})
        quiet = [u for u in self.units if u not in listed]
        day = date(y, rng.randint(2, 11), rng.randint(1, 28))
        self.add(self.when(day), {"cmd": "delist_unit", "unit": rng.choice(quiet), "date": day.isoformat(),
                                  "reason": "rectification complete"}, bad=True)

    def lines(self, prefix: str) -> tuple[list[dict], list[int]]:
        out, bad = [], []
        for n, (at, _group, _n, command, wrong) in enumerate(sorted(self.timeline, key=lambda t: t[:3]), start=1):
            if not wrong:  # every business date lies on or before its recorded date
                for key in ("date", "value"):
                    if len(str(command.get(key, ""))) == 10 and str(command[key])[4] == "-":
                        assert date.fromisoformat(command[key]) <= at.astimezone(SHANGHAI).date(), command
            out.append({**command, "id": f"{prefix}{n:06d}", "at": at.isoformat()})
            if wrong:
                bad.append(n)
        return out, bad


class _Office(_Ledger):
    """The spot checks and their findings, on the ledger of the rest."""

    def spot_checks(self) -> None:
        rng, earlier = self.rng, []
        for py, pm in self.months:
            period, day = _period(py, pm), date(*_next(py, pm), rng.randint(1, 8))
            at = self.when(day, 9 * 60, 17 * 60)
            draw = f"SC-{period}"
            if earlier and rng.random() < 0.15:  # an id of an earlier month's draw, for this month
                self.add(at - timedelta(minutes=rng.randint(5, 50)),
                         {"cmd": "draw_spot_check", "draw": rng.choice(earlier), "period": period, "size": 3,
                          "seed": "reused", "date": day.isoformat()}, bad=True)
            if rng.random() < 0.06:  # dated on the last day of its own month
                self.add(self.when(_end(py, pm)), {"cmd": "draw_spot_check", "draw": f"{draw}-early", "period": period,
                                                   "size": 2, "seed": "early", "date": _end(py, pm).isoformat()},
                         bad=True)
            size = rng.randint(2, 6)
            seed = rng.choice([f"{rng.getrandbits(128):032x}", f"office draw {period} #{rng.randint(1, 99)}",
                               f"{rng.getrandbits(256):064x}"])
            projects = self.projects_at(at)
            start, end = date(py, pm, 1), _end(py, pm)
            candidates = [pid for pid, p in projects.items()
                          if any(p[k] is not None and start <= p[k] <= end for k in ("signed_on", "landed_on"))
                          and not (p["withdrawn_on"] is not None and p["withdrawn_on"] <= end)]
            sample = sorted(candidates, key=lambda pid: _key(seed, period, pid))[:size]
            self.add(at, {"cmd": "draw_spot_check", "draw": draw, "period": period, "size": size, "seed": seed,
                          "date": day.isoformat()})
            earlier.append(draw)
            self.findings(draw, (py, pm), day, at, sample, [p for p in projects if p not in sample])
        if rng.random() < 0.4:
            day = date(self.year, rng.randint(3, 11), 15)
            self.add(self.when(day), {"cmd": "record_finding", "draw": f"SC-{self.year - 5}-01", "project": "P00001",
                                      "date": day.isoformat(), "result": "confirmed"}, bad=True)

    def findings(self, draw: str, p: tuple[int, int], day: date, drawn: datetime, sample: list, others: list):
        rng = self.rng
        for pid in rng.sample(sample, len(sample)):
            if rng.random() < 0.2:
                continue  # not visited yet
            found = day + timedelta(days=rng.randint(0, 22))
            at = max(self.when(found + timedelta(days=rng.choice([0, 0, 1, 2]))), drawn + timedelta(minutes=7))
            line = {"cmd": "record_finding", "draw": draw, "project": pid}
            close = self.closes.get(_period(found.year, found.month))
            if rng.random() < 0.08 and close is not None:  # entered after its month closed, then again, dated then
                self.add(self.when(close.date() + timedelta(days=rng.randint(1, 4))),
                         {**line, "date": found.isoformat(), "result": "confirmed"}, bad=True)
                at = self.when(close.date() + timedelta(days=5))
                found = at.date()
            if rng.random() < 0.05:  # confirmed, yet with a correction
                self.add(at - timedelta(minutes=3), {**line, "date": found.isoformat(), "result": "confirmed",
                                                     "field": "signed_amount", "value": "1000.00"}, bad=True)
            if rng.random() < 0.05:  # dated before the draw
                self.add(at - timedelta(minutes=2), {**line, "date": (day - timedelta(days=1)).isoformat(),
                                                     "result": "confirmed"}, bad=True)
            if rng.random() < 0.05:  # a correction the contract refuses
                self.add(at - timedelta(minutes=1), {**line, **self.wrong_correction(pid, at),
                                                     "date": found.isoformat(), "result": "misreported"}, bad=True)
            command = {**line, "date": found.isoformat(), **self.result(pid, p, found, at)}
            self.add(at, command)
            if command["result"] == "misreported":
                self.facts.append((at, self.n, command))
            if rng.random() < 0.05:  # recorded twice
                self.add(at + timedelta(hours=1), {**line, "date": found.isoformat(), "result": "confirmed"}, bad=True)
            if rng.random() < 0.06 and others:  # a project not in the sample
                self.add(at + timedelta(minutes=30), {**line, "project": rng.choice(others), "date": found.isoformat(),
                                                      "result": "confirmed"}, bad=True)

    def wrong_correction(self, pid: str, at: datetime) -> dict:
        p = self.projects_at(at)[pid]
        if p["landed_on"] is not None and self.rng.random() < 0.5:
            before = p["signed_on"] - timedelta(days=self.rng.randint(1, 5))
            return {"field": "landed_on", "value": before.isoformat(), "reason": "landing before the signing"}
        return {"field": "signed_amount", "value": self.rng.choice(["0", "12.345", "-5"]), "reason": "amount mistyped"}

    def result(self, pid: str, p: tuple[int, int], found: date, at: datetime) -> dict:
        """A finding's result: mostly confirmed; a misreport only where its correction is valid."""
        rng = self.rng
        if pid in self.misreported or rng.random() > 0.3:
            return {"result": "confirmed"}
        project = self.projects_at(at)[pid]
        quiet = all(when < at or cmd == "withdraw_project" or field == "signed_amount"
                    for when, cmd, field in self.base_after.get(pid, []))  # no later date the base year sets
        choices = []
        if project["signed_amount"] is not None:
            lowered = (project["signed_amount"] * Decimal(rng.randint(50, 95)) / 100).quantize(Decimal("0.01"))
            if lowered > 0:
                value = str(lowered) if rng.random() < 0.5 else str(lowered.quantize(Decimal(1)))
                choices += [("signed_amount", value, "contract amount lower than reported")] * 3
        landed, signed = project["landed_on"], project["signed_on"]
        if quiet and landed is not None and landed < found:  # the landing is not complete on site
            moved = max(landed + timedelta(days=1), found - timedelta(days=rng.randint(0, 6)))
            choices += [("landed_on", moved.isoformat(), "landing not yet complete on site")] * 2
        if quiet and landed is not None and (landed.year, landed.month) > p:  # landed in the drawn month already
            first = max(signed, date(*p, 1))
            if first <= _end(*p):
                moved = first + timedelta(days=rng.randint(0, (_end(*p) - first).days))
                choices.append(("landed_on", moved.isoformat(), "landed earlier than reported"))
        if quiet and signed is not None:
            last = min(d for d in (landed, project["started_on"], found) if d is not None)
            first = date(*_next(signed.year, signed.month), 1)
            if first <= last:
                moved = first + timedelta(days=rng.randint(0, (last - first).days))
                choices.append(("signed_on", moved.isoformat(), "contract signed later than reported"))
        choices = [c for c in choices if c[0] == "signed_amount"
                   or _ordered(project, c[0], date.fromisoformat(c[1]))]
        if not choices:
            return {"result": "confirmed"}
        field, value, reason = rng.choice(choices)
        self.misreported.add(pid)
        return {"result": "misreported", "field": field, "value": value, "reason": reason}
