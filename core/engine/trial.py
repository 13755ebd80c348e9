"""Trying rules without recording them: what a proposed set of plugins would do to the facts scored so far.

``trial`` runs every hook of the proposed plugins over the scorer's state, ``preview`` names the months
whose figures they would move, and ``propose`` lays a ``plugins.toml`` document over the rules in force
and says what putting it in force would change (the CLI's ``plugins apply``, the web API's
``POST /api/plugins``). Nothing here records anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.clock import month_start, parse_day, parse_period, period_name
from core.engine.figures import compute, derive
from core.engine.ranking import first_answer, rank_board
from core.record.reach import first_month_from
from core.engine.scoring import check_notice
from core.errors import PluginError, SankaoError
from core.record.state import Rules
from core.messages import msg, text_of
from core.rules.model import BoardEntry
from core.rules.plugins import build_manager, merge_config, rule_changes, same_rules


def trial(scorer, plugins: dict) -> dict:
    """Run a proposed set of plugins over the facts ``scorer`` (a ``core.engine.scorer.Scorer``) has scored
    so far, recording nothing.

    Every hook is exercised (indicators and coefficient for every unit and month
    that has begun, a dispatch on the last dispatch date, ranking and month-close
    consequences), so a plugin that raises or answers nonsense is named before
    its rules are put in force. Returns ``{(unit, period): Figures}``.
    """
    ps = build_manager(plugins, scorer.rulebook.installed)
    scoring = scorer.state()
    facts, view, cases = scoring.facts, scoring.view, scoring.cases
    computed = {}
    for year in sorted({y for unit in facts.units.values() for y in unit.targets}):
        for month in range(1, max(1, scoring.last_open_month(year)) + 1):
            period = period_name(year, month)
            entries = []
            for unit in sorted(facts.units):
                if view.targets(unit, year) is None:
                    continue
                figures = computed[(unit, period)] = compute(ps, unit, period, view, cases,
                                                              supervision=scoring.supervision)
                if figures.assessed:
                    d = derive(figures)
                    entries.append(BoardEntry(unit, d.base, d.coefficient, d.deduction, d.final,
                                              d.signed_amount, d.indicators))
            ranked = rank_board(ps, period, entries)[0] if entries else []
            first_answer(ps, "sankao_close_month", period=period, board=ranked, closed={})
    if facts.dispatches:
        day = facts.dispatches[-1]
        for plugin, decisions in ps.each("sankao_dispatch", date=day, facts=view, cases=cases):
            for d in decisions or ():
                check_notice(facts, plugin, d)
    return computed


def preview(scorer, plugins: dict, effective: date | None) -> dict[str, list[tuple]]:
    """The months whose figures ``plugins`` in force from ``effective`` would move, recording nothing.

    Runs ``trial`` first. Returns ``{period: [(unit, final now, final then), …]}``
    for every month begun that begins on or after ``effective``, units whose
    final would change (``None``: not on that board).
    """
    proposed = trial(scorer, plugins)
    latest = scorer.scoring.latest
    moved: dict[str, list[tuple]] = {}
    for (unit, period), figures in sorted(proposed.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        year, month = parse_period(period)
        first = first_month_from(effective, year)
        if first is None or month < first:
            continue
        now_ = latest.get((unit, period))
        before = Decimal(now_.figures.final) if now_ is not None and now_.figures.assessed else None
        after = Decimal(figures.final) if figures.assessed else None
        if before != after:
            moved.setdefault(period, []).append((unit, before, after))
    return moved


@dataclass
class Proposal:
    """What putting rules in force would change (``propose``): the CLI's ``plugins apply`` and the web API's
    ``POST /api/plugins`` show it before recording."""

    source: str
    effective: date | None
    proposed: dict
    changes: list[str]
    moved: dict[str, list[tuple]]  # {period: [(unit, final now, final then)]}, open months begun by ``today``
    unchanged: bool  # the rules are in force for every month concerned already: nothing to record
    restated: dict[str, list[tuple]] = field(default_factory=dict)  # closed months: their frozen boards stay,
    # only what ``--restated`` recomputes from everything known now would move

    @property
    def months(self) -> str:
        """The months the rules would be in force for, in words (a ``core.messages.Text``)."""
        if self.effective is None:
            return msg("rules.every_month")
        month = first_month_from(self.effective, self.effective.year)
        if month is None:
            return msg("rules.from_year", year=self.effective.year + 1)
        return msg("rules.from_month", period=f"{self.effective.year:04d}-{month:02d}")


def effective_date(value: str | None, today: date) -> date | None:
    """The first business date rules apply to, as given: a date ``YYYY-MM-DD``, ``start`` (every month ever
    assessed: None) or nothing (today). ValueError names the rule."""
    if value is None:
        return today
    if value == "start":
        return None
    try:
        return parse_day(value)
    except ValueError as exc:
        raise ValueError(msg("rules.not_effective", error=text_of(exc))) from None


def propose(platform, raw: dict, source: str, effective: date | None, today: date) -> Proposal:
    """The rules in force now with the ``plugins.toml`` document ``raw`` laid over them, from ``effective``
    (None: from the start), and the boards that would move; records nothing.

    The scores must be up to date (``Platform.catch_up``) for ``moved`` to be right. Raises ``ConfigError``
    for a document that breaks a rule, ``PluginError`` when a trial run over the facts fails.
    """
    current = platform.rules_in_force()
    proposed = merge_config(current, raw, platform.installed, source)
    recorded = [Rules(r.command_id, None, r.effective, r.plugins) for r in platform.recorded_rules()]
    governing = platform.rulebook.governing(recorded, effective) or [Rules("", None, None, current)]
    if all(same_rules(rule.plugins, proposed) for rule in governing):
        return Proposal(source, effective, proposed, [], {}, True)
    try:
        moved = preview(platform.scorer, proposed, effective)
    except SankaoError as exc:
        raise PluginError(msg("rules.trial_failed", error=exc)) from None
    begun = {p: units for p, units in sorted(moved.items()) if month_start(*parse_period(p)) <= today}
    closed = {p for p in begun if platform.queries.is_frozen(p)}
    return Proposal(source, effective, proposed, rule_changes(current, proposed),
                    {p: units for p, units in begun.items() if p not in closed}, False,
                    {p: units for p, units in begun.items() if p in closed})
