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


@dataclass
class UnitStanding:
    """One unit in the annual standing (docs/assessment.md §8), exact.

    :ivar score: S(u), the exact mean of the unit's finals on the year's frozen boards.
    :ivar months: how many frozen boards it appears on.
    :ivar signed_amount: A(u, d), d the end of the latest closed month.
    :ivar excellent_share: the percentage of its people that may be graded excellent.
    :ivar poor_share: the percentage that must be graded poor.
    """

    unit: str
    rank: int
    third: str
    score: Decimal
    months: int
    signed_amount: Decimal
    excellent_share: Decimal
    poor_share: Decimal


@dataclass
class PersonStanding:
    """One person in the annual standing (docs/assessment.md §8), exact.

    :ivar score: the person's exact score.
    :ivar landed: how many of the projects the person holds landed in the year (not withdrawn).
    :ivar withdrawn: how many were withdrawn in the year.
    :ivar grade: ``excellent``, ``competent`` or ``poor``.
    :ivar level_rank: rank among all people of the same level.
    :ivar level_third: ``top``, ``middle`` or ``bottom`` of that level.
    :ivar projects: the ids of the projects the person holds (for explaining the score).
    """

    person: str
    unit: str
    level: str
    score: Decimal
    landed: int
    withdrawn: int
    grade: str
    level_rank: int
    level_third: str
    projects: list = field(default_factory=list)


@dataclass
class Standing:
    """What ``sankao_annual_standing`` returns: units in rank order, people in unit id order, then by grade
    order (score descending, person id)."""

    units: list  # UnitStanding
    people: list  # PersonStanding


@dataclass(frozen=True)
class SupervisionPoints:
    """What ``sankao_supervision_points`` returns: the three parts of D_supervision(u, P) (docs/assessment.md §9),
    each a ``Decimal`` ≥ 0.

    :ivar self_check: for a self-check of the month before that was owed and not filed on time.
    :ivar misreport: for the misreported spot-check findings dated in the month.
    :ivar special: for the special assessments dated in the month.
    """

    self_check: Decimal
    misreport: Decimal
    special: Decimal

    @property
    def total(self) -> Decimal:
        return self.self_check + self.misreport + self.special


@dataclass(frozen=True)
class Outgoing:
    """What a channel delivers (the ``deliver_notice`` hook, docs/delivery.md): one letter, sheet, month
    result, accountability decision or missed self-check, rendered once for every channel.

    :ivar key: the delivery key: the same on every attempt of this delivery, for the receiver to drop a
        repeat (e-mail: the Message-ID ``<KEY@sankao>`` and ``X-Sankao-Delivery``; a webhook: the
        ``X-Sankao-Delivery`` header and the body's ``key``).
    :ivar kind: ``letter``, ``sheet``, ``result``, ``accountability`` or ``self_check``.
    :ivar unit: the unit's id; ``unit_name`` its name.
    :ivar role: the receiver's role for the unit (``head``, ``liaison``).
    :ivar subject: one line, e.g. ``【红色督办函】西岔园区 · 2026-02-02``.
    :ivar text: the plain-text body.
    :ivar html: the printable A4 HTML page (a whole document, its style inline).
    :ivar data: the same as JSON-able values (a webhook's body): ``kind``, ``unit``, dates as ISO strings,
        amounts and points as decimal strings.
    :ivar lang: ``zh`` or ``en``.
    """

    key: str
    kind: str
    unit: str
    unit_name: str
    role: str
    subject: str
    text: str
    html: str
    data: dict
    lang: str = "zh"


@dataclass(frozen=True)
class Receipt:
    """A receiver accepted a delivery: what it answered (an SMTP reply with the queue id, ``HTTP 200``)."""

    answer: str


class DeliveryFailed(Exception):
    """A channel could not deliver. ``permanent``: the receiver refused for good (SMTP 5xx, HTTP 4xx other
    than 408 and 429): the delivery goes to the dead letters at once; otherwise it is tried again later, with
    backoff, for up to a day. The message names what failed (never a password)."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent
