"""Parsing one line of the batch format (docs/assessment.md §2) into a typed ``Command``.

Field rules (types, formats, ranges) live here in marshmallow schemas; rules that
need the record (exists, already signed, dates in order) live in ``core.record.decide``.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core.clock import parse_instant
from core.errors import CommandRejected
from core.messages import CATALOG, Name, flatten_messages, join, msg, text_of
from core.record.supervision import SCHEMAS as SUPERVISION_SCHEMAS
from core.record.fields import (ID_PATTERN, MAX_WEIGHT, Count, Day, Identifier, Money, Period, Weight,  # noqa: F401
                                _Line)

@dataclass(frozen=True)
class Command:
    """One validated command line.

    :ivar cmd: the command name.
    :ivar data: typed fields (dates as ``date``, amounts as ``Decimal``).
    :ivar id: the command id, or None when the line has none.
    :ivar at: the recorded time given by the line (UTC), or None for "now".
    :ivar at_text: the recorded time as the line wrote it (messages echo it), or None.
    """

    cmd: str
    data: dict
    id: str | None
    at: datetime | None
    at_text: str | None = None

    @property
    def subject(self) -> str | None:
        return subject_of(self.cmd, self.data)


def digest_of(command: "Command") -> str:
    """The SHA-256 of the command's canonical form: its name, its typed fields (an amount by its value, so
    ``"2.50"`` and ``"2.5"`` are one amount; dates as ISO dates) and its recorded time as an instant (None:
    "now"). Two lines with one digest are the same command, however they were written."""
    def plain(value):
        if isinstance(value, Decimal):
            text = format(value.normalize(), "f")
            return text if "." not in text else text.rstrip("0").rstrip(".")
        if isinstance(value, (date, datetime)):
            return value.isoformat()
        if isinstance(value, dict):
            return {str(k): plain(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        return value
    at = None if command.at is None else command.at.astimezone(timezone.utc).isoformat()
    canonical = json.dumps({"cmd": command.cmd, "data": plain(command.data), "at": at}, sort_keys=True,
                           ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def subject_of(cmd: str, data: dict) -> str | None:
    for key in ("draw", "project", "person", "unit", "period", "first", "date", "year"):
        if data.get(key) is not None:
            return str(data[key])
    return None


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
            raise ValidationError(msg("cmd.quarterly_decrease"), "quarterly")
        if quarterly[3] != data["annual"]:
            raise ValidationError(msg("cmd.quarterly_annual", fourth=quarterly[3], annual=data["annual"]),
                                  "quarterly")


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


LEVELS = ("leader", "director", "officer")  # the three-level responsibility chain (三级包抓), docs/assessment.md §8


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
    **SUPERVISION_SCHEMAS,  # docs/assessment.md §9
}


def _no_duplicates(pairs: list) -> dict:
    seen: dict = {}
    for key, value in pairs:
        if key in seen:
            raise _DuplicateKey(key)
        seen[key] = value
    return seen


class _DuplicateKey(ValueError):
    pass


class _TooLong(ValueError):
    """A number written with more digits than anything Sankao records could need."""


def _integer(text: str) -> int:
    if len(text) > 40:  # far beyond any year, count or amount; Python refuses past 4,300 digits anyway
        raise _TooLong(text)
    return int(text)


_DECODER = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_int=_integer)
_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")


def decode_json(text: str) -> object:
    """A JSON text; a leading byte-order mark (Excel writes one) is read past.

    Raises ``CommandRejected`` saying what is wrong, at which column (counted in
    characters from 1), and the text that starts there.
    """
    text = text.lstrip("\ufeff").rstrip("\r\n")
    try:
        value = _DECODER.decode(text)
    except _TooLong as exc:
        raise CommandRejected("", None, msg("cmd.number_too_long", digits=len(exc.args[0]))) from None
    except _DuplicateKey as exc:
        raise CommandRejected("", None, msg("cmd.duplicate_key", key=exc.args[0])) from None
    except json.JSONDecodeError as exc:
        here = text[exc.pos:exc.pos + 24]
        where = msg("cmd.json_here", here=here) if here else msg("cmd.json_end")
        problem = msg("json." + exc.msg) if "json." + exc.msg in CATALOG else exc.msg
        raise CommandRejected("", None, msg("cmd.bad_json", problem=problem, column=exc.pos + 1, where=where)) \
            from None
    except RecursionError:
        raise CommandRejected("", None, msg("cmd.too_deep")) from None
    if ("\\u" in text and _ESCAPED_SURROGATE.search(text)
            and _SURROGATE.search(json.dumps(value, ensure_ascii=False, default=str))):  # a pair is a character
        raise CommandRejected("", None, msg("cmd.surrogate"))
    return value


def parse_line(text: str | dict) -> Command:
    """Parse one batch line (a JSON text or an already decoded object).

    Raises ``CommandRejected`` naming the field and the rule.
    """
    raw = text if isinstance(text, dict) else decode_json(text)
    if not isinstance(raw, dict):
        raise CommandRejected("", None, msg("cmd.not_object"))
    cmd = raw.get("cmd")
    schema = SCHEMAS.get(cmd) if isinstance(cmd, str) else None
    if schema is None:
        known = [Name(name) for name in SCHEMAS]
        if cmd is None:
            raise CommandRejected("", None, msg("cmd.cmd_required", known=known))
        raise CommandRejected("", None, msg("cmd.cmd_unknown", cmd=cmd, known=known))
    subject = subject_of(cmd, {k: raw.get(k) for k in ("draw", "project", "person", "unit", "period", "date",
                                                       "year")} | {"first": raw.get("from")})
    try:
        data = schema.load(raw)
    except ValidationError as exc:
        raise CommandRejected(cmd, subject, join(flatten_messages(exc.messages))) from None
    at = at_text = data.pop("at")
    if at is not None:
        try:
            at = parse_instant(at)
        except ValueError as exc:
            raise CommandRejected(cmd, subject, text_of(exc)) from None
    data.pop("cmd")
    return Command(cmd=cmd, data=data, id=data.pop("id"), at=at, at_text=at_text)
