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
