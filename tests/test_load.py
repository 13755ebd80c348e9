"""``sankao load``, ``load --check`` and ``sankao events`` as a user runs them."""

from __future__ import annotations

import json

from conftest import SCENARIO, write_lines

GOOD = [
    {"cmd": "register_unit", "unit": "U1", "name": "Unit 1", "category": "department", "id": "a1",
     "at": "2023-01-03T09:00:00+08:00"},
    {"cmd": "plan_project", "project": "P1", "unit": "U1", "name": "one", "planned_on": "2023-01-05", "id": "a2",
     "at": "2023-01-05T10:00:00+08:00"},
]


def test_scenario_loads_once_and_reloads_as_skips(store_url, cli):
    first = cli(store_url, "load", str(SCENARIO / "commands.jsonl"), "--actor", "office")
    assert "recorded 481, skipped 0" in first.stderr
    again = cli(store_url, "load", str(SCENARIO / "commands.jsonl"))
    assert "recorded 0, skipped 481" in again.stderr
    log = json.loads(cli(store_url, "events", "--json").stdout)
    commands = [row for row in log if row["type"] not in ("RulesApplied", "BatchRecorded")]
    assert [row["command_id"] for row in commands] == [f"c{n:05d}" for n in range(1, 482)]
    assert [row["position"] for row in log] == list(range(1, len(log) + 1))
    assert {row["actor"] for row in log} == {"office"}
    assert commands[0]["recorded_at"] == "2023-01-03T01:01:00+00:00"
    assert commands[0]["type"] == "UnitRegistered" and commands[0]["data"]["unit"] == "U01"
    page = json.loads(cli(store_url, "events", "--json", "--after", "10", "--limit", "3").stdout)
    assert [row["position"] for row in page] == [11, 12, 13]


BAD = [
    ({"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-02", "amount": "5"},
     "sign_project P1: signed_on 2023-01-02 is before planned_on 2023-01-05"),
    ({"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-06", "amount": "5.001"},
     "sign_project P1: amount: '5.001' is not a decimal string > 0 with at most 2 decimals"),
    ({"cmd": "plan_project", "project": "P1", "unit": "U1", "name": "x", "planned_on": "2023-01-05"},
     "plan_project P1: project P1 is already planned"),
    ({"cmd": "land_project", "project": "P1", "landed_on": "2023-01-06"}, "land_project P1: project P1 is not signed"),
    ({"cmd": "close_month", "period": "2023-02"}, "close_month 2023-02: period: the previous month 2023-01 is not closed yet"),
    ("this is not json", "not valid JSON: Expecting value at column 1 (here: 'this is not json')"),
    ('{"cmd": "register_unit", "unit": "U9", "name": "x" "category": "c"}',
     """not valid JSON: Expecting ',' delimiter at column 52 (here: '"category": "c"}')"""),
    ('{"cmd": "dispatch", "date": "2023-02-06",}',
     "not valid JSON: Expecting property name enclosed in double quotes at column 42 (here: '}')"),
    ('{"cmd": "dispatch", "date": "2023-02-06"', "not valid JSON: Expecting ',' delimiter at column 41 (at the end "
                                                 "of the line)"),
]


def test_each_bad_line_is_reported_with_its_number_and_earlier_lines_stay(store_url, cli, tmp_path):
    for n, (bad, message) in enumerate(BAD):
        line = bad if isinstance(bad, str) else {**bad, "at": "2023-03-01T10:00:00+08:00", "id": f"bad{n}"}
        path = write_lines(tmp_path / f"bad{n}.jsonl", GOOD + [line, {**GOOD[0], "id": "after"}])
        result = cli(store_url, "load", str(path), expect=1)
        assert result.stdout.strip() == f"line 3: {message}"
        log = json.loads(cli(store_url, "events", "--json").stdout)
        ids = [row["command_id"] for row in log if row["type"] != "BatchRecorded"]
        assert ids[-2:] == ["a1", "a2"]  # nothing past the last good line


def test_check_reports_every_bad_line_and_records_nothing(store_url, cli, tmp_path):
    lines = GOOD + [{**bad, "at": "2023-03-01T10:00:00+08:00"} if isinstance(bad, dict) else bad for bad, _ in BAD]
    path = write_lines(tmp_path / "mixed.jsonl", lines)
    result = cli(store_url, "load", str(path), "--check", expect=1)
    reported = result.stdout.strip().splitlines()
    assert reported == [f"line {n}: {message}" for n, (_, message) in enumerate(BAD, start=3)]
    if "://" in store_url:
        assert json.loads(cli(store_url, "events", "--json").stdout) == []
    else:  # a check against no store creates none
        assert "no store at" in cli(store_url, "events", expect=1).stderr
    good = write_lines(tmp_path / "good.jsonl", GOOD)
    assert "2 would be recorded" in cli(store_url, "load", str(good), "--check").stderr


def test_lines_without_id_get_one_and_blank_lines_are_ignored(sqlite_url, cli, tmp_path):
    path = tmp_path / "noid.jsonl"
    path.write_text(json.dumps({k: v for k, v in GOOD[0].items() if k != "id"}) + "\n\n", encoding="utf-8")
    assert "recorded 1, skipped 0" in cli(sqlite_url, "load", str(path)).stderr
    log = json.loads(cli(sqlite_url, "events", "--json").stdout)
    assert log[-2]["command_id"].startswith("auto:")
    assert log[-1]["type"] == "BatchRecorded"


def test_events_table_without_json(sqlite_url, cli, tmp_path):
    cli(sqlite_url, "load", str(write_lines(tmp_path / "g.jsonl", GOOD)))
    text = cli(sqlite_url, "events").stdout
    assert "UnitRegistered" in text and "ProjectPlanned" in text
