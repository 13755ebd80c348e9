"""Indicator ``quarterly_progress``: A(u, d) against the cumulative target of the month's quarter."""

from __future__ import annotations

from core.clock import quarter
from plugins.base import SIGNINGS, IndicatorPlugin


class QuarterlyProgress(IndicatorPlugin):
    name = "quarterly_progress"
    default_weight = 20
    kind = "amount"
    inputs = SIGNINGS

    def measure(self, unit, period, end, targets, facts):
        return facts.signed_amount(unit, end), targets.quarterly[quarter(end.month) - 1]
