"""Scoring, the pure part: what the facts recorded make follow, with no store.

A ``Scoring`` holds the facts (``core.record.state.Facts`` with buckets), each (unit, month)'s
figures as last recorded, each unit's notice version and the last day whose month has
begun. ``apply(event, position)`` takes one recorded fact in log order and produces:

- a ``ScoreChanged`` for every (unit, month) whose figures the fact changed, for the
  months that have begun only (``open_until`` records a month's first figures when it
  begins, docs/assessment.md §7);
- the letters and sheets (``NoticeIssued``) of every dispatch.

Facts recorded at the same instant are scored together; an indicator whose declared
inputs a fact did not touch keeps its value. ``take()`` hands over what was produced.
The runner (``core.engine.scorer.Scorer``) loads the state from the store, feeds the
facts and records what ``take()`` returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from core.clock import UTC, local_date, month_start, parse_period, period_name
from core.engine.figures import Figures, compute
from core.record.reach import first_month_from, first_months_moved
from core.errors import PluginError
from core.record.state import Facts, is_access_event, stream_id
from core.messages import msg
from core.rules.model import NoticeDecision
from core.rules.view import CasesView, FactsView, supervision_view
from events import assessment as out
from events import facts as ev

if TYPE_CHECKING:
    from core.rules.book import RulesBook

SUPERVISION_FACTS = (ev.SelfChecksRequired, ev.SelfCheckFiled, ev.FindingRecorded, ev.SpecialAssessed)
PROJECT_FACTS = (ev.ProjectPlanned, ev.ProjectSigned, ev.ProjectLanded, ev.ConstructionStarted,
                 ev.ProjectWithdrawn, ev.FactCorrected)


@dataclass
class Latest:
    """A unit's figures for a month as last recorded: stream version, figures, rules."""

    version: int
    figures: Figures
    rules: str


def check_notice(facts: Facts, plugin: str, d) -> None:
    """Refuse a dispatch's answer that is not a ``NoticeDecision`` of a known level for a known unit."""
    if not isinstance(d, NoticeDecision) or d.level not in ("green", "orange", "red", "feedback") \
            or d.unit not in facts.units:
        raise PluginError(msg("plugins.nonsense_dispatch", plugin=plugin, value=repr(d)))


