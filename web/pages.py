"""The office's pages: server-rendered, Chinese first, over the same app, tokens and roles as the API.

Each page reads a view of ``core.read.office`` (or a query) and renders it; the only writes are the log-in
(a session cookie holding the token's digest, never the token), the language and the unit's form, which
records through the ledger exactly as ``POST /api/commands`` does.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from decimal import Decimal
from functools import wraps

from flask import (Blueprint, abort, current_app, g, redirect, render_template, request, send_file, session,
                   url_for)
from flask_babel import gettext as _
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, PasswordField, StringField
from wtforms.validators import AnyOf, InputRequired, Optional

from core import access
from core.access import Principal
from core.clock import local_date, now, parse_period
from core.commands import parse_line
from core.errors import CommandRejected, NotFound
from core.report import CENT, SCALES, scaled
from core.read import office
from web import charts
from web.routes import _platform, _turn, _unit_of
from web.security import now_us, same_site_path

pages = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
                  static_url_path="/static")
LANGUAGES = ("zh", "en")


# -- who is here --------------------------------------------------------------------------------------------

def principal() -> Principal | None:
    """The principal of the session's token, looked up on every request: a revoked token logs out, and so does a
    session begun before its token last logged out (anywhere: a copied cookie too)."""
    if "who" not in g:
        digest = session.get("token")
        g.who = access.authenticate_digest(_platform().app.recorder, digest) if digest else None
        if g.who is not None and session.get("since", 0) < current_app.extensions["sankao.sessions"].valid_since(
                digest):
            g.who = None
        if digest and g.who is None:
            session.pop("token", None)
            g.ended = True
    return g.who


def _rate() -> None:
    """429 (Retry-After) when the session's token asks more than its rate (``web.security.RateLimit``)."""
    import math
    wait = current_app.extensions["sankao.rate"].wait(session.get("token") or "")
    if wait:
        abort(current_app.make_response((render_template("error.html", status=429, message=_(
            "Too many requests: wait a moment and try again.")), 429, {"Retry-After": str(max(1, math.ceil(wait)))})))


def needs(action: str, unit_of=None):
    """A page for principals that may ``action`` (for the unit ``unit_of(**kwargs)`` names, if given); others
    are sent to log in (no session) or answered 403."""
    def decorate(view):
        @wraps(view)
        def guarded(**kwargs):
            who = principal()
            if who is None:
                return redirect(url_for("pages.login", next=request.full_path.rstrip("?"),
                                        ended=1 if g.get("ended") else None))
            _rate()
            unit = unit_of(**kwargs) if unit_of else None
            if not who.may(action, unit):
                abort(403, _("Your token (%(name)s, %(role)s) may not open this page.", name=who.name,
                             role=role(who.role)))
            return view(**kwargs)
        return guarded
    return decorate


@pages.app_context_processor
def context():
    who = principal() if "sankao" in current_app.extensions else None
    return {"who": who, "lang": str(get_locale() or "zh"), "languages": LANGUAGES, "charts": charts}


# -- formats: amounts as offices write them -----------------------------------------------------------------

@pages.app_template_filter("yi")
def yi(value) -> str:
    """Yuan as 亿元, two decimals."""
    return "-" if value is None else scaled(value, "yi")


@pages.app_template_filter("wan")
def wan(value) -> str:
    """Yuan as 万元, two decimals."""
    return "-" if value is None else scaled(value, "wan")


@pages.app_template_filter("bar")
def bar(percent) -> str:
    """The class that gives a bar its width (``w0`` to ``w100``, whole percent, in sankao.css): the pages carry
    no style attribute, which their Content-Security-Policy would refuse."""
    try:
        value = float(percent)
    except (TypeError, ValueError):
        value = 0.0
    return f"w{int(round(min(100.0, max(0.0, value)))) if value == value else 0}"


@pages.app_template_filter("level_name")
def level_name(level) -> str:
    """A letter's or sheet's name (三函一单): 绿色提醒函, 橙色警示函, 红色督办函, 结果反馈单."""
    return label(level)


@pages.app_template_filter("label")
def label(key) -> str:
    """The words of the record's codes (thirds, categories, stages, grades, outcomes, levels, plugins): the
    glossary's (``core.glossary``) where it has the thing, in the page's language (looked up once a request: a
    page may say hundreds of them)."""
    cache = g.setdefault("labels", {})
    lang = str(get_locale() or "zh")
    words = cache.get(lang) or cache.setdefault(lang, _labels())
    return words.get(key, key if key is not None else "")


