"""Parsing one line of the batch format (SCORING.md §2) into a typed ``Command``.

Field rules (types, formats, ranges) live here in marshmallow schemas; rules that
need the record (exists, already signed, dates in order) live in ``core.decide``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from core.clock import parse_day, parse_instant, parse_period
from core.errors import CommandRejected

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_AMOUNT = re.compile(r"[0-9]{1,18}(\.[0-9]{1,2})?")
_TARGET = re.compile(r"[0-9]{1,18}(\.[0-9]{1,6})?")
MAX_WEIGHT = Decimal(1_000_000)


@dataclass(frozen=True)
class Command:
    """One validated command line.

    :ivar cmd: the command name.
    :ivar data: typed fields (dates as ``date``, amounts as ``Decimal``).
    :ivar id: the command id, or None when the line has none.
    :ivar at: the recorded time given by the line (UTC), or None for "now".
    """

    cmd: str
    data: dict
    id: str | None
    at: datetime | None

    @property
    def subject(self) -> str | None:
        return subject_of(self.cmd, self.data)


def subject_of(cmd: str, data: dict) -> str | None:
    for key in ("project", "person", "unit", "period", "date", "year"):
        if data.get(key) is not None:
            return str(data[key])
    return None


class Identifier(fields.String):
    default_error_messages = {"pattern": "must match ^[A-Za-z0-9][A-Za-z0-9_.-]{{0,63}}$"}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not ID_PATTERN.fullmatch(text):
            raise self.make_error("pattern")
        return text


class Money(fields.Field):
    """A decimal string in yuan: amounts > 0 with at most 2 decimals; targets ≥ 0."""

    def __init__(self, *, positive: bool, **kwargs):
        super().__init__(**kwargs)
        self.positive = positive

    def _deserialize(self, value, attr, data, **kwargs):
        pattern = _AMOUNT if self.positive else _TARGET
        rule = ("a decimal string > 0 with at most 2 decimals" if self.positive
                else "a decimal string >= 0 with at most 6 decimals")
        if not isinstance(value, str) or not pattern.fullmatch(value):
            whole = value.split(".")[0] if isinstance(value, str) else ""
            if whole.isdigit() and len(whole) > 18:
                raise ValidationError(f"{value!r} is not {rule}: at most 18 digits before the point")
            raise ValidationError(f"{value!r} is not {rule}")
        amount = Decimal(value)
        if self.positive and amount <= 0:
            raise ValidationError(f"{value!r} is not {rule}")
        return amount


class Day(fields.Field):
    """A business date ``YYYY-MM-DD``."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_day(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class Count(fields.Integer):
    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=validate.Range(min=0), **kwargs)


class Weight(fields.Field):
    """A weight: a JSON number (or decimal string) from 0 to 1,000,000."""

    def _deserialize(self, value, attr, data, **kwargs):
        rule = f"{value!r} is not a number from 0 to {MAX_WEIGHT}"
        if isinstance(value, bool) or not isinstance(value, (int, str, float)):
            raise ValidationError(rule)
        if isinstance(value, str) and not _TARGET.fullmatch(value):
            raise ValidationError(rule)
        try:
            weight = Decimal(str(value))
        except InvalidOperation:
            raise ValidationError(rule) from None
        if not weight.is_finite() or not 0 <= weight <= MAX_WEIGHT:
            raise ValidationError(rule)
        return weight


class Period(fields.String):
    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            parse_period(text)
        except ValueError:
            raise ValidationError(f"{text!r} is not a month written YYYY-MM") from None
        return text


class _Line(Schema):
    class Meta:
        unknown = RAISE

    cmd = fields.String(required=True)
    id = Identifier(load_default=None)
    at = fields.String(load_default=None)


class RegisterUnit(_Line):
    unit = Identifier(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    category = fields.String(required=True, validate=validate.Length(min=1, max=64))


class SetTargets(_Line):
    unit = Identifier(required=True)
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=1900, max=9999),
                          error_messages={"invalid": "must be a whole number such as 2023, not a string"})
    annual = Money(positive=False, required=True)
    quarterly = fields.List(Money(positive=False), required=True, validate=validate.Length(equal=4))
    monthly = Money(positive=False, required=True)
    planned = Count(required=True)
    landed = Count(required=True)
    weights = fields.Dict(keys=fields.String(), values=Weight(), load_default=dict)

    @validates_schema
    def quarterly_cumulative(self, data, **kwargs):
        quarterly = data["quarterly"]
        if any(b < a for a, b in zip(quarterly, quarterly[1:])):
            raise ValidationError("the 4 cumulative amounts must not decrease", "quarterly")
        if quarterly[3] != data["annual"]:
            raise ValidationError(
                f"the 4th amount {quarterly[3]} must equal annual {data['annual']}", "quarterly")


