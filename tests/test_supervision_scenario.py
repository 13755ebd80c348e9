"""The shared 2023 year with supervision (SCORING.md §9): `sankao load` refuses exactly the six lines its README
lists, each with the contract's reason, and once the other lines are recorded every expected file answers, on
SQLite and on PostgreSQL, scored inline or by two partitioned scoring workers."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys

import pytest

from conftest import ROOT, SCENARIOS
from test_scenario import contains

YEAR = SCENARIOS / "year2023-supervision"
REJECTED = {73: "delist_unit U06: unit U06 is not listed",
            81: "record_finding SC-2023-02: project: P0030 is not in the sample of draw SC-2023-02",
            121: "record_finding SC-2023-02: date: 2023-03-29 lies in 2023-03, which is closed",
            145: "draw_spot_check SC-2023-03: draw SC-2023-03 exists already",
            414: "self_check U02: unit U02 has filed its self-check of 2023-08 already",
            554: "special_assessment U02: points: '0.005' is not a decimal string > 0 and <= 100 with at most 2 decimals"}


def queries() -> list[tuple[str, list[str]]]:
    rows = re.findall(r"\| `([^`]+\.json)` \| `sankao ([^`]+)`", (YEAR / "README.md").read_text())
    return [(name, shlex.split(query)) for name, query in rows]


def load_around_rejections(cli, url: str, tmp_path, env: dict | None = None) -> list[int]:
    """Load the year as the README says: `sankao load` stops at a rejected line, the lines after it go next.
    Returns the line numbers refused, in order."""
    lines = (YEAR / "commands.jsonl").read_text(encoding="utf-8").splitlines()
    start, refused = 0, []
    while start < len(lines):
        part = tmp_path / f"from-{start + 1}.jsonl"
        part.write_text("\n".join(lines[start:]) + "\n", encoding="utf-8")
        result = cli(url, "load", str(part), expect=None)
        if result.exit_code == 0:
            break
        found = re.search(r"line (\d+): (.*)", result.output + result.stderr)
        assert found, result.output + result.stderr
        number = start + int(found.group(1))
        assert number in REJECTED and found.group(2).startswith(REJECTED[number]), (number, result.stderr)
        refused.append(number)
        start = number
    return refused


def test_the_table_lists_every_expected_file():
    assert {n for n, _ in queries()} == {p.name for p in (YEAR / "expected").glob("*.json")} and len(queries()) == 26


def test_check_reports_the_six_lines_and_records_nothing(sqlite_url, cli):
    result = cli(sqlite_url, "load", str(YEAR / "commands.jsonl"), "--check", expect=None)
    found = dict((int(n), why) for n, why in re.findall(r"line (\d+): (.*)", result.stdout + result.stderr))
    assert sorted(found) == sorted(REJECTED)
    for number, why in found.items():
        assert why.startswith(REJECTED[number]), (number, why)
    assert "nothing recorded" in result.stdout + result.stderr
    assert "no store" in cli(sqlite_url, "events", "--json", expect=1).stderr  # --check created nothing


def answer_all(cli, url: str) -> list[str]:
    failures = []
    for name, args in queries():
        answer = json.loads(cli(url, *args).stdout)
        try:
            contains(json.loads((YEAR / "expected" / name).read_text()), answer)
        except AssertionError as exc:
            failures.append(f"{name}: {exc}")
    return failures


def test_every_expected_answer_scored_inline(store_url, cli, tmp_path):
    assert load_around_rejections(cli, store_url, tmp_path) == sorted(REJECTED)
    failures = answer_all(cli, store_url)
    assert not failures, "\n".join(failures)


def test_every_expected_answer_scored_by_two_partitioned_workers(pg_store_url, cli, tmp_path, monkeypatch,
                                                                 make_platform):
    monkeypatch.setenv("SANKAO_SCORING", "worker")
    assert load_around_rejections(cli, pg_store_url, tmp_path) == sorted(REJECTED)
    assert make_platform(pg_store_url).scoring_lag() > 0  # nothing scored yet: left to the workers
    env = {**os.environ, "SANKAO_DB": pg_store_url, "SANKAO_SCORING": "worker"}
    workers = [subprocess.Popen([sys.executable, "-m", "cli", "worker", "--once", "--partition", f"{k}/2"],
                                env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
               for k in (1, 2)]
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err.decode()
    checked = make_platform(pg_store_url)
    assert checked.scoring_lag() == 0 and not checked.scorer.closer.pending()
    failures = answer_all(cli, pg_store_url)
    assert not failures, "\n".join(failures)