def _labels() -> dict[str, str]:
    return {"top": _("top"), "middle": _("middle"), "bottom": _("bottom"),
            "park": _("park"), "department": _("department"), "platform": _("platform company"),
            "planned": _("planned"), "signed": _("signed"), "landed": _("landed"),
            "started": _("construction started"), "withdrawn": _("withdrawn"),
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
            "FactCorrected": _("fact corrected")}


@pages.app_template_filter("key_label")
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
             "outcome": _("outcome"), "deducts": _("counted in the deduction")}
    return words.get(key, key)


@pages.app_template_filter("formula")
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
              "confirmed")}
    if text in words:
        return words[text]
    return core_words(text) if hasattr(text, "render") else text  # a formula said in core's catalog


@pages.app_template_filter("role")
def role(value) -> str:
    """A token's role in words."""
    if value and value.startswith("unit:"):
        return _("unit %(unit)s", unit=value.split(":", 1)[1])
    return {"admin": _("administrator"), "auditor": _("auditor"), "viewer": _("viewer")}.get(value, value)


@pages.app_template_filter("moment")
def moment(value) -> str:
    """An instant (a datetime or ISO 8601 text) in the store's time zone, saying the zone:
    ``2023-07-10 23:59:59 (Asia/Shanghai)``."""
    if value in (None, ""):
        return "—"
    at = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    tz = _platform().tz
    local = at.astimezone(tz)
    return f"{local:%Y-%m-%d %H:%M:%S} ({getattr(tz, 'key', None) or local.strftime('%z')})"


# -- what was asked ------------------------------------------------------------------------------------------

def _known_at() -> datetime | None:
    """The ``known_at`` asked for (None: now; a moment still to come is now too)."""
    value = request.args.get("known_at") or None
    if value is None:
        return None
    try:
        moment = _platform().known_at(value, "known_at")
    except ValueError:
        abort(422, _("known_at: %(value)s is neither a date YYYY-MM-DD nor an instant with its offset "
                     "(2023-07-10T18:00:00+08:00)", value=value))
    return None if moment >= now() else moment


def _known_day(known_at: datetime | None) -> str:
    """The local date a moment falls on, as the pages show and carry it in their links ('' for now)."""
    return "" if known_at is None else local_date(known_at, _platform().tz).isoformat()


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        abort(422, _("year: %(value)s is not a year", value=value))
    if year not in _platform().queries.target_years():
        abort(404, _("No unit has targets for %(year)s.", year=year))
    return year


def _registered(unit: str) -> str:
    """The name of ``unit``; a page saying it is not registered when it is not."""
    name = _platform().queries.names().get(unit)
    if name is None:
        abort(404, _("%(unit)s is not a registered unit.", unit=unit))
    return name


def _asked_month(months: list[str], known_at) -> str | None:
    """The month a page shows: the one asked for, else the latest with a board (also when the one asked had not
    begun by the day asked about)."""
    asked = request.args.get("month")
    if months and (asked is None or known_at is not None and asked not in months):
        return months[-1]
    return asked


def _month(value: str | None, known_at) -> str:
    if value is None:
        found = office.default_month(_platform(), known_at)
        if found is None:
            abort(404, _("No month has a board yet: no unit has targets."))
        return found
    try:
        parse_period(value)
    except ValueError:
        abort(422, _("month: %(value)s is not a month written YYYY-MM (years 1900 to 9999)", value=value))
    return value


# -- log in, log out, language ----------------------------------------------------------------------------------

class LoginForm(FlaskForm):
    token = PasswordField("token", validators=[InputRequired()])


@pages.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        with _turn():
            who = access.authenticate(_platform().app.recorder, form.token.data.strip())
        if who is None:
            error = _("This token is unknown or revoked.")
        else:
            _fresh_session()
            session["token"] = access.digest(form.token.data.strip())
            session["since"] = now_us()
            session.permanent = True
            return _back()
    if error is None and request.args.get("ended"):
        error = _("Your token was revoked or is no longer valid: nothing of the last form was recorded. Log in "
                  "with a valid token.")
    return render_template("login.html", form=form, error=error)  # a form shown again with its message: 200


@pages.route("/logout", methods=["POST"])
def logout():
    """Log out: every session of the token ends (this browser's, another's, a copied cookie), not only this one."""
    digest = session.get("token")
    if isinstance(digest, str) and digest:
        current_app.extensions["sankao.sessions"].end_all(digest)
    _fresh_session()
    return redirect(url_for("pages.login"))


def _fresh_session() -> None:
    """A new session (nothing of the last user's), the language chosen kept."""
    lang = session.get("lang") or "zh"
    session.clear()
    session["lang"] = lang


