"""Indicator ``monthly_increment``: M(u, P), the month's own signings, against the monthly target."""

from __future__ import annotations

from plugins.base import SIGNINGS, IndicatorPlugin


class MonthlyIncrement(IndicatorPlugin):
    name = "monthly_increment"
    default_weight = 15
    kind = "amount"
    inputs = SIGNINGS

    def measure(self, unit, period, end, targets, facts):
        return facts.signed_in_month(unit, period), targets.monthly

    def contribution(self, project, year, month, end):
        day = project["signed_on"]
        return project["signed_amount"] if day is not None and (day.year, day.month) == (year, month) else None
