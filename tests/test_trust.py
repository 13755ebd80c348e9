"""Trust boundaries of the record (issue #18): who a token is comes from the log, not from tables a rebuild
empties or an edit changes; a reused command id never drops a command silently; a unit acts only on its own."""

from __future__ import annotations

import json

import pytest

from conftest import SCENARIO, write_lines
from core.record import access
from core.bootstrap import Config, Platform
from core.record.state import stream_id


@pytest.fixture
def year(tmp_path):
    platform = Platform(Config(db=str(tmp_path / "s.db")), "load")
    platform.ledger.load(enumerate(SCENARIO.joinpath("commands.jsonl").read_text().splitlines(), 1), "office")
    yield platform
    platform.close()


def _tokens(platform):
    live = platform.ledger.issue_token("desk", "viewer", "setup")
    gone = platform.ledger.issue_token("gone", "admin", "setup")
    platform.ledger.revoke_token("gone", "setup")
    return live, gone


def test_access_is_decided_from_the_log_while_the_read_models_are_empty(year):
    live, gone = _tokens(year)
    recorder = year.app.recorder
    with recorder.transaction() as cur:  # what an interrupted `sankao rebuild` leaves
        for table in ("rm_tokens", "rm_projects", "rm_units"):
            cur.execute(f"DELETE FROM {table}")
    assert access.authenticate(recorder, live) == access.Principal("desk", "viewer")
    assert access.authenticate(recorder, gone) is None


def test_an_edited_tokens_table_gives_no_token(year):
    live, gone = _tokens(year)
    recorder = year.app.recorder
    forged = access.new_token()
    with recorder.transaction() as cur:
        cur.execute("UPDATE rm_tokens SET revoked_at = NULL")
        cur.execute("INSERT INTO rm_tokens (name, role, digest, actor, issued_at) VALUES (?, ?, ?, ?, ?)",
                    ("mallory", "admin", access.digest(forged), "mallory", 1))
    assert access.authenticate(recorder, gone) is None, "a revocation cleared in a table still revokes"
    assert access.authenticate(recorder, forged) is None, "a token no event issued is no token"
    assert access.authenticate(recorder, live) is not None


def test_a_token_event_written_around_sankao_issues_nothing(year):
    recorder = year.app.recorder
    _tokens(year)
    forged = access.new_token()
    last = recorder.fetch("SELECT max(position), max(version) FROM events WHERE stream = ?",
                          (stream_id("tokens").hex,))[0]
    state = recorder.fetch("SELECT state, topic FROM events WHERE position = ?", (last[0],))[0]
    issued = recorder.fetch("SELECT state, topic FROM events WHERE stream = ? AND version = 1",
                            (stream_id("tokens").hex,))[0]
    data = json.loads(bytes(issued[0]))
    data.update(name="mallory", role="admin", digest=access.digest(forged))
    head = recorder.fetch("SELECT max(position) FROM events")[0][0]
    with recorder.transaction() as cur:
        cur.execute("INSERT INTO events (position, stream, version, topic, state) VALUES (?, ?, ?, ?, ?)",
                    (head + 1, stream_id("tokens").hex, last[1] + 1, issued[1], json.dumps(data).encode()))
    assert state  # the stream had events before the forged one
    assert access.authenticate(recorder, forged) is None


# -- command ids ---------------------------------------------------------------------------------------

def _shared_year_line(number: int) -> dict:
    return json.loads(SCENARIO.joinpath("commands.jsonl").read_text().splitlines()[number - 1])


def test_a_reused_id_with_other_content_is_refused_naming_the_earlier_command(cli, sqlite_url, tmp_path):
    cli(sqlite_url, "load", str(SCENARIO / "commands.jsonl"))
    head = cli(sqlite_url, "audit", "head", "--json").stdout
    other = {"cmd": "plan_project", "project": "PZ9", "unit": "U01", "name": "Z", "planned_on": "2023-01-05",
             "id": "c00001", "at": "2024-01-06T09:00:00+08:00"}
    refused = cli(sqlite_url, "load", str(write_lines(tmp_path / "z.jsonl", [other])), expect=1)
    assert "line 1:" in refused.stdout and "id: c00001 is already recorded for another command" in refused.stdout
    assert "UnitRegistered recorded at 2023-01-03 09:01:00 (Asia/Shanghai) by" in refused.stdout, refused.stdout
    assert cli(sqlite_url, "audit", "head", "--json").stdout == head, "nothing recorded"
    checked = cli(sqlite_url, "load", str(tmp_path / "z.jsonl"), "--check", expect=1)
    assert "already recorded for another command" in checked.stdout


