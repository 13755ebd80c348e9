"""Read-only views plugins compute from: the facts and the early-warning cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from types import MappingProxyType

from core.clock import month_end, parse_period
from core.record.state import Facts, Targets

ZERO = Decimal(0)


class FactsView:
    """What plugins may read of the facts (docs/assessment.md §3), read-only.

    The sums and counts come from monthly buckets (``core.record.buckets``): their
    cost does not grow with the number of projects. With a scoring worker of a
    partition, the view holds that partition's units only.
    """

    def __init__(self, facts: Facts):
        self._facts = facts
        if not facts.buckets:
            raise ValueError("FactsView needs Facts(buckets=True)")

    def units(self) -> list[str]:
        """Registered unit ids, ascending."""
        return sorted(self._facts.units)

    def targets(self, unit: str, year: int) -> Targets | None:
        """The unit's targets for the year as last set, or None."""
        found = self._facts.units.get(unit)
        return found.targets.get(year) if found else None

    def projects(self, unit: str) -> tuple:
        """The unit's projects (read-only snapshots) in planning order."""
        return tuple(MappingProxyType(p.as_dict()) for p in self._facts.projects_by_unit.get(unit, ()))

    def _at(self, unit: str, name: str, day: date, amount: bool = False):
        buckets = self._facts.unit_buckets.get(unit)
        if buckets is None:
            return ZERO if amount else 0
        return buckets.at(name, day, self._facts.projects, amount, month_end=day == month_end(day.year, day.month))

    def signed_amount(self, unit: str, through: date) -> Decimal:
        """A(u, d): signed amounts with ``signed_on`` in [year start, d], less withdrawals ≤ d."""
        return self._at(unit, "signed_on", through, amount=True)

    def signed_in_month(self, unit: str, period: str) -> Decimal:
        """M(u, P): signed amounts dated within P, less withdrawals by the end of P."""
        buckets = self._facts.unit_buckets.get(unit)
        return buckets.signed_in_month(*parse_period(period)) if buckets is not None else ZERO

    def count_dated(self, unit: str, attribute: str, through: date) -> int:
        """Projects whose ``attribute`` date lies in [year start, d], not withdrawn by d."""
        return self._at(unit, attribute, through)

    def planned_count(self, unit: str, through: date) -> int:
        """Nplan(u, d)."""
        return self._at(unit, "planned_on", through)

    def landed_count(self, unit: str, through: date) -> int:
        """Nland(u, d)."""
        return self._at(unit, "landed_on", through)


@dataclass
class Case:
    """An early-warning case, as its recorded notices tell it.

    :ivar history: ``(date, level, points, outcome)`` of each notice, in order.
    """

    name: str
    unit: str
    year: int
    opened_on: date
    level: str
    points: Decimal
    outcome: str | None = None
    closed_on: date | None = None
    history: list = field(default_factory=list)

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class CasesView:
    """The early-warning cases, folded from recorded ``NoticeIssued`` events."""

    def __init__(self):
        self._cases: dict[str, Case] = {}
        self._by_unit: dict[str, list[Case]] = {}

    def apply(self, notice) -> None:
        case = self._cases.get(notice.case)
        if case is None:
            case = Case(notice.case, notice.unit, notice.date.year, notice.date, notice.level, notice.points)
            self._cases[notice.case] = case
            self._by_unit.setdefault(notice.unit, []).append(case)
        elif notice.level == "feedback":
            case.outcome, case.closed_on, case.points = notice.outcome, notice.date, notice.points
        else:
            case.level, case.points = notice.level, notice.points
        case.history.append((notice.date, notice.level, notice.points, notice.outcome))

    def of_unit(self, unit: str, year: int | None = None) -> list[Case]:
        """The unit's cases in opening order, optionally of one year only."""
        return [c for c in self._by_unit.get(unit, ()) if year is None or c.year == year]

    def open_case(self, unit: str) -> Case | None:
        return next((c for c in reversed(self._by_unit.get(unit, ())) if c.is_open), None)

    def open_cases(self) -> list[Case]:
        """Every open case, units in id order (docs/assessment.md §7 lists a dispatch's notices so)."""
        return [c for unit in sorted(self._by_unit) for c in self._by_unit[unit] if c.is_open]


