"""Indicator ``landed_projects``: Nland(u, d), projects landed this year, against the landed target."""

from __future__ import annotations

from plugins.base import IndicatorPlugin, dated_within


class LandedProjects(IndicatorPlugin):
    name = "landed_projects"
    default_weight = 20
    kind = "count"
    inputs = frozenset({"landed_on", "withdrawn_on", "targets"})

    def measure(self, unit, period, end, targets, facts):
        return facts.landed_count(unit, end), targets.landed

    def contribution(self, project, year, month, end):
        return 1 if dated_within(project, "landed_on", year, end) else None
