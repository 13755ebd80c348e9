"""The engine on generated years with supervision (SCORING.md §9) it has never seen, checked against the
independent oracle (tests/oracle_supervision.py): the lines ``load --check`` rejects, every month's frozen and
restated board and supervision answer, a few scores, and boards and supervision answers as known mid-year."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from conftest import write_lines
from core.samples.supervision import generate_supervision_year
from oracle_supervision import SupervisionOracle
from test_scenario import contains

YEAR = 2024
CASES = [  # seed, units, projects, cross_year
    (71, 4, 60, False), (72, 6, 100, False), (73, 8, 150, True), (74, 5, 80, True), (75, 7, 120, False),
    (76, 6, 90, True)]
MOMENTS = ["2024-03-04T12:00:00+08:00", "2024-06-05T20:00:00+08:00", "2024-08-20T12:00:00+08:00"]


def reported_lines(output: str) -> list[int]:
    """The line numbers ``load --check`` names (``line N: …``, ``第 N 行: …``)."""
    return [int(m.group(1)) for m in (re.match(r"(?:line |第 )(\d+)", row) for row in output.splitlines()) if m]


@pytest.mark.parametrize("seed,units,projects,cross_year", CASES)
def test_a_generated_year_with_supervision_matches_the_oracle(sqlite_url, cli, tmp_path, seed, units, projects,
                                                              cross_year):
    lines, meant = generate_supervision_year(units=units, projects=projects, year=YEAR, seed=seed,
                                             cross_year=cross_year)
    oracle = SupervisionOracle().run(lines)
    assert [n for n, _ in oracle.rejected] == meant, oracle.rejected
    checked = cli(sqlite_url, "load", str(write_lines(tmp_path / "year.jsonl", lines)), "--check", expect=1)
    assert reported_lines(checked.stdout) == meant, checked.stdout

    cli(sqlite_url, "load", str(write_lines(tmp_path / "accepted.jsonl", oracle.recorded)))
    compare_everything(cli, sqlite_url, oracle, units, cross_year)


def compare_everything(cli, url, oracle, units, cross_year):
    sqlite_url = url
    months = ([f"{YEAR - 1}-12"] if cross_year else []) + [f"{YEAR}-{m:02d}" for m in range(1, 13)]
    for period in months:
        board = json.loads(cli(sqlite_url, "board", period, "--json").stdout)
        contains(oracle.board_answer(period), board, f"board {period}: ")
        if period.startswith(str(YEAR)):
            assert board["frozen"] is True, period
            restated = json.loads(cli(sqlite_url, "board", period, "--restated", "--json").stdout)
            contains(oracle.board_answer(period, restated=True), restated, f"board {period} --restated: ")
        supervision = json.loads(cli(sqlite_url, "supervision", period, "--json").stdout)
        contains(oracle.supervision(period), supervision, f"supervision {period}: ")
    for month in (2, 7, 12):  # the entry of `score` is the board's
        period = f"{YEAR}-{month:02d}"
        for row in oracle.frozen[(YEAR, month)][:: max(1, units // 3)]:
            score = json.loads(cli(sqlite_url, "score", row["unit"], period, "--json").stdout)
            contains(row, score, f"score {row['unit']} {period}: ")

    for moment in MOMENTS:
        past = oracle.known_at(datetime.fromisoformat(moment))
        month = int(moment[5:7])
        for m in (month - 1, month):
            period = f"{YEAR}-{m:02d}"
            board = json.loads(cli(sqlite_url, "board", period, "--known-at", moment, "--json").stdout)
            contains(past.board_answer(period), board, f"board {period} at {moment}: ")
            answer = json.loads(cli(sqlite_url, "supervision", period, "--known-at", moment, "--json").stdout)
            contains(past.supervision(period), answer, f"supervision {period} at {moment}: ")


@pytest.mark.parametrize("seed,units,projects,cross_year", [(81, 6, 110, True), (82, 8, 140, False)])
def test_a_generated_year_scored_by_two_partitioned_workers_matches_the_oracle(pg_store_url, cli, tmp_path, monkeypatch,
                                                                              make_platform, seed, units, projects,
                                                                              cross_year):
    import os
    import subprocess
    import sys
    from conftest import ROOT
    lines, meant = generate_supervision_year(units=units, projects=projects, year=YEAR, seed=seed,
                                             cross_year=cross_year)
    oracle = SupervisionOracle().run(lines)
    assert [n for n, _ in oracle.rejected] == meant
    monkeypatch.setenv("SANKAO_SCORING", "worker")
    last = oracle.recorded[-1]["at"]
    monkeypatch.setenv("SANKAO_SCORER_CLOCK", last)  # as if the workers ran right after the year
    cli(pg_store_url, "load", str(write_lines(tmp_path / "accepted.jsonl", oracle.recorded)))
    assert make_platform(pg_store_url).scoring_lag() > 0
    env = {**os.environ, "SANKAO_DB": pg_store_url}
    workers = [subprocess.Popen([sys.executable, "-m", "cli", "worker", "--once", "--partition", f"{k}/2"],
                                env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for k in (1, 2)]
    for worker in workers:
        _, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()
    checked = make_platform(pg_store_url)
    assert checked.scoring_lag() == 0 and not checked.scorer.closer.pending()
    compare_everything(cli, pg_store_url, oracle, units, cross_year)
