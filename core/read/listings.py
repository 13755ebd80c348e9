"""Listings: letters and sheets, units, projects, names."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from core import report
from core.clock import micros, now
from core.errors import NotFound
from core.messages import msg
from core.read.tables import notice_phase
from core.read.reading import NOTICE_TOPIC, Reading


class Listings(Reading):
    """``notices``, ``units``, ``projects``, ``names``."""

    def notices(self, unit: str | None = None, known_at: datetime | None = None) -> list[dict]:
        """``sankao notices``: letters and sheets dispatch by dispatch: the year-end closings first, then
        units in id order (``core.read.tables.notice_phase``)."""
        moment = known_at or now()
        if unit is not None and not self._unit(unit, now()):
            raise NotFound(msg("read.notices_unit", unit=unit))
        if self._current():
            sql, params = "SELECT unit, data FROM rm_notices WHERE recorded_at <= ?", [micros(moment)]
            if unit is not None:
                sql, params = sql + " AND unit = ?", params + [unit]
            return [_notice(u, json.loads(data)) for u, data in
                    self.recorder.fetch(sql + " ORDER BY dispatch, phase, unit, version", params)]
        found = []
        for _, e in self.app.log(topics=[NOTICE_TOPIC], size=5000):
            if e.timestamp <= moment and (unit is None or e.unit == unit):
                found.append(((e.position, notice_phase(e), e.unit, e.originator_version), report.notice(e)))
        return [n for _, n in sorted(found, key=lambda item: item[0])]

    def units(self) -> list[dict]:
        """Every registered unit with its latest targets and how many projects it planned."""
        targets = {}
        for unit, year, annual in self.recorder.fetch("SELECT unit, year, annual FROM rm_targets ORDER BY year"):
            targets[unit] = (year, annual)
        counts = dict(self.recorder.fetch("SELECT unit, count(*) FROM rm_projects GROUP BY unit"))
        return [{"unit": unit, "name": name, "category": category, "projects": counts.get(unit, 0),
                 "year": targets.get(unit, (None, None))[0], "annual": targets.get(unit, (None, None))[1]}
                for unit, name, category in self.recorder.fetch(
                    "SELECT unit, name, category FROM rm_units ORDER BY unit")]

    def target_years(self) -> list[int]:
        """The years some unit has targets for."""
        return sorted(row[0] for row in self.recorder.fetch("SELECT DISTINCT year FROM rm_targets"))

    def names(self) -> dict[str, str]:
        return dict(self.recorder.fetch("SELECT unit, name FROM rm_units"))

    def projects(self, unit: str | None = None) -> list[dict]:
        """Projects in planning order (by unit, when ``unit`` is given) with their dates and amounts."""
        columns = ["project", "unit", "name", "planned_on", "signed_on", "signed_amount", "landed_on",
                   "started_on", "withdrawn_on"]
        sql = f"SELECT {', '.join(columns)} FROM rm_projects"
        rows = self.recorder.fetch(sql + " WHERE unit = ? ORDER BY position", (unit,)) if unit else \
            self.recorder.fetch(sql)
        found = [dict(zip(columns, row)) for row in rows]
        if unit is None:
            found.sort(key=lambda r: (r["unit"], r["project"]))
        return found


def _notice(unit: str, row: dict) -> dict:
    return {"unit": unit, "case": row["case"], "level": row["level"], "date": row["date"],
            "lag": None if row["lag"] is None else report.ratio(Decimal(row["lag"])),
            "points": report.money(Decimal(row["points"])), "outcome": row["outcome"]}
