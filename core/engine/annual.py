"""The annual evaluation (年考评, docs/assessment.md §8): what a standing uses, the plugin that makes it, its JSON.

A standing of year y uses the facts recorded by a time (provisional, ``sankao annual
--known-at``) or before the ``close_year`` command (frozen), and the year's frozen
boards known then. Core gathers them; the ``sankao_annual_standing`` hook (the
built-in ``annual_evaluation`` plugin) ranks, shares and grades; core writes the
answer out. The closer records the frozen standing (``StandingFrozen``) once the
scoring has passed the close, and queries answer from it from then on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from eventsourcing.utils import get_topic

from core import report
from core.clock import month_start, parse_period, period_name
from core.errors import PluginError
from core.messages import msg
from core.record.state import Facts, stream_id
from core.rules.model import PersonStanding, Standing, UnitStanding
from core.rules.view import FactsView, PeopleView
from events import assessment as out
from events import facts as ev

STANDING_TOPICS = tuple(get_topic(c) for c in (
    ev.UnitRegistered, ev.ProjectPlanned, ev.ProjectSigned, ev.ProjectLanded, ev.ProjectWithdrawn, ev.FactCorrected,
    ev.PersonRegistered, ev.ProjectAssigned, ev.MonthCloseRequested, ev.YearCloseRequested, ev.RulesApplied))
"""The facts a standing reads (targets, dispatches and construction starts do not enter it)."""


@dataclass
class Inputs:
    """What a standing of ``year`` uses: the facts, and the year's frozen boards (``{period: BoardFrozen}``)."""

    year: int
    facts: Facts
    boards: dict

    @property
    def through(self) -> str | None:
        return max(self.boards) if self.boards else None

    def unfrozen_closes(self) -> list[str]:
        """Months of the year whose close the facts hold but whose frozen board is not here (scoring behind)."""
        return sorted(p for p in self.facts.closed if p.startswith(f"{self.year:04d}-") and p not in self.boards)


def gather(app, year: int, *, before: int | None = None, known_at: datetime | None = None) -> Inputs:
    """The facts recorded before log position ``before`` and by ``known_at`` (recorded times never go back in
    the log, so the first later one ends the read), and the year's boards frozen by then."""
    facts = Facts(buckets=True)
    for position, event in app.log(stop=None if before is None else before - 1, topics=STANDING_TOPICS, size=5000):
        if known_at is not None and event.timestamp > known_at:
            break
        facts.apply(event, position)
    boards = {}
    for month in range(1, 13):
        period = period_name(year, month)
        stored = app.recorder.select_events(stream_id("board", period), limit=1)
        if not stored:
            continue
        board = app.mapper.to_domain_event(stored[0])
        if (before is None or board.close < before) and (known_at is None or board.timestamp <= known_at):
            boards[period] = board
    return Inputs(year, facts, boards)


def evaluate(rulebook, inputs: Inputs) -> tuple[Standing | None, str]:
    """The standing the plugin in force at the start of the latest closed month gives: ``(Standing, plugin)``;
    an empty standing when no month is closed; ``(None, "")`` when no plugin in force evaluates the year."""
    through = inputs.through
    if through is None:
        return Standing([], []), ""
    ps = rulebook.manager(rulebook.in_force(inputs.facts.rules, month_start(*parse_period(through))))
    boards = {p: [{"unit": r["unit"], "rank": r["rank"], "third": r["third"],
                   "final": Decimal(report.money(Decimal(r["figures"]["final"])))} for r in board.entries]
              for p, board in sorted(inputs.boards.items())}
    for plugin, answer in ps.each("sankao_annual_standing", year=inputs.year, through=through, boards=boards,
                                  facts=FactsView(inputs.facts), people=PeopleView(inputs.facts)):
        if answer is not None:
            _check(plugin, answer)
            return answer, plugin
    return None, ""


def _check(plugin: str, answer) -> None:
    good = isinstance(answer, Standing) and all(isinstance(u, UnitStanding) for u in answer.units) \
        and all(isinstance(p, PersonStanding) for p in answer.people) \
        and all(isinstance(v, Decimal) for u in answer.units
                for v in (u.score, u.signed_amount, u.excellent_share, u.poor_share)) \
        and all(isinstance(p.score, Decimal) for p in answer.people)
    if not good:
        raise PluginError(msg("plugins.nonsense_standing", plugin=plugin, got=type(answer).__name__))


def frozen_event(year: int, request, close: int, standing: Standing | None, policy: str, through: str | None):
    """The ``StandingFrozen`` to record for the ``close_year`` event ``request``, at log position ``close``."""
    standing = standing or Standing([], [])
    return out.StandingFrozen(
        originator_id=stream_id("standing", str(year)), originator_version=1, timestamp=request.timestamp,
        command_id=request.command_id, position=close, year=year, through=through,
        units=[[u.unit, u.rank, u.third, str(u.score), u.months, str(u.signed_amount), str(u.excellent_share),
                str(u.poor_share)] for u in standing.units],
        people=[[p.person, p.unit, p.level, str(p.score), p.landed, p.withdrawn, p.grade, p.level_rank,
                 p.level_third, list(p.projects)] for p in standing.people],
        policy=policy, close=close)


def rows(frozen, kind: str) -> list[dict]:
    """The rows of a ``StandingFrozen`` (``units`` or ``people``) as dicts by column name."""
    columns = frozen.UNIT_COLUMNS if kind == "units" else frozen.PERSON_COLUMNS
    return [dict(zip(columns, row)) for row in getattr(frozen, kind)]


def frozen_people_json(frozen) -> list[dict]:
    """``person_json`` of every row of a ``StandingFrozen``, straight from its rows (thousands of people)."""
    cent, half_up = report.CENT, report.ROUND_HALF_UP
    return [{"person": person, "unit": unit, "level": level, "score": str(Decimal(score).quantize(cent, half_up)),
             "landed": str(landed), "withdrawn": str(withdrawn), "grade": grade, "level_rank": level_rank,
             "level_third": level_third}
            for person, unit, level, score, landed, withdrawn, grade, level_rank, level_third, *_ in frozen.people]


def unit_json(u) -> dict:
    get = u.get if isinstance(u, dict) else lambda k: getattr(u, k)
    return {"unit": get("unit"), "rank": get("rank"), "third": get("third"), "score": report.money(Decimal(get("score"))),
            "months": report.plain(get("months")), "signed_amount": report.money(Decimal(get("signed_amount"))),
            "excellent_share": report.plain(Decimal(get("excellent_share"))),
            "poor_share": report.plain(Decimal(get("poor_share")))}


def person_json(p) -> dict:
    get = p.get if isinstance(p, dict) else lambda k: getattr(p, k)
    return {"person": get("person"), "unit": get("unit"), "level": get("level"),
            "score": report.money(Decimal(get("score"))), "landed": report.plain(get("landed")),
            "withdrawn": report.plain(get("withdrawn")), "grade": get("grade"), "level_rank": get("level_rank"),
            "level_third": get("level_third")}
