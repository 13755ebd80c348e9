"""How the pages write things: amounts as offices write them, levels, labels, roles, moments, core's
messages in the page's language (the templates' filters, ``FILTERS``)."""

from __future__ import annotations

from datetime import datetime

from flask import g
from flask_babel import gettext as _
from flask_babel import get_locale

from core.errors import CommandRejected
from core.report import scaled
from web.api.base import current_platform as _platform


# -- amounts as offices write them -----------------------------------------------------------------

def yi(value) -> str:
    """Yuan as 亿元, two decimals."""
    return "-" if value is None else scaled(value, "yi")


def wan(value) -> str:
    """Yuan as 万元, two decimals."""
    return "-" if value is None else scaled(value, "wan")


def bar(percent) -> str:
    """The class that gives a bar its width (``w0`` to ``w100``, whole percent, in sankao.css): the pages carry
    no style attribute, which their Content-Security-Policy would refuse."""
    try:
        value = float(percent)
    except (TypeError, ValueError):
        value = 0.0
    return f"w{int(round(min(100.0, max(0.0, value)))) if value == value else 0}"


def level_name(level) -> str:
    """A letter's or sheet's name (三函一单): 绿色提醒函, 橙色警示函, 红色督办函, 结果反馈单."""
    return label(level)


def label(key) -> str:
    """The words of the record's codes (thirds, categories, stages, grades, outcomes, levels, plugins): the
    glossary's (``core.glossary``) where it has the thing, in the page's language (looked up once a request: a
    page may say hundreds of them)."""
    if isinstance(key, bool):  # an explanation's yes-or-no (a self-check owed, on time; a unit listed)
        return _("yes") if key else _("no")
    cache = g.setdefault("labels", {})
    lang = str(get_locale() or "zh")
    words = cache.get(lang) or cache.setdefault(lang, _labels())
    return words.get(key, key if key is not None else "")


def _labels() -> dict[str, str]:
    return {"top": _("top"), "middle": _("middle"), "bottom": _("bottom"),
            "park": _("park"), "department": _("department"), "platform": _("platform company"),
            "planned": _("planned"), "signed": _("signed"), "landed": _("landed"),
            "started": _("construction started"), "withdrawn": _("withdrawn"),
            "head": _("head of the unit"), "liaison": _("liaison officer"),
            "delivered": _("delivered"), "pending": _("pending"), "failing": _("failing"), "dead": _("dead letter"),
            "skipped": _("not subscribed"),
            "kind_letter": _("letter"), "kind_sheet": _("result feedback sheet"), "kind_result": _("month result"),
            "kind_accountability": _("accountability decision"), "kind_self_check": _("missed self-check"),
            "excellent": _("excellent"), "competent": _("competent"), "poor": _("poor"),
            "restored": _("restored"), "confirmed": _("deduction confirmed"),
            "assessment": _("assessment talk"), "organizational": _("organizational handling"),
            "disciplinary": _("disciplinary action"),
            "leader": _("leader"), "director": _("director"), "officer": _("officer"),
            "green": _("green reminder letter"), "orange": _("orange warning letter"),
            "red": _("red supervision letter"), "feedback": _("result feedback sheet"),
            "annual_amount": _("annual amount"), "quarterly_progress": _("quarterly progress"),
            "monthly_increment": _("monthly increment"), "planned_projects": _("projects planned"),
            "landed_projects": _("projects landed"), "unit_coefficient": _("unit coefficient"),
            "ranking_policy": _("monthly ranking"), "early_warning": _("early warning"),
            "annual_evaluation": _("annual evaluation"), "adds_up_to_score": _("the indicators add up to the score"),
            "recomputed_equals_recorded": _("computed again, it equals what was recorded"),
            "projects_add_up": _("the projects add up to the amounts"),
            # what the log records about a project (a score explained lists them)
            "ProjectPlanned": _("planned"), "ProjectSigned": _("signed"), "ProjectLanded": _("landed"),
            "ConstructionStarted": _("construction started"), "ProjectWithdrawn": _("withdrawn"),
            "FactCorrected": _("fact corrected"),
            # supervision (docs/assessment.md §9)
            "supervision": _("supervision"), "self_check": _("self-check"), "misreported": _("misreported"),
            "special_assessment": _("special assessment"), "listed": _("listed supervision"),
            "spot_check": _("spot check")}


