"""Queries of SCORING.md §7, answered from the recorded events as known at a time.

Scores are read from the recorded ``ScoreChanged``/``BoardFrozen`` events, never
recomputed; only the order of a live (not yet frozen) board is worked out at
query time, by the ranking plugin in force for the month.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core import report
from core.clock import local_date, month_start, now, parse_period
from core.errors import NotFound
from core.facts import Rules, stream_id
from core.rules import RulesBook
from core.scoring import NOTICES, board_stream, entry_dict, live_entries, rank_board
from core.store.app import SankaoApplication
from events import assessment as out


class Queries:
    def __init__(self, app: SankaoApplication, rulebook: RulesBook, tz: ZoneInfo):
        self.app, self.rulebook, self.tz = app, rulebook, tz

    def _rules(self, known_at: datetime) -> list[Rules]:
        return [Rules(e.command_id, 0, e.effective, e.plugins)
                for e in self.app.events.get(stream_id("rules")) if e.timestamp <= known_at]

    def _unit(self, unit: str, known_at: datetime) -> list:
        """The unit's recorded events as known at ``known_at`` (empty: not registered then)."""
        return [e for e in self.app.events.get(stream_id("unit", unit)) if e.timestamp <= known_at]

    def _board_rows(self, query: str, period: str, known_at: datetime, restated: bool) -> tuple[bool, list[dict]]:
        year, month = parse_period(period)
        if local_date(known_at, self.tz) < month_start(year, month):
            raise NotFound(f"{query}: no board yet as known at {known_at.isoformat()}; "
                           "a month's board exists from its first day on")
        latest = {}
        # newest first: a frozen board ends the search; otherwise each unit's latest change wins
        for event in self.app.events.get(board_stream(period), desc=True):
            if event.timestamp > known_at:
                continue
            if isinstance(event, out.BoardFrozen):
                if not restated:
                    return True, event.entries
            else:
                latest.setdefault(event.unit, event)
        rules = self._rules(known_at)
        if not rules:
            return False, []
        ps = self.rulebook.manager(self.rulebook.in_force(rules, month_start(year, month)))
        entries = live_entries(latest.values(), period)
        ranked = rank_board(ps, period, entries)[0] if entries else []
        return False, [entry_dict(e) for e in ranked]

    def board(self, period: str, known_at: datetime | None = None, restated: bool = False) -> dict:
        """``sankao board PERIOD``; a month no unit is assessed in is ``NotFound``."""
        known_at = known_at or now()
        frozen, rows = self._board_rows(f"board {period}", period, known_at, restated)
        if not rows:
            raise NotFound(f"board {period}: no unit is assessed in {period} as known at {known_at.isoformat()} "
                           f"(no unit has targets for {period[:4]}, or every assessed weight is 0)")
        finals = [report.money(r["final"]) for r in rows]
        spread = max(map(Decimal, finals)) - min(map(Decimal, finals)) if finals else 0
        return {"period": period, "known_at": known_at.isoformat(), "frozen": frozen,
                "spread": report.money(spread), "units": [report.entry(r) for r in rows]}

    def score(self, unit: str, period: str, known_at: datetime | None = None, restated: bool = False) -> dict:
        """``sankao score UNIT PERIOD``."""
        known_at = known_at or now()
        query = f"score {unit} {period}"
        frozen, rows = self._board_rows(query, period, known_at, restated)
        row = next((r for r in rows if r["unit"] == unit), None)
        if row is None:
            history = self._unit(unit, known_at)
            if not history:
                raise NotFound(f"{query}: {unit} is not a registered unit as known at {known_at.isoformat()}")
            if not any(getattr(e, "year", None) == int(period[:4]) for e in history):
                raise NotFound(f"{query}: {unit} has no targets for {period[:4]} as known at "
                               f"{known_at.isoformat()}, so it is not assessed")
            raise NotFound(f"{query}: {unit} is not on the board of {period} as known at {known_at.isoformat()} "
                           "(every weight it is assessed with is 0)")
        answer = report.entry(row, with_indicators=True)
        answer.update(period=period, known_at=known_at.isoformat(), frozen=frozen)
        return answer

    def notices(self, unit: str | None = None, known_at: datetime | None = None) -> list[dict]:
        """``sankao notices``: letters and sheets in recorded order; an unknown unit is ``NotFound``."""
        known_at = known_at or now()
        if unit is not None and not self._unit(unit, now()):
            raise NotFound(f"notices: {unit} is not a registered unit")
        found = []
        for event in self.app.events.get(NOTICES):
            if event.timestamp > known_at:
                break
            if unit is None or event.unit == unit:
                found.append(report.notice(event))
        return found

