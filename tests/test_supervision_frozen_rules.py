"""``sankao supervision PERIOD`` of a closed month shows the parts of the deduction its frozen board shows
(docs/assessment.md §9): computed from the commands recorded before the close, the rules among them. New rules
put in force for every month afterwards (``--effective start``) move the live months, not a frozen one's points.
"""

from __future__ import annotations

import json
from decimal import Decimal

from conftest import SCENARIOS

REJECTED = {"s00010", "s00012", "s00021", "s00028", "s00084", "s00123"}  # year2023-supervision's README


def test_a_closed_months_points_keep_the_rules_of_its_close(sqlite_url, cli, tmp_path):
    year = SCENARIOS / "year2023-supervision"
    lines = [line for line in (year / "commands.jsonl").read_text().splitlines()
             if json.loads(line)["id"] not in REJECTED]
    (tmp_path / "year.jsonl").write_text("\n".join(lines) + "\n")
    cli(sqlite_url, "load", str(tmp_path / "year.jsonl"))
    dearer = tmp_path / "dearer.toml"
    dearer.write_text("[plugins.supervision]\nmisreport_points = 5.00\n")
    cli(sqlite_url, "plugins", "apply", str(dearer), "--effective", "start", "--yes")

    def query(*args):
        return json.loads(cli(sqlite_url, *args, "--json").stdout)
    frozen = {u["unit"]: u for u in query("supervision", "2023-03")["units"]}
    expected = {u["unit"]: u for u in json.loads((year / "expected" / "supervision-2023-03-known-2023-04-06.json")
                                                 .read_text())["units"]}
    assert frozen["U07"]["points_misreport"] == "3.00"  # P0117's misreport, at the 3.00 of March's close
    for unit, line in expected.items():  # the points as known the day after the close, before the new rules
        assert all(frozen[unit][k] == line[k] for k in ("points_self_check", "points_misreport", "points_special"))
    board = {u["unit"]: Decimal(u["deduction"]) for u in query("board", "2023-03")["units"]}
    assert board["U07"] == Decimal("4.00")  # the frozen board: 1.00 + 3.00, as the query says
    restated = {u["unit"]: Decimal(u["deduction"]) for u in query("board", "2023-03", "--restated")["units"]}
    assert restated["U07"] == Decimal("5.00")  # everything known now, the new rules with it: 0 + 5.00
