"""Policy ``annual_evaluation``: the annual standing of units and people (年考评, docs/assessment.md §8).

Units: those on at least one of the year's frozen boards, by S(u) (the exact mean of
their finals there) descending, then A(u, d) descending, then unit id; thirds as on a
board. A unit's third sets the shares of its people that may be graded excellent or
must be graded poor (优差比例调控): ``top`` excellent_share + band and
max(0, poor_share − band); ``middle`` the settings; ``bottom`` max(0, excellent_share −
band) and poor_share + band. People: S(own unit) + bonus × landed − malus × withdrawn
(not below 0), graded within their unit and ranked in thirds within their level.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from core.clock import month_end, parse_period
from core.hookspecs import hookimpl
from core.messages import msg
from core.model import PersonStanding, Standing, UnitStanding

ZERO, HUNDRED = Decimal(0), Decimal(100)


class Settings(Schema):
    class Meta:
        unknown = RAISE

    excellent_share = fields.Decimal(load_default=Decimal(20), validate=validate.Range(min=0, max=100))
    poor_share = fields.Decimal(load_default=Decimal(0), validate=validate.Range(min=0, max=100))
    band = fields.Decimal(load_default=Decimal(10), validate=validate.Range(min=0, max=10))
    bonus = fields.Decimal(load_default=Decimal("1.00"), validate=validate.Range(min=0))
    malus = fields.Decimal(load_default=Decimal("1.00"), validate=validate.Range(min=0))

    @validates_schema
    def shares_fit(self, data, **kwargs):
        total = data["excellent_share"] + data["poor_share"] + data["band"]
        if total > HUNDRED:
            raise ValidationError(msg("plugin.shares", total=f"{total.normalize():f}"), "excellent_share")


def thirds(n: int, rank: int) -> str:
    """A rank's third among ``n`` (docs/assessment.md §5): k = ⌊n/3⌋ top, k bottom, the rest middle."""
    k = n // 3
    return "top" if rank <= k else "bottom" if rank > n - k else "middle"


def floor_share(m: int, share: Decimal) -> int:
    return int((Decimal(m) * share / HUNDRED).to_integral_value(ROUND_FLOOR))


class AnnualEvaluation:
    version = "1.0"
    Settings = Settings

    def __init__(self, settings: dict):
        self.settings = settings

    def shares(self, third: str) -> tuple[Decimal, Decimal]:
        s = self.settings
        if third == "top":
            return s["excellent_share"] + s["band"], max(ZERO, s["poor_share"] - s["band"])
        if third == "bottom":
            return max(ZERO, s["excellent_share"] - s["band"]), s["poor_share"] + s["band"]
        return s["excellent_share"], s["poor_share"]

    @hookimpl
    def sankao_annual_standing(self, year, through, boards, facts, people):
        end = month_end(*parse_period(through))
        finals: dict[str, list[Decimal]] = {}
        for rows in boards.values():
            for row in rows:
                finals.setdefault(row["unit"], []).append(row["final"])
        mean = {u: sum(f, ZERO) / len(f) for u, f in finals.items()}
        signed = {u: facts.signed_amount(u, end) for u in finals}
        order = sorted(finals, key=lambda u: (-mean[u], -signed[u], u))
        units = []
        for rank, unit in enumerate(order, start=1):
            third = thirds(len(order), rank)
            excellent, poor = self.shares(third)
            units.append(UnitStanding(unit, rank, third, mean[unit], len(finals[unit]), signed[unit], excellent, poor))
        by_unit = {u.unit: u for u in units}

        start = date(year, 1, 1)
        scored: list[PersonStanding] = []
        for person in people.people():
            if person["unit"] not in by_unit:
                continue
            held = people.held(person["id"])
            landed = sum(1 for p in held if p["landed_on"] is not None and start <= p["landed_on"] <= end
                         and not (p["withdrawn_on"] is not None and p["withdrawn_on"] <= end))
            withdrawn = sum(1 for p in held if p["withdrawn_on"] is not None and start <= p["withdrawn_on"] <= end)
            score = max(ZERO, mean[person["unit"]] + self.settings["bonus"] * landed
                        - self.settings["malus"] * withdrawn)
            scored.append(PersonStanding(person["id"], person["unit"], person["level"], score, landed, withdrawn,
                                         "", 0, "", [p["id"] for p in held]))

        ordered = sorted(scored, key=lambda p: (p.unit, -p.score, p.person))
        members: dict[str, list[PersonStanding]] = {}
        for p in ordered:
            members.setdefault(p.unit, []).append(p)
        for unit, group in members.items():
            m = len(group)
            excellent = floor_share(m, by_unit[unit].excellent_share)
            poor = min(floor_share(m, by_unit[unit].poor_share), m - excellent)
            for index, p in enumerate(group):
                p.grade = "excellent" if index < excellent else "poor" if index >= m - poor else "competent"
        levels: dict[str, list[PersonStanding]] = {}
        for p in sorted(scored, key=lambda p: (-p.score, p.person)):
            levels.setdefault(p.level, []).append(p)
        for group in levels.values():
            for rank, p in enumerate(group, start=1):
                p.level_rank, p.level_third = rank, thirds(len(group), rank)
        return Standing(units, ordered)
