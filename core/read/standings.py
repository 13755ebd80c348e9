"""Annual standings and people (docs/assessment.md §8)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from core import report
from core.clock import local_date, micros, month_start, now, parse_period
from core.errors import NotFound
from core.record.state import stream_id
from core.messages import msg
from core.rules.view import PeopleView
from core.read.reading import Reading


class Standings(Reading):
    """``standing``, ``annual``, ``person``."""

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
        frozen it, and for a provisional standing, from the facts (``core.engine.annual.gather``)."""
        from core.engine import annual
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
        from core.engine import annual
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
        from core.engine import annual
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
