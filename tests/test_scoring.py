"""Scoring alone (``core.engine.scoring``): facts in, consequences out, with no store at all.

The facts are what ``core.record.decide`` makes of the first weeks of the 2023 scenario's commands (as the ledger
would record them, the first rules with the first command); the answers are the scenario's expected files.
"""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from conftest import SCENARIO
from core import report
from core.record.commands import parse_line
from core.record.decide import Stamp, decide
from core.engine.scoring import Scoring
from core.record.state import Facts, stream_id
from core.rules.plugins import defaults, indicator_names, installed_plugins, merge_config
from core.rules.book import RulesBook
from events import assessment as out
from events import facts as ev

TZ = ZoneInfo("Asia/Shanghai")
LINES = [json.loads(line) for line in (SCENARIO / "commands.jsonl").read_text(encoding="utf-8").splitlines()
         if line.strip()]
# the first weeks: up to the second dispatch, past January's close and February's first letters
UNTIL = next(n for n, line in enumerate(LINES) if line["cmd"] == "dispatch" and line["date"] == "2023-02-13") + 1


def expected(name: str):
    return json.loads((SCENARIO / "expected" / name).read_text(encoding="utf-8"))


def scored(lines: list[dict], plugins: dict | None = None) -> list[tuple[dict, list]]:
    """Each line with the consequences ``Scoring`` produced once its facts were applied (no store: the facts
    as ``decide`` makes them, numbered by their place in the log)."""
    installed = installed_plugins()
    facts = Facts(buckets=True)
    scoring = Scoring(RulesBook(installed), TZ, facts)
    position, produced = 0, []
    for line in lines:
        command = parse_line(line)
        stamp = Stamp(command.id, "tester", command.at)
        events = decide(facts, command, stamp, TZ, indicator_names(installed))
        if not facts.rules:  # the first rules are recorded with the first command (core.record.ledger)
            events.insert(0, ev.RulesApplied(
                originator_id=stream_id("rules"), originator_version=1, timestamp=stamp.at,
                command_id=f"rules:initial:{stamp.command_id}", actor=stamp.actor, effective=None,
                plugins=defaults(installed) if plugins is None else plugins))
        for event in events:
            position += 1
            scoring.apply(event, position)
        produced.append((line, scoring.take()))
    scoring.rescore_pending()
    produced.append(({}, scoring.take()))
    return produced


def finals_at_close(produced, period: str) -> dict[str, dict]:
    """Each unit's figures for ``period`` as last recorded before the month's close, as a board writes them."""
    latest = {}
    for line, consequences in produced:
        for e in consequences:
            if isinstance(e, out.ScoreChanged) and e.period == period:
                latest[e.unit] = e
        if line.get("cmd") == "close_month" and line["period"] == period:
            break
    else:
        raise AssertionError(f"{period} is not closed in the lines scored")
    return {unit: {"base": report.money(e.base), "coefficient": report.ratio(e.coefficient),
                   "deduction": report.money(e.deduction), "final": report.money(e.final),
                   "signed_amount": report.money(e.signed_amount)}
            for unit, e in latest.items() if e.assessed}


def board_figures(board: dict) -> dict[str, dict]:
    return {u["unit"]: {key: u[key] for key in ("base", "coefficient", "deduction", "final", "signed_amount")}
            for u in board["units"]}


def test_january_scored_from_the_facts_alone_is_the_frozen_board():
    board = expected("board-2023-01.json")
    assert board["frozen"] and len(board["units"]) == 8
    assert finals_at_close(scored(LINES[:UNTIL]), "2023-01") == board_figures(board)


def test_a_dispatch_yields_its_letters():
    produced = scored(LINES[:UNTIL])
    dispatches = [(line, consequences) for line, consequences in produced if line.get("cmd") == "dispatch"]
    assert [line["date"] for line, _ in dispatches] == ["2023-02-06", "2023-02-13"]
    for line, consequences in dispatches:
        letters = [e for e in consequences if isinstance(e, out.NoticeIssued)]
        assert letters, line
        assert {(e.command_id, e.date.isoformat()) for e in letters} == {(line["id"], line["date"])}
        assert [report.notice(e) for e in letters] == [n for n in expected("notices.json")
                                                        if n["date"] == line["date"]]
    scored_all = [e for _, consequences in produced for e in consequences]
    versions = [(e.unit, e.originator_version) for e in scored_all if isinstance(e, out.NoticeIssued)]
    assert versions == [(unit, 1) for unit in sorted({u for u, _ in versions})] + [("U03", 2), ("U04", 2)]


def test_the_board_answer_depends_on_the_rules():
    """The comparison above is not idle: other weights give other finals."""
    installed = installed_plugins()
    plugins = merge_config(defaults(installed), {"plugins": {"annual_amount": {"weight": 31}}}, installed)
    board = board_figures(expected("board-2023-01.json"))
    assert finals_at_close(scored(LINES[:UNTIL], plugins), "2023-01") != board


def test_a_month_is_opened_by_the_first_fact_dated_in_it():
    produced = scored(LINES[:UNTIL])
    first = next(n for n, (line, _) in enumerate(produced) if line.get("at", "") >= "2023-02")
    opened = [e for e in produced[first][1] if isinstance(e, out.ScoreChanged) and e.period == "2023-02"]
    assert [e.command_id for e in opened] == ["open:2023-02"] * len(opened)
    assert sorted(e.unit for e in opened) == sorted({line["unit"] for line in LINES if line["cmd"] == "set_targets"})
    assert {e.timestamp.astimezone(TZ).isoformat() for e in opened} == {"2023-02-01T00:00:00+08:00"}
    assert not [e for _, consequences in produced[:first] for e in consequences
                if isinstance(e, out.ScoreChanged) and e.period == "2023-02"]