class PlanProject(_Line):
    project = Identifier(required=True)
    unit = Identifier(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    planned_on = Day(required=True)


class SignProject(_Line):
    project = Identifier(required=True)
    signed_on = Day(required=True)
    amount = Money(positive=True, required=True)


class LandProject(_Line):
    project = Identifier(required=True)
    landed_on = Day(required=True)


class StartConstruction(_Line):
    project = Identifier(required=True)
    started_on = Day(required=True)


class WithdrawProject(_Line):
    project = Identifier(required=True)
    withdrawn_on = Day(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


CORRECTABLE = {"planned_on": Day(), "signed_on": Day(), "landed_on": Day(),
               "signed_amount": Money(positive=True)}


class Correct(_Line):
    project = Identifier(required=True)
    field = fields.String(required=True, validate=validate.OneOf(sorted(CORRECTABLE)))
    value = fields.Raw(required=True)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))

    @validates_schema
    def value_fits_field(self, data, **kwargs):
        kind = CORRECTABLE.get(data.get("field"))
        if kind is not None:
            try:
                data["value"] = kind.deserialize(data["value"])
            except ValidationError as exc:
                raise ValidationError(exc.messages, "value") from None


class Dispatch(_Line):
    date = Day(required=True)


class CloseMonth(_Line):
    period = Period(required=True)


LEVELS = ("leader", "director", "officer")  # the three-level responsibility chain (三级包抓), SCORING.md §8


class RegisterPerson(_Line):
    person = Identifier(required=True)
    unit = Identifier(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    level = fields.String(required=True, validate=validate.OneOf(LEVELS, error="must be one of: {choices}"))


class AssignProject(_Line):
    project = Identifier(required=True)
    person = Identifier(required=True)


class CloseYear(_Line):
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=1900, max=9999),
                          error_messages={"invalid": "must be a whole number such as 2023, not a string"})


SCHEMAS: dict[str, Schema] = {
    "register_unit": RegisterUnit(),
    "set_targets": SetTargets(),
    "plan_project": PlanProject(),
    "sign_project": SignProject(),
    "land_project": LandProject(),
    "start_construction": StartConstruction(),
    "withdraw_project": WithdrawProject(),
    "correct": Correct(),
    "dispatch": Dispatch(),
    "close_month": CloseMonth(),
    "register_person": RegisterPerson(),
    "assign_project": AssignProject(),
    "close_year": CloseYear(),
}


def flatten_messages(messages, prefix="") -> list[str]:
    """marshmallow's nested error messages as ``field.sub: message`` lines."""
    out = []
    for key, value in messages.items():
        if key == "_schema" or (prefix and key == "value"):  # marshmallow's Dict nests value errors
            name = prefix.rstrip(".")
        else:
            name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(flatten_messages(value, f"{name}."))
        else:
            for text in value:
                text = "unknown field" if text == "Unknown field." else text
                text = "is required" if text == "Missing data for required field." else text
                out.append(f"{name}: {text}" if name else text)
    return out


def _no_duplicates(pairs: list) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


class _DuplicateKey(ValueError):
    pass


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates)


def decode_json(text: str) -> object:
    """A JSON text; a leading byte-order mark (Excel writes one) is read past.

    Raises ``CommandRejected`` saying what is wrong, at which column (counted in
    characters from 1), and the text that starts there.
    """
    text = text.lstrip("\ufeff").rstrip("\r\n")
    try:
        return _DECODER.decode(text)
    except _DuplicateKey as exc:
        raise CommandRejected("", None, f"not a JSON object Sankao reads: the key {exc.args[0]!r} appears twice") \
            from None
    except json.JSONDecodeError as exc:
        here = text[exc.pos:exc.pos + 24]
        where = f"here: {here!r}" if here else "at the end of the line"
        raise CommandRejected("", None, f"not valid JSON: {exc.msg} at column {exc.pos + 1} ({where})") from None
    except RecursionError:
        raise CommandRejected("", None, "not a JSON object Sankao reads (nested too deeply)") from None


def parse_line(text: str | dict) -> Command:
    """Parse one batch line (a JSON text or an already decoded object).

    Raises ``CommandRejected`` naming the field and the rule.
    """
    raw = text if isinstance(text, dict) else decode_json(text)
    if not isinstance(raw, dict):
        raise CommandRejected("", None, "not a JSON object")
    cmd = raw.get("cmd")
    schema = SCHEMAS.get(cmd) if isinstance(cmd, str) else None
    if schema is None:
        known = ", ".join(SCHEMAS)
        if cmd is None:
            raise CommandRejected("", None, f"cmd: is required (one of {known})")
        raise CommandRejected("", None, f"cmd: {cmd!r} is not one of {known}")
    subject = subject_of(cmd, {k: raw.get(k) for k in ("project", "person", "unit", "period", "date", "year")})
    try:
        data = schema.load(raw)
    except ValidationError as exc:
        raise CommandRejected(cmd, subject, "; ".join(flatten_messages(exc.messages))) from None
    at = data.pop("at")
    if at is not None:
        try:
            at = parse_instant(at)
        except ValueError as exc:
            raise CommandRejected(cmd, subject, str(exc)) from None
    data.pop("cmd")
    return Command(cmd=cmd, data=data, id=data.pop("id"), at=at)
