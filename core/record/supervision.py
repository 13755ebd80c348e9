"""Supervision (docs/assessment.md §9): the forms of its seven commands, what the record keeps of it, and the
draw of a spot check.

The forms are marshmallow schemas like those of ``core.record.commands``; the rules that need the record live
in ``core.record.decide_supervision``. ``Supervision`` is the state the record's facts keep (a part of
``core.record.state.Facts``) and the read side folds from its rows: the same fold, so that the scorer and the
query cannot disagree. ``draw_sample`` is the draw itself: anyone can recompute it from the record.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from marshmallow import ValidationError, fields, validate, validates_schema

from core.clock import month_end, parse_period, period_name
from core.messages import Name, msg
from core.record.fields import CORRECTABLE_KINDS, Day, Identifier, Period, _Line

_POINTS = re.compile(r"[0-9]{1,18}(\.[0-9]{1,2})?")
RESULTS = ("confirmed", "misreported")
COMMANDS = ("require_self_checks", "self_check", "draw_spot_check", "record_finding", "special_assessment",
            "list_unit", "delist_unit")
SUPERVISOR_COMMANDS = frozenset({"draw_spot_check", "record_finding", "special_assessment", "list_unit",
                                 "delist_unit"})


class Points(fields.Field):
    """Points of a special assessment: a decimal string > 0 and ≤ 100, at most 2 decimals."""

    def _deserialize(self, value, attr, data, **kwargs):
        rule = msg("sv.rule_points")
        if not isinstance(value, str) or not _POINTS.fullmatch(value) or not 0 < Decimal(value) <= 100:
            raise ValidationError(msg("sv.not_points", value=value, rule=rule))
        return Decimal(value)


class RequireSelfChecks(_Line):
    first = Period(required=True, data_key="from")


class SelfCheck(_Line):
    unit = Identifier(required=True)
    period = Period(required=True)
    date = Day(required=True)
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


class DrawSpotCheck(_Line):
    draw = Identifier(required=True)
    period = Period(required=True)
    size = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=1000))
    seed = fields.String(required=True, validate=validate.Length(min=1, max=128))
    date = Day(required=True)


class RecordFinding(_Line):
    draw = Identifier(required=True)
    project = Identifier(required=True)
    date = Day(required=True)
    result = fields.String(required=True, validate=validate.OneOf(RESULTS, error="must be one of: {choices}"))
    field = fields.String(load_default=None, validate=validate.OneOf(sorted(CORRECTABLE_KINDS)))
    value = fields.Raw(load_default=None)
    reason = fields.String(load_default=None, validate=validate.Length(min=1, max=500))

    @validates_schema(skip_on_field_errors=True)
    def correction_fits_result(self, data, **kwargs):
        if data["result"] == "confirmed":
            if data.get("field") is not None or data.get("value") is not None:
                raise ValidationError(msg("sv.confirmed_correction"), "field")
            return
        missing = [Name(k) for k in ("field", "value", "reason") if data.get(k) is None]
        if missing:
            raise ValidationError(msg("sv.misreported_needs", missing=missing), str(missing[0]))
        try:
            data["value"] = CORRECTABLE_KINDS[data["field"]]().deserialize(data["value"])
        except ValidationError as exc:
            raise ValidationError(exc.messages, "value") from None


class SpecialAssessment(_Line):
    unit = Identifier(required=True)
    date = Day(required=True)
    points = Points(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class Listing(_Line):
    unit = Identifier(required=True)
    date = Day(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


SCHEMAS = {"require_self_checks": RequireSelfChecks(), "self_check": SelfCheck(), "draw_spot_check": DrawSpotCheck(),
           "record_finding": RecordFinding(), "special_assessment": SpecialAssessment(), "list_unit": Listing(),
           "delist_unit": Listing()}


# -- the draw -----------------------------------------------------------------------------------------------
def draw_key(seed: str, period: str, project: str) -> str:
    """A candidate's key: ``sha256_hex(seed + "|" + period + "|" + project)`` (UTF-8)."""
    return hashlib.sha256(f"{seed}|{period}|{project}".encode("utf-8")).hexdigest()


def is_candidate(period: str, signed_on, landed_on, withdrawn_on) -> bool:
    """Whether a project with these dates may be drawn from ``period``: signed or landed within it, and not
    withdrawn on or before its end."""
    year, month = parse_period(period)
    end = month_end(year, month)
    if withdrawn_on is not None and withdrawn_on <= end:
        return False
    return any(d is not None and (d.year, d.month) == (year, month) for d in (signed_on, landed_on))


def draw_sample(seed: str, period: str, candidates, size: int) -> list:
    """The sample: the ``size`` candidates (``(project, ...)`` tuples) with the smallest keys, then by id."""
    return sorted(candidates, key=lambda c: (draw_key(seed, period, c[0]), c[0]))[:size]


# -- what the record keeps ------------------------------------------------------------------------------------
@dataclass
class Draw:
    id: str
    period: str
    size: int
    seed: str
    date: date
    candidates: int
    sample: list  # [(project, unit)]
    position: int | None = None
    version: int = 1
    findings: dict = field(default_factory=dict)  # project -> (result, date)


@dataclass
class Supervision:
    """What the record says of supervision, or the part this process holds (the units of its partition).

    :ivar required: the ``first`` month of each ``require_self_checks``, in recorded order (the last is in force).
    :ivar self_checks: ``{(unit, period): date}``.
    :ivar misreports: ``{(unit, period of the finding's date): [(draw, project, date), ...]}``.
    :ivar specials: ``{(unit, period of the date): [(date, points), ...]}``.
    :ivar listings: ``{unit: [(date, listed), ...]}`` in recorded order.
    :ivar draws: ``{draw id: Draw}`` (what a ledger loaded, or all).
    """

    required: list = field(default_factory=list)
    self_checks: dict = field(default_factory=dict)
    misreports: dict = field(default_factory=dict)
    specials: dict = field(default_factory=dict)
    listings: dict = field(default_factory=dict)
    draws: dict = field(default_factory=dict)

    @property
    def required_from(self) -> str | None:
        return self.required[-1] if self.required else None

    def listed(self, unit: str) -> bool:
        found = self.listings.get(unit)
        return bool(found) and found[-1][1]

    def listed_on(self, unit: str, day: date) -> bool:
        """Listed as at ``day``, by the dates of the unit's listings."""
        state = False
        for when, listed in self.listings.get(unit, ()):
            if when <= day:
                state = listed
        return state

    # the fold (the scorer's facts and the read side's rows alike)
    def require(self, first: str) -> None:
        self.required.append(first)

    def self_check(self, unit: str, period: str, day: date) -> None:
        self.self_checks[(unit, period)] = day

    def finding(self, unit: str, day: date, result: str, draw: str, project: str) -> None:
        if result == "misreported":
            self.misreports.setdefault((unit, period_name(day.year, day.month)), []).append((draw, project, day))

    def special(self, unit: str, day: date, points: Decimal) -> None:
        self.specials.setdefault((unit, period_name(day.year, day.month)), []).append((day, points))

    def listing(self, unit: str, day: date, listed: bool) -> None:
        self.listings.setdefault(unit, []).append((day, listed))
