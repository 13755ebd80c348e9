"""Values passed between Sankao and its plugins."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator a plugin supplies.

    :ivar name: the indicator's name (the plugin's name), as used in ``weights``.
    :ivar default_weight: its weight when the unit's targets give none.
    :ivar kind: ``"amount"`` (yuan, 2 decimals) or ``"count"`` (a plain number).
    :ivar cap: the ratio above which the indicator earns no more.
    :ivar inputs: what the measure reads, or None (the default) for "anything":
        the names of project fields (``planned_on``, ``signed_on``,
        ``signed_amount``, ``landed_on``, ``started_on``, ``withdrawn_on``) and
        ``targets``. When a fact changes none of them, Sankao keeps the previous
        value and target of the month instead of asking again. Declare it only if
        the measure reads nothing else (not the date of the month alone, either:
        a month is always measured afresh when it begins and when rules change).
    """

    name: str
    default_weight: Decimal
    kind: str = "amount"
    cap: Decimal = Decimal(1)
    inputs: frozenset | None = None


@dataclass(frozen=True)
class Measure:
    """An indicator's value and target for one unit and one month."""

    plugin: str
    value: Decimal
    target: Decimal


@dataclass(frozen=True)
class NoticeDecision:
    """A letter or feedback sheet an early-warning policy issues at a dispatch.

    :ivar unit: the unit id.
    :ivar case: the case name ``{unit}-{year}-{n}``.
    :ivar level: ``green``, ``orange``, ``red`` or ``feedback``.
    :ivar date: the dispatch date.
    :ivar lag: the lag at the dispatch, None for a year-end closing.
    :ivar points: the letter's points, or what a feedback sheet finally deducts.
    :ivar outcome: ``restored`` or ``confirmed`` on a feedback sheet, else None.
    """

    unit: str
    case: str
    level: str
    date: date
    lag: Decimal | None
    points: Decimal
    outcome: str | None = None


@dataclass
class BoardEntry:
    """One unit's line on a month's board."""

    unit: str
    base: Decimal
    coefficient: Decimal
    deduction: Decimal
    final: Decimal
    signed_amount: Decimal
    indicators: list = field(default_factory=list)
    rank: int | None = None
    third: str | None = None
    streak: int | None = None
    accountability: str | None = None
    commended: bool | None = None
