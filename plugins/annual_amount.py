"""Indicator ``annual_amount``: A(u, d) against the annual target."""

from __future__ import annotations

from plugins.base import SIGNINGS, IndicatorPlugin


class AnnualAmount(IndicatorPlugin):
    name = "annual_amount"
    default_weight = 30
    kind = "amount"
    inputs = SIGNINGS

    def measure(self, unit, period, end, targets, facts):
        return facts.signed_amount(unit, end), targets.annual
