"""Indicator ``quarterly_progress``: A(u, d) against the cumulative target of the month's quarter."""

from __future__ import annotations

from core.clock import quarter
from plugins.base import SIGNINGS, IndicatorPlugin, dated_within


class QuarterlyProgress(IndicatorPlugin):
    name = "quarterly_progress"
    default_weight = 20
    kind = "amount"
    inputs = SIGNINGS

    def measure(self, unit, period, end, targets, facts):
        return facts.signed_amount(unit, end), targets.quarterly[quarter(end.month) - 1]

    def contribution(self, project, year, month, end):
        return project["signed_amount"] if dated_within(project, "signed_on", year, end) else None
