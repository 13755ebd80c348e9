"""A cell's value read exactly (docs/intake.md): no float ever reaches an amount.

An amount in 万元 is a cell typed as text holding a decimal number, or a number whose shortest decimal form
(``repr`` of the double Excel stored, as Excel itself shows it) has at most 6 digits after the point: 2 in
yuan are 6 in 万元. A date is an Excel date, or text written ``2023-06-15``, ``2023/6/15`` or ``2023年6月15日``.
Each reader returns the value or raises ``CellProblem`` with the rule broken (a message of the catalog)."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from core.messages import msg

WAN = Decimal(10000)
_DECIMAL = re.compile(r"[0-9]{1,14}(\.[0-9]{1,6})?")
_DATES = (re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"), re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})"),
          re.compile(r"([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日"))
_WHOLE = re.compile(r"[0-9]+")
# full-width digits and signs (a Chinese input method's １２３．５, ２０２３／６／１５) read as the ASCII ones; any
# other digit (², ٣) is not a digit of a number here
_HALF_WIDTH = str.maketrans("０１２３４５６７８９．，－／", "0123456789.,-/")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class CellProblem(ValueError):
    """What is wrong with a cell: a ``Text`` of the catalog."""


def blank(value) -> bool:
    return value is None or isinstance(value, str) and not value.strip()


def wan(value) -> Decimal:
    """An amount in 万元, as exact yuan (a ``Decimal`` with at most 2 decimals)."""
    if isinstance(value, bool):
        raise CellProblem(msg("xl.not_amount", value=str(value)))
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise CellProblem(msg("xl.not_amount", value=repr(value)))
        text = repr(value)  # the shortest form that reads back as the same double: what Excel shows
        if "e" in text or "E" in text:
            try:
                text = format(Decimal(text), "f")
            except InvalidOperation:
                raise CellProblem(msg("xl.not_amount", value=text)) from None
        if "." in text and len(text.split(".")[1].rstrip("0")) > 6:
            raise CellProblem(msg("xl.float_digits", value=text))
        text = text.rstrip("0").rstrip(".") if "." in text else text
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
    else:
        raise CellProblem(msg("xl.not_amount", value=str(value)))
    if text.startswith("-"):
        raise CellProblem(msg("xl.negative", value=text))
    if not _DECIMAL.fullmatch(text):
        raise CellProblem(msg("xl.not_amount", value=text))
    return Decimal(text) * WAN


def day(value) -> date:
    """A business date: an Excel date (a date-formatted cell), or text in one of the three forms."""
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise CellProblem(msg("xl.date_time", value=value.isoformat(sep=" ")))
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for pattern in _DATES:
            found = pattern.fullmatch(text)
            if found:
                try:
                    return date(*(int(g) for g in found.groups()))
                except ValueError:
                    break
        raise CellProblem(msg("xl.not_date", value=text))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellProblem(msg("xl.date_number", value=repr(value)))
    raise CellProblem(msg("xl.not_date", value=str(value)))


def whole(value, *, lowest: int = 0, highest: int = 10 ** 9) -> int:
    """A whole number (a count, a year): an integer cell, a float with nothing after the point, or text."""
    if isinstance(value, bool):
        raise CellProblem(msg("xl.not_whole", value=str(value)))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and _WHOLE.fullmatch(value.strip()):
        value = int(value.strip())
    if not isinstance(value, int):
        raise CellProblem(msg("xl.not_whole", value=str(value)))
    if not lowest <= value <= highest:
        raise CellProblem(msg("xl.out_of_range", value=value, lowest=lowest, highest=highest))
    return value


def ident(value) -> str:
    """An id: text (or a whole number, as a clerk types 1001) matching the id pattern."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else None
    if text is None or not _ID.fullmatch(text):
        raise CellProblem(msg("xl.not_id", value=str(value)))
    return text


def text(value, longest: int) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    found = str(value).strip()
    if len(found) > longest:
        raise CellProblem(msg("xl.too_long", longest=longest))
    return found


def read(kind: str, value):
    """A cell of ``kind`` (``columns.Column.kind``) read; None when blank."""
    if blank(value):
        return None
    if isinstance(value, str) and kind in ("wan", "date", "count", "year"):
        value = value.translate(_HALF_WIDTH)
    if kind == "wan":
        return wan(value)
    if kind == "date":
        return day(value)
    if kind == "count":
        return whole(value)
    if kind == "year":
        return whole(value, lowest=1900, highest=9999)
    if kind == "id":
        return ident(value)
    return text(value, 500)