class SupervisionView:
    """What plugins may read of supervision (docs/assessment.md §9), read-only: the requirement of self-checks,
    each unit's self-checks, misreported findings, special assessments and listings."""

    def __init__(self, supervision, has_targets):
        """``supervision``: a ``core.record.supervision.Supervision``; ``has_targets(unit, year)``: whether the
        unit has targets for the year by the same record."""
        self._s, self._has_targets = supervision, has_targets

    def required_from(self) -> str | None:
        """The first month of self-checks owed (``YYYY-MM``, by the latest ``require_self_checks``), or None."""
        return self._s.required_from

    def owes(self, unit: str, period: str) -> bool:
        """Whether ``unit`` owes a self-check of ``period``: required from that month on, and the unit has
        targets for its year."""
        first = self._s.required_from
        return first is not None and period >= first and self._has_targets(unit, int(period[:4]))

    def self_check(self, unit: str, period: str) -> date | None:
        """The date of the unit's self-check of ``period``, or None."""
        return self._s.self_checks.get((unit, period))

    def misreports(self, unit: str, period: str) -> int:
        """How many misreported findings about the unit's projects are dated in ``period``."""
        return len(self._s.misreports.get((unit, period), ()))

    def findings(self, unit: str, period: str) -> tuple:
        """The misreported findings about the unit's projects dated in ``period``: ``(draw, project, date)`` each,
        in recorded order."""
        return tuple(self._s.misreports.get((unit, period), ()))

    def specials(self, unit: str, period: str) -> tuple:
        """The points of the unit's special assessments dated in ``period``, in recorded order."""
        return tuple(points for _, points in self._s.specials.get((unit, period), ()))

    def special_assessments(self, unit: str, period: str) -> tuple:
        """The unit's special assessments dated in ``period``: ``(date, points)`` each, in recorded order."""
        return tuple(self._s.specials.get((unit, period), ()))

    def listed(self, unit: str, day: date) -> bool:
        """Whether the unit is under listed supervision (挂牌督战) as at ``day``."""
        return self._s.listed_on(unit, day)


def supervision_view(facts: Facts) -> SupervisionView:
    """The supervision of ``facts``, with their units' targets."""
    def has_targets(unit, year):
        found = facts.units.get(unit)
        return found is not None and year in found.targets
    return SupervisionView(facts.supervision, has_targets)


class PeopleView:
    """What plugins may read of the people and their responsibility chains (docs/assessment.md §8), read-only."""

    def __init__(self, facts: Facts):
        self._facts = facts
        held: dict[str, list[str]] = {}
        for project in facts.projects:  # in planning order
            for person in facts.holders.get(project, {}).values():
                held.setdefault(person, []).append(project)
        self._held = held

    def people(self) -> tuple:
        """Every registered person (``id``, ``unit``, ``name``, ``level``), ids ascending."""
        return tuple(MappingProxyType({"id": p.id, "unit": p.unit, "name": p.name, "level": p.level})
                     for _, p in sorted(self._facts.people.items()))

    def held(self, person: str) -> tuple:
        """The projects ``person`` holds (read-only snapshots as ``FactsView.projects`` gives), in planning
        order: those whose latest ``assign_project`` at the person's level named the person."""
        projects = self._facts.projects
        return tuple(MappingProxyType(projects[p].as_dict()) for p in self._held.get(person, ()) if p in projects)

    def holders(self, project: str) -> dict:
        """``{level: person id}`` of the project's chain (levels never assigned are missing)."""
        return dict(self._facts.holders.get(project, {}))
