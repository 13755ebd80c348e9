"""Time rules of docs/assessment.md §1: local business dates, UTC instants, periods."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from core.messages import Name, msg

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def micros(moment: datetime) -> int:
    """An instant as integer microseconds since the epoch (how the read models and the tables beside the log
    keep instants)."""
    delta = moment - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def now() -> datetime:
    return datetime.now(UTC)


def parse_instant(text: str, field: str = "at") -> datetime:
    """An ISO 8601 instant with an offset, returned in UTC."""
    try:
        value = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        raise ValueError(msg("clock.not_instant", field=Name(field), text=text)) from None
    if value.tzinfo is None:
        raise ValueError(msg("clock.no_offset", field=Name(field), text=text))
    try:
        value = value.astimezone(UTC)
    except OverflowError:
        raise ValueError(msg("clock.out_of_range", field=Name(field), text=text)) from None
    if value.year < 1900:
        raise ValueError(msg("clock.instant_before_1900", field=Name(field), text=text))
    return value


def local_date(instant: datetime, tz: ZoneInfo) -> date:
    return instant.astimezone(tz).date()


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_day(text: str) -> date:
    """A business date written ``YYYY-MM-DD`` exactly (no week dates, no other forms), years 1900 to 9999."""
    try:
        if not isinstance(text, str) or not _DATE.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(msg("clock.not_day", text=text)) from None
    if day.year < 1900:
        raise ValueError(msg("clock.day_before_1900", text=text))
    return day


_PERIOD = re.compile(r"(19|[2-9][0-9])[0-9]{2}-(0[1-9]|1[0-2])")


@lru_cache(maxsize=4096)
def parse_period(text: str) -> tuple[int, int]:
    """``(year, month)`` of a period written ``YYYY-MM`` exactly."""
    if not isinstance(text, str) or not _PERIOD.fullmatch(text):
        raise ValueError(msg("clock.not_period", text=text))
    return int(text[:4]), int(text[5:])


def period_name(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


@lru_cache(maxsize=4096)
def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


@lru_cache(maxsize=4096)
def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter(month: int) -> int:
    return (month + 2) // 3


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


@lru_cache(maxsize=4096)
def month_after(period: str) -> str:
    """The month after ``period`` (``YYYY-MM``), across a year's end: 2023-12 -> 2024-01."""
    year, month = parse_period(period)
    return period_name(year + 1, 1) if month == 12 else period_name(year, month + 1)


@lru_cache(maxsize=4096)
def month_before(period: str) -> str:
    """The month before ``period`` (``YYYY-MM``), across a year's start: 2024-01 -> 2023-12."""
    year, month = parse_period(period)
    return period_name(year - 1, 12) if month == 1 else period_name(year, month - 1)


def previous_period(year: int, month: int) -> tuple[int, int] | None:
    """The previous month of the same year, or None for January."""
    return (year, month - 1) if month > 1 else None


def parse_known_at(text: str, tz, field: str = "--known-at") -> datetime:
    """A ``--known-at`` / ``known_at`` value: an ISO 8601 instant with an offset (kept as written), or a local
    date ``YYYY-MM-DD`` meaning the end of that day in the assessment time zone ``tz``. ValueError names the
    field and the rule."""
    if len(text) == 10 and text[4:5] == "-":
        try:
            return datetime.combine(parse_day(text), time.max, tz)
        except ValueError:
            pass
    try:
        parse_instant(text, field)  # validates
    except ValueError as exc:
        if getattr(exc.args[0], "key", None) == "clock.not_instant":
            raise ValueError(msg("clock.not_known_at", field=Name(field), text=text)) from None
        raise
    return datetime.fromisoformat(text)
