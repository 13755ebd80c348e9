"""The supervision forms (督查, docs/assessment.md §9): a unit files its self-check; the supervision department
draws a spot check, records a finding, a special assessment, a listing or its end.

Each form is a list of fields (``Field``) the template ``supervision_form.html`` draws, and a command made of
what was sent, recorded as ``POST /api/commands`` records it (``web.forms.record``: the role's refusal, then the
record's own rules); each rule's message, in the page's language, is put beside the field it is about. CSRF is
the app's (``CSRFProtect``): a form sent without the page's token is refused (400).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from flask import request
from markupsafe import Markup, escape
from flask_babel import gettext as _

from core.audit.draws import head_seed
from core.errors import CommandRejected
from core.record.fields import ID_PATTERN
from core.report import CENT, SCALES
from web import forms, words


@dataclass
class Field:
    """One field of a form: its name (the command's field), label, kind (``select``, ``text``, ``date``,
    ``number``, ``textarea``), the value shown, the choices of a select (``[(value, text)]`` or, grouped,
    ``[(group, [(value, text)])]``), a line of help."""

    name: str
    label: str
    kind: str = "text"
    value: str = ""
    choices: list = field(default_factory=list)
    help: str = ""
    grouped: bool = False


#: a rule's message by its catalog key -> the field it is about (else the field its text starts with)
ABOUT = {"sv.self_check_exists": "period", "sv.finding_exists": "project", "sv.misreport_rejected": "value",
         "sv.listed_already": "unit", "sv.not_listed": "unit", "ledger.id_reused": "form"}


def sent(name: str, default: str = "") -> str:
    """What the form sent for ``name`` (stripped), else ``default``."""
    return (request.form.get(name) or "").strip() if request.method == "POST" else default


def nonce() -> str:
    """The id the form's command is recorded under: the same form sent twice records once (the ledger skips a
    command whose id and content it has); a new one for each form shown."""
    value = sent("nonce")
    return value if ID_PATTERN.fullmatch(value or "") and value.startswith("web-") else f"web-{secrets.token_hex(12)}"


def command(cmd: str, names, **given) -> dict:
    """The command ``cmd`` of the fields ``names`` as sent (a field left empty is left out: the record says it
    is required), ``given`` added."""
    found = {"cmd": cmd, "id": nonce()}
    for name in names:
        value = sent(name)
        if value:
            found[name] = value
    found.update({k: v for k, v in given.items() if v is not None})
    return found


def record(who, cmd: dict, fields: list[Field]) -> tuple[dict, dict | None]:
    """Record ``cmd`` as the API would (403 when the token's role may not); the problems by field."""
    names = {f.name for f in fields}
    return forms.record(who, cmd, lambda exc: problems(exc, names))


def problems(exc: CommandRejected, names) -> dict:
    """Each part of a rejection beside the field it is about (``date: ...`` beside ``date``), in the page's
    language; what names no field of the form, above it."""
    reason = exc.reason
    parts = reason.params["parts"] if getattr(reason, "key", None) == "_join" else [reason]
    found: dict[str, str] = {}
    for part in parts:
        key = ABOUT.get(getattr(part, "key", None)) or re.match(r"[a-z_]*", str(part)).group(0)
        key = key if key in names else "form"
        said = literal_formats(words.core_words(part))
        found[key] = found[key] + Markup("; ") + said if key in found else said
    return found


def literal_formats(text: str) -> Markup:
    """``text`` escaped, the formats it names (``YYYY-MM-DD``, ``YYYY-MM``) marked as literals to type as they
    are (``translate="no"``), not words of the page's language."""
    return Markup(re.sub(r"\bYYYY(?:-MM(?:-DD)?)?\b", lambda m: f'<code translate="no">{m.group(0)}</code>',
                         str(escape(text))))


def integer(value: str):
    """``size`` as the command takes it: an integer when the text is one, else the text (the record says why)."""
    return int(value) if re.fullmatch(r"[0-9]{1,7}", value or "") else value or None


def amount_in_yuan(text: str) -> tuple[str | None, str | None]:
    """A corrected signed amount written in ¥10k (as the /record form takes it), as the command's yuan; or the
    problem."""
    try:
        amount = Decimal(text)
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -6 \
            or amount >= Decimal(10) ** 14:
        return None, _("value: a signed amount is more than 0 and less than 10¹⁴ (in ¥10k), at most 6 decimals "
                       "(a fen)")
    return f"{(amount * SCALES['wan']).quantize(CENT)}", None


def default_seed(platform, period: str) -> str | None:
    """The seed ``sankao draw`` takes when none is given: the Merkle head recorded at ``period``'s close, else the
    log's current head (``SIZE:ROOT``); None when the log is empty."""
    from core.audit.log import head
    found = platform.queries.head_of(f"close {period}") or head(platform.app)
    return head_seed(found["size"], found["root"]) if found["size"] else None


def default_draw_id(taken: set, period: str) -> str:
    """``SC-PERIOD``, then ``SC-PERIOD-2``, ... (as ``sankao draw``)."""
    draw, n = f"SC-{period}", 1
    while draw in taken:
        n += 1
        draw = f"SC-{period}-{n}"
    return draw


# -- the fields of each form ---------------------------------------------------------------------------------

def self_check_fields(units, months, period, today) -> list[Field]:
    return [Field("unit", _("Unit"), "select", sent("unit", units[0][0] if len(units) == 1 else ""), units),
            Field("period", _("Month checked"), "select", sent("period", period), [(m, m) for m in months]),
            Field("date", _("Date of the self-check"), "date", sent("date", today),
                  help=_("On time when dated by the due day of the month after (day 5 unless the rules say "
                         "otherwise).")),
            Field("note", _("What was checked and found (optional)"), "textarea", sent("note"))]


def draw_fields(months, period, today, seed) -> list[Field]:
    return [Field("period", _("Month drawn from"), "select", sent("period", period), [(m, m) for m in months]),
            Field("size", _("How many projects"), "number", sent("size", "5")),
            Field("seed", _("Seed (optional)"), "text", sent("seed"),
                  help=_("Leave it empty: the seed is the log's Merkle head (frozen at the month's close, else the "
                         "current one), which nobody chooses. Now: %(seed)s", seed=seed or "—")),
            Field("draw", _("Draw id (optional)"), "text", sent("draw"),
                  help=_("Default: %(first)s, then %(second)s, ...", first=f"SC-{period}", second=f"SC-{period}-2")),
            Field("date", _("Date of the draw"), "date", sent("date", today))]


def finding_fields(draws, draw, project, today) -> list[Field]:
    """``draws``: ``[(draw id, [(project, text), ...] pending)]``."""
    return [Field("draw", _("Spot check"), "select", sent("draw", draw), [(d, d) for d, _pending in draws]),
            Field("project", _("Sampled project"), "select", sent("project", project), draws, grouped=True),
            Field("date", _("Date of the finding"), "date", sent("date", today)),
            Field("result", _("Finding"), "select", sent("result", "confirmed"),
                  [("confirmed", words.finding("confirmed")), ("misreported", words.finding("misreported"))]),
            Field("field", _("Misreported field"), "select", sent("field"),
                  [("", "—"), ("signed_amount", _("Amount signed (¥10k)")), ("signed_on", _("signed on")),
                   ("landed_on", _("landed on")), ("planned_on", _("planned on"))],
                  help=_("Only for a misreport: the fact as verified corrects the project, as a correction would.")),
            Field("value", _("Verified value"), "text", sent("value"),
                  help=_("An amount in ¥10k, or a date YYYY-MM-DD.")),
            Field("reason", _("What was found"), "textarea", sent("reason"))]


def special_fields(units, today) -> list[Field]:
    return [Field("unit", _("Unit"), "select", sent("unit"), units),
            Field("date", _("Date"), "date", sent("date", today)),
            Field("points", _("Points deducted"), "text", sent("points"),
                  help=_("More than 0, at most 100, at most 2 decimals; deducted in the month of the date.")),
            Field("reason", _("The major problem"), "textarea", sent("reason"))]


def listing_fields(units, today) -> list[Field]:
    return [Field("cmd", _("What"), "select", sent("cmd", "list_unit"),
                  [("list_unit", _("put under listed supervision")), ("delist_unit", _("end listed supervision"))]),
            Field("unit", _("Unit"), "select", sent("unit"), units),
            Field("date", _("From"), "date", sent("date", today)),
            Field("reason", _("Why"), "textarea", sent("reason"))]