def test_the_same_command_sent_again_however_written_is_skipped(cli, sqlite_url, tmp_path):
    cli(sqlite_url, "load", str(SCENARIO / "commands.jsonl"))
    line = next(json.loads(text) for text in SCENARIO.joinpath("commands.jsonl").read_text().splitlines()
                if '"sign_project"' in text)
    rewritten = {k: line[k] for k in reversed(list(line))}  # the keys in another order
    rewritten["amount"] = line["amount"] + "0" if "." in line["amount"] else line["amount"] + ".00"
    at = rewritten["at"]
    again = cli(sqlite_url, "load", str(write_lines(tmp_path / "again.jsonl", [rewritten])))
    assert "recorded 0, skipped 1" in again.stderr, (at, again.stderr)


def test_within_one_batch_a_reused_id_is_refused_too(cli, sqlite_url, tmp_path):
    first = {"cmd": "register_unit", "unit": "A1", "name": "a", "category": "park", "id": "x1",
             "at": "2023-01-02T09:00:00+08:00"}
    second = dict(first, unit="A2")
    refused = cli(sqlite_url, "load", str(write_lines(tmp_path / "b.jsonl", [first, second, first])), expect=1)
    assert "line 2:" in refused.stdout and "line 1 of this batch" in refused.stdout
    assert "recorded 1, skipped 0" in refused.stderr


@pytest.fixture
def office(tmp_path):
    from conftest import web_app_with
    app, db = web_app_with(tmp_path, SCENARIO / "commands.jsonl")
    ledger = app.extensions["sankao"].ledger
    tokens = {"admin": ledger.issue_token("office", "admin", "setup"),
              "U01": ledger.issue_token("desk-u01", "unit:U01", "setup"),
              "U02": ledger.issue_token("desk-u02", "unit:U02", "setup")}
    return app, tokens


def _post(app, token, *commands):
    body = "\n".join(json.dumps(c) for c in commands)
    return app.test_client().post("/api/commands", data=body, content_type="application/x-ndjson",
                                  headers={"Authorization": f"Bearer {token}"})


def test_over_the_api_a_reused_id_is_409_and_the_same_command_is_skipped(office):
    app, tokens = office
    same = _shared_year_line(5)
    assert _post(app, tokens["admin"], same).json["skipped"] == 1
    other = {"cmd": "plan_project", "project": "PZ9", "unit": "U01", "name": "Z", "planned_on": "2023-01-05",
             "id": "c00001"}
    answer = _post(app, tokens["admin"], other)
    assert answer.status_code == 409, answer.json
    assert "c00001 is already recorded for another command" in answer.json["error"]["message"]


def test_a_units_ids_are_its_own_and_do_not_block_the_offices(office):
    app, tokens = office
    start = {"cmd": "plan_project", "project": "PU1", "unit": "U01", "name": "the unit's own", "id": "z00001",
             "planned_on": "2024-01-08", "at": "2024-01-08T10:00:00+08:00"}
    assert _post(app, tokens["U01"], start).status_code == 200
    dispatch = {"cmd": "dispatch", "date": "2024-01-09", "id": "z00001", "at": "2024-01-09T09:00:00+08:00"}
    answer = _post(app, tokens["admin"], dispatch)
    assert answer.status_code == 200 and answer.json["recorded"] == 1, answer.json
    assert _post(app, tokens["U01"], start).json["skipped"] == 1, "the unit's own retry is still recognised"


def test_a_unit_cannot_assign_its_project_to_another_units_person(tmp_path):
    from conftest import PEOPLE, web_app_with
    app, _ = web_app_with(tmp_path, PEOPLE / "commands.jsonl")
    ledger = app.extensions["sankao"].ledger
    token = ledger.issue_token("desk-u01", "unit:U01", "setup")
    lines = [json.loads(line) for line in PEOPLE.joinpath("commands.jsonl").read_text().splitlines()]
    project = next(c["project"] for c in lines if c["cmd"] == "plan_project" and c["unit"] == "U01"
                   and not any(w["cmd"] == "withdraw_project" and w["project"] == c["project"] for w in lines))
    stranger = next(c["person"] for c in lines if c["cmd"] == "register_person" and c["unit"] == "U02")
    answer = _post(app, token, {"cmd": "assign_project", "project": project, "person": stranger, "id": "a1"})
    assert answer.status_code == 403, answer.json
    assert "may record only for U01" in answer.json["error"]["message"]


