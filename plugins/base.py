"""What the built-in indicator plugins share: their settings and their measure."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema, fields, validate

from core.clock import month_end, parse_period
from core.hookspecs import hookimpl
from core.model import IndicatorSpec, Measure


class IndicatorSettings(Schema):
    """``weight``: the default weight (≥ 0); ``cap``: the ratio cap (> 0)."""

    class Meta:
        unknown = RAISE

    weight = fields.Decimal(required=True, validate=validate.Range(min=0))
    cap = fields.Decimal(load_default=Decimal(1), validate=validate.Range(min=0, min_inclusive=False))


class IndicatorPlugin:
    """Base of an indicator plugin: subclasses set ``name``, ``kind`` and ``measure``."""

    name = ""
    kind = "amount"
    version = "1.0"
    Settings = IndicatorSettings

    def __init__(self, settings: dict):
        self.settings = settings

    @hookimpl
    def sankao_indicator(self):
        return IndicatorSpec(self.name, self.settings["weight"], self.kind, self.settings["cap"])

    @hookimpl
    def sankao_measure(self, unit, period, facts):
        year, month = parse_period(period)
        targets = facts.targets(unit, year)
        if targets is None:
            return None
        value, target = self.measure(unit, period, month_end(year, month), targets, facts)
        return Measure(self.name, Decimal(value), Decimal(target))

    def measure(self, unit, period, end, targets, facts):
        """``(value, target)`` for the unit in the month ending ``end``."""
        raise NotImplementedError
