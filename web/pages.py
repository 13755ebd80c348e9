"""The office's pages: server-rendered, Chinese first, over the same app, tokens and roles as the API.

Each page reads a view of ``core.read.office`` (or a query) and renders it; the only writes are the log-in
(a session cookie holding the token's digest, never the token), the language and the unit's form, which
records through the ledger exactly as ``POST /api/commands`` does.
"""

from __future__ import annotations

import io
from decimal import Decimal
from functools import wraps

from flask import (Blueprint, abort, current_app, g, redirect, render_template, request, send_file, session,
                   url_for)
from flask_babel import gettext as _
from flask_babel import get_locale

from core.record import access
from core.record.access import Principal
from core.clock import local_date, now
from core.errors import NotFound
from core.report import CENT, SCALES
from core.read import office
from web import asked, charts, delivery_view, forms, supervision_view, words
from web.api.base import current_platform as _platform, turn as _turn
from web.security import now_us, same_site_path

pages = Blueprint("pages", __name__, template_folder="templates", static_folder="static",
                  static_url_path="/static")
LANGUAGES = ("zh", "en")
for _name, _filter in words.FILTERS.items():
    pages.add_app_template_filter(_filter, _name)


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
                             role=words.role(who.role)))
            return view(**kwargs)
        return guarded
    return decorate


@pages.app_context_processor
def context():
    who = principal() if "sankao" in current_app.extensions else None
    return {"who": who, "lang": str(get_locale() or "zh"), "languages": LANGUAGES, "charts": charts}


# -- log in, log out, language ----------------------------------------------------------------------------------

@pages.route("/login", methods=["GET", "POST"])
def login():
    form = forms.LoginForm()
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
    known_at = asked.known_at()
    with _turn():
        months = office.months(_platform(), known_at)
        period = asked.month(asked.asked_month(months, known_at), known_at)
        view = office.board_view(_platform(), period, known_at)
        listed = supervision_view.listed_units(_platform(), period, known_at)  # 挂牌督战 at the month's end
    return render_template("board.html", view=view, months=months, known_at=asked.known_day(known_at),
                           as_known=words.moment(known_at or now()), listed=listed)


@pages.route("/boards/<period>.xlsx")
@needs("read_board")
def board_xlsx(period):
    from web import sheets
    known_at = asked.known_at()
    with _turn():
        view = office.board_view(_platform(), asked.month(period, known_at), known_at)
    state = f"-known-{asked.known_day(known_at)}" if known_at else "-frozen" if view["frozen"] else \
        f"-live-{asked.known_day(now())}"
    return _xlsx(sheets.board(view, words.label, words.moment(known_at or now())), f"sankao-board-{period}{state}.xlsx")


