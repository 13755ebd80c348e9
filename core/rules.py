"""Which rules (plugins and settings) are in force for a date, as recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from core.clock import month_start, parse_day, parse_period
from core.engine.reach import first_month_from
from core.errors import PluginError, SankaoError
from core.facts import Rules
from core.messages import msg, text_of
from core.plugins import PluginSet, build_manager, merge_config, rule_changes, same_rules


class RulesBook:
    """Builds and keeps one plugin manager per recorded ``RulesApplied``."""

    def __init__(self, installed: dict[str, type]):
        self.installed = installed
        self._managers: dict[str, PluginSet] = {}

    @staticmethod
    def in_force(rules: list[Rules], day: date) -> Rules:
        """The rules recorded last among those effective on ``day`` (None = always).

        Before the first effective date of a store's rules, its first rules apply:
        every month is assessed under some recorded rules.
        """
        if not rules:
            raise PluginError(msg("rules.none"))
        found = rules[0]
        for rule in rules:
            if rule.effective is None or rule.effective <= day:
                found = rule
        return found

    @classmethod
    def governing(cls, rules: list[Rules], effective: date | None) -> list[Rules]:
        """The recorded rules in force on some day from ``effective`` on (None: any day at all)."""
        days = [effective or date(1900, 1, 1)]
        days += [r.effective for r in rules if r.effective is not None and (effective is None or r.effective > effective)]
        return [cls.in_force(rules, day) for day in days] if rules else []

    def manager(self, rule: Rules) -> PluginSet:
        ps = self._managers.get(rule.command_id)
        if ps is None:
            ps = self._managers[rule.command_id] = build_manager(rule.plugins, self.installed)
        return ps


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
    governing = RulesBook.governing(recorded, effective) or [Rules("", None, None, current)]
    if all(same_rules(rule.plugins, proposed) for rule in governing):
        return Proposal(source, effective, proposed, [], {}, True)
    try:
        moved = platform.scorer.preview(proposed, effective)
    except SankaoError as exc:
        raise PluginError(msg("rules.trial_failed", error=exc)) from None
    begun = {p: units for p, units in sorted(moved.items()) if month_start(*parse_period(p)) <= today}
    closed = {p for p in begun if platform.queries.is_frozen(p)}
    return Proposal(source, effective, proposed, rule_changes(current, proposed),
                    {p: units for p, units in begun.items() if p not in closed}, False,
                    {p: units for p, units in begun.items() if p in closed})