def _back():
    """To the page named by ``next`` when it is a path of this site (``web.security.same_site_path``: never
    another host, however written), else the board."""
    return redirect(same_site_path(request.args.get("next")) or url_for("pages.board"))


@pages.route("/lang/<code>")
def language(code):
    if code not in LANGUAGES:
        abort(404)
    session["lang"] = code
    return _back()


# -- the board (形象清单) ------------------------------------------------------------------------------------------

@pages.route("/")
@needs("read_board")
def board():
    known_at = _known_at()
    with _turn():
        months = office.months(_platform(), known_at)
        period = _month(_asked_month(months, known_at), known_at)
        view = office.board_view(_platform(), period, known_at)
    return render_template("board.html", view=view, months=months, known_at=_known_day(known_at),
                           as_known=moment(known_at or now()))


@pages.route("/boards/<period>.xlsx")
@needs("read_board")
def board_xlsx(period):
    from web import sheets
    known_at = _known_at()
    with _turn():
        view = office.board_view(_platform(), _month(period, known_at), known_at)
    state = f"-known-{_known_day(known_at)}" if known_at else "-frozen" if view["frozen"] else \
        f"-live-{_known_day(now())}"
    return _xlsx(sheets.board(view, label, moment(known_at or now())), f"sankao-board-{period}{state}.xlsx")


