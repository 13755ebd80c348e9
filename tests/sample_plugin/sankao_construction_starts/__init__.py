"""Indicator ``construction_starts``: projects whose construction started this year
(开工项目数), against a target derived from the unit's landed target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from marshmallow import RAISE, Schema, fields, validate

from core.clock import month_end, parse_period
from core.hookspecs import hookimpl
from core.model import IndicatorSpec, Measure


class Settings(Schema):
    class Meta:
        unknown = RAISE

    weight = fields.Decimal(load_default=Decimal(10), validate=validate.Range(min=0))
    share = fields.Decimal(load_default=Decimal(1), validate=validate.Range(min=0))


class ConstructionStarts:
    version = "1.2.0"
    Settings = Settings

    def __init__(self, settings):
        self.weight, self.share = settings["weight"], settings["share"]

    @hookimpl
    def sankao_indicator(self):
        return IndicatorSpec("construction_starts", self.weight, kind="count")

    @hookimpl
    def sankao_measure(self, unit, period, facts):
        year, month = parse_period(period)
        targets = facts.targets(unit, year)
        if targets is None:
            return None
        end = month_end(year, month)
        started = sum(1 for p in facts.projects(unit)
                      if p["started_on"] and date(year, 1, 1) <= p["started_on"] <= end
                      and not (p["withdrawn_on"] and p["withdrawn_on"] <= end))
        return Measure("construction_starts", Decimal(started), Decimal(targets.landed) * self.share)
