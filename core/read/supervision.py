"""``sankao supervision PERIOD``: a month's self-checks, spot checks and special assessments (docs/assessment.md §9).

Answered from ``rm_supervision`` (one row per supervision fact and per ``TargetsSet``) or, while the read
models lag, from the events themselves (the same rows, made by ``core.read.tables.supervision_row``), folded
into the record's own ``core.record.supervision.Supervision``. The points are the supervision plugin's
(``sankao_supervision_points``) over what the board of the month used: for a closed month the facts and the
rules recorded before its close (what its frozen board deducted), else everything known.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import NamedTuple

from eventsourcing.utils import get_topic

from core import report
from core.clock import local_date, micros, month_after, month_before, month_end, month_start, now, parse_period
from core.engine.figures import NO_POINTS, supervision_points_of
from core.messages import msg
from core.errors import NotFound
from core.read.reading import Reading
from core.read.tables import SUPERVISED, SUPERVISION_COLUMNS, supervision_row
from core.record.supervision import Supervision
from core.rules.view import SupervisionView
from events import facts as ev

TOPICS = tuple(get_topic(cls) for cls in (*SUPERVISED, ev.TargetsSet))
COLUMNS = ", ".join(SUPERVISION_COLUMNS)


class Folded:
    """Supervision rows folded: the record's ``Supervision``, who has targets for which year, the draws."""

    def __init__(self, rows=()):
        self.state, self.targets, self.draws, self.findings = Supervision(), set(), [], {}
        self.fold(rows)

    def fold(self, rows) -> "Folded":
        """Fold in ``rows``, all of them after those folded so far; returns itself."""
        for position, kind, _at, unit, period, day, ref, data in sorted(rows):
            day = date.fromisoformat(day) if day else None
            if kind == "targets":
                self.targets.add((unit, int(period)))
            elif kind == "require":
                self.state.require(period)
            elif kind == "self_check":
                self.state.self_check(unit, period, day)
            elif kind == "draw":
                self.draws.append((ref, period, day, json.loads(data)))
            elif kind == "finding":
                found = json.loads(data)
                self.state.finding(unit, day, found["result"], ref, found["project"])
                self.findings[(ref, found["project"])] = (found["result"], day)
            elif kind == "special":
                self.state.special(unit, day, report.Decimal(data))
            else:
                self.state.listing(unit, day, kind == "list")
        return self

    def copy(self) -> "Folded":
        """Another ``Folded`` as this one stands: folding more into either leaves the other as it is (the fold
        appends to lists and to the lists a dict holds, so both are copied)."""
        other = Folded()
        for name, value in vars(self.state).items():
            if isinstance(value, dict):
                value = {k: list(v) if isinstance(v, list) else v for k, v in value.items()}
            elif isinstance(value, list):
                value = list(value)
            setattr(other.state, name, value)
        other.targets, other.draws, other.findings = set(self.targets), list(self.draws), dict(self.findings)
        return other

    def view(self) -> SupervisionView:
        return SupervisionView(self.state, lambda unit, year: (unit, year) in self.targets)


class Frozen(NamedTuple):
    """What ``supervision_of`` reads of a month's ``BoardFrozen``: the position of the month's close."""
    close: int


