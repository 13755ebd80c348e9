"""Which months a change to a project can move: a pure function of the project before and after.

A project counts in month (y, m) of its unit's figures through each of its dated
fields (``planned_on``, ``signed_on``, ``landed_on``, ``started_on``): a field
dated in year y counts from its own month to December of y, and stops counting
from the month whose end is on or after ``withdrawn_on`` (docs/assessment.md §3). A
withdrawal dated before the year begins stops it in every month of that year,
whatever the year of the withdrawal itself. A change (a new fact, a correction, a
withdrawal) can move exactly the months where the project counted before or counts
after with a different value.
"""

from __future__ import annotations

from datetime import date

DATED = ("planned_on", "signed_on", "landed_on", "started_on")


def first_month_from(effective: date | None, year: int) -> int | None:
    """The first month of ``year`` that begins on or after ``effective`` (None: every month)."""
    if effective is None or effective.year < year:
        return 1
    if effective.year > year:
        return None
    month = effective.month if effective.day == 1 else effective.month + 1
    return month if month <= 12 else None


def cut_month(field_year: int, withdrawn_on: date | None) -> int:
    """The first month of ``field_year`` in which a withdrawal stops the project counting (13: never)."""
    if withdrawn_on is None or withdrawn_on.year > field_year:
        return 13
    if withdrawn_on.year < field_year:
        return 1
    return withdrawn_on.month


def contributions(project: dict) -> dict:
    """``{(field, year, month): value}`` for every month in which the project counts through a field.

    ``project`` maps the dated fields, ``withdrawn_on`` and ``signed_amount`` to values
    (None when not set). The value for ``signed_on`` includes the amount, so that a
    corrected amount moves the months the signing counts in.
    """
    out = {}
    withdrawn = project.get("withdrawn_on")
    for name in DATED:
        day = project.get(name)
        if day is None:
            continue
        value = (day, project.get("signed_amount")) if name == "signed_on" else day
        for month in range(day.month, cut_month(day.year, withdrawn)):
            out[(name, day.year, month)] = value
    return out


def months_moved(before: dict | None, after: dict) -> dict[int, set[int]]:
    """``{year: {months}}`` whose figures may differ between ``before`` (None: no project) and ``after``."""
    old = contributions(before) if before else {}
    new = contributions(after)
    moved: dict[int, set[int]] = {}
    for key in old.keys() | new.keys():
        if old.get(key) != new.get(key):
            moved.setdefault(key[1], set()).add(key[2])
    return moved


def first_months_moved(before: dict | None, after: dict) -> dict[int, int]:
    """``{year: the first month}`` whose figures may differ between ``before`` and ``after``.

    The same months as ``months_moved`` gives, but only the first of each year
    (the scorer rescores from there on), and without listing every month.
    """
    out: dict[int, int] = {}

    def touch(year: int, month: int) -> None:
        if month < out.get(year, 13):
            out[year] = month

    w_before = before["withdrawn_on"] if before else None
    w_after = after["withdrawn_on"]
    for name in DATED:
        d_before = before[name] if before else None
        d_after = after[name]
        same = d_before == d_after and (name != "signed_on" or before is None or
                                        before["signed_amount"] == after["signed_amount"])
        if same:
            if d_after is None:
                continue
            c_before, c_after = cut_month(d_after.year, w_before), cut_month(d_after.year, w_after)
            low = max(d_after.month, min(c_before, c_after))
            if c_before != c_after and low < max(c_before, c_after):
                touch(d_after.year, low)
            continue
        for day, withdrawn in ((d_before, w_before), (d_after, w_after)):
            if day is not None and cut_month(day.year, withdrawn) > day.month:
                touch(day.year, day.month)
    return out
