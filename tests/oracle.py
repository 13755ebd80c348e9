"""A naive, independent reading of SCORING.md, for checking Sankao on years it has never seen.

It shares no code with Sankao: it replays a list of valid commands (with ``at``)
in order and recomputes everything from scratch where Sankao works incrementally.
It knows only the default settings of ``plugins.toml``.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

D0, TZ = Decimal(0), ZoneInfo("Asia/Shanghai")
WEIGHTS = {"annual_amount": 30, "quarterly_progress": 20, "monthly_increment": 15,
           "planned_projects": 15, "landed_projects": 20}
POINTS = {"green": Decimal(0), "orange": Decimal(1), "red": Decimal(2)}


def r2(x):
    return str(Decimal(x).quantize(Decimal("0.01"), ROUND_HALF_UP))


def r4(x):
    return str(Decimal(x).quantize(Decimal("0.0001"), ROUND_HALF_UP))


def end_of(y, m):
    return date(y, m, calendar.monthrange(y, m)[1])


class Oracle:
    def __init__(self):
        self.targets, self.projects, self.notices, self.frozen = {}, {}, [], {}
        self.cases = {}  # case name -> dict(unit, opened, level, points, closed, outcome, history)

    def run(self, commands):
        for c in commands:
            getattr(self, c["cmd"])(c)
        return self

    # facts
    def register_unit(self, c):
        pass

    def set_targets(self, c):
        self.targets[(c["unit"], c["year"])] = c

    def plan_project(self, c):
        self.projects[c["project"]] = {"unit": c["unit"], "planned_on": date.fromisoformat(c["planned_on"]),
                                       "signed_on": None, "signed_amount": None, "landed_on": None,
                                       "withdrawn_on": None}

    def sign_project(self, c):
        p = self.projects[c["project"]]
        p["signed_on"], p["signed_amount"] = date.fromisoformat(c["signed_on"]), Decimal(c["amount"])

    def land_project(self, c):
        self.projects[c["project"]]["landed_on"] = date.fromisoformat(c["landed_on"])

    def start_construction(self, c):
        pass

    def withdraw_project(self, c):
        self.projects[c["project"]]["withdrawn_on"] = date.fromisoformat(c["withdrawn_on"])

    def correct(self, c):
        value = Decimal(c["value"]) if c["field"] == "signed_amount" else date.fromisoformat(c["value"])
        self.projects[c["project"]][c["field"]] = value

    # counts
    def live(self, u, d):
        return [p for p in self.projects.values() if p["unit"] == u and not (p["withdrawn_on"] and p["withdrawn_on"] <= d)]

    def A(self, u, d):
        return sum((p["signed_amount"] for p in self.live(u, d)
                    if p["signed_on"] and date(d.year, 1, 1) <= p["signed_on"] <= d), D0)

    def count(self, u, d, key):
        return sum(1 for p in self.live(u, d) if p[key] and date(d.year, 1, 1) <= p[key] <= d)

    # early warning
    def dispatch(self, c):
        d = date.fromisoformat(c["date"])
        for case in sorted(self.cases.values(), key=lambda k: k["unit"]):  # §7: units in id order
            if case["closed"] is None and case["year"] < d.year:
                self.issue(case, "feedback", d, None, case["points"], "confirmed")
        if d.timetuple().tm_yday <= 31:
            return
        for (u, y), t in sorted(self.targets.items()):
            annual = Decimal(t["annual"])
            if y != d.year or annual <= 0:
                continue
            expected = annual * d.timetuple().tm_yday / (366 if calendar.isleap(y) else 365)
            lag = max(D0, 1 - self.A(u, d) / expected)
            level = "red" if lag >= Decimal("0.3") else "orange" if lag >= Decimal("0.2") else \
                "green" if lag >= Decimal("0.1") else None
            mine = [k for k in self.cases.values() if k["unit"] == u and k["year"] == y]
            open_case = next((k for k in mine if k["closed"] is None), None)
            order = ["green", "orange", "red"]
            if open_case is None and level:
                case = {"name": f"{u}-{y}-{len(mine) + 1}", "unit": u, "year": y, "opened": d, "level": level,
                        "points": POINTS[level], "closed": None, "outcome": None, "history": []}
                self.cases[case["name"]] = case
                self.issue(case, level, d, lag, POINTS[level], None)
            elif open_case and level and order.index(level) > order.index(open_case["level"]):
                open_case["level"], open_case["points"] = level, POINTS[level]
                self.issue(open_case, level, d, lag, POINTS[level], None)
            elif open_case and not level:
                restored = (d - open_case["opened"]).days <= 30
                self.issue(open_case, "feedback", d, lag, D0 if restored else open_case["points"],
                           "restored" if restored else "confirmed")

    def issue(self, case, level, d, lag, points, outcome):
        if level == "feedback":
            case["closed"], case["outcome"] = d, outcome
        case["history"].append((d, points, outcome))
        self.notices.append({"unit": case["unit"], "case": case["name"], "level": level, "date": d.isoformat(),
                             "lag": None if lag is None else r4(lag), "points": r2(points), "outcome": outcome})

    def deduction(self, u, y, end):
        total = D0
        for case in self.cases.values():
            if case["unit"] != u or case["year"] != y or case["opened"] > end:
                continue
            points, outcome = D0, None
            for d, p, o in case["history"]:
                if d <= end:
                    points, outcome = p, o
            total += D0 if outcome == "restored" else points
        return total

    # the board
    def board(self, y, m):
        end, rows = end_of(y, m), []
        for (u, year), t in sorted(self.targets.items()):
            if year != y:
                continue
            a = self.A(u, end)
            month = sum((p["signed_amount"] for p in self.live(u, end)
                         if p["signed_on"] and (p["signed_on"].year, p["signed_on"].month) == (y, m)), D0)
            values = {"annual_amount": (a, t["annual"]), "quarterly_progress": (a, t["quarterly"][(m + 2) // 3 - 1]),
                      "monthly_increment": (month, t["monthly"]),
                      "planned_projects": (self.count(u, end, "planned_on"), t["planned"]),
                      "landed_projects": (self.count(u, end, "landed_on"), t["landed"])}
            sw = ss = D0
            for name, (value, target) in values.items():
                target = Decimal(target)
                if target == 0:
                    continue
                w = Decimal(str(t.get("weights", {}).get(name, WEIGHTS[name])))
                sw += w
                ss += w * min(Decimal(value) / target, Decimal(1))
            if sw == 0:
                continue
            base = ss * 100 / sw
            annual = Decimal(t["annual"])
            coef = Decimal(1) if annual == 0 else Decimal("0.9") + Decimal("0.2") * min(a / annual, Decimal(1))
            ded = self.deduction(u, y, end)
            rows.append({"unit": u, "base": base, "coefficient": coef, "deduction": ded,
                         "final": max(D0, base * coef - ded), "signed_amount": a})
        rows.sort(key=lambda r: (-Decimal(r2(r["final"])), -r["signed_amount"], r["unit"]))
        n, k = len(rows), len(rows) // 3
        out = []
        for i, r in enumerate(rows, 1):
            out.append({"unit": r["unit"], "rank": i, "third": "top" if i <= k else "bottom" if i > n - k else "middle",
                        "base": r2(r["base"]), "coefficient": r4(r["coefficient"]), "deduction": r2(r["deduction"]),
                        "final": r2(r["final"]), "signed_amount": r2(r["signed_amount"]),
                        "streak": None, "accountability": None, "commended": None})
        return out

    def close_month(self, c):
        y, m = map(int, c["period"].split("-"))
        rows = self.board(y, m)
        for row in rows:
            streak = 0
            if row["third"] == "bottom":
                streak = 1
                for earlier in range(m - 1, 0, -1):
                    prev = {r["unit"]: r for r in self.frozen.get((y, earlier), [])}
                    if prev.get(row["unit"], {}).get("third") != "bottom":
                        break
                    streak += 1
            row["streak"] = streak
            row["accountability"] = {0: None, 1: None, 2: "assessment", 3: "organizational"}.get(streak, "disciplinary")
            row["commended"] = row["third"] == "top"
        self.frozen[(y, m)] = rows


def known_at(commands, instant: datetime):
    return [c for c in commands if datetime.fromisoformat(c["at"]) <= instant]
