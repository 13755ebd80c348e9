"""Policy ``flat_annual``: an office's own annual grading (the plugin guide's "replace the grading rules").

Units are ranked on the mean of their finals alone; nobody is graded excellent or poor; people are ranked
by their unit's score within their level. It uses only what the hook hands it: no core code is touched.
"""

from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema

from core.hookspecs import hookimpl
from core.model import PersonStanding, Standing, UnitStanding


class Settings(Schema):
    class Meta:
        unknown = RAISE


def _third(n: int, rank: int) -> str:
    k = n // 3
    return "top" if rank <= k else "bottom" if rank > n - k else "middle"


class FlatAnnual:
    version = "0.1"
    Settings = Settings

    def __init__(self, settings):
        pass

    @hookimpl
    def sankao_annual_standing(self, year, boards, people):
        finals: dict = {}
        for rows in boards.values():
            for row in rows:
                finals.setdefault(row["unit"], []).append(row["final"])
        mean = {u: sum(f, Decimal(0)) / len(f) for u, f in finals.items()}
        order = sorted(mean, key=lambda u: (-mean[u], u))
        units = [UnitStanding(u, i, _third(len(order), i), mean[u], len(finals[u]), Decimal(0), Decimal(0),
                              Decimal(0)) for i, u in enumerate(order, 1)]
        chosen = sorted((p for p in people.people() if p["unit"] in mean), key=lambda p: (p["unit"], p["id"]))
        out = [PersonStanding(p["id"], p["unit"], p["level"], mean[p["unit"]], 0, 0, "competent", 0, "",
                              [h["id"] for h in people.held(p["id"])]) for p in chosen]
        for level in {p.level for p in out}:
            same = sorted((p for p in out if p.level == level), key=lambda p: (-p.score, p.person))
            for i, p in enumerate(same, 1):
                p.level_rank, p.level_third = i, _third(len(same), i)
        return Standing(units, out)
