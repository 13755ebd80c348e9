"""The import page (Excel in, issue #21, docs/intake.md), on the app beside ``web.pages`` and guarded the same way.

- ``GET /import``: the page: the workbook to fill in (``/import/template.xlsx``, headers in the page's language),
  the projects as they stand in its layout (``/import/projects.xlsx``: a unit's token its own), an upload form;
- ``POST /import``: a workbook (.xlsx, or a .csv of one sheet; at most ``import_view.LIMIT``) uploaded and planned
  against the record as ``sankao import --check`` plans it (``core.intake.importer.prepare``): the preview of
  what it would record (new units, targets, new projects, new stages, corrections, each with its cell), or every
  problem by its cell, nothing recorded;
- ``POST /import/confirm``: the previewed upload planned again and recorded in one transaction
  (``core.intake.importer.record``) when the plan is the one previewed; when the record changed in between so
  that it is not, nothing is recorded and the new preview is shown (409).

Who: an admin imports any unit's rows; a unit's token only its own unit's project rows (``unit=``: another
unit's rows are problems, by their cells); any other role is answered 403. Forms carry the app's CSRF token.
"""

from __future__ import annotations

import io
from flask import (Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for)
from flask_babel import get_locale, gettext as _

from core.clock import local_date, now
from core.intake.importer import prepare, record
from web import import_view as kept
from web import words
from web.api.base import turn as _turn
from web.pages import needs, principal

import_pages = Blueprint("import_pages", __name__, template_folder="templates")
import_pages.add_app_template_filter(kept.literals, "literals")
FORM_SLACK = 256 * 1024  # bytes of a multipart body beside the workbook (its headers, the CSRF token)


def upload_limit() -> None:
    """An upload's body may be as large as a workbook may (the app's limit is the API's, smaller): set before the
    CSRF check reads the form (``create_app`` registers it first)."""
    if request.endpoint == "import_pages.upload":
        request.max_content_length = kept.LIMIT + FORM_SLACK


def _own():
    who = principal()
    return who.unit if who else None


def _importer():
    """The principal, when an admin or a unit's token (403 for any other role: an auditor, a viewer, the
    supervision department)."""
    who = principal()
    if not (who.role == "admin" or who.unit):
        abort(403, _("Your token (%(name)s, %(role)s) may not open this page.", name=who.name,
                     role=words.role(who.role)))
    return who


def _writable() -> None:
    if current_app.extensions.get("sankao.read_only"):
        abort(403, _("This store is read-only here (a copy): nothing can be recorded."))