def test_a_units_token_is_checked_on_the_facts_while_the_read_models_are_empty(office):
    app, tokens = office
    recorder = app.extensions["sankao"].app.recorder
    with recorder.transaction() as cur:  # an interrupted `sankao rebuild`
        for table in ("rm_projects", "rm_units", "rm_tokens"):
            cur.execute(f"DELETE FROM {table}")
    lines = [json.loads(line) for line in SCENARIO.joinpath("commands.jsonl").read_text().splitlines()]
    theirs = next(c["project"] for c in lines if c["cmd"] == "plan_project" and c["unit"] == "U02")
    answer = _post(app, tokens["U01"], {"cmd": "start_construction", "project": theirs, "started_on": "2024-01-05",
                                        "id": "s1", "at": "2024-01-05T10:00:00+08:00"})
    assert answer.status_code == 403, answer.json


def test_a_units_token_reads_a_persons_own_unit_projects_only(tmp_path):
    from conftest import PEOPLE, web_app_with
    lines = [json.loads(line) for line in PEOPLE.joinpath("commands.jsonl").read_text().splitlines()]
    theirs = next(c["project"] for c in lines if c["cmd"] == "plan_project" and c["unit"] == "U08"
                  and not any(w["cmd"] == "withdraw_project" and w["project"] == c["project"] for w in lines))
    at = max(next(c["at"] for c in lines if c.get("project") == theirs and c["cmd"] == "plan_project"),
             next(c["at"] for c in lines if c.get("person") == "U01-L001"))
    after = max(i for i, c in enumerate(lines) if c["at"] <= at)  # the office assigns it across units, then
    lines.insert(after + 1, {"cmd": "assign_project", "project": theirs, "person": "U01-L001", "id": "cross-1",
                             "at": at})
    extra = write_lines(tmp_path / "people.jsonl", lines)
    app, _ = web_app_with(tmp_path, extra)
    ledger = app.extensions["sankao"].ledger
    unit, admin = ledger.issue_token("d1", "unit:U01", "s"), ledger.issue_token("a", "admin", "s")
    client = app.test_client()
    full = client.get("/api/people/U01-L001", headers={"Authorization": f"Bearer {admin}"}).json
    assert theirs in {p["project"] for p in full["projects"]}
    seen = client.get("/api/people/U01-L001", headers={"Authorization": f"Bearer {unit}"}).json
    assert theirs not in {p["project"] for p in seen["projects"]} and {p["unit"] for p in seen["projects"]} == {"U01"}
    assert "not shown" in seen["note"]


def test_a_store_of_the_previous_schema_is_read_as_it_is_and_a_missing_mark_is_refused(cli, sqlite_url):
    import sqlite3
    cli(sqlite_url, "load", str(SCENARIO / "commands.jsonl"))
    with sqlite3.connect(sqlite_url) as conn:
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema'")
    assert json.loads(cli(sqlite_url, "board", "2023-06", "--json").stdout)["frozen"] is True
    with sqlite3.connect(sqlite_url) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("4",), "a read upgrades nothing"
        conn.execute("DELETE FROM meta WHERE key = 'schema'")
    refused = cli(sqlite_url, "board", "2023-06", expect=1)
    assert "schema" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.parametrize("line, says", [
    ('{"cmd": "close_year", "year": ' + "9" * 5000 + '}', "a number of 5000 digits"),
    ('{"cmd": "register_unit", "unit": "U1", "name": "\\ud800", "category": "c"}', "lone surrogate"),
])
def test_the_cli_refuses_what_the_api_refuses_without_a_defect(cli, sqlite_url, tmp_path, line, says):
    path = tmp_path / "odd.jsonl"
    path.write_text(line + "\n")
    for flags in ([], ["--check"]):
        refused = cli(sqlite_url, "load", str(path), *flags, expect=1)
        assert says in refused.stdout and "defect" not in refused.stderr, refused.stderr


def test_a_surrogate_pair_is_a_character_not_refused(cli, sqlite_url, tmp_path):
    path = tmp_path / "pair.jsonl"
    path.write_text('{"cmd": "register_unit", "unit": "U1", "name": "\\ud83d\\ude00", "category": "park"}\n')
    cli(sqlite_url, "load", str(path))
