"""PostgreSQL going away while a command scores: the command says that nothing recorded was lost and how
to finish, and doing what it says finishes the scoring."""

from __future__ import annotations

import json
import subprocess
import sys

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
