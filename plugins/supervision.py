"""Policy ``supervision``: self-checks, spot checks and special assessments (docs/assessment.md §9).

- 定期自查: from the month the office requires them, every unit with targets owes a self-check of each
  month P. On time when dated by day ``self_check_day`` of the month after P. Until an on-time self-check of
  P is recorded, the unit is pre-deducted ``self_check_points`` on the board of the month after P (December's
  on January's board of the next year).
- 随机抽查: each ``misreported`` finding dated in the month costs the project's unit ``misreport_points``
  (the finding also corrects the project, as a ``correct`` would).
- 重大问题专项考核: a special assessment costs its ``points`` in the month of its date.

These points add to the early warning's: ``D = D_warning + D_supervision``, frozen at the month's close.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from marshmallow import RAISE, Schema, fields, validate

from core.clock import month_after, month_before, month_end, parse_period
from core.hookspecs import hookimpl
from core.model import SupervisionPoints

ZERO = Decimal(0)


class Settings(Schema):
    class Meta:
        unknown = RAISE

    self_check_day = fields.Integer(strict=True, load_default=5, validate=validate.Range(min=1, max=28))
    self_check_points = fields.Decimal(load_default=Decimal("1.00"), validate=validate.Range(min=0))
    misreport_points = fields.Decimal(load_default=Decimal("3.00"), validate=validate.Range(min=0))


@lru_cache(maxsize=1024)
def due_date(period: str, day: int) -> date:
    """The last day a self-check of ``period`` is on time: day ``day`` of the month after."""
    return date(*parse_period(month_after(period)), day)


class Supervision:
    version = "1.0"
    Settings = Settings
    inputs = frozenset({"supervision", "targets"})  # what sankao_supervision_points reads

    def __init__(self, settings: dict):
        self.s = settings

    def on_time(self, period: str, filed: date | None) -> bool | None:
        return None if filed is None else filed <= due_date(period, self.s["self_check_day"])

    def _self_check_points(self, unit, period, supervision) -> Decimal:
        before = month_before(period)
        if not supervision.owes(unit, before):
            return ZERO
        return ZERO if self.on_time(before, supervision.self_check(unit, before)) else self.s["self_check_points"]

    @hookimpl
    def sankao_supervision_points(self, unit, period, supervision):
        return SupervisionPoints(self._self_check_points(unit, period, supervision),
                                 self.s["misreport_points"] * supervision.misreports(unit, period),
                                 sum(supervision.specials(unit, period), ZERO))

    @hookimpl
    def sankao_explain(self, unit, period, supervision):
        before = month_before(period)
        filed = supervision.self_check(unit, before)
        points = self.sankao_supervision_points(unit, period, supervision)
        end = month_end(*parse_period(period))
        each = self.s["misreport_points"]
        return {"formula": "D_supervision = the self-check of the month before (owed and not on time: "
                           "self_check_points) + misreport_points × the misreported findings dated in the month + "
                           "the points of the special assessments dated in it",
                "inputs": {"self_check": {"period": before, "owed": supervision.owes(unit, before),
                                          "date": filed.isoformat() if filed else None,
                                          "due": due_date(before, self.s["self_check_day"]).isoformat(),
                                          "on_time": self.on_time(before, filed), "points": _points(points.self_check)},
                           "misreports": [{"draw": draw, "project": project, "date": day.isoformat(),
                                           "points": _points(each)}
                                          for draw, project, day in supervision.findings(unit, period)],
                           "special_assessments": [{"date": day.isoformat(), "points": _points(p)}
                                                   for day, p in supervision.special_assessments(unit, period)],
                           "listed": supervision.listed(unit, end),
                           "points": {"self_check": _points(points.self_check),
                                      "misreport": _points(points.misreport), "special": _points(points.special),
                                      "total": _points(points.total)}}}


def _points(value: Decimal) -> str:
    return f"{value:.2f}"
