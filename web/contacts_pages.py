"""The delivery page (docs/delivery.md), on the app beside ``web.pages`` and guarded the same way: an
administrator's only (contacts are personal information).

- ``GET /contacts``: the delivery counts (pending, failing, delivered, dead), the dead and failing letters with
  their last error, every unit's contacts by role;
- ``POST /contacts``: set a unit's contacts for a role (``sankao contacts set``): each problem is named beside
  its field, nothing changed;
- ``POST /contacts/delete``: delete a unit's contacts of a role;
- ``POST /contacts/retry``: send the dead letters again (``sankao deliveries --retry-dead``).

Forms carry the app's CSRF token.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _

from core.errors import ConfigError
from core.messages import render
from core.outbox.contacts import ROLES, Contacts, check_email, check_url
from core.outbox.jobs import KINDS
from core.outbox.status import Status
from web.api.base import current_platform as _platform, turn as _turn
from web.pages import needs

contacts_pages = Blueprint("contacts_pages", __name__, template_folder="templates")


def _writable() -> None:
    if current_app.extensions.get("sankao.read_only"):
        abort(403, _("This store is read-only here (a copy): nothing can be recorded."))


def _lines(text: str, commas: bool = True) -> list[str]:
    """A field's entries: one a line (e-mail addresses may also be separated by commas; a URL may hold one)."""
    text = (text or "").replace(",", "\n") if commas else (text or "")
    return [line.strip() for line in text.splitlines() if line.strip()]


def _page(errors: dict | None = None, status: int = 200):
    with _turn():
        platform = _platform()
        outbox = Status(platform.app)
        names = platform.queries.names()
        found = Contacts(platform.app.recorder).of() if outbox.available() else []
        failed = outbox.jobs(failed=True, limit=200) if outbox.available() else []
        counts = outbox.counts() if outbox.available() else {}
    return render_template("contacts.html", contacts=found, names=names, failed=failed, counts=counts,
                           roles=ROLES, kinds=KINDS, errors=errors or {}, form=request.form), status


@contacts_pages.route("/contacts")
@needs("admin")
def contacts_page():
    return _page()


@contacts_pages.route("/contacts", methods=["POST"])
@needs("admin")
def set_contacts():
    _writable()
    lang = str(get_locale() or "zh")
    form, errors, targets = request.form, {}, []
    unit, role = form.get("unit", "").strip(), form.get("role", "")
    kinds = form.getlist("kinds")
    with _turn():
        names = _platform().queries.names()
    if unit not in names:
        errors["unit"] = _("Choose a registered unit.")
    if role not in ROLES:
        errors["role"] = _("Choose a role.")
    labels = {"emails": _("E-mail addresses (one a line)"), "webhooks": _("Webhook URLs (one a line)")}
    for field, check, channel in (("emails", check_email, "email"), ("webhooks", check_url, "webhook")):
        for value in _lines(form.get(field, ""), commas=channel == "email"):
            try:
                targets.append((channel, check(value, labels[field]),
                                (form.get("secret") or None) if channel == "webhook" else None))
            except ConfigError as exc:
                errors[field] = render(exc, lang)
    if not targets and "emails" not in errors and "webhooks" not in errors:
        errors["emails"] = _("Give at least one e-mail address or webhook URL.")
    if not kinds:
        errors["kinds"] = _("Choose at least one kind.")
    if errors:
        return _page(errors, 400)
    try:
        with _turn():
            Contacts(_platform().app.recorder).set(unit, role, targets, kinds, form.get("lang") or "zh")
    except ConfigError as exc:
        return _page({"form": render(exc, lang)}, 400)
    flash(_("The contacts of %(unit)s are set.", unit=unit))
    return redirect(url_for("contacts_pages.contacts_page"))


@contacts_pages.route("/contacts/delete", methods=["POST"])
@needs("admin")
def delete_contacts():
    _writable()
    unit, role = request.form.get("unit", ""), request.form.get("role") or None
    with _turn():
        gone = Contacts(_platform().app.recorder).delete(unit, role)
    flash(_("%(n)s contact(s) of %(unit)s deleted.", n=gone, unit=unit))
    return redirect(url_for("contacts_pages.contacts_page"))


@contacts_pages.route("/contacts/retry", methods=["POST"])
@needs("admin")
def retry_dead():
    _writable()
    with _turn():
        count = Status(_platform().app).retry(dead=True)
    flash(_("%(n)s dead letter(s) will be sent again.", n=count))
    return redirect(url_for("contacts_pages.contacts_page"))