def _page(status: int = 200, **shown):
    shown.setdefault("problems", {})
    return render_template("import.html", read_only=bool(current_app.extensions.get("sankao.read_only")),
                           limit_mb=kept.LIMIT // (1024 * 1024), **shown), status


def _too_large() -> str:
    return _("The file is larger than %(limit)s MB: nothing was read or recorded. Import a workbook of at most "
             "%(limit)s MB (split a larger one by unit).", limit=kept.LIMIT // (1024 * 1024))


@import_pages.errorhandler(413)
def too_large(exc):
    """An upload over the limit (refused before the form is read): said beside the file field, to whoever may
    import; otherwise the error page says it."""
    who = principal()
    if who is None or not (who.role == "admin" or who.unit):
        return render_template("error.html", status=413, message=_too_large()), 413
    return _page(413, problems={"workbook": _too_large()})


# -- the page ------------------------------------------------------------------------------------------------------

@import_pages.route("/import")
@needs("record", unit_of=lambda: _own())
def import_page():
    _importer()
    return _page()


@import_pages.route("/import", methods=["POST"])
@needs("record", unit_of=lambda: _own())
def upload():
    """A workbook uploaded: kept, planned, previewed (or its problems shown); nothing recorded."""
    who = _importer()
    _writable()
    sent = request.files.get("workbook")
    if sent is None or not sent.filename:
        return _page(problems={"workbook": _("Choose a workbook (.xlsx) or a .csv to import.")})
    name = kept.shown_name(sent.filename)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in kept.SUFFIXES:
        return _page(problems={"workbook": _("%(name)s is not a workbook Sankao reads: import a .xlsx workbook (save "
                                             "an .xls or a WPS file as .xlsx first) or a .csv of one sheet.",
                                             name=name)})
    try:
        token = kept.keep(sent.stream, suffix)
    except kept.TooLarge:
        return _page(413, problems={"workbook": _too_large()})
    return _preview(who, token, {"name": name, "suffix": suffix, "who": who.name})


def _plan(platform, who, token: str, entry: dict):
    """The kept upload ``token`` planned against the record as it stands (``who``'s unit only, for a unit's token),
    and the projects its corrections change as recorded (the preview shows the value each replaces)."""
    plan = prepare(platform, kept.path_of(token, entry["suffix"]), entry["name"], who.unit, who.name,
                   lang=str(get_locale() or "zh"))
    held = {p["project"]: p for p in platform.queries.projects(who.unit)} if any(
        line.what == "correct" for line in plan.lines) else {}
    return plan, held


def _preview(who, token: str, entry: dict, status: int = 200, said: str | None = None, planned=None):
    """Show what the kept upload ``token`` would record (``planned``: its plan and the projects, else planned
    now); kept for its confirmation only when there is something to record and no problem."""
    if planned is None:
        with _turn() as platform:
            planned = _plan(platform, who, token, entry)
    plan, held = planned
    shown = kept.preview(plan, held)
    if plan.problems or not plan.lines:
        kept.forget(token, entry)
        token = None
    else:
        entry = {**entry, "digest": kept.digest(plan)}
        kept.remember(token, entry)
    return _page(status, preview=shown, name=entry["name"], upload=token, digest=entry.get("digest"), said=said)


@import_pages.route("/import/confirm", methods=["POST"])
@needs("record", unit_of=lambda: _own())
def confirm():
    """Record the previewed upload: planned again, recorded in one transaction when the plan is the one previewed
    (the form's digest and the session's); otherwise nothing is recorded and the new preview is shown."""
    who = _importer()
    _writable()
    token = request.form.get("upload")
    entry = kept.pending(token)
    if entry is None or entry.get("who") != who.name or kept.path_of(token, entry.get("suffix")) is None:
        return _page(409, problems={"form": _("This preview is no longer kept (recorded already, replaced by "
                                              "another upload, or too old): nothing was recorded. Upload the "
                                              "workbook again.")})
    report = None
    with _turn() as platform:
        plan, held = _plan(platform, who, token, entry)
        planned_now = kept.digest(plan)
        if not plan.problems and planned_now == entry.get("digest") == request.form.get("digest"):
            report = record(platform, plan, who.name, who.unit)
            if not report.rejected:
                platform.catch_up()
    if report is None:
        return _preview(who, token, entry, 409, _("The record changed since the preview: nothing was recorded. "
                                                  "Here is what the workbook would record now."), (plan, held))
    kept.forget(token, entry)
    if report.rejected:  # another process's writer made a line invalid between the plan and the transaction
        plan.problems = [(plan.lines[number - 1].ref, reason) for number, reason in report.rejected]
        return _page(409, preview=kept.preview(plan, held), name=entry["name"],
                     said=_("The record changed while recording: nothing was recorded."))
    counts = kept.preview(plan, {})["counts"]
    flash(_("Recorded %(recorded)s commands from %(name)s (%(skipped)s recorded before): %(unit)s new units, "
            "%(targets)s targets, %(plan)s new projects, %(stage)s new stages, %(correct)s corrections.",
            recorded=report.recorded, skipped=report.skipped, name=entry["name"], **counts), "recorded")
    return redirect(url_for(".import_page"))


# -- the downloads ---------------------------------------------------------------------------------------------------

def _units(platform, unit: str | None) -> list[dict]:
    return [{k: u[k] for k in ("unit", "name", "category")} for u in platform.queries.units()
            if unit in (None, u["unit"])]


@import_pages.route("/import/template.xlsx")
@needs("record", unit_of=lambda: _own())
def template_xlsx():
    """The workbook to fill in, headers in the page's language; the units for its drop-down (a unit's its own)."""
    from core.intake.template import workbook
    who = _importer()
    with _turn() as platform:
        units = _units(platform, who.unit)
    content = workbook(kept.lang(), units=units)
    return _xlsx(content, f"sankao-template-{kept.lang()}.xlsx")


@import_pages.route("/import/projects.xlsx")
@needs("record", unit_of=lambda: _own())
def projects_xlsx():
    """The projects as they stand, in the template's layout (a unit's token: its own): edited and imported back, it
    records only the edits."""
    from core.intake.template import workbook
    who = _importer()
    with _turn() as platform:
        units = _units(platform, who.unit)
        projects = platform.queries.projects(who.unit)
        today = local_date(now(), platform.tz).isoformat()
    content = workbook(kept.lang(), units=units, projects=projects)
    return _xlsx(content, f"sankao-projects-{who.unit or 'all'}-{today}.xlsx")


def _xlsx(content: bytes, name: str):
    return send_file(io.BytesIO(content), as_attachment=True, download_name=name,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
