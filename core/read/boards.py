"""Month boards and scores (docs/assessment.md §7): live, frozen, as known at a time, restated."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

from core import report
from core.clock import local_date, month_start, now, parse_period
from core.engine.ranking import board_entry, rank_board
from core.engine.figures import Figures
from core.errors import NotFound, StoreDamaged
from core.record.state import stream_id
from core.messages import msg
from core.rules.model import BoardEntry
from events import assessment as out
from core.read.reading import ALL, SCORE_TOPIC, Reading, entry_dict


class Boards(Reading):
    """``board``, ``score``, what a score rests on (``source``)."""

    def _latest(self, period: str, known_at: datetime | None) -> dict[str, Figures]:
        """Each unit's figures for ``period`` as last recorded by ``known_at`` (None: now)."""
        current = self._current()
        if known_at is None and current:
            return {unit: Figures.from_data(json.loads(data)) for unit, data in
                    self.recorder.fetch("SELECT unit, data FROM rm_figures WHERE period = ?", (period,))}
        if current:
            positions = [p for _, _, p in self.app.read_models.figure_versions(period, known_at or now())]
            found = {}
            for n in self.recorder.select_positions(positions):
                e = self.app.mapper.to_domain_event(n)
                if not isinstance(e, out.ScoreChanged) or e.period != period:  # the read model was altered
                    raise StoreDamaged(msg("read.row_elsewhere", period=period, position=n.id), n.id)
                found[e.unit] = Figures.from_event(e)
            return found
        found: dict[str, tuple[int, Figures]] = {}  # the read models lag: read every score change
        for _, e in self.app.log(topics=[SCORE_TOPIC], size=5000):
            if e.period == period and (known_at is None or e.timestamp <= known_at) \
                    and e.originator_version > found.get(e.unit, (0, None))[0]:
                found[e.unit] = (e.originator_version, Figures.from_event(e))
        return {unit: figures for unit, (_, figures) in found.items()}

    def _board_rows(self, query: str, period: str, known_at: datetime | None, restated: bool,
                    indicators_of: str | None = None) -> tuple[bool, list[dict]]:
        year, month = parse_period(period)
        moment = known_at or now()
        if local_date(moment, self.tz) < month_start(year, month):
            raise NotFound(msg("read.no_board_yet", query=query, at=self._at(moment)))
        if not restated:
            frozen = self._frozen(period, known_at)
            if frozen is not None:
                return True, [entry_dict(board_entry(r["unit"], Figures.from_data(r["figures"]),
                                                     indicators_of in (r["unit"], ALL)),
                                         rank=r["rank"], third=r["third"], streak=r["streak"],
                                         accountability=r["accountability"], commended=r["commended"])
                              for r in frozen.entries]
        latest = self._latest(period, moment if restated else known_at)
        entries = [board_entry(unit, figures, indicators_of in (unit, ALL))
                   for unit, figures in sorted(latest.items()) if figures.assessed]
        rules = self._rules(known_at)
        if not rules or not entries:
            return False, []
        ps = self.rulebook.manager(self.rulebook.in_force(rules, month_start(year, month)))
        return False, [entry_dict(e) for e in rank_board(ps, period, entries)[0]]

    # -- the queries ---------------------------------------------------------------------
    def _live_board(self, period: str) -> list[dict] | None:
        """The board of a live month as known now, straight from the read model (its lines are kept
        written out): only the ranking is worked out, by the ranking plugin in force. The answer is
        kept while neither the month's figures nor the rules change (``rm_stamps``)."""
        if not self._current() or self._frozen(period, None) is not None:
            return None
        stamp = self.recorder.fetch("SELECT (SELECT stamp FROM rm_stamps WHERE period = ?), "
                                    "(SELECT count(*) FROM events WHERE stream = ?)",
                                    (period, stream_id("rules").hex))[0]
        cached = self._boards.get(period)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        year, month = parse_period(period)
        rows = self.recorder.fetch(
            "SELECT unit, base, coefficient, deduction, final, signed_amount, shown_base, shown_coefficient, "
            "shown_deduction, shown_final, shown_signed_amount FROM rm_figures WHERE period = ? AND assessed = 1",
            (period,))
        rules = self._rules(None)
        if not rows or not rules:
            return []
        shown = {row[0]: row[6:] for row in rows}
        entries = [BoardEntry(u, Decimal(b), Decimal(c), Decimal(d), Decimal(f), Decimal(s))
                   for u, b, c, d, f, s, *_ in rows]
        ps = self.rulebook.manager(self.rulebook.in_force(rules, month_start(year, month)))
        units = []
        for e in rank_board(ps, period, entries)[0]:
            base, coefficient, deduction, final, signed = shown[e.unit]
            units.append({"unit": e.unit, "rank": e.rank, "third": e.third, "base": base,
                          "coefficient": coefficient, "deduction": deduction, "final": final,
                          "signed_amount": signed, "streak": None, "accountability": None, "commended": None})
        self._boards[period] = (stamp, units)
        return units

    def board(self, period: str, known_at: datetime | None = None, restated: bool = False) -> dict:
        """``sankao board PERIOD``; a month no unit is assessed in is ``NotFound``."""
        moment = known_at or now()
        year, month = parse_period(period)
        live = None
        if known_at is None and not restated and local_date(moment, self.tz) >= month_start(year, month):
            live = self._live_board(period)
        if live is not None:
            frozen, units = False, [dict(u) for u in live]
        elif not restated and period in self._frozen_units and self._frozen(period, known_at) is not None:
            frozen, units = True, [dict(u) for u in self._frozen_units[period]]
        else:
            frozen, rows = self._board_rows(msg("read.q_board", period=period), period, known_at, restated)
            units = [report.entry(r) for r in rows]
            if frozen:
                self._frozen_units[period] = [dict(u) for u in units]
        if not units:
            self._behind(msg("read.q_board", period=period))
            raise NotFound(msg("read.no_unit_assessed", period=period, at=self._at(moment), year=period[:4]))
        finals = [Decimal(u["final"]) for u in units]
        answer = {"period": period, "known_at": moment.isoformat(), "frozen": frozen,
                  "spread": report.money(max(finals) - min(finals)), "units": units}
        if frozen:
            head = self.head_of(f"close {period}", known_at)
            if head is not None:
                answer["head"] = head
        return answer

    def board_indicators(self, period: str, known_at: datetime | None = None,
                         restated: bool = False) -> dict[str, list[dict]]:
        """Every unit's indicators on the board of ``period`` (as ``score`` lists them), by unit; empty when
        there is no board."""
        try:
            _, rows = self._board_rows(msg("read.q_board", period=period), period, known_at, restated, indicators_of=ALL)
        except NotFound:
            return {}
        return {r["unit"]: [report.indicator(i) for i in r["indicators"]] for r in rows}

    def source(self, unit: str, period: str, known_at: datetime | None = None, restated: bool = False):
        """Where ``score`` took its figures from: ``(the ScoreChanged, its position, the BoardFrozen or None)``."""
        if not restated:
            frozen = self._frozen(period, known_at)
            if frozen is not None:
                row = next((r for r in frozen.entries if r["unit"] == unit), None)
                if row is None:
                    raise NotFound(msg("read.not_on_frozen", unit=unit, period=period))
                n = self.recorder.select_positions([row["scored"]])[0]
                return self.app.mapper.to_domain_event(n), n.id, frozen
        moment = known_at or now()
        found = None
        for n in self.recorder.select_events(stream_id("figures", f"{unit}/{period}")):
            event = self.app.mapper.to_domain_event(n)
            if event.timestamp <= moment:
                found = (event, n.id, None)
        if found is None:
            raise NotFound(msg("read.no_figures", unit=unit, period=period, at=self._at(moment)))
        return found

    def score(self, unit: str, period: str, known_at: datetime | None = None, restated: bool = False) -> dict:
        """``sankao score UNIT PERIOD``."""
        query, moment = msg("read.q_score", unit=unit, period=period), known_at or now()
        year, month = parse_period(period)
        live = None
        if known_at is None and not restated and local_date(moment, self.tz) >= month_start(year, month):
            live = self._live_board(period)
        if live is not None:  # the unit's line of the live board, its indicators from its own row
            line = next((u for u in live if u["unit"] == unit), None)
            if line is not None:
                data = self.recorder.fetch("SELECT data FROM rm_figures WHERE period = ? AND unit = ?",
                                           (period, unit))[0][0]
                indicators = board_entry(unit, Figures.from_data(json.loads(data)), True).indicators
                return {**line, "indicators": [report.indicator(i) for i in indicators], "period": period,
                        "known_at": moment.isoformat(), "frozen": False}
            rows, frozen = [], False
        else:
            frozen, rows = self._board_rows(query, period, known_at, restated, indicators_of=unit)
        row = next((r for r in rows if r["unit"] == unit), None)
        if row is None:
            history = self._unit(unit, moment)
            if not history:
                raise NotFound(msg("read.unit_unknown_at", query=query, unit=unit, at=self._at(moment)))
            if not any(getattr(e, "year", None) == int(period[:4]) for e in history):
                raise NotFound(msg("read.no_targets", query=query, unit=unit, year=period[:4], at=self._at(moment)))
            self._behind(query)
            raise NotFound(msg("read.weights_zero", query=query, unit=unit, period=period, at=self._at(moment)))
        answer = report.entry(row, with_indicators=True)
        answer.update(period=period, known_at=moment.isoformat(), frozen=frozen)
        return answer
