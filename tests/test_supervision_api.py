"""Supervision over the web API (docs/assessment.md §9), on SQLite and on PostgreSQL: a unit's token files its own
self-check (a retry with its id is skipped, a second self-check refused, its ids its own), never another unit's nor
the supervision department's commands; a supervisor's token records the department's commands and nothing else (a
body with one other line is refused whole); GET /api/supervision/{period} shows a unit its own line and its own
sampled projects."""

from __future__ import annotations

import json

import pytest

from conftest import write_lines
from core.bootstrap import Config
from test_supervision_rules import AT, base


@pytest.fixture
def api(store_url, cli, tmp_path):
    from web import create_app
    cli(store_url, "load", str(write_lines(tmp_path / "base.jsonl", base())))
    app = create_app(Config(db=store_url))
    platform = app.extensions["sankao"]
    tokens = {role: platform.ledger.issue_token(role.replace(":", "-"), role, "setup")
              for role in ("unit:U1", "unit:U2", "supervisor", "viewer", "auditor")}
    yield app.test_client(), tokens, store_url
    platform.close()


def test_supervision_commands_and_reads_by_role(api, cli):
    client, tokens, url = api

    def post(role, body):
        kind = "application/json" if isinstance(body, dict) else "application/x-ndjson"
        data = json.dumps(body) if isinstance(body, dict) else "\n".join(json.dumps(line) for line in body)
        return client.post("/api/commands", data=data, content_type=kind,
                           headers={"Authorization": f"Bearer {tokens[role]}"})

    def get(role, path):
        return client.get(path, headers={"Authorization": f"Bearer {tokens[role]}"})

    own = {"cmd": "self_check", "unit": "U1", "period": "2024-02", "date": "2024-03-02", "at": AT, "id": "x1"}
    assert post("unit:U1", own).json == {"recorded": 1, "skipped": 0, "scoring_behind": 0}
    assert post("unit:U1", own).json["skipped"] == 1  # a retried request doubles nothing
    again = post("unit:U1", {**own, "date": "2024-03-04", "id": "x2"})
    assert again.status_code == 422 and again.json["error"]["message"] == (
        "self_check U1: unit U1 has filed its self-check of 2024-02 already (dated 2024-03-02)"), again.json
    other = post("unit:U2", {**own, "unit": "U2"})  # the same id, in U2's own namespace
    assert other.status_code == 200 and other.json["recorded"] == 1, other.json
    refused = post("unit:U1", {**own, "unit": "U2", "period": "2024-01", "id": "x3"})
    assert refused.status_code == 403 and "may not record self_check for U2" in refused.json["error"]["message"]
    finding = {"cmd": "record_finding", "draw": "D2", "project": "P1", "date": "2024-03-10", "result": "confirmed",
               "at": AT}
    refused = post("unit:U1", finding)  # U1's own sampled project: still the department's command
    assert refused.status_code == 403 and "may not record record_finding" in refused.json["error"]["message"], \
        refused.json
    for role in ("viewer", "auditor"):
        assert post(role, {**own, "id": "x4"}).status_code == 403

    head = cli(url, "audit", "head", "--json").stdout
    mixed = [{"cmd": "draw_spot_check", "draw": "D5", "period": "2024-02", "size": 2, "seed": "five",
              "date": "2024-03-10", "at": AT},
             {"cmd": "sign_project", "project": "P3", "signed_on": "2024-03-08", "amount": "5", "at": AT}]
    refused = post("supervisor", mixed)
    assert refused.status_code == 403 and refused.json["error"]["message"].startswith(
        "line 2: the token supervisor (supervisor) may not record sign_project"), refused.json
    assert cli(url, "audit", "head", "--json").stdout == head  # refused whole: nothing recorded
    department = [mixed[0], finding,
                  {"cmd": "special_assessment", "unit": "U2", "date": "2024-03-10", "points": "2.50", "reason": "r",
                   "at": AT},
                  {"cmd": "delist_unit", "unit": "U1", "date": "2024-03-10", "reason": "caught up", "at": AT}]
    assert post("supervisor", department).json["recorded"] == 4

    whole = get("supervisor", "/api/supervision/2024-02").json
    assert whole == get("auditor", "/api/supervision/2024-02").json
    assert [u["unit"] for u in whole["units"]] == ["U1", "U2"]
    assert [(u["self_check"], u["on_time"]) for u in whole["units"]] == [("2024-03-02", True), ("2024-03-02", True)]
    d2 = next(d for d in whole["draws"] if d["draw"] == "D2")
    assert {s["project"]: s["result"] for s in d2["sample"]} == {"P1": "confirmed", "P2": None}
    assert [d["draw"] for d in whole["draws"]] == ["D1", "D2", "D5"]
    mine = get("unit:U1", "/api/supervision/2024-02").json
    assert mine["units"] == [whole["units"][0]]
    assert [[s["project"] for s in d["sample"]] for d in mine["draws"]] == [
        [s["project"] for s in d["sample"] if s["unit"] == "U1"] for d in whole["draws"]]
    march = get("unit:U2", "/api/supervision/2024-03").json
    assert [(u["unit"], u["points_special"], u["listed"]) for u in march["units"]] == [("U2", "2.50", False)]
    assert get("viewer", "/api/supervision/2024-02").status_code == 403