class SupervisionQueries(Reading):
    """The supervision query (a part of ``core.read.queries.Queries``)."""

    def _supervision_rows(self, period: str, known_at: datetime | None) -> list[tuple]:
        year = int(period[:4])
        before = month_before(period)
        bound = micros(known_at) if known_at is not None else None
        if self._current():  # each part by an index but the few requirements and listings (a scan of kind)
            cut = "" if bound is None else " AND recorded_at <= ?"
            rows = self.recorder.fetch(" UNION ALL ".join(
                f"SELECT {COLUMNS} FROM rm_supervision WHERE {where}{cut}" for where in (
                    "kind IN ('require', 'list', 'delist')", "period IN (?, ?) AND kind = 'targets'",
                    "period IN (?, ?) AND kind = 'self_check'", "period = ? AND kind IN ('special', 'draw', 'finding')",
                    "kind = 'finding' AND period <> ? AND ref IN (SELECT ref FROM rm_supervision WHERE period = ? "
                    "AND kind = 'draw')")),
                [value for part in ((), (f"{year:04d}", f"{year - 1:04d}"), (period, before), (period,),
                                    (period, period)) for value in (*part, *(() if bound is None else (bound,)))])
            return [tuple(r) for r in rows]
        rows = []  # the read models lag: the same rows, from the events
        for position, event in self.app.log(topics=TOPICS):
            if known_at is None or event.timestamp <= known_at:
                rows.append(supervision_row(position, event))
        return rows

    def supervision(self, period: str, known_at: datetime | None = None) -> dict:
        """``sankao supervision PERIOD``: the JSON of docs/assessment.md §9."""
        year, month = parse_period(period)
        moment = known_at or now()
        if local_date(moment, self.tz) < month_start(year, month):
            raise NotFound(msg("read.no_board_yet", query=msg("read.q_supervision", period=period),
                               at=self._at(moment)))
        return self.supervision_of(period, known_at, self._supervision_rows(period, known_at),
                                   self._frozen_close(period, known_at))

    def _frozen_close(self, period: str, known_at: datetime | None):
        """The month's frozen board as known, as far as the answer reads it (its ``close``), or None: from
        ``rm_frozen`` while the read models are current, without decoding the ``BoardFrozen`` (it holds every
        unit's line: about 60 ms at 5,000 units, bench/supervision.py), else the event itself."""
        if not self._current():
            return self._frozen(period, known_at)
        found = self.recorder.fetch("SELECT close, recorded_at FROM rm_frozen WHERE period = ?", (period,))
        if not found or known_at is not None and found[0][1] > micros(known_at):
            return None
        return Frozen(found[0][0])

    def supervision_of(self, period: str, known_at: datetime | None, rows: list[tuple], frozen) -> dict:
        """The answer of ``supervision`` made of supervision ``rows`` (``rm_supervision``'s, or made of events:
        rows of other months are passed over) and the month's ``BoardFrozen`` as known, or its ``Frozen`` (None: not
        frozen then)."""
        year, month = parse_period(period)
        moment = known_at or now()
        if frozen is None:
            used = known = Folded(rows)
        else:  # what the frozen board used (the rows before the close), then the rest
            used = Folded([r for r in rows if r[0] < frozen.close])
            known = used.copy().fold([r for r in rows if r[0] >= frozen.close])
        rules = self._rules(known_at)
        used_rules = rules if frozen is None else [r for r in rules if r.position < frozen.close]  # as frozen
        board_rules = self.rulebook.in_force(used_rules, month_start(year, month)) if used_rules else None
        ps = self.rulebook.manager(board_rules) if board_rules is not None else None
        due_day = self._self_check_day(rules, period)
        view, state = used.view(), known.state
        required = state.required_from is not None and period >= state.required_from
        end, due, texts = month_end(year, month), _due(period, due_day), {}

        def money(value) -> str:  # report.money, once for each value (the sign of a zero kept apart)
            key = (value, value.is_signed())
            text = texts.get(key)
            if text is None:
                text = texts[key] = report.money(value)
            return text
        units, listed = [], sorted(u for u, y in known.targets if y == year)
        parts = supervision_points_of(ps, listed, period, view) if ps is not None else {}
        for unit in listed:
            filed = state.self_checks.get((unit, period))
            points = parts.get(unit, NO_POINTS)
            units.append({"unit": unit, "self_check": filed.isoformat() if filed else None,
                          "on_time": None if filed is None else filed <= due,
                          "points_self_check": money(points.self_check), "points_misreport": money(points.misreport),
                          "points_special": money(points.special), "listed": state.listed_on(unit, end)})
        draws = []
        for draw, drawn_from, day, data in known.draws:
            if drawn_from != period:
                continue
            sample = []
            for project, unit in data["sample"]:
                result, when = known.findings.get((draw, project), (None, None))
                sample.append({"project": project, "unit": unit, "result": result,
                               "result_date": when.isoformat() if when else None})
            draws.append({"draw": draw, "date": day.isoformat(), "size": data["size"],
                          "candidates": data["candidates"], "seed": data["seed"], "sample": sample})
        return {"period": period, "known_at": self._at(moment), "frozen": frozen is not None,
                "self_checks_required": required, "units": units, "draws": draws}

    def self_check_due(self, period: str, known_at: datetime | None = None) -> date:
        """The last day a self-check of ``period`` is on time, by the rules recorded by ``known_at``."""
        return _due(period, self._self_check_day(self._rules(known_at), period))

    def _self_check_day(self, rules, period: str) -> int:
        """``self_check_day`` of the supervision plugin in force on the board that deducts a missed self-check of
        ``period`` (the month after); 5 when it is not in force."""
        if not rules:
            return 5
        rule = self.rulebook.in_force(rules, month_start(*parse_period(month_after(period))))
        found = rule.plugins.get("supervision") or {}
        return int((found.get("settings") or {}).get("self_check_day", 5))


def _due(period: str, day: int) -> date:
    year, month = parse_period(month_after(period))
    return date(year, month, day)