class Scoring:
    """State and facts in, consequences out (``ScoreChanged``, ``NoticeIssued``); reads and writes no store."""

    def __init__(self, rulebook: RulesBook, tz: ZoneInfo, facts: Facts, *,
                 latest: dict[tuple[str, str], Latest] | None = None, notice_versions: dict[str, int] | None = None,
                 cases: CasesView | None = None, opened: date | None = None):
        """``facts`` as scored so far (``Facts(buckets=True)``); ``latest`` the figures recorded per (unit,
        period), ``notice_versions`` the version of each unit's notices stream, ``cases`` the early-warning
        cases of the notices recorded, ``opened`` the day up to which months have begun (None: no fact yet)."""
        self.rulebook, self.tz, self.facts = rulebook, tz, facts
        self.view = FactsView(facts)
        self.supervision = supervision_view(facts)
        self.cases = CasesView() if cases is None else cases
        self.latest: dict[tuple[str, str], Latest] = {} if latest is None else latest
        self.notice_versions: dict[str, int] = {} if notice_versions is None else notice_versions
        self.opened = opened
        self.closes_seen = False  # a MonthCloseRequested was applied (the runner resets it)
        self._out: list = []
        self._pending: dict = {}
        self._group_at: datetime | None = None

    def take(self) -> list:
        """The consequences produced since the last ``take``, in order (and forget them)."""
        taken, self._out = self._out, []
        return taken

    def apply(self, event, position: int) -> None:
        """Score one recorded fact at log ``position`` (facts in log order)."""
        if is_access_event(event):  # who may use the API: recorded at its real time, outside the assessment's
            return  # timeline, it moves no month (and opens none)
        at = event.timestamp
        if self._group_at is not None and at != self._group_at:
            self.rescore_pending()
        self._group_at = at
        day = local_date(at, self.tz)
        if self.opened is None or day > self.opened:
            self.rescore_pending()
            self.open_until(day)
        before = None
        if isinstance(event, PROJECT_FACTS):
            held = self.facts.projects.get(event.project)
            before = held.state() if held is not None else None
        self.facts.apply(event, position)
        if isinstance(event, PROJECT_FACTS):
            project = self.facts.projects.get(event.project)
            if project is not None:
                after = project.state()
                changed = frozenset(k for k in after if before is None or before[k] != after[k])
                for year, first in first_months_moved(before, after).items():
                    self._touch(project.unit, year, first, changed, event, position)
        elif isinstance(event, ev.TargetsSet):
            if event.unit in self.facts.units:
                self._touch(event.unit, event.year, 1, frozenset({"targets"}), event, position)
                if self.facts.supervision.required:  # December's self-check is owed on January's board
                    self._touch(event.unit, event.year + 1, 1, frozenset({"targets"}), event, position)
        elif isinstance(event, SUPERVISION_FACTS):
            for unit, year, month in self._supervised(event):
                self._touch(unit, year, month, frozenset({"supervision"}), event, position)
        elif isinstance(event, ev.RulesApplied):
            for unit in self.facts.units.values():
                for year in unit.targets:
                    first = first_month_from(event.effective, year)
                    if first is not None:
                        self._touch(unit.id, year, first, None, event, position)
        elif isinstance(event, ev.DispatchHeld):
            self.rescore_pending()
            for unit in self._dispatch(event, position):
                self._touch(unit, event.date.year, event.date.month, frozenset({"cases"}), event, position)
        elif isinstance(event, ev.MonthCloseRequested):
            self.rescore_pending()  # the month's figures as of the close are what was recorded before it
            self.closes_seen = True

    def _supervised(self, event) -> list[tuple[str, int, int]]:
        """``(unit, year, first month)`` whose deduction a supervision fact may change (docs/assessment.md §9)."""
        if isinstance(event, ev.SelfChecksRequired):  # the latest requirement rules: every month may change
            return [(u.id, year, 1) for u in self.facts.units.values() for year in u.targets]
        if isinstance(event, ev.SelfCheckFiled):  # the board of the month after
            year, month = parse_period(event.period)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        elif isinstance(event, ev.FindingRecorded) and event.result != "misreported":
            return []
        else:  # a misreported finding, a special assessment: the month of their date
            year, month = event.date.year, event.date.month
        return [(event.unit, year, month)] if event.unit in self.facts.units else []

    def _touch(self, unit: str, year: int, first: int, changed, cause, position: int) -> None:
        found = self._pending.get((unit, year))
        if found is None:
            self._pending[(unit, year)] = [first, changed, cause, position]
            return
        found[0] = min(found[0], first)
        found[1] = None if found[1] is None or changed is None else found[1] | changed
        found[2], found[3] = cause, position

    def last_open_month(self, year: int) -> int:
        """The last month of ``year`` that has begun (0: none, 12: the whole year)."""
        if self.opened is None or self.opened.year < year:
            return 0
        return 12 if self.opened.year > year else self.opened.month

    def rescore_pending(self) -> None:
        """Rescore the (unit, month)s the facts applied since the last rescore touched, in the months begun."""
        pending, self._pending = self._pending, {}
        for (unit, year), (first, changed, cause, position) in sorted(pending.items()):
            if self.view.targets(unit, year) is None:
                continue
            for month in range(first, self.last_open_month(year) + 1):
                self._rescore(unit, period_name(year, month), changed, cause.timestamp, cause.command_id, position)

    def open_until(self, day: date) -> None:
        """Record the first figures of every month that begins after the last one opened and by ``day``."""
        if self.opened is None:
            self.opened = day  # the first fact: nothing was assessed before it
            return
        year, month = self.opened.year, self.opened.month
        while (year, month) < (day.year, day.month):
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
            period = period_name(year, month)
            begins = datetime.combine(month_start(year, month), time(0), self.tz).astimezone(UTC)
            for unit in sorted(self.facts.units):
                if self.view.targets(unit, year) is not None:
                    self._rescore(unit, period, None, begins, f"open:{period}", self.facts.position)
        self.opened = day

    def _rescore(self, unit: str, period: str, changed, at: datetime, command_id: str, position: int) -> None:
        year, month = parse_period(period)
        rule = self.rulebook.in_force(self.facts.rules, month_start(year, month))
        ps = self.rulebook.manager(rule)
        previous = self.latest.get((unit, period))
        same_rules = previous is not None and previous.rules == rule.command_id
        figures = compute(ps, unit, period, self.view, self.cases,
                          previous.figures if same_rules else None, changed if same_rules else None, self.supervision)
        if previous is None and not figures.assessed:
            return
        if previous is not None and previous.figures == figures:
            return
        version = previous.version + 1 if previous is not None else 1
        self._out.append(out.ScoreChanged(
            originator_id=stream_id("figures", f"{unit}/{period}"), originator_version=version, timestamp=at,
            command_id=command_id, position=position, unit=unit, period=period, rules=rule.command_id,
            **figures.as_event_data()))
        self.latest[(unit, period)] = Latest(version, figures, rule.command_id)

    def _dispatch(self, event: ev.DispatchHeld, position: int) -> set[str]:
        rule = self.rulebook.in_force(self.facts.rules, event.date)
        ps = self.rulebook.manager(rule)
        touched = set()
        for plugin, decisions in ps.each("sankao_dispatch", date=event.date, facts=self.view, cases=self.cases):
            for d in decisions or ():
                check_notice(self.facts, plugin, d)
                version = self.notice_versions.get(d.unit, 0) + 1
                self.notice_versions[d.unit] = version
                notice = out.NoticeIssued(
                    originator_id=stream_id("notices", d.unit), originator_version=version,
                    timestamp=event.timestamp, command_id=event.command_id, position=position, unit=d.unit,
                    case=d.case, level=d.level, date=d.date, lag=d.lag, points=d.points, outcome=d.outcome,
                    policy=plugin)
                self.cases.apply(notice)
                self._out.append(notice)
                touched.add(d.unit)
        return touched
