"""Policy ``unit_coefficient``: a unit's coefficient rises with its results.

``c = c_min + (c_max − c_min) × min(A(u, d) / annual, 1)``; ``c = 1`` when
``annual`` is 0 or the unit has no targets.
"""

from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from core.clock import month_end, parse_period
from core.hookspecs import hookimpl
from core.messages import msg


class Settings(Schema):
    class Meta:
        unknown = RAISE

    c_min = fields.Decimal(load_default=Decimal("0.90"), validate=validate.Range(min=0))
    c_max = fields.Decimal(load_default=Decimal("1.10"), validate=validate.Range(min=0))

    @validates_schema(skip_on_field_errors=False)
    def ordered(self, data, **kwargs):
        if "c_min" in data and "c_max" in data and data["c_min"] > data["c_max"]:
            raise ValidationError(msg("plugin.c_min_max", c_min=data["c_min"], c_max=data["c_max"]), "c_min")


class UnitCoefficient:
    version = "1.0"
    Settings = Settings
    inputs = frozenset({"signed_on", "signed_amount", "withdrawn_on", "targets"})  # what sankao_coefficient reads

    def __init__(self, settings: dict):
        self.c_min, self.c_max = settings["c_min"], settings["c_max"]

    @hookimpl
    def sankao_coefficient(self, unit, period, facts):
        year, month = parse_period(period)
        targets = facts.targets(unit, year)
        if targets is None or targets.annual == 0:
            return Decimal(1)
        achieved = facts.signed_amount(unit, month_end(year, month)) / targets.annual
        return self.c_min + (self.c_max - self.c_min) * min(achieved, Decimal(1))

    @hookimpl
    def sankao_explain(self, unit, period, facts, cases):
        year, month = parse_period(period)
        targets = facts.targets(unit, year)
        if targets is None:
            return None
        achieved = facts.signed_amount(unit, month_end(year, month))
        return {"formula": "c = 1 when annual is 0, else c_min + (c_max - c_min) x min(A / annual, 1)",
                "inputs": {"A": str(achieved), "annual": str(targets.annual), "c_min": str(self.c_min),
                           "c_max": str(self.c_max)}}
