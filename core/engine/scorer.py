"""The scoring process: follows the record and records what follows from it.

For the units of its partition (all units with one worker), a ``Scorer`` reads
the facts in log order and records:

- a ``ScoreChanged`` for every (unit, month) whose figures a fact changed, for the
  months that have begun only: a month's figures are first recorded when it
  begins (docs/assessment.md §7: a board exists from the month's first day), at the first
  fact recorded on or after that day or when the worker looks at the clock;
- the letters and sheets (``NoticeIssued``) of every dispatch.

Facts recorded at the same instant are scored together (a query can only see
them together); an indicator whose declared inputs a fact did not touch keeps its
value. The output of a chunk of facts is saved in one transaction with the
position reached and the read model rows, so a crash neither loses nor doubles
anything, and two workers of the same partition cannot both record a chunk.
Month closes are frozen by ``core.engine.closer`` once every partition is past
them. Restarting costs a snapshot plus the facts since, not the whole log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from eventsourcing.persistence import IntegrityError

from core.clock import UTC, local_date, month_start, now, parse_period, period_name
from core.engine import snapshot
from core.engine.closer import Closer
from core.engine.figures import Figures, compute
from core.engine.partitions import partition_of, tracker_name
from core.engine.ranking import first_answer, rank_board
from core.engine.reach import first_month_from, first_months_moved
from core.errors import PluginError
from core.messages import msg
from core.facts import Facts, stream_id
from core.model import BoardEntry, NoticeDecision
from core.plugins import build_manager
from core.rules import RulesBook
from core.store.app import SankaoApplication
from core.view import CasesView, FactsView
from core.facts import is_access_event
from events import CONSEQUENCE_TOPICS
from events import assessment as out
from events import facts as ev

PROJECT_FACTS = (ev.ProjectPlanned, ev.ProjectSigned, ev.ProjectLanded, ev.ConstructionStarted,
                 ev.ProjectWithdrawn, ev.FactCorrected)


@dataclass
class Latest:
    """A unit's figures for a month as last recorded: stream version, figures, rules."""

    version: int
    figures: Figures
    rules: str


