"""A naive, independent reading of SCORING.md §8 (people and the annual evaluation).

Like ``oracle.py`` it shares no code with Sankao: it replays valid commands in order,
keeps the frozen boards the monthly oracle computes, and works the standing out from
scratch whenever asked. ``AnnualOracle(settings).run(known_at(commands, T)).standing(y)``
is the standing as known at T; a ``close_year`` keeps the standing as it stood then.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from oracle import D0, Oracle, end_of, r2

DEFAULTS = {"excellent_share": Decimal(20), "poor_share": Decimal(0), "band": Decimal(10),
            "bonus": Decimal(1), "malus": Decimal(1)}


def plain(x) -> str:
    text = format(Decimal(x).normalize(), "f")
    return text


def third(n: int, rank: int) -> str:
    k = n // 3
    if rank <= k:
        return "top"
    if rank > n - k:
        return "bottom"
    return "middle"


class AnnualOracle(Oracle):
    def __init__(self, settings: dict | None = None):
        super().__init__()
        self.settings = {**DEFAULTS, **{k: Decimal(str(v)) for k, v in (settings or {}).items()}}
        self.person_unit, self.person_level = {}, {}
        self.chain = {}  # project -> {level: person}
        self.closed_years = {}  # year -> the standing frozen at close_year

    def register_person(self, c):
        self.person_unit[c["person"]] = c["unit"]
        self.person_level[c["person"]] = c["level"]

    def assign_project(self, c):
        self.chain.setdefault(c["project"], {})[self.person_level[c["person"]]] = c["person"]

    def close_year(self, c):
        self.closed_years[c["year"]] = self.standing(c["year"], closed=True)

    def answer(self, y):
        """What ``sankao annual Y --json`` must say for the commands replayed so far."""
        return self.closed_years.get(y) or self.standing(y)

    def standing(self, y, closed=False):
        months = sorted(m for (year, m) in self.frozen if year == y)
        if not months:
            return {"year": y, "closed": closed, "through": None, "units": [], "people": []}
        d = end_of(y, months[-1])
        finals: dict = {}
        for m in months:
            for row in self.frozen[(y, m)]:
                finals.setdefault(row["unit"], []).append(Decimal(row["final"]))
        S = {u: sum(values, D0) / len(values) for u, values in finals.items()}
        A = {u: self.A(u, d) for u in finals}
        ranked = sorted(finals, key=lambda u: (-S[u], -A[u], u))
        s = self.settings
        units, shares = [], {}
        for i, u in enumerate(ranked, 1):
            t = third(len(ranked), i)
            if t == "top":
                ex, po = s["excellent_share"] + s["band"], max(D0, s["poor_share"] - s["band"])
            elif t == "bottom":
                ex, po = max(D0, s["excellent_share"] - s["band"]), s["poor_share"] + s["band"]
            else:
                ex, po = s["excellent_share"], s["poor_share"]
            shares[u] = (ex, po)
            units.append({"unit": u, "rank": i, "third": t, "score": r2(S[u]), "months": str(len(finals[u])),
                          "signed_amount": r2(A[u]), "excellent_share": plain(ex), "poor_share": plain(po)})

        scores = {}
        for person, unit in self.person_unit.items():
            if unit not in S:
                continue
            held = [p for p, levels in self.chain.items() if levels.get(self.person_level[person]) == person]
            landed = withdrawn = 0
            for pid in held:
                p = self.projects[pid]
                gone = p["withdrawn_on"] is not None and p["withdrawn_on"] <= d
                if p["landed_on"] is not None and date(y, 1, 1) <= p["landed_on"] <= d and not gone:
                    landed += 1
                if p["withdrawn_on"] is not None and date(y, 1, 1) <= p["withdrawn_on"] <= d:
                    withdrawn += 1
            scores[person] = (max(D0, S[unit] + s["bonus"] * landed - s["malus"] * withdrawn), landed, withdrawn)

        grade = {}
        for u in sorted(S):
            members = sorted((p for p in scores if self.person_unit[p] == u), key=lambda p: (-scores[p][0], p))
            m = len(members)
            n_ex = math.floor(m * shares[u][0] / 100)
            n_po = min(math.floor(m * shares[u][1] / 100), m - n_ex)
            for i, p in enumerate(members):
                grade[p] = "excellent" if i < n_ex else ("poor" if i >= m - n_po else "competent")
        level_place = {}
        for level in ("leader", "director", "officer"):
            same = sorted((p for p in scores if self.person_level[p] == level), key=lambda p: (-scores[p][0], p))
            for i, p in enumerate(same, 1):
                level_place[p] = (i, third(len(same), i))
        people = []
        for u in sorted(S):
            for p in sorted((p for p in scores if self.person_unit[p] == u), key=lambda p: (-scores[p][0], p)):
                score, landed, withdrawn = scores[p]
                people.append({"person": p, "unit": u, "level": self.person_level[p], "score": r2(score),
                               "landed": str(landed), "withdrawn": str(withdrawn), "grade": grade[p],
                               "level_rank": level_place[p][0], "level_third": level_place[p][1]})
        return {"year": y, "closed": closed, "through": f"{y:04d}-{months[-1]:02d}", "units": units,
                "people": people}