def key_label(key) -> str:
    """The words of a plugin's setting or of an explanation's input (the key itself when unknown: a third
    party's plugin)."""
    words = {"weight": _("weight"), "cap": _("cap"), "c_min": _("lowest coefficient"),
             "c_max": _("highest coefficient"), "accountability": _("accountability"),
             "grace_days": _("days of grace"), "rectify_days": _("days to rectify"),
             "thresholds": _("lag thresholds"), "points": _("pre-deducted points"),
             "excellent_share": _("excellent share %"), "poor_share": _("poor share %"),
             "band": _("excellent/poor band"), "bonus": _("points per project landed"),
             "malus": _("points per project withdrawn"),
             "A": _("signed by the month's end (yuan)"), "annual": _("annual target (yuan)"), "cases": _("cases"),
             "case": _("case"), "letters": _("letters"), "date": _("date"), "level": _("letter"),
             "outcome": _("outcome"), "deducts": _("counted in the deduction"),
             # the supervision plugin's settings and the inputs of its explanation
             "self_check_day": _("self-check due day (of the month after)"),
             "self_check_points": _("points for a self-check not on time"),
             "misreport_points": _("points per misreport"), "self_check": _("self-check of the month before"),
             "period": _("month"), "owed": _("owed"), "due": _("due"), "on_time": _("on time"),
             "misreports": _("misreported findings dated in the month"), "draw": _("spot check"),
             "project": _("project"), "special_assessments": _("special assessments dated in the month"),
             "listed": _("under listed supervision at the month's end"), "misreport": _("misreports"),
             "special": _("special assessments"), "total": _("total")}
    return words.get(key, key)


def formula(text) -> str:
    """A formula of the built-in rules in the page's language (another plugin's as it wrote it)."""
    words = {
        "final = max(0, base x coefficient - deduction); base = sum of scores x 100 / sum of weights; "
        "score = weight x min(value / target, cap)":
            _("final = base × coefficient − pre-deducted points, not below 0; base = the indicators' scores "
              "× 100 / their weights; an indicator's score = weight × value / target, the ratio at most the cap"),
        "c = 1 when annual is 0, else c_min + (c_max - c_min) x min(A / annual, 1)":
            _("coefficient c = 1 when the annual target is 0, else c_min + (c_max − c_min) × A / annual target, "
              "the ratio at most 1 (A: signed by the month's end)"),
        "D = the sum over the unit's cases of the year opened by the month's end: an open case its current level's "
        "points, a closed one 0 if restored, its points if confirmed":
            _("pre-deducted points D = the sum over the unit's cases of the year opened by the month's end: an open "
              "case counts its current letter's points, a closed one 0 if restored, its points if the deduction was "
              "confirmed"),
        "D_supervision = the self-check of the month before (owed and not on time: self_check_points) + "
        "misreport_points × the misreported findings dated in the month + the points of the special assessments "
        "dated in it":
            _("supervision points D_supervision = the self-check of the month before (owed and not on time: "
              "self_check_points) + misreport_points × the misreported findings dated in the month + the points of "
              "the special assessments dated in it")}
    if text in words:
        return words[text]
    return core_words(text) if hasattr(text, "render") else text  # a formula said in core's catalog


def role(value) -> str:
    """A token's role in words."""
    if value and value.startswith("unit:"):
        return _("unit %(unit)s", unit=value.split(":", 1)[1])
    return {"admin": _("administrator"), "auditor": _("auditor"), "viewer": _("viewer"),
            "supervisor": _("supervision department")}.get(value, value)


def finding(result) -> str:
    """A spot check's finding on a sampled project: 核实无误, 虚报, or still to be verified."""
    return {"confirmed": _("confirmed"), "misreported": _("misreported")}.get(result, _("to be verified"))


def check_state(state) -> str:
    """A self-check's state in the year's grid (``web.supervision_view.STATES``)."""
    return {"on_time": _("on time"), "late": _("late"), "missing": _("missing"), "due": _("not yet due"),
            "not_owed": _("not owed")}.get(state, state)


def named(name) -> str:
    """A field or command of the batch format as core's messages name it (``签约额 (signed_amount)``,
    ``项目签约 (sign_project)`` in Chinese; itself in English)."""
    from core.messages import field_label
    return field_label(name, str(get_locale() or "zh"))


def moment(value) -> str:
    """An instant (a datetime or ISO 8601 text) in the store's time zone, saying the zone:
    ``2023-07-10 23:59:59 (Asia/Shanghai)``."""
    if value in (None, ""):
        return "—"
    at = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    tz = _platform().tz
    local = at.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M:%S} ({getattr(tz, 'key', None) or local.strftime('%z')})"


def core_words(said) -> str:
    """A core error (or a message of core's catalog) in the page's language (``core.messages.render``); a
    command's rejection by its reason alone (the form says what was sent)."""
    from core.messages import render
    return render(said.reason if isinstance(said, CommandRejected) else said, str(get_locale() or "zh"))


FILTERS = {"yi": yi, "wan": wan, "bar": bar, "level_name": level_name, "label": label, "key_label": key_label,
           "formula": formula, "role": role, "moment": moment, "finding": finding, "check_state": check_state,
           "named": named}
