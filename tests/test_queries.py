"""Queries as a user meets them: tables, errors, the scoring worker."""

from __future__ import annotations

import json

from conftest import SCENARIO


def test_worker_scores_what_load_left_unscored(store_url, cli):
    cli(store_url, "load", str(SCENARIO / "commands.jsonl"), "--no-score")
    result = cli(store_url, "worker", "--once")
    assert "scored" in result.stderr
    assert cli(store_url, "worker", "--once").stderr == ""  # nothing left to do
    board = json.loads(cli(store_url, "board", "2023-12", "--json").stdout)
    assert board["frozen"] is True and len(board["units"]) == 8


def test_readable_tables(sqlite_url, cli):
    cli(sqlite_url, "load", str(SCENARIO / "commands.jsonl"))
    board = cli(sqlite_url, "board", "2023-03").stdout
    assert "Board 2023-03 (frozen" in board and "spread 55.58" in board
    assert board.splitlines()[2].split()[:2] == ["1", "U03"]
    score = cli(sqlite_url, "score", "U03", "2023-06").stdout
    assert "U03 2023-06: rank 1 (top), final 86.17 = base 78.33 x coefficient 1.1000 - deduction 0.00" in score
    assert "landed_projects" in score
    notices = cli(sqlite_url, "notices", "--unit", "U04").stdout.splitlines()
    assert notices[0].split()[:4] == ["2023-02-06", "U04", "U04-2023-1", "orange"]


def test_a_board_before_its_month_and_unknown_units_are_clear_errors(sqlite_url, cli):
    cli(sqlite_url, "load", str(SCENARIO / "commands.jsonl"))
    early = cli(sqlite_url, "board", "2023-05", "--known-at", "2023-04-30T23:59:59+08:00", "--json", expect=1)
    assert "board 2023-05: no board yet as known at 2023-04-30T23:59:59+08:00" in early.stderr
    assert "a month's board exists from its first day on" in early.stderr
    first_day = json.loads(cli(sqlite_url, "board", "2023-05", "--known-at", "2023-05-01", "--json").stdout)
    assert first_day["frozen"] is False and len(first_day["units"]) == 8
    unknown = cli(sqlite_url, "score", "U99", "2023-05", expect=1)
    assert "score U99 2023-05: U99 is not on the board of 2023-05" in unknown.stderr
    bad = cli(sqlite_url, "board", "2023-5", expect=2)
    assert "period: '2023-5' is not a month written YYYY-MM" in bad.stderr


def test_known_at_a_local_date_means_the_end_of_that_day(sqlite_url, cli):
    cli(sqlite_url, "load", str(SCENARIO / "commands.jsonl"))
    by_date = json.loads(cli(sqlite_url, "notices", "--known-at", "2023-04-30", "--json").stdout)
    by_instant = json.loads(cli(sqlite_url, "notices", "--known-at", "2023-05-01T00:00:00+08:00", "--json").stdout)
    assert by_date == by_instant
    utc = json.loads(cli(sqlite_url, "--tz", "UTC", "notices", "--known-at", "2023-04-30", "--json").stdout)
    assert utc == by_instant  # nothing was recorded between 16:00 and 24:00 UTC that day


def test_year_end_closing_sheets_are_listed_in_unit_id_order(sqlite_url, cli, tmp_path):
    """U02's case opens before U01's; the first dispatch of the new year closes both, U01 first."""
    from conftest import write_lines

    def targets(unit):
        return {"cmd": "set_targets", "unit": unit, "year": 2023, "annual": "1200", "monthly": "100",
                "quarterly": ["300", "600", "900", "1200"], "planned": 0, "landed": 0,
                "at": "2023-01-02T10:00:00+08:00"}

    lines = [{"cmd": "register_unit", "unit": u, "name": u, "category": "c", "at": "2023-01-02T09:00:00+08:00"}
             for u in ("U01", "U02")] + [targets("U01"), targets("U02"),
        {"cmd": "plan_project", "project": "P1", "unit": "U01", "name": "p", "planned_on": "2023-01-03",
         "at": "2023-01-03T09:00:00+08:00"},
        {"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-04", "amount": "1000",
         "at": "2023-01-04T09:00:00+08:00"},
        {"cmd": "dispatch", "date": "2023-03-06", "at": "2023-03-06T09:00:00+08:00"},  # only U02 lags
        {"cmd": "dispatch", "date": "2023-12-04", "at": "2023-12-04T09:00:00+08:00"},  # now U01 lags too
        {"cmd": "dispatch", "date": "2024-01-08", "at": "2024-01-08T09:00:00+08:00"}]
    cli(sqlite_url, "load", str(write_lines(tmp_path / "year.jsonl", lines)))
    notices = json.loads(cli(sqlite_url, "notices", "--json").stdout)
    assert [(n["case"], n["level"]) for n in notices] == [
        ("U02-2023-1", "red"), ("U01-2023-1", "green"),
        ("U01-2023-1", "feedback"), ("U02-2023-1", "feedback")]
