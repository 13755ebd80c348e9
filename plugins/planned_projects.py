"""Indicator ``planned_projects``: Nplan(u, d), projects planned this year, against the planned target."""

from __future__ import annotations

from plugins.base import IndicatorPlugin, dated_within


class PlannedProjects(IndicatorPlugin):
    name = "planned_projects"
    default_weight = 15
    kind = "count"
    inputs = frozenset({"planned_on", "withdrawn_on", "targets"})

    def measure(self, unit, period, end, targets, facts):
        return facts.planned_count(unit, end), targets.planned

    def contribution(self, project, year, month, end):
        return 1 if dated_within(project, "planned_on", year, end) else None
