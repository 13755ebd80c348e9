"""Verified supervision reads (``sankao supervision --verify``, the API's default for an auditor): an honest
store's answers verify; one made from a read-model row altered, added or hidden fails naming the unit."""

from __future__ import annotations

import json

import pytest

from conftest import SCENARIOS, write_lines

YEAR = SCENARIOS / "year2023-supervision"
REJECTED = {73, 81, 121, 145, 414, 554}


def accepted_lines() -> list[str]:
    return [line for n, line in enumerate(YEAR.joinpath("commands.jsonl").read_text().splitlines(), 1)
            if n not in REJECTED]


@pytest.fixture
def store(tmp_path, monkeypatch, cli):
    monkeypatch.setenv("SANKAO_TRUSTED_HEADS", str(tmp_path / "trusted.json"))
    db = str(tmp_path / "s.db")
    cli(db, "load", str(write_lines(tmp_path / "year.jsonl", accepted_lines())))
    return db


def _sql(db, statement, params=()):
    import sqlite3
    with sqlite3.connect(db) as conn:
        return conn.execute(statement, params).fetchall()


@pytest.mark.parametrize("args", [["2023-03"], ["2023-08"], ["2023-12"], ["2023-03", "--known-at", "2023-04-05"],
                                  ["2023-07", "--known-at", "2023-08-12"]])
def test_an_honest_store_verifies(store, cli, args):
    plain = json.loads(cli(store, "supervision", *args, "--json").stdout)
    checked = cli(store, "supervision", *args, "--verify", "--json")
    assert "verified:" in checked.stderr
    assert json.loads(checked.stdout)["units"] == plain["units"] and json.loads(checked.stdout)["draws"] == plain["draws"]


def test_a_hidden_special_assessment_row_fails_naming_the_unit(store, cli):
    assert json.loads(cli(store, "supervision", "2023-08", "--json").stdout)["units"][3]["points_special"] == "5.00"
    _sql(store, "DELETE FROM rm_supervision WHERE kind = 'special' AND unit = 'U04'")
    shown = json.loads(cli(store, "supervision", "2023-08", "--json").stdout)
    assert shown["units"][3]["points_special"] == "0.00"  # unverified, the altered table is believed
    refused = cli(store, "supervision", "2023-08", "--verify", expect=1)
    assert "line of U04 differs from the verified log" in refused.stderr and "points_special: '0.00' / '5.00'" \
        in refused.stderr


def test_an_added_self_check_row_fails(store, cli):
    position = _sql(store, "SELECT max(position) FROM events")[0][0]
    _sql(store, "INSERT INTO rm_supervision (position, kind, recorded_at, unit, period, day) VALUES "
                "(?, 'self_check', 0, 'U02', '2023-03', '2023-04-01')", (position,))
    shown = json.loads(cli(store, "supervision", "2023-03", "--json").stdout)
    assert next(u for u in shown["units"] if u["unit"] == "U02")["self_check"] == "2023-04-01"
    refused = cli(store, "supervision", "2023-03", "--verify", expect=1)
    assert "line of U02 differs" in refused.stderr


def test_a_draws_sample_altered_in_the_read_model_fails(store, cli):
    (data,) = _sql(store, "SELECT data FROM rm_supervision WHERE kind = 'draw' AND ref = 'SC-2023-05'")[0]
    changed = json.loads(data)
    changed["sample"] = changed["sample"][1:] + changed["sample"][:1]
    _sql(store, "UPDATE rm_supervision SET data = ? WHERE kind = 'draw' AND ref = 'SC-2023-05'", (json.dumps(changed),))
    refused = cli(store, "supervision", "2023-05", "--verify", expect=1)
    assert "line of SC-2023-05 differs" in refused.stderr


def test_the_api_verifies_an_auditors_supervision_reads(tmp_path):
    from conftest import web_app_with
    lines = tmp_path / "year.jsonl"
    write_lines(lines, accepted_lines())
    app, db = web_app_with(tmp_path, lines)
    platform = app.extensions["sankao"]
    tokens = {role: platform.ledger.issue_token(role, role, "setup") for role in ("auditor", "supervisor")}
    client = app.test_client()

    def get(url, token):
        return client.get(url, headers={"Authorization": f"Bearer {tokens[token]}"})
    audited = get("/api/supervision/2023-08", "auditor")
    assert audited.status_code == 200 and audited.headers.get("Sankao-Verified-Head")
    assert get("/api/supervision/2023-08", "supervisor").headers.get("Sankao-Verified-Head") is None
    _sql(db, "DELETE FROM rm_supervision WHERE kind = 'special' AND unit = 'U04'")
    platform.queries._boards.clear()
    refused = get("/api/supervision/2023-08", "auditor")
    assert refused.status_code == 409 and "U04" in refused.json["error"]["message"]
    assert get("/api/supervision/2023-08?verify=false", "auditor").status_code == 200
    platform.close()
