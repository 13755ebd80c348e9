"""The independent oracle of SCORING.md §9 (tests/oracle_supervision.py) against the shared public year with
supervision: it rejects exactly the six lines its README names, and answers every expected file. Sankao's
engine takes no part here."""

from __future__ import annotations

import json
from datetime import datetime

from conftest import SCENARIOS
from core.samples.supervision import generate_supervision_year
from oracle_supervision import SupervisionOracle
from test_scenario import contains

YEAR = SCENARIOS / "year2023-supervision"
NOON = "T12:00:00+08:00"


def answer(oracle: SupervisionOracle, name: str):
    """The oracle's answer to the query an expected file is named after (the README's table)."""
    stem = name.removesuffix(".json")
    if "-known-" in stem:
        stem, day = stem.split("-known-")
        oracle = oracle.known_at(datetime.fromisoformat(day + NOON))
    restated = stem.endswith("-restated")
    kind, *rest = stem.removesuffix("-restated").split("-")
    if kind == "supervision":
        return oracle.supervision("-".join(rest))
    if kind == "board":
        return oracle.board_answer("-".join(rest), restated=restated)
    unit, period = rest[0], "-".join(rest[1:])
    board = oracle.board_answer(period)
    entry = next(row for row in board["units"] if row["unit"] == unit)
    return dict(entry)  # the entry fields of `score`; the indicators are not the oracle's business


def test_the_supervision_oracle_agrees_with_the_shared_year():
    lines = (YEAR / "commands.jsonl").read_text(encoding="utf-8").splitlines()
    oracle = SupervisionOracle().run(lines)
    assert [number for number, _ in oracle.rejected] == [73, 81, 121, 145, 414, 554], oracle.rejected
    expected_files = sorted((YEAR / "expected").glob("*.json"))
    assert len(expected_files) == 26
    for path in expected_files:
        expected = json.loads(path.read_text(encoding="utf-8"))
        if path.name.startswith("score-"):
            expected = {k: v for k, v in expected.items() if k != "indicators"}
        contains(expected, answer(oracle, path.name), f"{path.name}: ")


def test_the_generator_means_to_reject_what_the_oracle_rejects_and_covers_the_rules():
    """The generated years with supervision (core/samples/supervision.py): the lines the generator means to be
    rejected are the ones the oracle's reading of the contract rejects, and between them the years break every
    rule the generator knows of, with misreports that move a date to another month."""
    reasons, moved = set(), set()
    for seed in range(80, 96):
        lines, meant = generate_supervision_year(units=4 + seed % 5, projects=60 + 6 * (seed % 15), seed=seed,
                                                 cross_year=seed % 2 == 0)
        assert [line["id"] for line in lines] == sorted({line["id"] for line in lines})
        assert [line["at"] for line in lines] == sorted(line["at"] for line in lines)  # one offset: text order
        oracle = SupervisionOracle().run(lines)
        assert [n for n, _ in oracle.rejected] == meant, (seed, oracle.rejected)
        reasons |= {reason for _, reason in oracle.rejected}
        replay = SupervisionOracle()
        for command in oracle.recorded:
            if command["cmd"] == "record_finding" and command.get("field", "signed_amount") != "signed_amount":
                before = replay.projects[command["project"]][command["field"]]
                moved.add((command["field"], before.isoformat()[:7] != command["value"][:7]))
            replay.run([command])
    assert {"self-check exists", "project not in the sample", "month of date closed", "bad points", "not listed",
            "draw exists", "finding exists", "date before the draw's", "confirmed with a correction",
            "date not after the end of period", "already listed", "date before the latest list/delist",
            "unknown unit", "unknown draw", "bad amount", "signed_on after landed_on"} <= reasons, reasons
    assert {("landed_on", True), ("signed_on", True)} <= moved, moved