def _xlsx(content: bytes, name: str):
    return send_file(io.BytesIO(content), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# -- a unit ---------------------------------------------------------------------------------------------------

@pages.route("/units/<unit>")
@needs("read_unit", unit_of=lambda unit: unit)
def unit_page(unit):
    known_at = _known_at()
    with _turn():
        months = office.months(_platform(), known_at)
        period = _month(_asked_month(months, known_at), known_at)
        _registered(unit)
        view = office.unit_view(_platform(), unit, period, known_at)
    return render_template("unit.html", view=view, months=months, known_at=_known_day(known_at))


@pages.route("/units/<unit>/explain/<period>")
@needs("read_unit", unit_of=lambda unit, period: unit)
def explain_page(unit, period):
    from core.audit.explain import explain
    known_at = _known_at()
    with _turn():
        _month(period, known_at)
        name = _registered(unit)
        answer = explain(_platform(), unit, period, known_at, False)
    return render_template("explain.html", e=answer, unit=unit, name=name, period=period,
                           known_at=_known_day(known_at))


# -- notices: the three letters and one sheet ---------------------------------------------------------------------

@pages.route("/notices")
@needs("read_notices", unit_of=lambda: request.args.get("unit") or (principal().unit if principal() else None))
def notices_page():
    who = principal()
    unit = request.args.get("unit") or who.unit
    with _turn():
        if unit is not None:
            _registered(unit)
        view = office.notices_view(_platform(), unit, _known_at())
    return render_template("notices.html", view=view)


@pages.route("/notices/<case>/<int:number>")
@needs("read_notices", unit_of=lambda case, number: case.rsplit("-", 2)[0])
def notice_page(case, number):
    with _turn():
        _registered(case.rsplit("-", 2)[0])
        try:
            document = office.notice_document(_platform(), case, number, _known_at())
        except NotFound:
            abort(404, _("Case %(case)s has no letter or sheet %(number)s.", case=case, number=number))
        days = office.rectify_days(_platform())
    return render_template("letter.html", d=document, rectify_days=days)


# -- quarterly monitoring, the annual standing, the plugins ---------------------------------------------------------

@pages.route("/quarterly")
@needs("read_board")
def quarterly_page():
    known_at = _known_at()
    with _turn():
        year = _year(request.args.get("year") or _month(None, known_at)[:4])
        view = office.quarterly_view(_platform(), year, known_at)
        years = _platform().queries.target_years()
    return render_template("quarterly.html", view=view, years=years, known_at=_known_day(known_at))


@pages.route("/annual")
@pages.route("/annual/<int:year>")
@needs("read_annual")
def annual_page(year=None):
    known_at = _known_at()
    with _turn():
        year = _year(year if year is not None else _month(None, known_at)[:4])
        answer = _platform().queries.annual(year, known_at)
        names = _platform().queries.names()
        people = office.people_names(_platform(), known_at)
        years = _platform().queries.target_years()
    return render_template("annual.html", a=answer, names=names, people=people, years=years,
                           known_at=_known_day(known_at))


@pages.route("/annual/<int:year>.xlsx")
@needs("read_annual")
def annual_xlsx(year):
    from web import sheets
    known_at = _known_at()
    with _turn():
        _year(year)
        answer = _platform().queries.annual(year, known_at)
        names = _platform().queries.names()
        people = office.people_names(_platform(), known_at)
    state = f"-known-{_known_day(known_at)}" if known_at else "" if answer["closed"] else "-provisional"
    return _xlsx(sheets.annual(answer, names, people, label, moment(answer["known_at"])),
                 f"sankao-annual-{year}{state}.xlsx")


@pages.route("/plugins")
@needs("admin")
def plugins_page():
    from core.messages import show_setting
    from core.plugins import plugins_report
    with _turn():
        platform = _platform()
        rows = plugins_report(platform.installed, platform.recorded_rules(), platform.rules_in_force())
    return render_template("plugins.html", rows=rows, show=show_setting)


# -- recording a signing or a landing -----------------------------------------------------------------------------

class RecordForm(FlaskForm):
    action = StringField("action", validators=[AnyOf(["sign_project", "land_project"])])
    project = StringField("project", validators=[InputRequired()])
    day = DateField("day", validators=[InputRequired()])
    amount = DecimalField("amount", places=None, validators=[Optional()])


FIELDS = {"project": "project", "signed_on": "day", "landed_on": "day", "amount": "amount", "date": "day"}


@pages.route("/record", methods=["GET", "POST"])
@needs("record", unit_of=lambda: principal().unit if principal() and principal().unit else None)
def record_page():
    who = principal()
    if current_app.extensions.get("sankao.read_only"):
        abort(403, _("This store is read-only here (a copy): nothing can be recorded."))
    form = RecordForm()
    with _turn():
        projects = _platform().queries.projects(who.unit)
    choices = [(p["project"], f"{p['project']} {p['name']}") for p in projects
               if p["withdrawn_on"] is None and p["landed_on"] is None]
    done, problems = None, {}
    if request.method == "POST" and form.validate_on_submit():
        command = {"cmd": form.action.data, "project": form.project.data}
        if form.action.data == "sign_project":
            amount = form.amount.data
            command.update(signed_on=form.day.data.isoformat())
            if amount is None:
                problems["amount"] = _("amount: is required to sign a project (in ¥10k)")
            elif not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -6 \
                    or amount >= Decimal(10) ** 14:
                problems["amount"] = _("amount: must be more than 0 and less than 10¹⁴ (in ¥10k), at most 6 "
                                       "decimals (a fen)")
            else:
                command["amount"] = f"{(amount * SCALES['wan']).quantize(CENT)}"
        else:
            command["landed_on"] = form.day.data.isoformat()
        if not problems:
            problems, done = _record(who, command)
    elif request.method == "POST":
        problems = {}
        for name, errors in form.errors.items():
            if name == "action":  # the options are the form's: another value was not sent from it
                errors = [_("What happened: choose a signing or a landing.")]
            key = name if name in ("project", "day", "amount") else "form"
            problems[key] = "; ".join(([problems[key]] if key in problems else []) + list(errors))
    return render_template("record.html", form=form, choices=choices, done=done, problems=problems,
                           today=local_date(now(), _platform().tz).isoformat())  # shown again with messages: 200


def _record(who: Principal, command: dict) -> tuple[dict, dict | None]:
    """Record ``command`` as the API would: the field each rule names gets its message."""
    try:
        parsed = parse_line(json.dumps(command))
    except CommandRejected as exc:
        return _problem(exc), None
    with _turn() as platform:
        owner = _unit_of(platform, parsed)
        if owner is not None and not who.may("record", owner):  # an unknown project: the record names it
            abort(403, _("Your token may not record for %(unit)s.", unit=owner))
        try:
            platform.ledger.record(parsed, who.name, who.unit)
        except CommandRejected as exc:
            return _problem(exc), None
        platform.catch_up()
    return {}, command


def _problem(exc: CommandRejected) -> dict:
    """The form field a rule's message is about: the command field its reason starts with (``signed_on: ...``,
    ``signed_on 2020-01-01 is before ...``), else the form as a whole; the message in the page's language."""
    field = re.match(r"[a-z_]*", exc.reason).group(0)
    return {FIELDS.get(field, "form"): core_words(exc)}


def core_words(said) -> str:
    """A core error (or a message of core's catalog) in the page's language (``core.messages.render``); a
    command's rejection by its reason alone (the form says what was sent)."""
    from core.messages import render
    return render(said.reason if isinstance(said, CommandRejected) else said, str(get_locale() or "zh"))


@pages.errorhandler(NotFound)
def not_found(exc):
    return render_template("error.html", status=404, message=core_words(exc)), 404
