"""Nothing accepted is lost or doubled: crashes mid-load, and writers racing."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from unittest.mock import ANY

import pytest

from conftest import ROOT, consequences, write_lines
from core.bootstrap import Config, Platform
from core.samples.generate import generate_year


def _recorded_ids(platform) -> list[str]:
    return [e.command_id for _, e in platform.ledger.notifications() if ":" not in e.command_id]


@pytest.mark.slow
def test_sigkill_in_the_middle_then_rerun_records_every_line_exactly_once(store_url, make_platform, tmp_path):
    lines = generate_year(units=60, projects=8000, seed=5)
    path = write_lines(tmp_path / "big.jsonl", lines)
    env = {**os.environ, "SANKAO_DB": store_url, "SANKAO_PLUGINS": str(ROOT / "plugins.toml")}
    command = [sys.executable, "-m", "cli", "load", str(path), "--no-score"]
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    watcher = make_platform(store_url)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(_recorded_ids(watcher)) < 3000:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    partly = len(set(_recorded_ids(make_platform(store_url))))
    assert process.returncode == -signal.SIGKILL, "the load finished before it could be killed"
    assert 0 < partly < len(lines)
    rerun = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"recorded {len(lines) - partly}, skipped {partly}" in rerun.stderr
    ids = _recorded_ids(make_platform(store_url))
    assert ids == [line["id"] for line in lines]


_start = None  # a barrier both processes of a pool wait at, ready, to begin at once


def _ready(barrier) -> None:
    global _start
    _start = barrier


def _both_at_once(context):
    """A pool of two processes that begin their task at the same moment: each waits, ready, for the other."""
    return context.Pool(2, initializer=_ready, initargs=(context.Barrier(2),))


def _race(url: str, lines: list[str]) -> int:
    platform = Platform(Config(db=url, plugins=str(ROOT / "plugins.toml")), "write")
    _start.wait(timeout=120)
    done = 0
    for n, line in enumerate(lines, 1):
        platform.ledger.record(line, f"writer-{os.getpid()}")
        done += 1
    platform.close()
    return done


def test_two_writers_racing_on_one_project_lose_nothing(store_url, make_platform):
    setup = make_platform(store_url)
    setup.ledger.record({"cmd": "register_unit", "unit": "U1", "name": "u", "category": "c", "id": "s1"}, "t")
    setup.ledger.record({"cmd": "plan_project", "project": "P1", "unit": "U1", "name": "p",
                         "planned_on": "2023-01-05", "id": "s2"}, "t")
    setup.ledger.record({"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-06", "amount": "10",
                         "id": "s3"}, "t")
    writers = [[json.dumps({"cmd": "start_construction", "project": "P1", "started_on": "2023-01-07",
                            "id": f"w{w}-{n}"}) for n in range(60)] for w in range(2)]
    # both writers also try to record the same shared lines: each must land exactly once
    shared = [json.dumps({"cmd": "start_construction", "project": "P1", "started_on": "2023-01-08",
                          "id": f"shared-{n}"}) for n in range(30)]
    with _both_at_once(multiprocessing.get_context("spawn")) as pool:
        counts = pool.starmap(_race, [(store_url, writers[0] + shared), (store_url, writers[1] + shared)])
    assert counts == [90, 90]
    events = [e for _, e in make_platform(store_url).ledger.notifications()
              if type(e).__name__ == "ConstructionStarted"]
    ids = [e.command_id for e in events]
    assert sorted(ids) == sorted([f"w{w}-{n}" for w in range(2) for n in range(60)] +
                                 [f"shared-{n}" for n in range(30)])
    assert [e.originator_version for e in events] == list(range(3, 3 + len(events)))
    assert len({e.actor for e in events}) == 2


def _score(url: str) -> int:
    platform = Platform(Config(db=url, plugins=str(ROOT / "plugins.toml")), "write")
    _start.wait(timeout=120)
    done = platform.scorer.run()
    platform.close()
    return done


def test_two_scoring_workers_at_once_record_each_consequence_once(store_url, make_platform, tmp_path):
    from conftest import SCENARIO

    loader = make_platform(store_url)
    lines = list(enumerate((SCENARIO / "commands.jsonl").read_text().splitlines(), 1))
    loader.ledger.load(lines, "office")
    with _both_at_once(multiprocessing.get_context("spawn")) as pool:
        pool.starmap(_score, [(store_url,), (store_url,)])
    both = make_platform(store_url)
    keys = [row[:3] for row in consequences(both)]
    assert len(keys) == len(set(keys))
    single = make_platform(str(tmp_path / "single.db"))
    single.ledger.load(lines, "office")
    single.scorer.run()
    assert consequences(both) == consequences(single)
    # the tree heads differ (the two logs interleave differently), the board does not
    assert both.queries.board("2023-12")["head"]["size"] == single.queries.board("2023-12")["head"]["size"]
    assert both.queries.board("2023-12") == {**single.queries.board("2023-12"), "known_at": ANY, "head": ANY}


def test_scoring_in_many_sittings_records_what_one_sitting_does(store_url, make_platform, tmp_path):
    """Each sitting starts from what the store holds (a new process would), and must carry on exactly."""
    lines = [json.dumps(c) for c in generate_year(units=6, projects=120, seed=31)]
    numbered = list(enumerate(lines, 1))
    cuts = [0, 40, 41, 150, 260, len(lines)]
    for start, stop in zip(cuts, cuts[1:]):
        sitting = make_platform(store_url)
        sitting.ledger.load(numbered[start:stop], "office")
        # as if each sitting ran right after its last line: the clock opens no month ahead of the facts
        last = datetime.fromisoformat(json.loads(lines[stop - 1])["at"])
        sitting.scorer.clock = lambda last=last: last
        sitting.scorer.run()
        sitting.close()
    once = make_platform(str(tmp_path / "once.db"))
    once.ledger.load(numbered, "office")
    once.scorer.run()
    assert consequences(make_platform(store_url)) == consequences(once)
