"""What a change of rules would move, shown before it is recorded: closed months keep their frozen
boards, so only open months' boards "move"; closed months are listed apart, as what ``--restated`` shows."""

from __future__ import annotations

import json

from conftest import SCENARIO, write_lines

CHANGE = '[plugins.annual_amount]\nweight = "35"\n'


def _year_with_december_open(tmp_path):
    lines = [line for line in SCENARIO.joinpath("commands.jsonl").read_text().splitlines()
             if '"period": "2023-12"' not in line or '"close_month"' not in line]
    return write_lines(tmp_path / "open-december.jsonl", lines)


def test_the_dry_run_moves_only_open_months_and_lists_closed_ones_apart(cli, sqlite_url, tmp_path):
    cli(sqlite_url, "load", str(_year_with_december_open(tmp_path)))
    change = tmp_path / "weights.toml"
    change.write_text(CHANGE)
    before = cli(sqlite_url, "audit", "head", "--json").output
    shown = cli(sqlite_url, "plugins", "apply", str(change), "--effective", "start", "--dry-run").output
    moving, _, closed = shown.partition("Closed months")
    assert "Boards that move:" in moving and "  2023-12:" in moving
    assert not any(f"  2023-{m:02d}:" in moving for m in range(1, 12)), shown
    assert "frozen boards stay" in closed and "  2023-06:" in closed and "  2023-12:" not in closed
    assert cli(sqlite_url, "audit", "head", "--json").output == before, "a dry run records nothing"


def test_the_api_says_the_same_in_moved_and_restated_only(tmp_path):
    from conftest import web_app_with
    app, _ = web_app_with(tmp_path, _year_with_december_open(tmp_path))
    token = app.extensions["sankao"].ledger.issue_token("office", "admin", "setup")
    answer = app.test_client().post("/api/plugins", headers={"Authorization": f"Bearer {token}"},
                                    json={"plugins": {"annual_amount": {"weight": "35"}}, "effective": "start",
                                          "dry_run": True})
    assert answer.status_code == 200, answer.json
    assert {m["period"] for m in answer.json["moved"]} == {"2023-12"}
    assert {m["period"] for m in answer.json["restated_only"]} >= {"2023-06", "2023-11"}
    assert "2023-12" not in {m["period"] for m in answer.json["restated_only"]}
    assert json.loads(json.dumps(answer.json["moved"]))[0]["before"] != answer.json["moved"][0]["after"]
