"""The facts as recorded: a projection of the record, folded event by event.

``Facts.apply(event, position)`` is the only way state changes, and it does no
I/O. It may hold only part of the record: the write side loads the units and
projects a batch of commands touches (``Ledger``), a scoring worker keeps the units
of its partition (``partition``); events about anything it does not hold are
passed over. With ``buckets`` it keeps each unit's projects in monthly buckets
(``core.record.buckets``) for the scorer's constant-time sums.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5

from core.record.buckets import UnitBuckets
from core.record.supervision import Draw, Supervision
from events import facts as ev

_NS = uuid5(NAMESPACE_URL, "https://sankao.invalid/streams")


@lru_cache(maxsize=65536)
def stream_id(kind: str, key: str = "") -> UUID:
    """The id of the event stream of a unit, a project, the office or the rules."""
    return uuid5(_NS, f"{kind}:{key}")


@dataclass
class Targets:
    year: int
    annual: Decimal
    quarterly: list
    monthly: Decimal
    planned: int
    landed: int
    weights: dict


@dataclass
class Unit:
    id: str
    name: str
    category: str
    version: int = 1
    targets: dict = field(default_factory=dict)  # year -> Targets


@dataclass(slots=True)
class Project:
    id: str
    unit: str
    name: str
    planned_on: date
    version: int = 1
    signed_on: date | None = None
    signed_amount: Decimal | None = None
    landed_on: date | None = None
    started_on: date | None = None
    withdrawn_on: date | None = None

    def as_dict(self) -> dict:
        return {"id": self.id, "unit": self.unit, "name": self.name, "planned_on": self.planned_on,
                "version": self.version, "signed_on": self.signed_on, "signed_amount": self.signed_amount,
                "landed_on": self.landed_on, "started_on": self.started_on, "withdrawn_on": self.withdrawn_on}

    def state(self) -> dict:
        """The dated fields and the amount (what ``core.record.reach`` compares)."""
        return {"planned_on": self.planned_on, "signed_on": self.signed_on, "signed_amount": self.signed_amount,
                "landed_on": self.landed_on, "started_on": self.started_on, "withdrawn_on": self.withdrawn_on}


@dataclass(slots=True)
class Person:
    id: str
    unit: str
    name: str
    level: str  # leader, director or officer


@dataclass
class Rules:
    """One ``RulesApplied``: which plugins are in force from ``effective`` on."""

    command_id: str
    position: int | None
    effective: date | None
    plugins: dict


@dataclass
class Facts:
    """What the record says, or the part of it this process holds.

    :ivar partition: which units this holds (None: every unit).
    :ivar buckets: keep monthly buckets per unit (what ``FactsView`` reads), or not (the write side).
    """

    partition: Callable[[str], bool] | None = None
    buckets: bool = True
    units: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)
    projects_by_unit: dict = field(default_factory=dict)
    unit_buckets: dict = field(default_factory=dict)
    dispatches: list = field(default_factory=list)  # dates, in recorded order
    closed: set = field(default_factory=set)  # periods
    years_closed: set = field(default_factory=set)  # years (close_year)
    people: dict = field(default_factory=dict)  # person id -> Person
    holders: dict = field(default_factory=dict)  # project id -> {level: person id} (docs/assessment.md §8)
    tokens: dict = field(default_factory=dict)  # token name -> [role, revoked] (the write side's checks)
    tokens_version: int = 0
    office_version: int = 0
    log_version: int = 0  # of the BatchRecorded stream
    rules: list = field(default_factory=list)  # Rules, in recorded order
    supervision: Supervision = field(default_factory=Supervision)  # docs/assessment.md §9
    command_ids: set = field(default_factory=set)  # ids this process recorded or saw recorded
    position: int = 0  # the last applied log position
    last_recorded: datetime | None = None

    @property
    def rules_version(self) -> int:
        return len(self.rules)

    def holds(self, unit: str) -> bool:
        return self.partition is None or self.partition(unit)

    def apply(self, event: ev.Recorded, position: int | None) -> None:
        """Fold one recorded event (at its log ``position``, None while unsaved) into the facts."""
        self._apply(event)
        self.command_ids.add(event.command_id)
        if position is not None:
            self.position = position
        if (self.last_recorded is None or event.timestamp > self.last_recorded) and not is_access_event(event):
            self.last_recorded = event.timestamp
        if isinstance(event, ev.RulesApplied):
            self.rules.append(Rules(event.command_id, position, event.effective, event.plugins))

    def _apply(self, event) -> None:
        handler = _HANDLERS.get(type(event))
        if handler is None:
            raise TypeError(f"no fact projection for {type(event).__name__}")
        handler(self, event)

    def _unit_registered(self, e: ev.UnitRegistered) -> None:
        if self.holds(e.unit):
            self.units[e.unit] = Unit(e.unit, e.name, e.category)
            self.projects_by_unit.setdefault(e.unit, [])
            if self.buckets:
                self.unit_buckets.setdefault(e.unit, UnitBuckets())

    def _targets_set(self, e: ev.TargetsSet) -> None:
        unit = self.units.get(e.unit)
        if unit is not None:
            unit.targets[e.year] = Targets(e.year, e.annual, list(e.quarterly), e.monthly,
                                           e.planned, e.landed, dict(e.weights))
            unit.version = e.originator_version

    def _project_planned(self, e: ev.ProjectPlanned) -> None:
        if self.holds(e.unit):
            project = Project(e.project, e.unit, e.name, e.planned_on)
            self.projects[e.project] = project
            self.projects_by_unit.setdefault(e.unit, []).append(project)
            if self.buckets:
                self.unit_buckets.setdefault(e.unit, UnitBuckets()).change(project, 1)

    def _project_signed(self, e: ev.ProjectSigned) -> None:
        self._change(e, signed_on=e.signed_on, signed_amount=e.amount)

    def _project_landed(self, e: ev.ProjectLanded) -> None:
        self._change(e, landed_on=e.landed_on)

    def _construction_started(self, e: ev.ConstructionStarted) -> None:
        self._change(e, started_on=e.started_on)

    def _project_withdrawn(self, e: ev.ProjectWithdrawn) -> None:
        self._change(e, withdrawn_on=e.withdrawn_on)

    def _fact_corrected(self, e: ev.FactCorrected) -> None:
        self._change(e, **{e.field: e.value})

    def _dispatch_held(self, e: ev.DispatchHeld) -> None:
        self.dispatches.append(e.date)
        self.office_version = e.originator_version

    def _month_close_requested(self, e: ev.MonthCloseRequested) -> None:
        self.closed.add(e.period)
        self.office_version = e.originator_version

    def _rules_applied(self, e: ev.RulesApplied) -> None:
        pass

    def _year_close_requested(self, e: ev.YearCloseRequested) -> None:
        self.years_closed.add(e.year)
        self.office_version = e.originator_version

    def _person_registered(self, e: ev.PersonRegistered) -> None:
        if self.holds(e.unit):
            self.people[e.person] = Person(e.person, e.unit, e.name, e.level)

    def _token_issued(self, e: ev.TokenIssued) -> None:
        self.tokens[e.name] = [e.role, False]
        self.tokens_version = e.originator_version

    def _token_revoked(self, e: ev.TokenRevoked) -> None:
        if e.name in self.tokens:
            self.tokens[e.name][1] = True
        self.tokens_version = e.originator_version

    def _project_assigned(self, e: ev.ProjectAssigned) -> None:
        project = self.projects.get(e.project)
        if project is None:  # a project of another partition, or not loaded here
            return
        self.holders.setdefault(e.project, {})[e.level] = e.person
        project.version = e.originator_version

    # -- supervision (docs/assessment.md §9): the unit's own on its stream, draws on theirs
    def _self_checks_required(self, e: ev.SelfChecksRequired) -> None:
        self.supervision.require(e.first)

    def _on_unit(self, e) -> bool:
        unit = self.units.get(e.unit)
        if unit is None:  # a unit of another partition, or not loaded here
            return False
        unit.version = e.originator_version
        return True

    def _self_check_filed(self, e: ev.SelfCheckFiled) -> None:
        if self._on_unit(e):
            self.supervision.self_check(e.unit, e.period, e.date)

    def _special_assessed(self, e: ev.SpecialAssessed) -> None:
        if self._on_unit(e):
            self.supervision.special(e.unit, e.date, e.points)

    def _unit_listed(self, e) -> None:
        if self._on_unit(e):
            self.supervision.listing(e.unit, e.date, isinstance(e, ev.UnitListed))

    def _spot_check_drawn(self, e: ev.SpotCheckDrawn) -> None:
        self.supervision.draws[e.draw] = Draw(e.draw, e.period, e.size, e.seed, e.date, e.candidates,
                                              [tuple(s) for s in e.sample])

    def _finding_recorded(self, e: ev.FindingRecorded) -> None:
        draw = self.supervision.draws.get(e.draw)
        if draw is not None:
            draw.findings[e.project] = (e.result, e.date)
            draw.version = e.originator_version
        if self.holds(e.unit):
            self.supervision.finding(e.unit, e.date, e.result, e.draw, e.project)

    def _batch_recorded(self, e: ev.BatchRecorded) -> None:
        self.log_version = e.originator_version

    def _change(self, e, **values) -> None:
        project = self.projects.get(e.project)
        if project is None:  # a project of another partition, or not loaded here
            return
        buckets = self.unit_buckets.get(project.unit) if self.buckets else None
        if buckets is not None:
            buckets.change(project, -1)
        for name, value in values.items():
            setattr(project, name, value)
        project.version = e.originator_version
        if buckets is not None:
            buckets.change(project, 1)


def is_access_event(event) -> bool:
    """Whether ``event`` records who may use the API (a token, or the batch that saved one): recorded at its real
    time, outside the assessment's timeline, so a year of past commands may still be recorded after it."""
    return isinstance(event, (ev.TokenIssued, ev.TokenRevoked)) or \
        isinstance(event, ev.BatchRecorded) and event.first_command.startswith("token:")


