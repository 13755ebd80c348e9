"""Which rules (plugins and settings) are in force for a date, as recorded."""

from __future__ import annotations

from datetime import date

from core.errors import PluginError
from core.facts import Rules
from core.plugins import PluginSet, build_manager


class RulesBook:
    """Builds and keeps one plugin manager per recorded ``RulesApplied``."""

    def __init__(self, installed: dict[str, type]):
        self.installed = installed
        self._managers: dict[str, PluginSet] = {}

    @staticmethod
    def in_force(rules: list[Rules], day: date) -> Rules:
        """The rules recorded last among those effective on ``day`` (None = always)."""
        found = None
        for rule in rules:
            if rule.effective is None or rule.effective <= day:
                found = rule
        if found is None:
            raise PluginError(f"no rules are in force on {day}; run: sankao plugins apply")
        return found

    def manager(self, rule: Rules) -> PluginSet:
        ps = self._managers.get(rule.command_id)
        if ps is None:
            ps = self._managers[rule.command_id] = build_manager(rule.plugins, self.installed)
        return ps
