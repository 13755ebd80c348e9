"""A naive, independent reading of SCORING.md §9 (supervision), on top of ``oracle.Oracle``.

It shares no code with Sankao. Unlike ``Oracle`` it takes every line of a year, valid or not: it judges
each line by the rules of §2 and §9 (the forms, the table of §2, the table of §9, the recorded-time and
business-date rules of §1-§2), keeps the number and reason of every line the contract rejects (a rejected
line records nothing; the later lines are judged without it), and replays the accepted ones in order,
recomputing from scratch whenever asked. Default settings only: ``self_check_day`` 5,
``self_check_points`` 1.00, ``misreport_points`` 3.00.

    oracle = SupervisionOracle().run(lines)       # lines: dicts or raw JSON text, numbered from 1
    oracle.rejected                               # [(line number, reason)]
    oracle.frozen[(y, m)], oracle.board(y, m)     # a frozen board / the board from everything (restated)
    oracle.supervision("2024-03")                 # what `sankao supervision 2024-03 --json` says
    oracle.known_at(T)                            # a new oracle over the accepted lines recorded at or before T

What it decides where SCORING.md is silent (what an office would expect):
- ``self_checks_required``, ``self_check``, ``on_time``, ``listed``, the units listed and the draws come from
  every command known at T, also for a closed P; only the three ``points_*`` of a closed P come from the
  commands recorded before its close (a unit listed then but without targets at the close shows 0.00s).
- A self-check is owed for month Q by a unit with targets for year(Q) (as known then) once the latest
  ``require_self_checks`` has ``from`` <= Q; board P carries the pre-deduction for Q = the month before P
  (December's on January's board of the next year) while no on-time self-check of Q is recorded.
- A self-check that is not owed (a month before ``from``, or a unit without targets for that year) is
  accepted and shown with its ``on_time``, and deducts nothing. ``on_time`` is by its date alone.
- A live board as known at T carries the pre-deduction unless an on-time self-check is recorded at or before
  T; a frozen board, unless one was recorded before the close; a restated board, unless one is recorded now.
- A misreported finding costs the unit the sampled project belongs to (fixed at the draw), on the board of
  the month of the finding's date (whatever year that is); special assessments likewise.
- ``record_finding`` with ``confirmed`` may carry a ``reason`` (it is only rejected with ``field``/``value``);
  with ``misreported`` the correction is judged exactly as a ``correct`` recorded at the finding's time
  (unknown field, a field never set, an ordering rule, a value date after the local date of ``at``, a bad
  amount), after the finding's own rules.
- A ``list_unit``/``delist_unit`` dated the same day as the unit's latest one is accepted (only "before" is
  rejected); ``listed`` at the end of P is the state of the last of the unit's list/delist commands dated on or
  before the end of P, in recorded order.
- Fields beyond a command's row are ignored; a second ``start_construction`` is accepted (the table does not
  reject it) and replaces ``started_on``; a line whose id is recorded already is skipped, neither recorded nor
  rejected; a line without ``at`` is recorded now.
- Draw candidates are counted over every project known before the draw, of units with or without targets.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, datetime, timezone
from decimal import Decimal

from oracle import D0, TZ, Oracle, WEIGHTS, end_of, r2

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
AMOUNT = re.compile(r"[0-9]{1,18}(\.[0-9]{1,2})?")
TARGET = re.compile(r"[0-9]{1,18}(\.[0-9]{1,6})?")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PERIOD = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
DATE_FIELDS = ("planned_on", "signed_on", "landed_on")
SELF_CHECK_DAY, SELF_CHECK_POINTS, MISREPORT_POINTS = 5, Decimal("1.00"), Decimal("3.00")


def _is_id(v):
    return isinstance(v, str) and ID.fullmatch(v) is not None


def _is_str(v):
    return isinstance(v, str)


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _is_date(v):
    if not isinstance(v, str) or DATE.fullmatch(v) is None:
        return False
    try:
        date.fromisoformat(v)
    except ValueError:
        return False
    return True


def _is_period(v):
    return isinstance(v, str) and PERIOD.fullmatch(v) is not None


def _is_amount(v):
    return isinstance(v, str) and AMOUNT.fullmatch(v) is not None and Decimal(v) > 0


def _is_target(v):
    return isinstance(v, str) and TARGET.fullmatch(v) is not None


def _is_quarterly(v):
    return isinstance(v, list) and len(v) == 4 and all(_is_target(x) for x in v)


def _is_weights(v):
    return isinstance(v, dict) and all(isinstance(k, str) and isinstance(w, (int, float)) and not isinstance(w, bool)
                                       and w >= 0 for k, w in v.items())


def _is_nat(v):
    return _is_int(v) and v >= 0


def _is_size(v):
    return _is_int(v) and 1 <= v <= 1000


def _is_seed(v):
    return isinstance(v, str) and 1 <= len(v) <= 128


def _is_note(v):
    return isinstance(v, str) and len(v) <= 2000


def _is_points(v):  # §2's form of points, and §9's > 0, <= 100
    return isinstance(v, str) and AMOUNT.fullmatch(v) is not None and D0 < Decimal(v) <= 100


FORMS = {  # cmd -> {field: check}; a field ending in "?" is optional
    "register_unit": {"unit": _is_id, "name": _is_str, "category": _is_str},
    "set_targets": {"unit": _is_id, "year": _is_int, "annual": _is_target, "quarterly": _is_quarterly,
                    "monthly": _is_target, "planned": _is_nat, "landed": _is_nat, "weights?": _is_weights},
    "plan_project": {"project": _is_id, "unit": _is_id, "name": _is_str, "planned_on": _is_date},
    "sign_project": {"project": _is_id, "signed_on": _is_date, "amount": _is_amount},
    "land_project": {"project": _is_id, "landed_on": _is_date},
    "start_construction": {"project": _is_id, "started_on": _is_date},
    "withdraw_project": {"project": _is_id, "withdrawn_on": _is_date, "reason": _is_str},
    "correct": {"project": _is_id, "field": _is_str, "value": _is_str, "reason": _is_str},
    "dispatch": {"date": _is_date},
    "close_month": {"period": _is_period},
    "register_person": {"person": _is_id, "unit": _is_id, "name": _is_str, "level": _is_str},
    "assign_project": {"project": _is_id, "person": _is_id},
    "close_year": {"year": _is_int},
    "require_self_checks": {"from": _is_period},
    "self_check": {"unit": _is_id, "period": _is_period, "date": _is_date, "note?": _is_note},
    "draw_spot_check": {"draw": _is_id, "period": _is_period, "size": _is_size, "seed": _is_seed,
                        "date": _is_date},
    "record_finding": {"draw": _is_id, "project": _is_id, "date": _is_date, "result": _is_str,
                       "field?": _is_str, "value?": _is_str, "reason?": _is_str},
    "special_assessment": {"unit": _is_id, "date": _is_date, "points": _is_points, "reason": _is_str},
    "list_unit": {"unit": _is_id, "date": _is_date, "reason": _is_str},
    "delist_unit": {"unit": _is_id, "date": _is_date, "reason": _is_str},
}
BUSINESS_DATES = ("planned_on", "signed_on", "landed_on", "started_on", "withdrawn_on", "date")


def month_of(d: date) -> tuple[int, int]:
    return d.year, d.month


def period_of(text: str) -> tuple[int, int]:
    y, m = text.split("-")
    return int(y), int(m)


def previous(y: int, m: int) -> tuple[int, int]:
    return (y, m - 1) if m > 1 else (y - 1, 12)


def following(y: int, m: int) -> tuple[int, int]:
    return (y, m + 1) if m < 12 else (y + 1, 1)


def sample_key(seed: str, period: str, project: str) -> tuple[str, str]:
    return hashlib.sha256(f"{seed}|{period}|{project}".encode("utf-8")).hexdigest(), project


def instant(c: dict) -> datetime:
    return datetime.fromisoformat(c["at"]) if c.get("at") is not None else datetime.now(timezone.utc)


class SupervisionOracle(Oracle):
    def __init__(self):
        super().__init__()
        self.units, self.closed, self.ids, self.persons, self.closed_years = set(), set(), set(), {}, set()
        self.last_dispatch, self.latest = None, None
        self.required_from = None  # (y, m) of the latest require_self_checks
        self.self_checks = {}  # (unit, (y, m)) -> date
        self.draws = {}  # draw id -> dict, in recorded order
        self.specials, self.misreports = [], []  # (unit, date, points) / (unit, date)
        self.listing = {}  # unit -> [(listed?, date)] in recorded order
        self.closed_points = {}  # (y, m) -> {unit: (self-check, misreport, special)} at the close
        self.rejected, self.recorded = [], []

    # judging and replaying
    def run(self, lines):
        for number, line in enumerate(lines, start=1):
            if isinstance(line, str):
                try:
                    line = json.loads(line)
                except ValueError:
                    self.rejected.append((number, "not JSON"))
                    continue
            reason = self.judge(line)
            if reason == "skipped":
                continue
            if reason:
                self.rejected.append((number, reason))
                continue
            self.latest = instant(line)
            if line.get("id") is not None:
                self.ids.add(line["id"])
            self.recorded.append(line)
            getattr(self, line["cmd"])(line)
        return self

    def known_at(self, moment: datetime) -> "SupervisionOracle":
        return SupervisionOracle().run([c for c in self.recorded if instant(c) <= moment])

    def judge(self, c) -> str | None:
        if not isinstance(c, dict) or c.get("cmd") not in FORMS:
            return "not a command"
        if c.get("id") is not None and not _is_id(c["id"]):
            return "bad id"
        if c.get("id") is not None and c["id"] in self.ids:
            return "skipped"
        try:
            at = instant(c)
        except (TypeError, ValueError):
            return "bad at"
        if at.tzinfo is None:
            return "at without offset"
        if self.latest is not None and at < self.latest:
            return "recorded time goes backwards"
        if at > datetime.now(timezone.utc):
            return "recorded time in the future"
        for name, check in FORMS[c["cmd"]].items():
            key = name.rstrip("?")
            if key not in c:
                if name.endswith("?"):
                    continue
                return f"missing {key}"
            if not check(c[key]):
                return f"bad {key}"
        today = at.astimezone(TZ).date()
        for key in BUSINESS_DATES:
            if key in c and date.fromisoformat(c[key]) > today:
                return f"{key} after the recorded date"
        return getattr(self, "judge_" + c["cmd"])(c, today)

    # §2 and §8
    def judge_register_unit(self, c, today):
        return "unit exists" if c["unit"] in self.units else None

    def judge_set_targets(self, c, today):
        if c["unit"] not in self.units:
            return "unknown unit"
        q = [Decimal(x) for x in c["quarterly"]]
        if any(a > b for a, b in zip(q, q[1:])) or q[3] != Decimal(c["annual"]):
            return "bad quarterly"
        if any(k not in WEIGHTS for k in c.get("weights", {})):
            return "unknown indicator"
        return None

    def judge_plan_project(self, c, today):
        if c["project"] in self.projects:
            return "project exists"
        return "unknown unit" if c["unit"] not in self.units else None

    def judge_sign_project(self, c, today):
        p = self.projects.get(c["project"])
        if p is None or p["withdrawn_on"] is not None or p["signed_on"] is not None:
            return "unknown, withdrawn or signed project"
        return "signed before planned" if date.fromisoformat(c["signed_on"]) < p["planned_on"] else None

    def judge_land_project(self, c, today):
        p = self.projects.get(c["project"])
        if p is None or p["signed_on"] is None or p["withdrawn_on"] is not None or p["landed_on"] is not None:
            return "unknown, unsigned, withdrawn or landed project"
        return "landed before signed" if date.fromisoformat(c["landed_on"]) < p["signed_on"] else None

    def judge_start_construction(self, c, today):
        p = self.projects.get(c["project"])
        if p is None or p["signed_on"] is None:
            return "unknown or unsigned project"
        return "started before signed" if date.fromisoformat(c["started_on"]) < p["signed_on"] else None

    def judge_withdraw_project(self, c, today):
        p = self.projects.get(c["project"])
        if p is None or p["withdrawn_on"] is not None:
            return "unknown or withdrawn project"
        return "withdrawn before planned" if date.fromisoformat(c["withdrawn_on"]) < p["planned_on"] else None

    def judge_correct(self, c, today):
        p = self.projects.get(c["project"])
        if p is None:
            return "unknown project"
        field, value = c["field"], c["value"]
        if field not in DATE_FIELDS + ("signed_amount",):
            return "bad field"
        if p[field] is None:
            return "field never set"
        if field == "signed_amount":
            return None if _is_amount(value) else "bad amount"
        if not _is_date(value):
            return "bad value"
        new = date.fromisoformat(value)
        if new > today:
            return "value after the recorded date"
        q = {**p, field: new}
        for a, b in (("planned_on", "signed_on"), ("signed_on", "landed_on"), ("signed_on", "started_on"),
                     ("planned_on", "withdrawn_on")):
            if q.get(a) is not None and q.get(b) is not None and q[a] > q[b]:
                return f"{a} after {b}"
        return None

    def judge_dispatch(self, c, today):
        d = date.fromisoformat(c["date"])
        return "dispatch earlier than the last" if self.last_dispatch and d < self.last_dispatch else None

    def judge_close_month(self, c, today):
        y, m = period_of(c["period"])
        if (y, m) in self.closed:
            return "already closed"
        if m > 1 and (y, m - 1) not in self.closed:
            return "previous month not closed"
        return "month not over" if today <= end_of(y, m) else None

    def judge_register_person(self, c, today):
        if c["person"] in self.persons or c["unit"] not in self.units:
            return "person exists or unknown unit"
        return None if c["level"] in ("leader", "director", "officer") else "bad level"

    def judge_assign_project(self, c, today):
        p = self.projects.get(c["project"])
        if p is None or c["person"] not in self.persons or p["withdrawn_on"] is not None:
            return "unknown project or person, or withdrawn project"
        return None

    def judge_close_year(self, c, today):
        y = c["year"]
        return "already closed or December open" if y in self.closed_years or (y, 12) not in self.closed else None

    # §9
    def judge_require_self_checks(self, c, today):
        return "from before this month" if period_of(c["from"]) < month_of(today) else None

    def judge_self_check(self, c, today):
        if c["unit"] not in self.units:
            return "unknown unit"
        if date.fromisoformat(c["date"]) <= end_of(*period_of(c["period"])):
            return "date not after the end of period"
        return "self-check exists" if (c["unit"], period_of(c["period"])) in self.self_checks else None

    def judge_draw_spot_check(self, c, today):
        if c["draw"] in self.draws:
            return "draw exists"
        return "date not after the end of period" if date.fromisoformat(c["date"]) <= end_of(
            *period_of(c["period"])) else None

    def judge_record_finding(self, c, today):
        draw = self.draws.get(c["draw"])
        if draw is None:
            return "unknown draw"
        if c["project"] not in draw["units"]:
            return "project not in the sample"
        if c["project"] in draw["findings"]:
            return "finding exists"
        d = date.fromisoformat(c["date"])
        if d < draw["date"]:
            return "date before the draw's"
        if month_of(d) in self.closed:
            return "month of date closed"
        if c["result"] == "confirmed":
            return "confirmed with a correction" if "field" in c or "value" in c else None
        if c["result"] != "misreported":
            return "bad result"
        if any(k not in c for k in ("field", "value", "reason")):
            return "misreported without its correction"
        return self.judge_correct(c, today)

    def judge_special_assessment(self, c, today):
        if c["unit"] not in self.units:
            return "unknown unit"
        return "month of date closed" if month_of(date.fromisoformat(c["date"])) in self.closed else None

    def _judge_listing(self, c, listed: bool):
        if c["unit"] not in self.units:
            return "unknown unit"
        history = self.listing.get(c["unit"], [])
        if (history[-1][0] if history else False) == listed:
            return "already listed" if listed else "not listed"
        if history and date.fromisoformat(c["date"]) < history[-1][1]:
            return "date before the latest list/delist"
        return None

    def judge_list_unit(self, c, today):
        return self._judge_listing(c, True)

    def judge_delist_unit(self, c, today):
        return self._judge_listing(c, False)

    # replaying what the base oracle does not keep
    def register_unit(self, c):
        self.units.add(c["unit"])

    def plan_project(self, c):
        super().plan_project(c)
        self.projects[c["project"]]["started_on"] = None

    def start_construction(self, c):
        self.projects[c["project"]]["started_on"] = date.fromisoformat(c["started_on"])

    def dispatch(self, c):
        self.last_dispatch = date.fromisoformat(c["date"])
        super().dispatch(c)

    def register_person(self, c):
        self.persons[c["person"]] = c["unit"]

    def assign_project(self, c):
        pass

    def close_year(self, c):
        self.closed_years.add(c["year"])

    def close_month(self, c):
        y, m = period_of(c["period"])
        super().close_month(c)
        self.closed.add((y, m))
        self.closed_points[(y, m)] = {u: self.points(u, y, m) for u in self.units}

    def require_self_checks(self, c):
        self.required_from = period_of(c["from"])

    def self_check(self, c):
        self.self_checks[(c["unit"], period_of(c["period"]))] = date.fromisoformat(c["date"])

    def draw_spot_check(self, c):
        y, m = period_of(c["period"])
        start, end = date(y, m, 1), end_of(y, m)
        candidates = [pid for pid, p in self.projects.items()
                      if any(p[k] is not None and start <= p[k] <= end for k in ("signed_on", "landed_on"))
                      and not (p["withdrawn_on"] is not None and p["withdrawn_on"] <= end)]
        sample = sorted(candidates, key=lambda pid: sample_key(c["seed"], c["period"], pid))[:c["size"]]
        self.draws[c["draw"]] = {"draw": c["draw"], "period": (y, m), "date": date.fromisoformat(c["date"]),
                                 "size": c["size"], "candidates": len(candidates),
                                 "units": {pid: self.projects[pid]["unit"] for pid in sample}, "sample": sample,
                                 "findings": {}}

    def record_finding(self, c):
        draw = self.draws[c["draw"]]
        d = date.fromisoformat(c["date"])
        draw["findings"][c["project"]] = (c["result"], d)
        if c["result"] == "misreported":
            self.correct(c)
            self.misreports.append((draw["units"][c["project"]], d))

    def special_assessment(self, c):
        self.specials.append((c["unit"], date.fromisoformat(c["date"]), Decimal(c["points"])))

    def list_unit(self, c):
        self.listing.setdefault(c["unit"], []).append((True, date.fromisoformat(c["date"])))

    def delist_unit(self, c):
        self.listing.setdefault(c["unit"], []).append((False, date.fromisoformat(c["date"])))

    # D = D_warning + D_supervision
    def owed(self, u, y, m) -> bool:
        return self.required_from is not None and (y, m) >= self.required_from and (u, y) in self.targets

    def on_time(self, u, y, m) -> bool | None:
        d = self.self_checks.get((u, (y, m)))
        return None if d is None else d <= date(*following(y, m), SELF_CHECK_DAY)

    def points(self, u, y, m) -> tuple[Decimal, Decimal, Decimal]:
        """The parts of D_supervision(u, P) from what is recorded so far: self-check, misreport, special."""
        q = previous(y, m)
        self_check = SELF_CHECK_POINTS if self.owed(u, *q) and not self.on_time(u, *q) else D0
        misreport = MISREPORT_POINTS * sum(1 for unit, d in self.misreports if unit == u and month_of(d) == (y, m))
        special = sum((p for unit, d, p in self.specials if unit == u and month_of(d) == (y, m)), D0)
        return self_check, misreport, special

    def deduction(self, u, y, end):
        return super().deduction(u, y, end) + sum(self.points(u, y, end.month), D0)

    # the query
    def listed(self, u, end: date) -> bool:
        state = False
        for listed, d in self.listing.get(u, []):
            if d <= end:
                state = listed
        return state

    def supervision(self, period: str) -> dict:
        y, m = period_of(period)
        units = []
        for u in sorted(unit for unit, year in self.targets if year == y):
            if (y, m) in self.closed:
                parts = self.closed_points[(y, m)].get(u, (D0, D0, D0))
            else:
                parts = self.points(u, y, m)
            d = self.self_checks.get((u, (y, m)))
            units.append({"unit": u, "self_check": d and d.isoformat(), "on_time": self.on_time(u, y, m),
                          "points_self_check": r2(parts[0]), "points_misreport": r2(parts[1]),
                          "points_special": r2(parts[2]), "listed": self.listed(u, end_of(y, m))})
        draws = []
        for draw in self.draws.values():
            if draw["period"] != (y, m):
                continue
            sample = []
            for pid in draw["sample"]:
                result, d = draw["findings"].get(pid, (None, None))
                sample.append({"project": pid, "unit": draw["units"][pid], "result": result,
                               "result_date": d and d.isoformat()})
            draws.append({"draw": draw["draw"], "date": draw["date"].isoformat(), "size": draw["size"],
                          "candidates": draw["candidates"], "sample": sample})
        return {"period": period,
                "self_checks_required": self.required_from is not None and (y, m) >= self.required_from,
                "units": units, "draws": draws}

    def board_answer(self, period: str, restated: bool = False) -> dict:
        """What ``sankao board PERIOD [--restated] --json`` says (without ``known_at``); None if refused."""
        y, m = period_of(period)
        frozen = (y, m) in self.frozen and not restated
        units = self.frozen[(y, m)] if frozen else self.board(y, m)
        if not units:
            return None
        finals = [Decimal(u["final"]) for u in units]
        return {"period": period, "frozen": frozen, "spread": r2(max(finals) - min(finals)), "units": units}
