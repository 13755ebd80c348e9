"""PostgreSQL going away while a command scores: the command says that nothing recorded was lost and how
to finish, and doing what it says finishes the scoring."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from conftest import ROOT


@pytest.mark.postgres
def test_postgres_cut_while_scoring_says_how_to_finish_and_that_finishes_it(cli, tmp_path, cuttable_pg):
    from core.samples.generate import generate_year
    direct, relayed, proxy = cuttable_pg.direct, cuttable_pg.relayed, cuttable_pg
    path = tmp_path / "year.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in generate_year(units=30, projects=3000, seed=4)))
    try:
        cli(direct, "init")
        cli(direct, "load", str(path), "--no-score")
        board = subprocess.Popen([sys.executable, "-m", "cli", "--db", relayed, "board", "2023-06"],
                                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        cuttable_pg.wait(board, "SELECT coalesce(max(position), 0) FROM {schema}.tracking", above=0)
        assert board.poll() is None, "the board finished scoring before the store could be cut"
        proxy.cut()
        _, err = board.communicate(timeout=60)
        assert "Traceback" not in err, err
        assert "Nothing recorded was lost" in err and "run the same command again" in err, err
        again = cli(direct, "board", "2023-06", "--json")  # what the message says to do
        assert "warning" not in again.stderr and json.loads(again.stdout)["period"] == "2023-06"
    finally:
        proxy.cut()


@pytest.mark.postgres
def test_a_running_worker_rides_out_postgres_going_away_and_coming_back(cli, tmp_path, cuttable_pg):
    """`sankao worker` (not --once) keeps going when its store goes away for a while (a server restarting): it
    says so, goes on from what it had scored (each chunk one transaction with the position reached), and ends
    caught up."""
    from conftest import PgRelay
    from core.samples.generate import generate_year
    direct, relayed = cuttable_pg.direct, cuttable_pg.relayed
    port = int(relayed.split(":")[2].split("/")[0])
    path = tmp_path / "year.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in generate_year(units=30, projects=3000, seed=4)))
    cli(direct, "init")
    cli(direct, "load", str(path), "--no-score")
    worker = subprocess.Popen([sys.executable, "-m", "cli", "--db", relayed, "worker", "--interval", "0.1"],
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "SANKAO_SCORER_CLOCK": "record"})
    relay = None
    try:
        cuttable_pg.wait(worker, "SELECT coalesce(max(position), 0) FROM {schema}.tracking", above=0)
        cuttable_pg.cut()
        time.sleep(2)
        assert worker.poll() is None, "the worker ended when the store went away"
        relay = PgRelay(listen=port)
        from core.bootstrap import Config, Platform
        watch = Platform(Config(db=direct), "read")
        try:
            deadline = time.monotonic() + 120
            while watch.scoring_lag() and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(0.2)
            assert watch.scoring_lag() == 0
        finally:
            watch.close()
        assert worker.poll() is None
    finally:
        worker.terminate()
        _, err = worker.communicate(timeout=30)
        if relay is not None:
            relay.cut()
    assert "trying again shortly" in err and "Traceback" not in err, err