_HANDLERS = {getattr(ev, name.split(".")[1]): getattr(Facts, method) for name, method in {
    "ev.UnitRegistered": "_unit_registered", "ev.TargetsSet": "_targets_set", "ev.ProjectPlanned": "_project_planned",
    "ev.ProjectSigned": "_project_signed", "ev.ProjectLanded": "_project_landed",
    "ev.ConstructionStarted": "_construction_started", "ev.ProjectWithdrawn": "_project_withdrawn",
    "ev.FactCorrected": "_fact_corrected", "ev.DispatchHeld": "_dispatch_held",
    "ev.MonthCloseRequested": "_month_close_requested", "ev.RulesApplied": "_rules_applied",
    "ev.BatchRecorded": "_batch_recorded", "ev.YearCloseRequested": "_year_close_requested",
    "ev.PersonRegistered": "_person_registered", "ev.ProjectAssigned": "_project_assigned",
    "ev.TokenIssued": "_token_issued", "ev.TokenRevoked": "_token_revoked",
    "ev.SelfChecksRequired": "_self_checks_required", "ev.SelfCheckFiled": "_self_check_filed",
    "ev.SpecialAssessed": "_special_assessed", "ev.UnitListed": "_unit_listed", "ev.UnitDelisted": "_unit_listed",
    "ev.SpotCheckDrawn": "_spot_check_drawn", "ev.FindingRecorded": "_finding_recorded"}.items()}
