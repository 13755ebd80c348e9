"""A deliberately bad plugin for Sankao's tests: it raises, or answers nonsense."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema, fields, validate

from core.hookspecs import hookimpl
from core.model import IndicatorSpec, Measure


class Settings(Schema):
    class Meta:
        unknown = RAISE

    weight = fields.Decimal(load_default=Decimal(5))
    mode = fields.String(load_default="raise", validate=validate.OneOf(["raise", "nonsense", "steal", "fine"]))
    after = fields.Date(load_default=None)  # misbehave once a project of the unit is signed on or after


class FlakyIndicator:
    version = "0.1"
    Settings = Settings

    def __init__(self, settings):
        self.settings = settings

    @hookimpl
    def sankao_indicator(self):
        return IndicatorSpec("flaky_indicator", self.settings["weight"])

    @hookimpl
    def sankao_measure(self, unit, period, facts):
        after = self.settings["after"]
        triggered = after is None or any(p["signed_on"] and p["signed_on"] >= after for p in facts.projects(unit))
        if triggered and self.settings["mode"] == "raise":
            raise RuntimeError("flaky indicator lost its marbles")
        if triggered and self.settings["mode"] == "nonsense":
            return Measure("flaky_indicator", Decimal("NaN"), Decimal(-1))
        if triggered and self.settings["mode"] == "steal":  # answers for another plugin's indicator
            return Measure("annual_amount", Decimal(999_999_999_999), Decimal(1))
        return Measure("flaky_indicator", Decimal(1), Decimal(1))
