"""The engine on assessment years it has never seen, checked against an independent oracle."""

from __future__ import annotations

import json
from datetime import datetime

import pytest

from conftest import SCENARIO, write_lines
from core.samples.generate import generate_year
from oracle import Oracle, known_at


def spread(rows):
    from decimal import Decimal
    return str(max(Decimal(r["final"]) for r in rows) - min(Decimal(r["final"]) for r in rows)) if rows else "0.00"


def test_the_oracle_agrees_with_the_shared_scenario():
    commands = [json.loads(line) for line in (SCENARIO / "commands.jsonl").read_text().splitlines()]
    oracle = Oracle().run(commands)
    for month in range(1, 13):
        expected = json.loads((SCENARIO / "expected" / f"board-2023-{month:02d}.json").read_text())
        assert oracle.frozen[(2023, month)] == expected["units"]
    assert oracle.notices == json.loads((SCENARIO / "expected" / "notices.json").read_text())


@pytest.mark.parametrize("seed,units,projects,cross_year", [
    (21, 7, 140, False), (22, 10, 220, False), (23, 4, 60, False),
    (40, 6, 80, True), (44, 9, 150, True), (45, 5, 70, True)])
def test_generated_year_matches_the_oracle(sqlite_url, cli, tmp_path, seed, units, projects, cross_year):
    commands = generate_year(units=units, projects=projects, seed=seed, year=2024, cross_year=cross_year)
    cli(sqlite_url, "load", str(write_lines(tmp_path / "year.jsonl", commands)))
    oracle = Oracle().run(commands)
    assert oracle.notices, "a year without letters checks too little"
    if cross_year:  # the year before is live (never closed): every month as known now
        for month in range(1, 13):
            live = json.loads(cli(sqlite_url, "board", f"2023-{month:02d}", "--json").stdout)
            assert live["frozen"] is False and live["units"] == oracle.board(2023, month), f"2023-{month:02d}"
    for month in range(1, 13):
        period = f"2024-{month:02d}"
        board = json.loads(cli(sqlite_url, "board", period, "--json").stdout)
        assert board["frozen"] is True
        assert board["units"] == oracle.frozen[(2024, month)], period
        restated = json.loads(cli(sqlite_url, "board", period, "--restated", "--json").stdout)
        assert restated["units"] == oracle.board(2024, month), period
        assert restated["spread"] == spread(restated["units"])
    assert json.loads(cli(sqlite_url, "notices", "--json").stdout) == oracle.notices
    middle = datetime.fromisoformat("2024-06-15T12:00:00+08:00")
    past = Oracle().run(known_at(commands, middle))
    answer = json.loads(cli(sqlite_url, "board", "2024-06", "--known-at", middle.isoformat(), "--json").stdout)
    assert answer["frozen"] is False and answer["units"] == past.board(2024, 6)
    assert json.loads(cli(sqlite_url, "notices", "--known-at", middle.isoformat(), "--json").stdout) == past.notices
