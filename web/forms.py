"""The pages' forms: logging in, and a unit recording a signing or a landing as the API records it."""

from __future__ import annotations

import json
import re

from flask import abort
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, PasswordField, StringField
from wtforms.validators import AnyOf, InputRequired, Optional

from core.record.access import Principal, refusal
from core.record.commands import parse_line
from core.errors import CommandRejected
from web import words
from web.api.base import turn as _turn


class LoginForm(FlaskForm):
    token = PasswordField("token", validators=[InputRequired()])


class RecordForm(FlaskForm):
    action = StringField("action", validators=[AnyOf(["sign_project", "land_project"])])
    project = StringField("project", validators=[InputRequired()])
    day = DateField("day", validators=[InputRequired()])
    amount = DecimalField("amount", places=None, validators=[Optional()])


FIELDS = {"project": "project", "signed_on": "day", "landed_on": "day", "amount": "amount", "date": "day"}


def record(who: Principal, command: dict, said=None) -> tuple[dict, dict | None]:
    """Record ``command`` as the API would: the field each rule names gets its message (``said(exc)``: the
    problems by field, ``problem`` by default). A command the token's role may not record is refused (403),
    as the API refuses it: another unit's, or one of a role that does not record it (a supervisor's token
    records the supervision department's commands only)."""
    said = said or problem
    try:
        parsed = parse_line(json.dumps(command))
    except CommandRejected as exc:
        return said(exc), None
    with _turn() as platform:
        refused = refusal(who, [(1, parsed)], platform.ledger.unit_of)
        if refused is not None and refused[2] is not None:  # an unknown project: the record names it
            abort(403, _("Your token may not record for %(unit)s.", unit=refused[2]))
        if refused is not None:
            abort(403, _("Your token (%(name)s, %(role)s) may not record %(cmd)s.", name=who.name,
                         role=words.role(who.role), cmd=words.named(parsed.cmd)))
        try:
            platform.ledger.record(parsed, who.name, who.unit)
        except CommandRejected as exc:
            return said(exc), None
        platform.catch_up()
    return {}, command


def problem(exc: CommandRejected) -> dict:
    """The form field a rule's message is about: the command field its reason starts with (``signed_on: ...``,
    ``signed_on 2020-01-01 is before ...``), else the form as a whole; the message in the page's language."""
    field = re.match(r"[a-z_]*", exc.reason).group(0)
    return {FIELDS.get(field, "form"): words.core_words(exc)}
