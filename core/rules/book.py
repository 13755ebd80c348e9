"""Which rules (plugins and settings) are in force for a date, as recorded."""

from __future__ import annotations

from datetime import date

from core.errors import PluginError
from core.record.state import Rules
from core.messages import msg
from core.rules.plugins import PluginSet, build_manager


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