def _xlsx(content: bytes, name: str):
    return send_file(io.BytesIO(content), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


# -- a unit ---------------------------------------------------------------------------------------------------

@pages.route("/units/<unit>")
@needs("read_unit", unit_of=lambda unit: unit)
def unit_page(unit):
    known_at = asked.known_at()
    with _turn():
        months = office.months(_platform(), known_at)
        period = asked.month(asked.asked_month(months, known_at), known_at)
        asked.registered(unit)
        view = office.unit_view(_platform(), unit, period, known_at)
        delivery_view.attach(_platform(), view.get("cases") or [], known_at, errors=principal().may("admin"))
        listed = supervision_view.listing(_platform(), unit, period, known_at)
        deduction = supervision_view.unit_deduction(_platform(), unit, period, known_at)
    return render_template("unit.html", view=view, months=months, known_at=asked.known_day(known_at),
                           listed=listed, deduction=deduction)


@pages.route("/units/<unit>/explain/<period>")
@needs("read_unit", unit_of=lambda unit, period: unit)
def explain_page(unit, period):
    from core.audit.explain import explain
    known_at = asked.known_at()
    with _turn():
        asked.month(period, known_at)
        name = asked.registered(unit)
        answer = explain(_platform(), unit, period, known_at, False)
    return render_template("explain.html", e=answer, unit=unit, name=name, period=period,
                           known_at=asked.known_day(known_at))


# -- notices: the three letters and one sheet ---------------------------------------------------------------------

@pages.route("/notices")
@needs("read_notices", unit_of=lambda: request.args.get("unit") or (principal().unit if principal() else None))
def notices_page():
    who = principal()
    unit = request.args.get("unit") or who.unit
    with _turn():
        if unit is not None:
            asked.registered(unit)
        view = office.notices_view(_platform(), unit, asked.known_at())
        delivery_view.attach(_platform(), view["open"] + view["closed"], asked.known_at(), errors=who.may("admin"))
    return render_template("notices.html", view=view)


@pages.route("/notices/<case>/<int:number>")
@needs("read_notices", unit_of=lambda case, number: case.rsplit("-", 2)[0])
def notice_page(case, number):
    with _turn():
        asked.registered(case.rsplit("-", 2)[0])
        try:
            document = office.notice_document(_platform(), case, number, asked.known_at())
        except NotFound:
            abort(404, _("Case %(case)s has no letter or sheet %(number)s.", case=case, number=number))
        days = office.rectify_days(_platform())
        delivery_view.attach(_platform(), [document["case"]], asked.known_at(), errors=principal().may("admin"))
    return render_template("letter.html", d=document, rectify_days=days)


# -- quarterly monitoring, the annual standing, the plugins ---------------------------------------------------------

@pages.route("/quarterly")
@needs("read_board")
def quarterly_page():
    known_at = asked.known_at()
    with _turn():
        year = asked.year(request.args.get("year") or asked.month(None, known_at)[:4])
        view = office.quarterly_view(_platform(), year, known_at)
        years = _platform().queries.target_years()
    return render_template("quarterly.html", view=view, years=years, known_at=asked.known_day(known_at))


@pages.route("/annual")
@pages.route("/annual/<int:year>")
@needs("read_annual")
def annual_page(year=None):
    known_at = asked.known_at()
    with _turn():
        year = asked.year(year if year is not None else asked.month(None, known_at)[:4])
        answer = _platform().queries.annual(year, known_at)
        names = _platform().queries.names()
        people = office.people_names(_platform(), known_at)
        years = _platform().queries.target_years()
    return render_template("annual.html", a=answer, names=names, people=people, years=years,
                           known_at=asked.known_day(known_at))


@pages.route("/annual/<int:year>.xlsx")
@needs("read_annual")
def annual_xlsx(year):
    from web import sheets
    known_at = asked.known_at()
    with _turn():
        asked.year(year)
        answer = _platform().queries.annual(year, known_at)
        names = _platform().queries.names()
        people = office.people_names(_platform(), known_at)
    state = f"-known-{asked.known_day(known_at)}" if known_at else "" if answer["closed"] else "-provisional"
    return _xlsx(sheets.annual(answer, names, people, words.label, words.moment(answer["known_at"])),
                 f"sankao-annual-{year}{state}.xlsx")


@pages.route("/plugins")
@needs("admin")
def plugins_page():
    from core.messages import show_setting
    from core.rules.plugins import plugins_report
    with _turn():
        platform = _platform()
        rows = plugins_report(platform.installed, platform.recorded_rules(), platform.rules_in_force())
    return render_template("plugins.html", rows=rows, show=show_setting)


# -- recording a signing or a landing -----------------------------------------------------------------------------

@pages.route("/record", methods=["GET", "POST"])
@needs("record", unit_of=lambda: principal().unit if principal() and principal().unit else None)
def record_page():
    who = principal()
    if not (who.role == "admin" or who.unit):  # a supervisor's token records the supervision commands only
        abort(403, _("Your token (%(name)s, %(role)s) may not open this page.", name=who.name,
                     role=words.role(who.role)))
    if current_app.extensions.get("sankao.read_only"):
        abort(403, _("This store is read-only here (a copy): nothing can be recorded."))
    form = forms.RecordForm()
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
            problems, done = forms.record(who, command)
    elif request.method == "POST":
        problems = {}
        for name, errors in form.errors.items():
            if name == "action":  # the options are the form's: another value was not sent from it
                errors = [_("What happened: choose a signing or a landing.")]
            key = name if name in ("project", "day", "amount") else "form"
            problems[key] = "; ".join(([problems[key]] if key in problems else []) + list(errors))
    return render_template("record.html", form=form, choices=choices, done=done, problems=problems,
                           today=local_date(now(), _platform().tz).isoformat())  # shown again with messages: 200


@pages.errorhandler(NotFound)
def not_found(exc):
    return render_template("error.html", status=404, message=words.core_words(exc)), 404