class Scorer:
    """Catches the assessment of one partition up with the record."""

    chunk = 1000
    snapshot_every = 50_000

    def __init__(self, app: SankaoApplication, rulebook: RulesBook, tz: ZoneInfo, *, partition: tuple = (0, 1),
                 clock=now):
        """``clock`` says when a month has begun; None: only when a fact on or after its first day arrives
        (a year replayed from its record opens its months as they came, never all at once)."""
        self.app, self.rulebook, self.tz, self.clock = app, rulebook, tz, clock
        self.index, self.count = partition
        self.name = tracker_name(self.index, self.count)
        self.closer = Closer(app, rulebook)
        self._state_at: int | None = None
        self._closes_seen = False

    def holds(self, unit: str) -> bool:
        return self.count == 1 or partition_of(unit, self.count) == self.index

    def done(self) -> int:
        """The position of the last fact scored."""
        return self.app.recorder.tracking(self.name)[0]

    def behind(self) -> int:
        """How many facts are recorded but not scored yet (by this partition)."""
        done = self.done()
        if self.app.recorder.last_position(CONSEQUENCE_TOPICS) <= done:
            return 0
        return self.app.recorder.count_after(done, CONSEQUENCE_TOPICS)

    # -- state -----------------------------------------------------------------
    def _load_state(self) -> None:
        done, data = self.app.recorder.tracking(self.name)
        if self._state_at == done:
            return
        self.app.read_models.catch_up()
        self.facts = Facts(partition=self.holds if self.count > 1 else None, buckets=True)
        self.view, self.cases = FactsView(self.facts), CasesView()
        found = snapshot.latest(self.app.recorder, self.name, done)
        if found is not None:
            snapshot.decode(found[1], self.app.mapper.transcoder, self.facts)
        self._snapshot_at = self.facts.position
        start = self.facts.position + 1
        while start <= done:
            batch = self.app.recorder.select_notifications(start=start, limit=5000, stop=done,
                                                           exclude=CONSEQUENCE_TOPICS)
            for n in batch:
                self.facts.apply(self.app.mapper.to_domain_event(n), n.id)
            if not batch:
                break
            start = batch[-1].id + 1
        self.facts.position = done
        self._load_derived()
        kept = json.loads(data) if data else {}
        self.opened = date.fromisoformat(kept["opened"]) if kept.get("opened") else None
        self._state_at = done

    def _load_derived(self) -> None:
        """What this partition recorded so far, from the read models (current with the tracking)."""
        self.latest: dict[tuple[str, str], Latest] = {}
        for period, unit, version, data in self.app.read_models.latest_figures():
            if self.holds(unit):
                row = json.loads(data)
                self.latest[(unit, period)] = Latest(version, Figures.from_data(row), row["rules"])
        self.notice_versions: dict[str, int] = {}
        for unit, version, data in self.app.read_models.notices_in_order():
            if self.holds(unit):
                row = json.loads(data)
                self.cases.apply(SimpleNamespace(unit=unit, case=row["case"], level=row["level"],
                                                 date=date.fromisoformat(row["date"]), points=_dec(row["points"]),
                                                 outcome=row["outcome"]))
                self.notice_versions[unit] = version

    # -- running ---------------------------------------------------------------
    def run(self, progress=None) -> int:
        """Score every fact not scored yet, open the months that have begun, freeze what can be frozen.

        Returns how many facts it scored.
        """
        total = 0
        while True:
            self._load_state()
            start = self._state_at
            batch = self.app.recorder.select_notifications(start=start + 1, limit=self.chunk,
                                                           exclude=CONSEQUENCE_TOPICS)
            self._out, self._pending, self._group_at = [], {}, None
            try:
                if batch:
                    for n in batch:
                        self._process(self.app.decode(n), n.id)
                    self._flush()
                    reached = batch[-1].id
                else:  # caught up: the clock may have moved into a month not begun before
                    if self.clock is not None:
                        self._open_until(local_date(self.clock(), self.tz))
                    reached = start
                if batch or self._out:
                    self.app.record(self._out, track=(self.name, start, reached, self._kept()))
            except IntegrityError:
                self._state_at = None  # another worker of this partition got there first: reload, go on
                continue
            except BaseException:
                self._state_at = None  # nothing of this chunk was recorded; forget it
                raise
            self._state_at = reached
            since = reached - self._snapshot_at
            if since >= self.snapshot_every and (not batch or since >= 10 * self.snapshot_every):
                self.take_snapshot()  # when caught up (a snapshot costs as much as the facts held), or seldom
            if self._closes_seen or not batch:  # a close to freeze, here or (when caught up) by another worker
                self.closer.run()
                self._closes_seen = False
            if not batch:
                return total
            total += len(batch)
            if progress:
                progress(len(batch))

    def _kept(self) -> str:
        return json.dumps({"opened": self.opened.isoformat() if self.opened else None})

    def take_snapshot(self) -> None:
        """Save what this worker holds, at the position it has reached."""
        data = snapshot.encode(self.facts, self.app.mapper.transcoder, {})
        snapshot.save(self.app.recorder, self.name, self.facts.position, data, now())
        self._snapshot_at = self.facts.position

    def _process(self, event, position: int) -> None:
        if is_access_event(event):  # who may use the API: recorded at its real time, outside the assessment's
            return  # timeline, it moves no month (and opens none)
        at = event.timestamp
        if self._group_at is not None and at != self._group_at:
            self._flush()
        self._group_at = at
        day = local_date(at, self.tz)
        if self.opened is None or day > self.opened:
            self._flush()
            self._open_until(day)
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
        elif isinstance(event, ev.RulesApplied):
            for unit in self.facts.units.values():
                for year in unit.targets:
                    first = first_month_from(event.effective, year)
                    if first is not None:
                        self._touch(unit.id, year, first, None, event, position)
        elif isinstance(event, ev.DispatchHeld):
            self._flush()
            for unit in self._dispatch(event, position):
                self._touch(unit, event.date.year, event.date.month, frozenset({"cases"}), event, position)
        elif isinstance(event, ev.MonthCloseRequested):
            self._flush()  # the month's figures as of the close are what was recorded before it
            self._closes_seen = True

    def _touch(self, unit: str, year: int, first: int, changed, cause, position: int) -> None:
        found = self._pending.get((unit, year))
        if found is None:
            self._pending[(unit, year)] = [first, changed, cause, position]
            return
        found[0] = min(found[0], first)
        found[1] = None if found[1] is None or changed is None else found[1] | changed
        found[2], found[3] = cause, position

    def _last_open_month(self, year: int) -> int:
        if self.opened is None or self.opened.year < year:
            return 0
        return 12 if self.opened.year > year else self.opened.month

    def _flush(self) -> None:
        pending, self._pending = self._pending, {}
        for (unit, year), (first, changed, cause, position) in sorted(pending.items()):
            if self.view.targets(unit, year) is None:
                continue
            for month in range(first, self._last_open_month(year) + 1):
                self._rescore(unit, period_name(year, month), changed, cause.timestamp, cause.command_id, position)

    def _open_until(self, day: date) -> None:
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
                          previous.figures if same_rules else None, changed if same_rules else None)
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
                self._check_notice(plugin, d)
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

    def _check_notice(self, plugin: str, d) -> None:
        if not isinstance(d, NoticeDecision) or d.level not in ("green", "orange", "red", "feedback") \
                or d.unit not in self.facts.units:
            raise PluginError(msg("plugins.nonsense_dispatch", plugin=plugin, value=repr(d)))

    # -- trying rules without recording ------------------------------------------------
    def trial(self, plugins: dict) -> dict:
        """Run a proposed set of plugins over the facts scored so far, recording nothing.

        Every hook is exercised (indicators and coefficient for every unit and month
        that has begun, a dispatch on the last dispatch date, ranking and month-close
        consequences), so a plugin that raises or answers nonsense is named before
        its rules are put in force. Returns ``{(unit, period): Figures}``.
        """
        from core.engine.figures import derive
        ps = build_manager(plugins, self.rulebook.installed)
        self._load_state()
        computed = {}
        for year in sorted({y for unit in self.facts.units.values() for y in unit.targets}):
            for month in range(1, max(1, self._last_open_month(year)) + 1):
                period = period_name(year, month)
                entries = []
                for unit in sorted(self.facts.units):
                    if self.view.targets(unit, year) is None:
                        continue
                    figures = computed[(unit, period)] = compute(ps, unit, period, self.view, self.cases)
                    if figures.assessed:
                        d = derive(figures)
                        entries.append(BoardEntry(unit, d.base, d.coefficient, d.deduction, d.final,
                                                  d.signed_amount, d.indicators))
                ranked = rank_board(ps, period, entries)[0] if entries else []
                first_answer(ps, "sankao_close_month", period=period, board=ranked, closed={})
        if self.facts.dispatches:
            day = self.facts.dispatches[-1]
            for plugin, decisions in ps.each("sankao_dispatch", date=day, facts=self.view, cases=self.cases):
                for d in decisions or ():
                    self._check_notice(plugin, d)
        return computed

    def preview(self, plugins: dict, effective: date | None) -> dict[str, list[tuple]]:
        """The months whose figures ``plugins`` in force from ``effective`` would move, recording nothing.

        Runs ``trial`` first. Returns ``{period: [(unit, final now, final then), …]}``
        for every month begun that begins on or after ``effective``, units whose
        final would change (``None``: not on that board).
        """
        proposed = self.trial(plugins)
        moved: dict[str, list[tuple]] = {}
        for (unit, period), figures in sorted(proposed.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            year, month = parse_period(period)
            first = first_month_from(effective, year)
            if first is None or month < first:
                continue
            now_ = self.latest.get((unit, period))
            before = _dec(now_.figures.final) if now_ is not None and now_.figures.assessed else None
            after = _dec(figures.final) if figures.assessed else None
            if before != after:
                moved.setdefault(period, []).append((unit, before, after))
        return moved


def _dec(text):
    from decimal import Decimal
    return Decimal(text)
