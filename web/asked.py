"""What a page was asked: the moment (``known_at``), the day, the year, the month, a registered unit."""

from __future__ import annotations

from datetime import datetime

from flask import (abort, request)
from flask_babel import gettext as _

from core.clock import local_date, now, parse_period
from core.read import office
from web.api.base import current_platform as _platform


def known_at() -> datetime | None:
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


def known_day(known_at: datetime | None) -> str:
    """The local date a moment falls on, as the pages show and carry it in their links ('' for now)."""
    return "" if known_at is None else local_date(known_at, _platform().tz).isoformat()


def year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        abort(422, _("year: %(value)s is not a year", value=value))
    if year not in _platform().queries.target_years():
        abort(404, _("No unit has targets for %(year)s.", year=year))
    return year


def registered(unit: str) -> str:
    """The name of ``unit``; a page saying it is not registered when it is not."""
    name = _platform().queries.names().get(unit)
    if name is None:
        abort(404, _("%(unit)s is not a registered unit.", unit=unit))
    return name


def asked_month(months: list[str], known_at) -> str | None:
    """The month a page shows: the one asked for, else the latest with a board (also when the one asked had not
    begun by the day asked about)."""
    asked = request.args.get("month")
    if months and (asked is None or known_at is not None and asked not in months):
        return months[-1]
    return asked


def month(value: str | None, known_at) -> str:
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
