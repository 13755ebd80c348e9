"""The scoring process: follows the record and records the consequences.

For every recorded fact, in recorded order, it recomputes the figures of each
(unit, month) the fact may change, with the rules in force for that month, and
records a ``ScoreChanged`` where they did change; a dispatch records its
``NoticeIssued`` letters and sheets; a month close records the ``BoardFrozen``.
Its output is saved together with its position in the record (tracking), one
transaction per chunk, so a crash neither loses nor doubles anything.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from eventsourcing.persistence import IntegrityError

from core.clock import month_end, month_start, parse_period, period_name
from core.errors import PluginError
from core.facts import Facts, stream_id
from core.model import BoardEntry, Measure, NoticeDecision
from core.plugins import build_manager
from core.reach import months_moved
from core.rules import RulesBook
from core.store.app import SankaoApplication
from core.view import CasesView, FactsView
from events import CONSEQUENCE_TOPICS
from events import assessment as out
from events import facts as ev

ZERO, ONE, HUNDRED = Decimal(0), Decimal(1), Decimal(100)
_PROJECT_FACTS = (ev.ProjectPlanned, ev.ProjectSigned, ev.ProjectLanded, ev.ConstructionStarted,
                  ev.ProjectWithdrawn, ev.FactCorrected)


def project_state(project) -> dict:
    return {"planned_on": project.planned_on, "signed_on": project.signed_on,
            "signed_amount": project.signed_amount, "landed_on": project.landed_on,
            "started_on": project.started_on, "withdrawn_on": project.withdrawn_on}


def board_stream(period: str):
    return stream_id("board", period)


NOTICES = stream_id("notices")


class Scorer:
    """Catches the assessment up with the record."""

    chunk = 100
    name = "scorer"

    def __init__(self, app: SankaoApplication, rulebook: RulesBook):
        self.app, self.rulebook = app, rulebook
        self._state_at: int | None = None

    def done(self) -> int:
        """The position of the last fact scored."""
        return self.app.recorder.max_tracking_id(self.name) or 0

    def behind(self) -> int:
        """How many facts are recorded but not scored yet."""
        return self.app.recorder.count_after(self.done(), CONSEQUENCE_TOPICS)

    # -- state -----------------------------------------------------------------
    def _load_state(self) -> None:
        done = self.done()
        if self._state_at == done:
            return
        self.facts, self.cases = Facts(), CasesView()
        self.view = FactsView(self.facts)
        self.latest: dict = {}
        self.frozen: dict = {}
        self.versions: dict = defaultdict(int)
        start = 1
        while start <= done:
            batch = self.app.recorder.select_notifications(start=start, limit=2000, stop=done,
                                                           exclude=CONSEQUENCE_TOPICS)
            for n in batch:
                self.facts.apply(self.app.mapper.to_domain_event(n), n.id)
            if not batch:
                break
            start = batch[-1].id + 1
        self._load_derived()
        self._state_at = done

    def _load_derived(self) -> None:
        """What the scoring needs of its own past output: every notice, and per month the
        stream's version, each unit's latest figures and the frozen board.

        A month's stream is read newest first and only until every unit with targets
        (and, for a closed month, its frozen board) has been seen.
        """
        for event in self.app.events.get(NOTICES):
            self._remember(event)
        years = {y for unit in self.facts.units.values() for y in unit.targets}
        years |= {parse_period(p)[0] for p in self.facts.closed}
        for year in sorted(years):
            wanted = {u.id for u in self.facts.units.values() if year in u.targets}
            for month in range(1, 13):
                period = period_name(year, month)
                stream = board_stream(period)
                missing, frozen_missing = set(wanted), period in self.facts.closed
                for event in self.app.events.get(stream, desc=True):
                    self.versions.setdefault(stream, event.originator_version)
                    if isinstance(event, out.BoardFrozen) and frozen_missing:
                        self.frozen[period], frozen_missing = event.entries, False
                    elif isinstance(event, out.ScoreChanged) and event.unit in missing:
                        self.latest[(event.unit, period)] = event
                        missing.discard(event.unit)
                    if not missing and not frozen_missing:
                        break

    def _remember(self, event) -> None:
        self.versions[event.originator_id] = event.originator_version
        if isinstance(event, out.ScoreChanged):
            self.latest[(event.unit, event.period)] = event
        elif isinstance(event, out.NoticeIssued):
            self.cases.apply(event)
        elif isinstance(event, out.BoardFrozen):
            self.frozen[event.period] = event.entries

    # -- running ---------------------------------------------------------------
    def run(self, progress=None) -> int:
        """Process every record event not processed yet; returns how many."""
        total = 0
        while True:
            self._load_state()
            start = self._state_at
            batch = self.app.recorder.select_notifications(start=start + 1, limit=self.chunk,
                                                           exclude=CONSEQUENCE_TOPICS)
            if not batch:
                return total
            derived_events = []
            try:
                for n in batch:
                    event = self.app.mapper.to_domain_event(n)
                    before = self._project_state(event)
                    self.facts.apply(event, n.id)
                    self.view.invalidate()
                    for derived in self._consequences(event, n.id, before):
                        self._remember(derived)
                        derived_events.append(derived)
                # the consequences and the position they reach, in one transaction
                self.app.events.put(derived_events, track=(self.name, start, batch[-1].id))
            except IntegrityError:
                self._state_at = None  # another scorer got there first: reload and go on
                continue
            except BaseException:
                self._state_at = None  # nothing of this chunk was recorded; forget it
                raise
            self._state_at = batch[-1].id
            total += len(batch)
            if progress:
                progress(len(batch))

    def trial(self, plugins: dict) -> dict:
        """Run a proposed set of plugins over the facts scored so far, recording nothing.

        Every hook is exercised (indicators and coefficient for every unit and month
        with targets, a dispatch on the last dispatch date, ranking and month-close
        consequences), so a plugin that raises or answers nonsense is named before
        its rules are put in force. Returns ``{(unit, period): figures}``.
        """
        ps = build_manager(plugins, self.rulebook.installed)
        self._load_state()
        computed = {}
        for year in sorted({y for unit in self.facts.units.values() for y in unit.targets}):
            for month in range(1, 13):
                period = period_name(year, month)
                entries = []
                for unit in sorted(self.facts.units):
                    if self.view.targets(unit, year) is not None:
                        figures = computed[(unit, period)] = self.figures(ps, unit, period)
                        if figures["assessed"]:
                            entries.append(BoardEntry(unit, figures["base"], figures["coefficient"],
                                                      figures["deduction"], figures["final"],
                                                      figures["signed_amount"], figures["indicators"]))
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
        for every month that begins on or after ``effective``, units whose final
        would change (``None``: not on that board).
        """
        proposed = self.trial(plugins)
        moved: dict[str, list[tuple]] = {}
        for (unit, period), figures in sorted(proposed.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            year, month = parse_period(period)
            first = first_month_from(effective, year)
            if first is None or month < first:
                continue
            now = self.latest.get((unit, period))
            before = now.final if now is not None and now.assessed else None
            after = figures["final"] if figures["assessed"] else None
            if before != after:
                moved.setdefault(period, []).append((unit, before, after))
        return moved

    def _check_notice(self, plugin: str, d) -> None:
        if not isinstance(d, NoticeDecision) or d.level not in ("green", "orange", "red", "feedback") \
                or d.unit not in self.facts.units:
            raise PluginError(f'plugin "{plugin}" returned nonsense from sankao_dispatch: {d!r}')

    def _new(self, cls, stream, cause, position, **data):
        self.versions[stream] += 1
        return cls(originator_id=stream, originator_version=self.versions[stream],
                   timestamp=cause.timestamp, command_id=cause.command_id, position=position, **data)

    def _project_state(self, event) -> dict | None:
        project = self.facts.projects.get(getattr(event, "project", None))
        return project_state(project) if project is not None else None

    def _consequences(self, event, position, before=None):
        if isinstance(event, ev.DispatchHeld):
            notices, touched = self._dispatch(event, position)
            yield from notices
            yield from self._rescore({(u, event.date.year): event.date.month for u in touched}, event, position)
        elif isinstance(event, ev.MonthCloseRequested):
            yield self._close(event, position)
        else:
            yield from self._rescore(self._affected(event, before), event, position)

    def _affected(self, event, before: dict | None) -> dict:
        """``{(unit, year): first month}`` whose figures ``event`` may change."""
        affected: dict = {}
        if isinstance(event, ev.TargetsSet):
            affected[(event.unit, event.year)] = 1
        elif isinstance(event, ev.RulesApplied):
            for unit in self.facts.units.values():
                for year in unit.targets:
                    first = first_month_from(event.effective, year)
                    if first is not None:
                        affected[(unit.id, year)] = first
        elif isinstance(event, _PROJECT_FACTS):
            project = self.facts.projects[event.project]
            for year, months in months_moved(before, project_state(project)).items():
                affected[(project.unit, year)] = min(months)
        return affected

    def _rescore(self, affected: dict, cause, position):
        for (unit, year), first in sorted(affected.items()):
            if self.view.targets(unit, year) is None:
                continue
            for month in range(first, 13):
                period = period_name(year, month)
                rule = self.rulebook.in_force(self.facts.rules, month_start(year, month))
                ps = self.rulebook.manager(rule)
                figures = self.figures(ps, unit, period)
                previous = self.latest.get((unit, period))
                same = previous is not None and all(
                    getattr(previous, k) == v for k, v in figures.items())
                if same or (previous is None and not figures["assessed"]):
                    continue
                yield self._new(out.ScoreChanged, board_stream(period), cause, position, unit=unit,
                                period=period, rules=rule.command_id, plugins=dict(ps.versions), **figures)

    def figures(self, ps, unit: str, period: str) -> dict:
        """A unit's figures for a month under one set of rules (SCORING.md §4)."""
        year, month = parse_period(period)
        targets = self.view.targets(unit, year)
        indicators, total_weight, total_score = [], ZERO, ZERO
        measures = {}
        for plugin, measure in ps.each("sankao_measure", unit=unit, period=period, facts=self.view):
            if measure is None:
                continue
            if not isinstance(measure, Measure) or ps.owners.get(measure.plugin) != plugin or not all(
                    isinstance(x, Decimal) and x.is_finite() and x >= 0 for x in (measure.value, measure.target)):
                raise PluginError(f'plugin "{plugin}" returned nonsense from sankao_measure for {unit} '
                                  f"{period}: {measure!r} (want a Measure of its own indicator with "
                                  "finite Decimal value and target >= 0)")
            measures[measure.plugin] = measure
        for name in ps.order:
            measure = measures.get(name)
            if measure is None or measure.target == 0:
                continue
            spec = ps.indicators[name]
            weight = Decimal(targets.weights.get(name, spec.default_weight))
            ratio = measure.value / measure.target
            score = weight * min(ratio, spec.cap)
            total_weight += weight
            total_score += score
            indicators.append({"plugin": name, "kind": spec.kind, "value": str(measure.value),
                               "target": str(measure.target), "ratio": str(ratio), "weight": str(weight),
                               "score": str(score)})
        assessed = total_weight > 0
        base = total_score * HUNDRED / total_weight if assessed else ZERO
        coefficient = self._decimal(ps, "sankao_coefficient", ONE, unit=unit, period=period, facts=self.view)
        deduction = self._decimal(ps, "sankao_deduction", ZERO, unit=unit, period=period, cases=self.cases)
        return {"assessed": assessed, "base": base, "coefficient": coefficient, "deduction": deduction,
                "final": max(ZERO, base * coefficient - deduction),
                "signed_amount": self.view.signed_amount(unit, month_end(year, month)),
                "indicators": indicators}

    @staticmethod
    def _decimal(ps, hook, default, **kwargs):
        for plugin, value in ps.each(hook, **kwargs):
            if value is None:
                continue
            if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
                raise PluginError(f'plugin "{plugin}" returned nonsense from {hook}: {value!r} '
                                  "(want a finite Decimal >= 0)")
            return value
        return default

    def _dispatch(self, event: ev.DispatchHeld, position):
        rule = self.rulebook.in_force(self.facts.rules, event.date)
        ps = self.rulebook.manager(rule)
        notices, touched = [], set()
        for plugin, decisions in ps.each("sankao_dispatch", date=event.date, facts=self.view, cases=self.cases):
            for d in decisions or ():
                self._check_notice(plugin, d)
                notice = self._new(out.NoticeIssued, NOTICES, event, position, unit=d.unit, case=d.case,
                                   level=d.level, date=d.date, lag=d.lag, points=d.points,
                                   outcome=d.outcome, policy=plugin)
                self.cases.apply(notice)
                notices.append(notice)
                touched.add(d.unit)
        return notices, touched

    def _close(self, event: ev.MonthCloseRequested, position):
        year, month = parse_period(event.period)
        rule = self.rulebook.in_force(self.facts.rules, month_start(year, month))
        ps = self.rulebook.manager(rule)
        entries = live_entries(self.latest.values(), event.period)
        ranked, policy = rank_board(ps, event.period, entries)
        closed = {p: e for p, e in self.frozen.items() if p.startswith(f"{year:04d}-") and p < event.period}
        outcome, _ = first_answer(ps, "sankao_close_month", period=event.period, board=ranked, closed=closed)
        rows = []
        for entry in ranked:
            extra = (outcome or {}).get(entry.unit, {})
            entry.streak = extra.get("streak", 0)
            entry.accountability = extra.get("accountability")
            entry.commended = bool(extra.get("commended", False))
            rows.append(entry_dict(entry))
        return self._new(out.BoardFrozen, board_stream(event.period), event, position,
                         period=event.period, entries=rows, policy=policy)


def first_month_from(effective: date | None, year: int) -> int | None:
    """The first month of ``year`` that begins on or after ``effective`` (None: every month)."""
    if effective is None or effective.year < year:
        return 1
    if effective.year > year:
        return None
    month = effective.month if effective.day == 1 else effective.month + 1
    return month if month <= 12 else None


def rank_board(ps, period: str, entries: list[BoardEntry]) -> tuple[list[BoardEntry], str]:
    """The entries in rank order and the plugin that ranked them; no ranking plugin is an error."""
    ranked, policy = first_answer(ps, "sankao_rank", period=period, entries=entries)
    if ranked is None:
        raise PluginError(f"board {period}: no enabled plugin ranks the board (sankao_rank); "
                          "enable ranking_policy")
    return ranked, policy


def first_answer(ps, hook, **kwargs):
    for plugin, value in ps.each(hook, **kwargs):
        if value is not None:
            return value, plugin
    return None, None


def live_entries(score_events, period: str) -> list[BoardEntry]:
    return [BoardEntry(e.unit, e.base, e.coefficient, e.deduction, e.final, e.signed_amount, e.indicators)
            for e in score_events if e.period == period and e.assessed]


def entry_dict(entry: BoardEntry) -> dict:
    return {"unit": entry.unit, "rank": entry.rank, "third": entry.third, "base": entry.base,
            "coefficient": entry.coefficient, "deduction": entry.deduction, "final": entry.final,
            "signed_amount": entry.signed_amount, "streak": entry.streak,
            "accountability": entry.accountability, "commended": entry.commended,
            "indicators": entry.indicators}
