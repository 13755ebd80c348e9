"""The supervision pages (督查, docs/assessment.md §9), on the app beside ``web.pages`` and guarded the same way.

- ``/supervision?month=&known_at=``: the year's grid of self-checks (units × months, each cell on time, late,
  missing, not yet due or not owed), the month's supervision points and listed units, its spot checks with their
  samples, how each was drawn (seed, candidates, ``sankao audit draw ID``) and the findings;
- ``/supervision/draws/<draw>``: a spot check's record, printable on A4, with the signature lines;
- the forms: ``/supervision/self-check`` (a unit's token, for its own unit; an admin's), ``/supervision/draw``,
  ``/supervision/finding``, ``/supervision/special``, ``/supervision/listing`` (the supervision department's
  token, ``supervisor``, and an admin's).

Who sees what: the office's roles that may ``read_supervision`` (admin, auditor, supervisor) see every unit; a
unit's token sees its own line, its own self-checks and its own sampled projects only, never another unit's
(as ``GET /api/supervision``); a viewer sees no supervision page (the board shows who is listed).
"""

from __future__ import annotations

from decimal import Decimal

from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, url_for)
from flask_babel import gettext as _

from core.clock import local_date, month_end, now, parse_period
from core.errors import NotFound
from core.read import office
from web import asked, words
from web import supervision_forms as sf
from web import supervision_view as view
from web.api.base import current_platform as _platform, turn as _turn
from web.pages import needs, principal

supervision_pages = Blueprint("supervision_pages", __name__, template_folder="templates")


def _own():
    who = principal()
    return who.unit if who else None


def _ended(months: list[str], known_at=None) -> str | None:
    """The latest of ``months`` that had ended by the day asked about (self-checks and spot checks are of ended
    months), else the latest."""
    today = local_date(known_at or now(), _platform().tz)
    ended = [m for m in months if month_end(*parse_period(m)) < today]
    return (ended or months or [None])[-1]


def _today() -> str:
    return local_date(now(), _platform().tz).isoformat()


# -- the supervision page ---------------------------------------------------------------------------------------

@supervision_pages.route("/supervision")
@needs("read_supervision", unit_of=lambda: _own())
def supervision_page():
    who = principal()
    known_at = asked.known_at()
    with _turn():
        platform = _platform()
        months = office.months(platform, known_at)
        period = asked.month(request.args.get("month") or _ended(months, known_at), known_at)
        found = platform.queries.supervision(period, known_at)
        if who.unit:
            found = view.own_part(found, who.unit)
        grid = view.year_grid(platform, period, known_at, who.unit)
        draws = [view.draw_record(platform, d["draw"], known_at, who.unit) for d in found["draws"]]
        listed = {u["unit"]: view.listing(platform, u["unit"], period, known_at) for u in found["units"]
                  if u["listed"]}
        specials = {u["unit"]: view.specials(platform, u["unit"], period, known_at) for u in found["units"]
                    if Decimal(u["points_special"]) > 0}
        names = platform.queries.names()
    return render_template("supervision.html", s=found, grid=grid, draws=draws, listed=listed, specials=specials,
                           names=names, months=months, period=period, known_at=asked.known_day(known_at),
                           as_known=words.moment(known_at or now()))


@supervision_pages.route("/supervision/draws/<draw>")
@needs("read_supervision", unit_of=lambda draw: _own())
def draw_page(draw):
    """A spot check's record on A4: the sample, the seed, the candidates, how to recompute it, the findings,
    the signatures. A unit's token sees its own sampled projects."""
    who = principal()
    known_at = asked.known_at()
    with _turn():
        record = view.draw_record(_platform(), draw, known_at, who.unit)
    return render_template("spot_check.html", d=record, own=who.unit)


# -- the forms --------------------------------------------------------------------------------------------------

def _writable() -> None:
    if current_app.extensions.get("sankao.read_only"):
        abort(403, _("This store is read-only here (a copy): nothing can be recorded."))


def _form(name: str, title: str, fields, problems, intro: str = ""):
    return render_template("supervision_form.html", name=name, title=title, intro=intro, fields=fields,
                           problems=problems, nonce=sf.nonce())  # shown again with its messages: 200


def _done(message: str, period: str | None = None, anchor: str = ""):
    """Recorded: said on the supervision page of ``period`` (the latest month when it has no board)."""
    flash(message, "recorded")
    with _turn():
        months = office.months(_platform())
    target = url_for(".supervision_page", month=period if period in months else None)
    return redirect(target + (f"#{anchor}" if anchor else ""))


def _units(only: str | None = None) -> list[tuple[str, str]]:
    names = _platform().queries.names()
    return [(u, f"{u} {n}") for u, n in sorted(names.items()) if only is None or u == only]


@supervision_pages.route("/supervision/self-check", methods=["GET", "POST"])
@needs("read_supervision", unit_of=lambda: _own())
def self_check_page():
    """A unit files its own self-check (定期自查); an admin may file any unit's."""
    who = principal()
    if not (who.role == "admin" or who.unit):
        abort(403, _("Your token (%(name)s, %(role)s) may not open this page.", name=who.name,
                     role=words.role(who.role)))
    _writable()
    with _turn():
        units, months = _units(who.unit), office.months(_platform())
    fields = sf.self_check_fields(units, months, _ended(months), _today())
    problems = {}
    if request.method == "POST":
        problems, done = sf.record(who, sf.command("self_check", ("unit", "period", "date", "note")), fields)
        if done:
            return _done(_("Self-check of %(unit)s for %(period)s recorded, dated %(date)s.", unit=done["unit"],
                           period=done["period"], date=done["date"]), done["period"], f"unit-{done['unit']}")
    return _form("self-check", _("File a self-check"), fields, problems,
                 _("Every unit checks its own figures of each month and files its self-check by the due day of "
                   "the month after; until an on-time self-check is recorded, the points are pre-deducted."))


