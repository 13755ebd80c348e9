"""Facts: what the office and the units recorded (docs/assessment.md §2).

Every fact event carries, besides its own fields:

- ``timestamp``: the recorded time (transaction time) of the command, in UTC;
- ``command_id``: the id of the command line that recorded it;
- ``actor``: who recorded it.

Amounts are ``Decimal`` yuan; business dates are local ``datetime.date`` values in
the assessment time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from eventsourcing.domain import DomainEvent


@dataclass(frozen=True)
class Recorded(DomainEvent):
    """Base of every event recorded because of a command.

    :ivar command_id: the id of the command that caused this event.
    :ivar actor: the person or system that recorded the command.
    """

    command_id: str
    actor: str


@dataclass(frozen=True)
class UnitRegistered(Recorded):
    """A unit was registered for assessment (``register_unit``).

    :ivar unit: the unit id.
    :ivar name: the unit's display name.
    :ivar category: the unit's category (for example ``department``, ``platform``).
    """

    unit: str
    name: str
    category: str


@dataclass(frozen=True)
class TargetsSet(Recorded):
    """A unit's targets for a year were set or revised (``set_targets``).

    A later ``TargetsSet`` for the same unit and year replaces the earlier one for
    every computation made after it is recorded.

    :ivar unit: the unit id.
    :ivar year: the assessment year.
    :ivar annual: the annual signed-investment target, yuan.
    :ivar quarterly: four cumulative quarterly targets, yuan; the fourth equals ``annual``.
    :ivar monthly: the monthly increment target, yuan.
    :ivar planned: the number of projects to plan in the year.
    :ivar landed: the number of projects to land in the year.
    :ivar weights: per-indicator weights overriding the plugins' defaults.
    """

    unit: str
    year: int
    annual: Decimal
    quarterly: list
    monthly: Decimal
    planned: int
    landed: int
    weights: dict


@dataclass(frozen=True)
class ProjectPlanned(Recorded):
    """A unit put a project on its plan (``plan_project``).

    :ivar project: the project id.
    :ivar unit: the unit the project belongs to.
    :ivar name: the project's name.
    :ivar planned_on: the business date of planning.
    """

    project: str
    unit: str
    name: str
    planned_on: date


@dataclass(frozen=True)
class ProjectSigned(Recorded):
    """A project's investment agreement was signed (``sign_project``).

    :ivar project: the project id.
    :ivar signed_on: the business date of signing.
    :ivar amount: the signed investment, yuan.
    """

    project: str
    signed_on: date
    amount: Decimal


@dataclass(frozen=True)
class ProjectLanded(Recorded):
    """A signed project landed (``land_project``).

    :ivar project: the project id.
    :ivar landed_on: the business date of landing.
    """

    project: str
    landed_on: date


@dataclass(frozen=True)
class ConstructionStarted(Recorded):
    """Construction of a signed project started (``start_construction``).

    :ivar project: the project id.
    :ivar started_on: the business date construction started.
    """

    project: str
    started_on: date


@dataclass(frozen=True)
class ProjectWithdrawn(Recorded):
    """A project was withdrawn (``withdraw_project``); it no longer counts from its date.

    :ivar project: the project id.
    :ivar withdrawn_on: the business date of withdrawal.
    :ivar reason: why it was withdrawn.
    """

    project: str
    withdrawn_on: date
    reason: str


@dataclass(frozen=True)
class FactCorrected(Recorded):
    """A recorded field of a project was corrected (``correct``).

    Every computation made after this is recorded uses ``value`` as if it had
    always been so; the replaced value stays in history.

    :ivar project: the project id.
    :ivar field: ``planned_on``, ``signed_on``, ``signed_amount`` or ``landed_on``.
    :ivar value: the new value (a ``date`` or a ``Decimal``).
    :ivar previous: the value it replaces.
    :ivar reason: why it was corrected.
    """

    project: str
    field: str
    value: object
    previous: object
    reason: str


@dataclass(frozen=True)
class DispatchHeld(Recorded):
    """The office held a weekly dispatch (周调度) on a date (``dispatch``).

    :ivar date: the business date of the dispatch.
    """

    date: date


@dataclass(frozen=True)
class MonthCloseRequested(Recorded):
    """The office closed a month's assessment (月考核) (``close_month``).

    :ivar period: the month, ``YYYY-MM``.
    """

    period: str


@dataclass(frozen=True)
class YearCloseRequested(Recorded):
    """The office closed a year's annual evaluation (年考评) (``close_year``, docs/assessment.md §8).

    :ivar year: the year.
    """

    year: int


@dataclass(frozen=True)
class PersonRegistered(Recorded):
    """A person who answers for projects was registered (``register_person``, docs/assessment.md §8).

    :ivar person: the person id.
    :ivar unit: the person's own unit.
    :ivar name: the person's name.
    :ivar level: ``leader``, ``director`` or ``officer`` (the three-level responsibility chain, 三级包抓).
    """

    person: str
    unit: str
    name: str
    level: str


@dataclass(frozen=True)
class ProjectAssigned(Recorded):
    """A person was made the holder of a project at the person's level (``assign_project``), replacing the
    earlier holder at that level. Recorded on the project's stream.

    :ivar project: the project id.
    :ivar person: the person id.
    :ivar level: the person's level (as registered), the link of the chain the person now holds.
    """

    project: str
    person: str
    level: str


@dataclass(frozen=True)
class SelfChecksRequired(Recorded):
    """The office requires every unit with targets to check its own figures each month from ``first`` on
    (``require_self_checks``, 定期自查, docs/assessment.md §9). The latest one in recorded order is in force.

    :ivar first: the first month owed, ``YYYY-MM``.
    """

    first: str


@dataclass(frozen=True)
class SelfCheckFiled(Recorded):
    """A unit filed its self-check of a month (``self_check``). Recorded on the unit's stream.

    :ivar unit: the unit id.
    :ivar period: the month checked, ``YYYY-MM``.
    :ivar date: the business date of the self-check (on time when by day ``self_check_day`` of the next month).
    :ivar note: what the unit wrote, or None.
    """

    unit: str
    period: str
    date: date
    note: str | None


@dataclass(frozen=True)
class SpotCheckDrawn(Recorded):
    """The supervision department drew projects at random to verify (``draw_spot_check``, 随机抽查).

    The sample is fixed when drawn: the ``size`` candidates with the smallest
    ``sha256(seed|period|project)``, from the projects signed or landed within ``period`` and not withdrawn
    by its end, as the record stood before the draw. ``sankao audit draw`` recomputes it.

    :ivar draw: the draw id.
    :ivar period: the month drawn from.
    :ivar size: how many projects were asked for.
    :ivar seed: the seed (by default the root of the log's Merkle head, which nobody chooses).
    :ivar date: the business date of the draw.
    :ivar candidates: how many projects could be drawn.
    :ivar sample: ``[[project, unit], ...]`` in sample order.
    """

    draw: str
    period: str
    size: int
    seed: str
    date: date
    candidates: int
    sample: list


@dataclass(frozen=True)
class FindingRecorded(Recorded):
    """The result of verifying a sampled project (``record_finding``), on the draw's stream. A ``misreported``
    finding is recorded together with the ``FactCorrected`` it makes on the project's stream.

    :ivar draw: the draw id.
    :ivar project: the project verified.
    :ivar unit: the project's unit (as sampled).
    :ivar date: the business date of the finding.
    :ivar result: ``confirmed`` or ``misreported``.
    :ivar field: the corrected field (``misreported``), else None.
    :ivar value: the corrected value, else None.
    :ivar reason: what was found, or None.
    """

    draw: str
    project: str
    unit: str
    date: date
    result: str
    field: str | None
    value: object
    reason: str | None


@dataclass(frozen=True)
class SpecialAssessed(Recorded):
    """A special assessment of a major problem (``special_assessment``, 重大问题专项考核): points off the unit's
    score in the month of ``date``. Recorded on the unit's stream.

    :ivar unit: the unit id.
    :ivar date: the business date.
    :ivar points: the points, a ``Decimal`` > 0, ≤ 100.
    :ivar reason: why.
    """

    unit: str
    date: date
    points: Decimal
    reason: str


@dataclass(frozen=True)
class UnitListed(Recorded):
    """A unit was put under listed supervision (``list_unit``, 挂牌督战) from ``date``, for ``reason``; on the
    unit's stream. ``UnitDelisted`` ends it."""

    unit: str
    date: date
    reason: str


@dataclass(frozen=True)
class UnitDelisted(Recorded):
    """A unit's listed supervision ended (``delist_unit``) from ``date``, for ``reason``; on the unit's stream."""

    unit: str
    date: date
    reason: str


@dataclass(frozen=True)
class TokenIssued(Recorded):
    """An access token was issued (``sankao token create``): who may use Sankao over the web, in which role.

    Only the token's SHA-256 digest is recorded; the token itself is shown once to whoever issued it.

    :ivar name: the token's name, recorded as the actor of everything done with it.
    :ivar role: ``admin``, ``auditor``, ``viewer`` or ``unit:U`` (unit U's own facts and figures).
    :ivar digest: SHA-256 of the token, hex.
    """

    name: str
    role: str
    digest: str


@dataclass(frozen=True)
class TokenRevoked(Recorded):
    """An access token was revoked (``sankao token revoke``); it is refused from then on.

    :ivar name: the token's name.
    """

    name: str


@dataclass(frozen=True)
class RulesApplied(Recorded):
    """A set of plugins and their settings was put in force (``plugins apply``).

    The first rules of a store are recorded with its first command, from
    ``plugins.toml``, and are in force from the beginning (``effective`` is None).

    :ivar effective: the first business date the rules apply to, or None for always.
    :ivar plugins: ``{name: {"enabled": bool, "version": str, "settings": {...}}}``.
    """

    effective: date | None
    plugins: dict


@dataclass(frozen=True)
class BatchRecorded(Recorded):
    """A transaction of the record was saved; closes every batch of commands.

    All writers append to this one stream, so two writers saving at once always
    collide and one of them retries having read the other's lines: that keeps
    recorded times in log order and the checks against them honest.

    :ivar lines: how many commands the batch recorded.
    :ivar first_command: the id of its first command.
    :ivar last_command: the id of its last command.
    """

    lines: int
    first_command: str
    last_command: str
