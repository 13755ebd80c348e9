"""Consequences: what the assessment engine derived from the facts (docs/assessment.md §3-§6).

These are recorded by Sankao's scoring process, never by a plugin's own event
class: what a plugin decided is stored here, with the plugin's name, so that
history stays readable even when the plugin is uninstalled.

Every consequence carries:

- ``timestamp``: the logical time, that is the recorded time of the command that
  caused it (so history loaded with ``at`` reads right);
- ``command_id``: the id of that command;
- ``position``: that command's position in the record log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eventsourcing.domain import DomainEvent


@dataclass(frozen=True)
class Derived(DomainEvent):
    """Base of every event the scoring process records.

    :ivar command_id: the id of the command whose recording caused this event
        (``open:YYYY-MM`` when a month began).
    :ivar position: the log position of the last fact the figures take into
        account (the cause, or the last fact before a month began).
    """

    command_id: str
    position: int


@dataclass(frozen=True)
class ScoreChanged(Derived):
    """A unit's figures for a month changed, or the month began (月考核 score).

    One stream per unit and month. Numbers are exact decimal strings, never
    rounded; what is not recorded here (each indicator's ratio and score, the
    base) follows from it by ``core.engine.figures.derive``. A month's figures
    are first recorded when the month begins (``command_id`` ``open:YYYY-MM``,
    ``timestamp`` the month's first instant), then whenever a fact changes them.

    :ivar unit: the unit id.
    :ivar period: the month, ``YYYY-MM``.
    :ivar assessed: False when the unit is not on the month's board (no targets,
        or assessed weights adding up to 0).
    :ivar indicators: ``[plugin, kind, value, target, weight, cap]`` per indicator
        assessed, in the order of the rules; ``kind`` is ``amount`` or ``count``.
    :ivar base: Σ score × 100 / Σ weight (0 when not assessed).
    :ivar coefficient: the unit coefficient.
    :ivar deduction: the pre-deducted points D(u, P).
    :ivar signed_amount: A(u, end of P), used to break ties.
    :ivar final: max(0, base × coefficient − deduction).
    :ivar rules: the ``command_id`` of the ``RulesApplied`` in force for the month
        (which names every plugin's version and settings).
    """

    unit: str
    period: str
    assessed: bool
    indicators: list
    base: str
    coefficient: str
    deduction: str
    signed_amount: str
    final: str
    rules: str


@dataclass(frozen=True)
class NoticeIssued(Derived):
    """A letter or a sheet of the "three letters and one sheet" (三函一单) was issued.

    Levels: ``green`` reminder letter (绿色提醒函), ``orange`` warning letter
    (橙色警示函), ``red`` supervision letter (红色督办函), and the result
    ``feedback`` sheet (结果反馈单) that closes a case.

    :ivar unit: the unit id.
    :ivar case: the case name, ``{unit}-{year}-{n}``.
    :ivar level: ``green``, ``orange``, ``red`` or ``feedback``.
    :ivar date: the business date of the dispatch that issued it.
    :ivar lag: the unit's lag at that dispatch, or None for a year-end closing.
    :ivar points: a letter's level points; on a feedback sheet what the case
        finally deducts.
    :ivar outcome: ``restored`` or ``confirmed`` on a feedback sheet, else None.
    :ivar policy: the plugin that decided it.
    """

    unit: str
    case: str
    level: str
    date: date
    lag: Decimal | None
    points: Decimal
    outcome: str | None
    policy: str


@dataclass(frozen=True)
class BoardFrozen(Derived):
    """A month was closed and its board frozen (``close_month``).

    :ivar period: the month, ``YYYY-MM``.
    :ivar entries: the board as it stood, one dict per unit in rank order with
        ``unit, rank, third, streak, accountability, commended`` and ``figures``
        (the unit's ``ScoreChanged`` figures, as there) and ``scored`` (the
        position of that ``ScoreChanged``).
    :ivar policy: the plugin that ranked the board and decided its consequences.
    :ivar close: the log position of the ``close_month`` command.
    """

    period: str
    entries: list
    policy: str
    close: int


@dataclass(frozen=True)
class StandingFrozen(Derived):
    """A year was closed and its annual standing frozen (``close_year``, docs/assessment.md §8).

    :ivar year: the year.
    :ivar through: the latest closed month the standing covers (``YYYY-MM``), or None.
    :ivar units: one row (a list, in the order of ``UNIT_COLUMNS``) per unit in rank order: ``score`` the
        exact mean S(u) as a decimal string, amounts and shares exact decimal strings.
    :ivar people: one row (in the order of ``PERSON_COLUMNS``) per person in the order of the standing:
        ``score`` exact, ``projects`` the ids of the projects the person held. Rows are lists, not objects,
        so that a standing of thousands of people reads back in milliseconds.
    :ivar policy: the plugin that evaluated the year.
    :ivar close: the log position of the ``close_year`` command.
    """

    UNIT_COLUMNS = ("unit", "rank", "third", "score", "months", "signed_amount", "excellent_share", "poor_share")
    PERSON_COLUMNS = ("person", "unit", "level", "score", "landed", "withdrawn", "grade", "level_rank",
                      "level_third", "projects")

    year: int
    through: str | None
    units: list
    people: list
    policy: str
    close: int


@dataclass(frozen=True)
class HeadRecorded(Derived):
    """The head of the log's Merkle tree, recorded when a month is closed (or the year, §8):
    what an office publishes so that anyone can later prove the log was not rewritten.

    :ivar size: how many events the tree held (positions 1 to ``size``).
    :ivar root: its root hash (RFC 9162), hex.
    :ivar label: what the head was recorded for (``close 2023-06``).
    """

    size: int
    root: str
    label: str