@supervision_pages.route("/supervision/draw", methods=["GET", "POST"])
@needs("supervise")
def draw_form():
    """The supervision department draws a spot check (随机抽查), seeded like ``sankao draw``."""
    who = principal()
    _writable()
    with _turn():
        platform = _platform()
        months = office.months(platform)
        period = sf.sent("period", request.args.get("month") or _ended(months) or "")
        try:
            taken = {d["draw"] for d in platform.queries.supervision(period)["draws"]}
        except (NotFound, ValueError):
            taken = set()
        seed = sf.default_seed(platform, period)
    fields = sf.draw_fields(months, period, _today(), seed)
    problems = {}
    if request.method == "POST":
        draw = sf.sent("draw") or sf.default_draw_id(taken, period)
        command = sf.command("draw_spot_check", ("period", "date"), size=sf.integer(sf.sent("size")),
                             seed=sf.sent("seed") or seed, draw=draw)
        problems, done = sf.record(who, command, fields)
        if done:
            return _done(_("Spot check %(draw)s drawn with the seed %(seed)s. Anyone can check it: %(command)s",
                           draw=draw, seed=done["seed"], command=f"sankao audit draw {draw}"), period,
                         f"draw-{draw}")
    return _form("draw", _("Draw a spot check"), fields, problems,
                 _("The sample is the projects signed or landed in the month and not withdrawn by its end with the "
                   "smallest sha256(seed|period|project): fixed by the seed and the record, so anyone can draw it "
                   "again."))


def _pending_draws(platform, known_at=None) -> list:
    """``[(draw, [(project, text)])]``: the draws of the last twelve months with projects still to be verified,
    the latest first."""
    found = []
    for month in office.months(platform, known_at)[-13:]:
        for d in (view.answer(platform, month, known_at) or {"draws": []})["draws"]:
            pending = [(s["project"], f"{s['project']} · {s['unit']}") for s in d["sample"] if s["result"] is None]
            if pending:
                found.append((d["draw"], pending))
    return found[::-1]


@supervision_pages.route("/supervision/finding", methods=["GET", "POST"])
@needs("supervise")
def finding_form():
    """A finding on a sampled project: confirmed (核实无误) or misreported (虚报, with the verified fact)."""
    who = principal()
    _writable()
    with _turn():
        draws = _pending_draws(_platform())
    draw = request.args.get("draw") or (draws[0][0] if draws else "")
    fields = sf.finding_fields(draws, draw, request.args.get("project") or "", _today())
    problems = {}
    if request.method == "POST":
        value = sf.sent("value") or None
        if value is not None and sf.sent("field") == "signed_amount":
            value, wrong = sf.amount_in_yuan(value)
            if wrong:
                problems["value"] = wrong
        if not problems:
            command = sf.command("record_finding", ("draw", "project", "date", "result", "field", "reason"),
                                 value=value)
            problems, done = sf.record(who, command, fields)
            if done:
                with _turn():
                    record = view.draw_record(_platform(), done["draw"], None)
                return _done(_("Finding on %(project)s of %(draw)s recorded: %(result)s.", project=done["project"],
                               draw=done["draw"], result=words.finding(done["result"])), record["period"],
                             f"draw-{done['draw']}")
    return _form("finding", _("Record a finding"), fields, problems,
                 _("A misreported fact is corrected as a correction of the same field, value and reason would, and "
                   "costs the project's unit the misreport points in the month of the finding's date."))


@supervision_pages.route("/supervision/special", methods=["GET", "POST"])
@needs("supervise")
def special_form():
    """A special assessment of a major problem (专项考核): points off in the month of its date."""
    who = principal()
    _writable()
    with _turn():
        units = _units()
    fields = sf.special_fields(units, _today())
    problems = {}
    if request.method == "POST":
        problems, done = sf.record(who, sf.command("special_assessment", ("unit", "date", "points", "reason")),
                                   fields)
        if done:
            return _done(_("Special assessment of %(unit)s recorded: %(points)s points on %(date)s.",
                           unit=done["unit"], points=done["points"], date=done["date"]), done["date"][:7],
                         f"unit-{done['unit']}")
    return _form("special", _("Record a special assessment"), fields, problems)


@supervision_pages.route("/supervision/listing", methods=["GET", "POST"])
@needs("supervise")
def listing_form():
    """Listed supervision (挂牌督战): a unit put under it, or its listing ended."""
    who = principal()
    _writable()
    with _turn():
        units = _units()
    fields = sf.listing_fields(units, _today())
    problems = {}
    if request.method == "POST":
        cmd = sf.sent("cmd")
        if cmd not in ("list_unit", "delist_unit"):
            problems["cmd"] = _("What: choose to list the unit or to end its listing.")
        else:
            problems, done = sf.record(who, sf.command(cmd, ("unit", "date", "reason")), fields)
            if done:
                said = _("%(unit)s put under listed supervision from %(date)s.") if cmd == "list_unit" else \
                    _("Listed supervision of %(unit)s ended on %(date)s.")
                return _done(said % {"unit": done["unit"], "date": done["date"]}, done["date"][:7],
                             f"unit-{done['unit']}")
    return _form("listing", _("Listed supervision"), fields, problems)
