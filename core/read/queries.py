"""The queries of docs/assessment.md §7, answered from what was recorded, as known at any time.

As known now, answers come from the read model tables (``core.read.models``):
the board of a live month is the month's row per unit, ranked by the ranking
plugin in force; a frozen month is its ``BoardFrozen``. As known at another time
(``--known-at``) and restated (``--restated``), answers come from the events:
the read models only say which events to read (each unit's latest
``ScoreChanged`` of the month recorded by then). Nothing is ever re-scored here.
When the read models lag behind the log (being rebuilt), every answer comes from
the events alone.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core import report
from core.clock import local_date, micros, month_start, now, parse_period
from core.engine.ranking import board_entry, rank_board
from core.engine.figures import Figures
from core.errors import NotFound, StoreDamaged
from core.facts import Rules, stream_id
from core.messages import msg
from core.model import BoardEntry
from core.view import PeopleView
from core.read.models import notice_phase
from core.rules import RulesBook
from core.store.app import SankaoApplication
from events import assessment as out
from eventsourcing.utils import get_topic

SCORE_TOPIC, NOTICE_TOPIC = get_topic(out.ScoreChanged), get_topic(out.NoticeIssued)


ALL = "*every unit*"  # ``indicators_of``: the indicators of every line


def entry_dict(entry, **extra) -> dict:
    """A board line (a ranked ``BoardEntry``) as ``core.report.entry`` writes it out."""
    return {"unit": entry.unit, "rank": entry.rank, "third": entry.third, "base": entry.base,
            "coefficient": entry.coefficient, "deduction": entry.deduction, "final": entry.final,
            "signed_amount": entry.signed_amount, "indicators": entry.indicators,
            "streak": None, "accountability": None, "commended": None, **extra}


class Queries:
    def __init__(self, app: SankaoApplication, rulebook: RulesBook, tz: ZoneInfo, lag=lambda: 0):
        """``lag()`` says how many facts the scoring has not taken in yet (named when an answer is missing)."""
        self.app, self.rulebook, self.tz, self.lag = app, rulebook, tz, lag
        self._boards: dict[str, tuple] = {}  # live boards worked out, by month, with the stamp they are of
        self._frozen_events: dict[str, object] = {}  # frozen boards read, by month
        self._frozen_units: dict[str, list] = {}  # and written out
        self._annual_answers: dict[int, dict] = {}  # frozen annual standings, written out
        self._standings: dict[int, object] = {}  # and read
        self._heads: dict[str, tuple] = {}  # Merkle heads recorded at closes, by label

    @property
    def recorder(self):
        return self.app.recorder

    def _at(self, moment: datetime) -> str:
        """An instant as the office reads it: local time to the second, with the zone's offset."""
        return moment.astimezone(self.tz).isoformat(timespec="seconds")

    def _behind(self, query: str) -> None:
        """When an answer is missing because the scores lag behind the record, say that, not something else."""
        behind = self.lag()
        if behind:
            raise NotFound(msg("read.not_scored", query=query, behind=behind))

    def _current(self) -> bool:
        return self.app.read_models.behind() == 0

    def _rules(self, known_at: datetime | None) -> list[Rules]:
        found = []
        for n in self.recorder.select_events(stream_id("rules")):
            event = self.app.mapper.to_domain_event(n)
            if known_at is None or event.timestamp <= known_at:
                found.append(Rules(event.command_id, n.id, event.effective, event.plugins))
        return found

    def _unit(self, unit: str, known_at: datetime) -> list:
        """The unit's recorded events as known at ``known_at`` (empty: not registered then)."""
        return [e for e in self.app.events.get(stream_id("unit", unit)) if e.timestamp <= known_at]

    # -- a month's figures, as known -------------------------------------------------------------
    def is_frozen(self, period: str) -> bool:
        """Whether the month's board was frozen at its close (as known now)."""
        return self._frozen(period, None) is not None

    def _frozen(self, period: str, known_at: datetime | None):
        """The month's ``BoardFrozen`` if it was recorded by ``known_at``; kept once read (it never changes)."""
        event = self._frozen_events.get(period)
        if event is None:
            stored = self.recorder.select_events(stream_id("board", period), limit=1)
            if not stored:
                return None
            event = self._frozen_events[period] = self.app.mapper.to_domain_event(stored[0])
        return event if known_at is None or event.timestamp <= known_at else None

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
        start = 0
        while batch := self.recorder.select_notifications(start=start + 1, limit=5000, topics=[SCORE_TOPIC]):
            for n in batch:
                e = self.app.mapper.to_domain_event(n)
                if e.period == period and (known_at is None or e.timestamp <= known_at) \
                        and e.originator_version > found.get(e.unit, (0, None))[0]:
                    found[e.unit] = (e.originator_version, Figures.from_event(e))
            start = batch[-1].id
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

    def head_of(self, label: str, known_at: datetime | None = None) -> dict | None:
        """The Merkle head recorded for ``label`` (``close 2023-06``): ``{"size", "root"}``, or None. A head
        found is kept (it never changes)."""
        found = self._heads.get(label)
        if found is None:
            for n in self.recorder.select_events(stream_id("heads")):
                event = self.app.mapper.to_domain_event(n)
                if event.label == label:
                    found = self._heads[label] = (event.timestamp, {"size": event.size, "root": event.root})
                    break
        if found is None or known_at is not None and found[0] > known_at:
            return None
        return dict(found[1])

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

    # -- the annual evaluation (docs/assessment.md §8) ---------------------------------------------------
    def _year_close(self, year: int, moment: datetime):
        """The ``close_year`` of ``year`` recorded by ``moment``: ``(position, event)``, or None."""
        if self._current():
            rows = self.recorder.fetch("SELECT position, recorded_at FROM rm_closes WHERE period = ?",
                                       (f"{year:04d}",))
            if not rows or rows[0][1] > micros(moment):
                return None
            return rows[0][0], self.app.mapper.to_domain_event(self.recorder.select_positions([rows[0][0]])[0])
        for n in self.recorder.select_events(stream_id("office")):
            event = self.app.mapper.to_domain_event(n)
            if getattr(event, "year", None) == year and event.timestamp <= moment:
                return n.id, event
        return None

    def _standing_frozen(self, year: int):
        """The year's ``StandingFrozen``, or None; kept once read (it never changes)."""
        found = self._standings.get(year)
        if found is None:
            stored = self.recorder.select_events(stream_id("standing", f"{year:04d}"), limit=1)
            if not stored:
                return None
            found = self._standings[year] = self.app.mapper.to_domain_event(stored[0])
        return found

    def standing(self, year: int, known_at: datetime | None = None):
        """What the annual standing of ``year`` as known at ``known_at`` rests on: ``(closed, inputs or None,
        frozen event or None)``. A closed year answers from its ``StandingFrozen``; before the scoring has
        frozen it, and for a provisional standing, from the facts (``core.annual.gather``)."""
        from core import annual
        moment = known_at or now()
        close = self._year_close(year, moment)
        if close is not None:
            frozen = self._standing_frozen(year)
            if frozen is not None:
                return True, None, frozen
            inputs = annual.gather(self.app, year, before=close[0])
        else:
            inputs = annual.gather(self.app, year, known_at=known_at)
        if inputs.unfrozen_closes():
            self._behind(msg("read.q_annual", year=year))
        return close is not None, inputs, None

    def annual(self, year: int, known_at: datetime | None = None) -> dict:
        """``sankao annual YEAR``: the annual standing of docs/assessment.md §8 (provisional until ``close_year``)."""
        from core import annual
        closed, inputs, frozen = self.standing(year, known_at)
        if frozen is not None:
            found = self._annual_answers.get(year)
            if found is None:
                if not frozen.policy and frozen.units == [] and frozen.through is not None:
                    raise NotFound(msg("read.annual_disabled", year=year))
                found = self._annual_answers[year] = {
                    "year": year, "closed": True, "through": frozen.through,
                    "units": [annual.unit_json(u) for u in annual.rows(frozen, "units")],
                    "people": annual.frozen_people_json(frozen)}
            answer = dict(found)
        else:
            standing, policy = annual.evaluate(self.rulebook, inputs)
            if standing is None:
                raise NotFound(msg("read.annual_no_plugin", year=year, through=inputs.through))
            answer = {"year": year, "closed": closed, "through": inputs.through,
                      "units": [annual.unit_json(u) for u in standing.units],
                      "people": [annual.person_json(p) for p in standing.people]}
        answer["known_at"] = (known_at or now()).isoformat()
        if frozen is not None:
            head = self.head_of(f"close {year:04d}", known_at)
            if head is not None:
                answer["head"] = head
        return answer

    def latest_year(self, known_at: datetime | None = None) -> int | None:
        """The latest year with a month closed (as known at ``known_at``), or None."""
        if self._current():
            rows = self.recorder.fetch("SELECT max(period) FROM rm_closes WHERE recorded_at <= ?",
                                       (micros(known_at or now()),))
            return int(rows[0][0][:4]) if rows and rows[0][0] else None
        closes = [e.period for e in map(self.app.mapper.to_domain_event, self.recorder.select_events(stream_id("office")))
                  if isinstance(getattr(e, "period", None), str) and (known_at is None or e.timestamp <= known_at)]
        return int(max(closes)[:4]) if closes else None

    def person(self, person: str, year: int | None = None, known_at: datetime | None = None) -> dict:
        """``sankao person PERSON [YEAR]``: the projects the person holds, with their stages, and how the person's
        score in the year's standing is made (provisional until ``close_year``). The year defaults to the latest
        with a month closed, else the current one."""
        from core import annual
        if year is None:
            year = self.latest_year(known_at) or local_date(known_at or now(), self.tz).year
        closed, inputs, frozen = self.standing(year, known_at)
        if inputs is None:  # frozen: the facts it was made from are those before the close
            inputs = annual.gather(self.app, year, before=frozen.close)
        found, note = inputs.facts.people.get(person), None
        if found is None:
            moment = known_at or now()
            registered = [e for e in self.app.events.get(stream_id("person", person)) if e.timestamp <= moment]
            if not registered:
                unit = msg("read.person_is_unit") if self._unit(person, moment) else ""
                raise NotFound(msg("read.person_unknown", person=person, at=self._at(moment), unit=unit))
            found = registered[0]  # after close_year: the standing was made without this person
            note = msg("read.registered_after", year=year)
        if frozen is not None:
            standing_rows, policy = [annual.person_json(p) for p in annual.rows(frozen, "people")], frozen.policy
        else:
            standing, policy = annual.evaluate(self.rulebook, inputs)
            standing_rows = [annual.person_json(p) for p in (standing.people if standing else [])]
        settings = {}
        if inputs.through is not None and policy:
            rule = self.rulebook.in_force(inputs.facts.rules, month_start(*parse_period(inputs.through)))
            settings = report.plain_value((rule.plugins.get(policy) or {}).get("settings") or {})
        row = next((r for r in standing_rows or () if r["person"] == person), None)
        view = PeopleView(inputs.facts)
        projects = []
        for p in view.held(person):
            level = next((lv for lv, who in view.holders(p["id"]).items() if who == person), None)
            projects.append({"project": p["id"], "unit": p["unit"], "name": p["name"], "level": level,
                             "stage": report.stage_of(p), **{k: report.plain_value(p[k]) for k in (
                                 "planned_on", "signed_on", "landed_on", "started_on", "withdrawn_on")},
                             "signed_amount": None if p["signed_amount"] is None else report.money(p["signed_amount"])})
        unit_row = None
        if inputs.through is not None:
            boards = [b for b in inputs.boards.values()]
            finals = [Decimal(report.money(Decimal(r["figures"]["final"]))) for b in boards for r in b.entries
                      if r["unit"] == found.unit]
            if finals:
                unit_row = {"unit": found.unit, "months": len(finals),
                            "score": report.money(sum(finals, Decimal(0)) / len(finals)),
                            "exact_score": str(sum(finals, Decimal(0)) / len(finals))}
        return {"person": person, "name": found.name, "unit": found.unit, "level": found.level, "year": year,
                "closed": closed, "through": inputs.through, "known_at": (known_at or now()).isoformat(),
                "standing": row, "unit_standing": unit_row, "policy": policy, "settings": settings,
                "projects": projects, "note": note}

    def notices(self, unit: str | None = None, known_at: datetime | None = None) -> list[dict]:
        """``sankao notices``: letters and sheets dispatch by dispatch: the year-end closings first, then
        units in id order (``core.read.models.notice_phase``)."""
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
        start = 0
        while batch := self.recorder.select_notifications(start=start + 1, limit=5000, topics=[NOTICE_TOPIC]):
            for n in batch:
                e = self.app.mapper.to_domain_event(n)
                if e.timestamp <= moment and (unit is None or e.unit == unit):
                    found.append(((e.position, notice_phase(e), e.unit, e.originator_version), report.notice(e)))
            start = batch[-1].id
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
