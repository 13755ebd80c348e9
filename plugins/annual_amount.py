"""Indicator ``annual_amount``: A(u, d) against the annual target."""

from __future__ import annotations

from plugins.base import SIGNINGS, IndicatorPlugin, dated_within


class AnnualAmount(IndicatorPlugin):
    name = "annual_amount"
    default_weight = 30
    kind = "amount"
    inputs = SIGNINGS

    def measure(self, unit, period, end, targets, facts):
        return facts.signed_amount(unit, end), targets.annual

    def contribution(self, project, year, month, end):
        return project["signed_amount"] if dated_within(project, "signed_on", year, end) else None
