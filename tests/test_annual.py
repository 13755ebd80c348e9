"""People and the annual evaluation (docs/assessment.md §8): the shared people year on both stores, generated years
against an independent oracle (provisional, frozen and known-at standings, reassignments, withdrawn projects,
small units, ties, other settings), every rejection, and the refused settings."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from conftest import PEOPLE, SCENARIO, run_cli, write_lines
from core.samples.generate import generate_year
from oracle import known_at
from oracle_annual import AnnualOracle

QUERIES = {  # expected file: the arguments of `sankao annual` / `sankao board` (README of the scenario)
    "annual-2023.json": ("annual", "2023"),
    "annual-2023-known-2023-07-10.json": ("annual", "2023", "--known-at", "2023-07-10T12:00:00+08:00"),
    "annual-2023-known-2023-02-01.json": ("annual", "2023", "--known-at", "2023-02-01T00:00:00+08:00"),
    "board-2023-12.json": ("board", "2023-12"),
}


def contains(expected, answer, where="") -> None:
    """Every key of ``expected`` is in ``answer`` with the same value; lists keep their order."""
    if isinstance(expected, dict):
        for key, value in expected.items():
            assert key in answer, f"{where}{key} missing"
            contains(value, answer[key], f"{where}{key}.")
    elif isinstance(expected, list):
        assert len(expected) == len(answer), f"{where}: {len(answer)} items, expected {len(expected)}"
        for i, (a, b) in enumerate(zip(expected, answer)):
            contains(a, b, f"{where}{i}.")
    else:
        assert expected == answer, f"{where}: {answer!r}, expected {expected!r}"


def lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_the_annual_oracle_agrees_with_the_shared_people_year():
    commands = lines(PEOPLE / "commands.jsonl")
    for name, args in QUERIES.items():
        if args[0] != "annual":
            continue
        upto = commands if len(args) == 2 else known_at(commands, datetime.fromisoformat(args[3]))
        assert AnnualOracle().run(upto).answer(2023) == json.loads((PEOPLE / "expected" / name).read_text())


def test_the_people_year_answers_every_query_of_its_readme(store_url, cli):
    cli(store_url, "load", str(PEOPLE / "commands.jsonl"))
    for name, args in QUERIES.items():
        answer = json.loads(cli(store_url, *args, "--json").stdout)
        contains(json.loads((PEOPLE / "expected" / name).read_text()), answer, f"{name}: ")
    for month in range(1, 13):  # people do not change the boards
        board = json.loads(cli(store_url, "board", f"2023-{month:02d}", "--json").stdout)
        expected = json.loads((SCENARIO / "expected" / f"board-2023-{month:02d}.json").read_text())
        contains(expected, board, f"board 2023-{month:02d}: ")
    closed = json.loads(cli(store_url, "annual", "2023", "--json").stdout)
    assert closed["closed"] is True and len(closed["head"]["root"]) == 64
    heads = json.loads(cli(store_url, "audit", "head", "--json").stdout)["recorded"]
    assert [h["label"] for h in heads][-2:] == ["close 2023-12", "close 2023"]
    text = cli(store_url, "annual", "2023").stdout
    assert "frozen at close_year" in text and "U01-L001" in text and "excellent" in text
    person = json.loads(cli(store_url, "person", "U01-L001", "2023", "--json").stdout)
    assert person["standing"] == next(p for p in closed["people"] if p["person"] == "U01-L001")
    assert person["standing"]["landed"] == str(sum(
        1 for p in person["projects"] if p["landed_on"] and p["landed_on"] <= "2023-12-31"
        and not (p["withdrawn_on"] and p["withdrawn_on"] <= "2023-12-31")))
    assert {p["level"] for p in person["projects"]} == {"leader"}


@pytest.mark.parametrize("seed,units,people,settings,grades", [
    (61, 7, 100, None, {"excellent", "competent", "poor"}),
    (62, 5, 24, None, {"excellent", "competent"}),  # fewer than ten people in every unit: 10 % of them is no one
    (63, 9, 140, {"excellent_share": 15, "poor_share": 10, "band": 5, "bonus": 2.5, "malus": 3},
     {"excellent", "competent", "poor"}),
    (64, 4, 90, {"excellent_share": 30, "poor_share": 5, "band": 0}, {"excellent", "competent", "poor"}),
])
def test_generated_years_with_people_match_the_oracle(sqlite_url, cli, tmp_path, seed, units, people, settings,
                                                      grades):
    commands = generate_year(units=units, projects=units * 22, seed=seed, year=2024, people=people)
    load = ["load", str(write_lines(tmp_path / "year.jsonl", commands))]
    if settings:
        toml = tmp_path / "rules.toml"
        toml.write_text("[plugins.annual_evaluation]\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))
        load = ["--plugins", str(toml)] + load
    cli(sqlite_url, *load)
    oracle = AnnualOracle(settings).run(commands)
    closed = oracle.answer(2024)
    assert closed["closed"] and closed["people"], "a year without people checks too little"
    assert any(p["withdrawn"] != "0" for p in closed["people"]), "no withdrawn project held"
    assert {p["grade"] for p in closed["people"]} == grades
    scores = [(p["unit"], p["score"]) for p in closed["people"]]
    assert len(scores) > len(set(scores)), "no tie within a unit"
    answer = json.loads(cli(sqlite_url, "annual", "2024", "--json").stdout)
    contains(closed, answer)
    for moment in ("2024-01-20T12:00:00+08:00", "2024-06-15T12:00:00+08:00", "2024-07-05T23:59:00+08:00",
                   "2024-07-06T00:00:00+08:00", "2024-10-10T09:00:00+08:00", "2025-01-05T23:30:00+08:00",
                   "2025-01-06T10:00:00+08:00"):
        past = AnnualOracle(settings).run(known_at(commands, datetime.fromisoformat(moment))).answer(2024)
        contains(past, json.loads(cli(sqlite_url, "annual", "2024", "--known-at", moment, "--json").stdout),
                 f"as known at {moment}: ")
        if past["people"]:  # a person's own answer, as known then, is the standing's line
            someone = past["people"][len(past["people"]) // 2]
            person = json.loads(cli(sqlite_url, "person", someone["person"], "2024", "--known-at", moment,
                                    "--json").stdout)
            assert person["standing"] == someone and person["closed"] == past["closed"]


def test_the_frozen_standing_ignores_what_is_recorded_after_the_close(sqlite_url, cli, tmp_path):
    commands = generate_year(units=5, projects=110, seed=65, year=2024, people=40)
    cli(sqlite_url, "load", str(write_lines(tmp_path / "year.jsonl", commands)))
    before = json.loads(cli(sqlite_url, "annual", "2024", "--json").stdout)
    planned = next(c for c in commands if c["cmd"] == "plan_project" and not any(
        d.get("project") == c["project"] and d["cmd"] in ("withdraw_project", "land_project") for d in commands))
    officer = next(p for p in before["people"] if p["level"] == "officer" and p["unit"] == planned["unit"])
    late = [{"cmd": "assign_project", "project": planned["project"], "person": officer["person"], "id": "late-1",
             "at": "2025-01-10T10:00:00+08:00"},
            {"cmd": "correct", "project": planned["project"], "field": "planned_on", "value": "2024-01-05",
             "reason": "date verified", "id": "late-2", "at": "2025-01-10T10:01:00+08:00"}]
    cli(sqlite_url, "load", str(write_lines(tmp_path / "late.jsonl", late)))
    after = json.loads(cli(sqlite_url, "annual", "2024", "--json").stdout)
    assert {k: after[k] for k in ("units", "people", "closed", "through")} == \
        {k: before[k] for k in ("units", "people", "closed", "through")}
    person = json.loads(cli(sqlite_url, "person", officer["person"], "2024", "--json").stdout)
    assert planned["project"] not in [p["project"] for p in person["projects"]]  # held only after the close


# -- rejections ---------------------------------------------------------------------------------------------

BASE = [
    {"cmd": "register_unit", "unit": "U1", "name": "One", "category": "department", "at": "2023-01-03T09:00:00+08:00"},
    {"cmd": "register_unit", "unit": "U2", "name": "Two", "category": "platform", "at": "2023-01-03T09:01:00+08:00"},
    {"cmd": "register_person", "person": "P-L1", "unit": "U1", "name": "Leader", "level": "leader",
     "at": "2023-01-03T09:02:00+08:00"},
    {"cmd": "plan_project", "project": "PR1", "unit": "U1", "name": "Plant", "planned_on": "2023-01-03",
     "at": "2023-01-03T09:03:00+08:00"},
    {"cmd": "plan_project", "project": "PR2", "unit": "U1", "name": "Mill", "planned_on": "2023-01-03",
     "at": "2023-01-03T09:04:00+08:00"},
    {"cmd": "withdraw_project", "project": "PR2", "withdrawn_on": "2023-01-03", "reason": "gone",
     "at": "2023-01-03T09:05:00+08:00"},
    {"cmd": "close_month", "period": "2023-01", "at": "2023-02-01T09:00:00+08:00"},
]
LATER = "2023-02-02T09:00:00+08:00"


@pytest.fixture(scope="module")
def base(module_store_url, tmp_path_factory):
    """A store holding BASE, one per kind of store, shared by the rejections and refusals below (each must
    leave it unchanged, and checks that it did): (its URL, its tree head as BASE left it)."""
    run_cli(module_store_url, "load", str(write_lines(tmp_path_factory.mktemp("base") / "base.jsonl", BASE)))
    return module_store_url, run_cli(module_store_url, "audit", "head", "--json").stdout


@pytest.mark.parametrize("line,message", [
    ({"cmd": "register_person", "person": "P-L1", "unit": "U1", "name": "Again", "level": "leader"},
     "register_person P-L1: person P-L1 is already registered"),
    ({"cmd": "register_person", "person": "P-X", "unit": "U9", "name": "X", "level": "leader"},
     "register_person P-X: unit: U9 is not a registered unit"),
    ({"cmd": "register_person", "person": "P-X", "unit": "U1", "name": "X", "level": "mayor"},
     "register_person P-X: level: must be one of: leader, director, officer"),
    ({"cmd": "register_person", "person": "P X", "unit": "U1", "name": "X", "level": "leader"},
     "person: must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"),
    ({"cmd": "register_person", "person": "P-X", "unit": "U1", "level": "leader"}, "name: is required"),
    ({"cmd": "assign_project", "project": "PR9", "person": "P-L1"},
     "assign_project PR9: project PR9 is not planned (unknown project)"),
    ({"cmd": "assign_project", "project": "PR1", "person": "P-9"},
     "assign_project PR1: person: P-9 is not a registered person"),
    ({"cmd": "assign_project", "project": "PR2", "person": "P-L1"}, "assign_project PR2: project PR2 is withdrawn"),
    ({"cmd": "assign_project", "project": "PR1"}, "person: is required"),
    ({"cmd": "close_year", "year": 2023}, "close_year 2023: year: 2023-12 is not closed yet"),
    ({"cmd": "close_year", "year": "2023"}, "year: must be a whole number such as 2023, not a string"),
])
def test_every_rejection_names_the_field_and_the_rule_and_changes_nothing(base, cli, tmp_path, line, message):
    store_url, head = base
    assert cli(store_url, "audit", "head", "--json").stdout == head  # as BASE left it
    result = cli(store_url, "load", str(write_lines(tmp_path / "bad.jsonl", [{**line, "at": LATER}])), expect=1)
    assert message in result.output, result.output
    assert cli(store_url, "audit", "head", "--json").stdout == head


def test_a_closed_year_cannot_be_closed_again(sqlite_url, cli, tmp_path):
    commands = generate_year(units=3, projects=40, seed=66, year=2024, people=12)
    cli(sqlite_url, "load", str(write_lines(tmp_path / "year.jsonl", commands)))
    head = cli(sqlite_url, "audit", "head", "--json").stdout
    again = [{"cmd": "close_year", "year": 2024, "at": "2025-01-07T09:00:00+08:00"}]
    result = cli(sqlite_url, "load", str(write_lines(tmp_path / "again.jsonl", again)), expect=1)
    assert "close_year 2024: year 2024 is already closed" in result.output
    assert cli(sqlite_url, "audit", "head", "--json").stdout == head
    same_id = [{**next(c for c in commands if c["cmd"] == "close_year")}]  # a re-run file: skipped, not doubled
    assert "recorded 0, skipped 1" in cli(sqlite_url, "load", str(write_lines(tmp_path / "same.jsonl", same_id))).output


@pytest.mark.parametrize("table,message", [
    ("band = 11", "[plugins.annual_evaluation] band: Must be greater than or equal to 0 and less than or equal to 10."),
    ("band = -1", "[plugins.annual_evaluation] band: Must be greater than or equal to 0 and less than or equal to 10."),
    ("excellent_share = -5", "[plugins.annual_evaluation] excellent_share: Must be greater than or equal to 0"),
    ("excellent_share = 60\npoor_share = 35", "[plugins.annual_evaluation] excellent_share: excellent_share + "
                                              "poor_share + band must not exceed 100 (they add up to 105)"),
    ("malus = -1", "[plugins.annual_evaluation] malus: Must be greater than or equal to 0."),
    ("grade_curve = 2", "[plugins.annual_evaluation] grade_curve: unknown key"),
])
def test_refused_settings_name_the_key_and_the_rule_and_record_nothing(base, cli, tmp_path, table, message):
    store_url, head = base
    assert cli(store_url, "audit", "head", "--json").stdout == head  # as BASE left it
    toml = tmp_path / "bad.toml"
    toml.write_text(f"[plugins.annual_evaluation]\n{table}\n")
    result = cli(store_url, "plugins", "apply", str(toml), "--effective", "2023-02-01", "--yes", expect=1)
    assert message in result.output, result.output
    assert cli(store_url, "audit", "head", "--json").stdout == head


def test_a_people_year_exports_and_replays_with_its_frozen_standing(sqlite_url, cli, tmp_path):
    cli(sqlite_url, "load", str(PEOPLE / "commands.jsonl"))
    cli(sqlite_url, "audit", "export", str(tmp_path / "bundle"))
    result = json.loads(cli(sqlite_url, "audit", "replay", str(tmp_path / "bundle"), "--json").stdout)
    assert result["disagreements"] == [] and result["compared"]["StandingFrozen"] == 1
    assert result["agreed"] == sum(result["compared"].values())
    # a bundle that ends before anything was scored has nothing to compare: that is not a pass
    cli(sqlite_url, "audit", "export", str(tmp_path / "early"), "--until", "2023-01-10")
    early = cli(sqlite_url, "audit", "replay", str(tmp_path / "early"), expect=1)
    assert "nothing was checked" in early.stderr


def test_a_person_registered_after_close_year_is_named_so(sqlite_url, cli, tmp_path):
    cli(sqlite_url, "load", str(PEOPLE / "commands.jsonl"))
    late = [{"cmd": "register_person", "person": "Z9", "unit": "U02", "name": "Late", "level": "officer",
             "at": "2024-02-01T10:05:00+08:00"}]
    cli(sqlite_url, "load", str(write_lines(tmp_path / "late.jsonl", late)))
    answer = json.loads(cli(sqlite_url, "person", "Z9", "--json").stdout)
    assert answer["year"] == 2023 and answer["standing"] is None and "after close_year 2023" in answer["note"]
    unit = cli(sqlite_url, "explain", "U01", "2023", expect=1)
    assert "not a registered person" in unit.stderr and "that is a unit" in unit.stderr
    bad_root = cli(sqlite_url, "audit", "consistency", "1000", "zzz", expect=2)
    assert "64 hexadecimal digits" in bad_root.output
