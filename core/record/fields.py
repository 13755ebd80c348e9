"""The fields of the batch format's lines (docs/assessment.md §2): ids, amounts, targets, dates, periods,
weights, and the part every line shares (``cmd``, ``id``, ``at``)."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from core.clock import parse_day, parse_period
from core.messages import msg, text_of

ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_AMOUNT = re.compile(r"[0-9]{1,18}(\.[0-9]{1,2})?")
_TARGET = re.compile(r"[0-9]{1,18}(\.[0-9]{1,6})?")
MAX_WEIGHT = Decimal(1_000_000)



class Identifier(fields.String):
    default_error_messages = {"pattern": "must match ^[A-Za-z0-9][A-Za-z0-9_.-]{{0,63}}$"}

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        if not ID_PATTERN.fullmatch(text):
            raise ValidationError(msg("cmd.id_pattern"))
        return text


class Money(fields.Field):
    """A decimal string in yuan: amounts > 0 with at most 2 decimals; targets ≥ 0."""

    def __init__(self, *, positive: bool, **kwargs):
        super().__init__(**kwargs)
        self.positive = positive

    def _deserialize(self, value, attr, data, **kwargs):
        pattern = _AMOUNT if self.positive else _TARGET
        rule = msg("cmd.rule_amount") if self.positive else msg("cmd.rule_target")
        if not isinstance(value, str) or not pattern.fullmatch(value):
            whole = value.split(".")[0] if isinstance(value, str) else ""
            if whole.isdigit() and len(whole) > 18:
                raise ValidationError(msg("cmd.money_too_long", value=value, rule=rule))
            raise ValidationError(msg("cmd.not_money", value=value, rule=rule))
        amount = Decimal(value)
        if self.positive and amount <= 0:
            raise ValidationError(msg("cmd.not_money", value=value, rule=rule))
        return amount


class Day(fields.Field):
    """A business date ``YYYY-MM-DD``."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_day(value)
        except ValueError as exc:
            raise ValidationError(text_of(exc)) from None


class Count(fields.Integer):
    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=validate.Range(min=0), **kwargs)


class Weight(fields.Field):
    """A weight: a JSON number (or decimal string) from 0 to 1,000,000."""

    def _deserialize(self, value, attr, data, **kwargs):
        rule = msg("cmd.not_weight", value=value, max=MAX_WEIGHT)
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
            raise ValidationError(msg("cmd.not_period", text=text)) from None
        return text


class _Line(Schema):
    class Meta:
        unknown = RAISE

    cmd = fields.String(required=True)
    id = Identifier(load_default=None)
    at = fields.String(load_default=None)


def _correctable() -> dict:
    return {"planned_on": Day, "signed_on": Day, "landed_on": Day, "signed_amount": lambda: Money(positive=True)}


CORRECTABLE_KINDS = _correctable()  # a correctable field -> a factory of its field (``correct``, ``record_finding``)
