"""What the built-in indicator plugins share: their settings and their measure."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import RAISE, Schema, fields, validate

from core.clock import month_end, parse_period
from core.hookspecs import hookimpl
from core.model import IndicatorSpec, Measure

SIGNINGS = frozenset({"signed_on", "signed_amount", "withdrawn_on", "targets"})


def indicator_settings(default_weight: Decimal) -> type[Schema]:
    """Settings of an indicator: ``weight`` (≥ 0, default ``default_weight``) and ``cap`` (> 0, default 1)."""

    class IndicatorSettings(Schema):
        class Meta:
            unknown = RAISE

        weight = fields.Decimal(load_default=default_weight, validate=validate.Range(min=0))
        cap = fields.Decimal(load_default=Decimal(1), validate=validate.Range(min=0, min_inclusive=False))

    return IndicatorSettings


class IndicatorPlugin:
    """Base of an indicator plugin: subclasses set ``name``, ``kind``, ``default_weight`` and ``measure``."""

    name = ""
    kind = "amount"
    version = "1.0"
    default_weight = Decimal(0)
    inputs: frozenset | None = None  # what measure() reads (see IndicatorSpec.inputs)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.Settings = indicator_settings(Decimal(cls.default_weight))

    def __init__(self, settings: dict):
        self.settings = settings

    @hookimpl
    def sankao_indicator(self):
        return IndicatorSpec(self.name, self.settings["weight"], self.kind, self.settings["cap"], self.inputs)

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

    @hookimpl
    def sankao_contributions(self, unit, period, facts):
        if type(self).contribution is IndicatorPlugin.contribution:
            return None  # the plugin does not say: explain shows its value alone
        year, month = parse_period(period)
        if facts.targets(unit, year) is None:
            return None
        end = month_end(year, month)
        parts = {}
        for p in facts.projects(unit):
            if p["withdrawn_on"] is not None and p["withdrawn_on"] <= end:
                continue
            part = self.contribution(p, year, month, end)
            if part:
                parts[p["id"]] = Decimal(part)
        return parts

    def contribution(self, project, year: int, month: int, end):
        """A project's part of the value in the month ending ``end`` (0 or None: no part). Override it, and
        ``sankao explain`` lists the projects behind the value (the parts must add up to it)."""
        return None


def dated_within(project, name: str, year: int, end) -> bool:
    """The project's ``name`` date lies between 1 January of ``year`` and ``end``."""
    day = project[name]
    return day is not None and day.year == year and day <= end
