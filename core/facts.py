"""The facts as recorded: a projection of the record log, folded event by event.

``Facts.apply(event, position)`` is the only way state changes, and it does no
I/O; the write side decides against it and the scoring process reads it through
``core.view.FactsView``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime
from decimal import Decimal
from functools import singledispatchmethod
from uuid import NAMESPACE_URL, UUID, uuid5

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


@dataclass
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


@dataclass
class Rules:
    """One ``RulesApplied``: which plugins are in force from ``effective`` on."""

    command_id: str
    position: int
    effective: date | None
    plugins: dict


@dataclass
class Facts:
    units: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)
    projects_by_unit: dict = field(default_factory=dict)
    dispatches: list = field(default_factory=list)  # dates, in recorded order
    closed: set = field(default_factory=set)  # periods
    office_version: int = 0
    log_version: int = 0  # of the BatchRecorded stream
    rules: list = field(default_factory=list)  # Rules, in recorded order
    command_ids: set = field(default_factory=set)
    position: int = 0  # the last applied notification id
    last_recorded: datetime | None = None

    @property
    def rules_version(self) -> int:
        return len(self.rules)

    def apply(self, event: ev.Recorded, position: int | None) -> None:
        """Fold one recorded event (at its log ``position``, None while unsaved) into the facts."""
        self._apply(event)
        self.command_ids.add(event.command_id)
        if position is not None:
            self.position = position
        if self.last_recorded is None or event.timestamp > self.last_recorded:
            self.last_recorded = event.timestamp
        if isinstance(event, ev.RulesApplied):
            self.rules.append(Rules(event.command_id, position, event.effective, event.plugins))

    @singledispatchmethod
    def _apply(self, event) -> None:
        raise TypeError(f"no fact projection for {type(event).__name__}")

    @_apply.register
    def _(self, e: ev.UnitRegistered) -> None:
        self.units[e.unit] = Unit(e.unit, e.name, e.category)
        self.projects_by_unit.setdefault(e.unit, [])

    @_apply.register
    def _(self, e: ev.TargetsSet) -> None:
        unit = self.units[e.unit]
        unit.targets[e.year] = Targets(e.year, e.annual, list(e.quarterly), e.monthly,
                                       e.planned, e.landed, dict(e.weights))
        unit.version = e.originator_version

    @_apply.register
    def _(self, e: ev.ProjectPlanned) -> None:
        project = Project(e.project, e.unit, e.name, e.planned_on)
        self.projects[e.project] = project
        self.projects_by_unit.setdefault(e.unit, []).append(project)

    @_apply.register
    def _(self, e: ev.ProjectSigned) -> None:
        self._project(e).__dict__.update(signed_on=e.signed_on, signed_amount=e.amount)

    @_apply.register
    def _(self, e: ev.ProjectLanded) -> None:
        self._project(e).landed_on = e.landed_on

    @_apply.register
    def _(self, e: ev.ConstructionStarted) -> None:
        self._project(e).started_on = e.started_on

    @_apply.register
    def _(self, e: ev.ProjectWithdrawn) -> None:
        self._project(e).withdrawn_on = e.withdrawn_on

    @_apply.register
    def _(self, e: ev.FactCorrected) -> None:
        setattr(self._project(e), e.field, e.value)

    @_apply.register
    def _(self, e: ev.DispatchHeld) -> None:
        self.dispatches.append(e.date)
        self.office_version = e.originator_version

    @_apply.register
    def _(self, e: ev.MonthCloseRequested) -> None:
        self.closed.add(e.period)
        self.office_version = e.originator_version

    @_apply.register
    def _(self, e: ev.RulesApplied) -> None:
        pass

    @_apply.register
    def _(self, e: ev.BatchRecorded) -> None:
        self.log_version = e.originator_version

    def _project(self, e) -> Project:
        project = self.projects[e.project]
        project.version = e.originator_version
        return project
