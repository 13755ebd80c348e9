"""Verified reads (``--verify``): an answer made from altered rows fails naming what was altered, instead of
being shown; an honest store's answers verify, and the head a reader trusts moves on with the log."""

from __future__ import annotations

import json

import pytest

from conftest import SCENARIO, write_lines
from core.record.state import stream_id


@pytest.fixture
def store(tmp_path, monkeypatch, cli):
    monkeypatch.setenv("SANKAO_TRUSTED_HEADS", str(tmp_path / "trusted.json"))
    lines = [line for line in SCENARIO.joinpath("commands.jsonl").read_text().splitlines()
             if '"close_month"' not in line or '"2023-12"' not in line]  # December stays live
    db = str(tmp_path / "s.db")
    cli(db, "load", str(write_lines(tmp_path / "year.jsonl", lines)))
    return db


def _sql(db, statement, params=()):
    import sqlite3
    with sqlite3.connect(db) as conn:
        return conn.execute(statement, params).fetchall()


@pytest.mark.parametrize("args", [["board", "2023-06"], ["board", "2023-12"], ["board", "2023-06", "--known-at",
                                  "2023-06-20"], ["score", "U03", "2023-06"], ["score", "U03", "2023-12"]])
def test_an_honest_store_verifies(store, cli, args):
    first = cli(store, *args, "--verify", "--json")
    assert "verified:" in first.stderr and "first use" in first.stderr
    again = cli(store, *args, "--verify", "--json")
    assert "kept from the last verified read" in again.stderr

    def same(text):
        return {k: v for k, v in json.loads(text).items() if k != "known_at"}
    assert same(again.stdout) == same(first.stdout)


def test_a_frozen_board_edited_in_the_log_fails_naming_its_position(store, cli):
    cli(store, "board", "2023-06", "--verify")  # the reader trusts today's head
    position, state = _sql(store, "SELECT position, state FROM events WHERE stream = ?",
                           (stream_id("board", "2023-06").hex,))[0]
    data = json.loads(bytes(state))
    entry = next(e for e in data["entries"] if e["unit"] == "U03")
    entry["figures"]["final"] = str(float(entry["figures"]["final"]) + 10)
    _sql(store, "UPDATE events SET state = ? WHERE position = ?", (json.dumps(data).encode(), position))
    plain = cli(store, "board", "2023-06", "--json")
    assert "U03" in plain.stdout  # without --verify the altered answer is shown (what audit verify is for)
    refused = cli(store, "board", "2023-06", "--verify", "--json", expect=1)
    assert f"the event at position {position} is not the one the verified log holds" in refused.stderr
    assert refused.stdout == ""


def test_a_live_boards_read_model_row_edited_fails_naming_the_unit(store, cli):
    cli(store, "board", "2023-12", "--verify")
    _sql(store, "UPDATE rm_figures SET shown_final = '99.99', final = '99.99' WHERE period = '2023-12' AND unit = 'U01'")
    refused = cli(store, "board", "2023-12", "--verify", expect=1)
    assert "U01's final on the board of 2023-12 is 99.99 but the verified log says" in refused.stderr
    score = cli(store, "score", "U01", "2023-12", "--verify", expect=1)
    assert "the answer came from an altered row" in score.stderr


def test_a_log_rewritten_since_the_trusted_head_fails(store, cli, tmp_path):
    cli(store, "board", "2023-06", "--verify")
    trusted = json.loads((tmp_path / "trusted.json").read_text())
    (size, root), = [(h["size"], h["root"]) for h in trusted.values()]
    position = size // 2
    leaf = _sql(store, "SELECT hash FROM merkle_leaves WHERE position = ?", (position,))[0][0]
    _sql(store, "UPDATE merkle_leaves SET hash = ? WHERE position = ?", (bytes(32), position))
    _sql(store, "DELETE FROM merkle_nodes")  # a tamperer rewriting the tree from there
    refused = cli(store, "board", "2023-06", "--verify", expect=1)
    assert "is not the root trusted" in refused.stderr and "the record was rewritten" in refused.stderr
    assert leaf and root


def test_a_published_head_can_be_given(store, cli):
    head = json.loads(cli(store, "audit", "head", "--json").stdout)
    ok = cli(store, "board", "2023-06", "--trust", f"{head['size']}:{head['root']}")
    assert f"trusted from the head given ({head['size']})" in ok.stderr
    bad = cli(store, "board", "2023-06", "--trust", f"{head['size']}:{'0' * 64}", expect=1)
    assert "is not the root trusted" in bad.stderr
    refused = cli(store, "board", "2023-06", "--trust", "12:zz", expect=2)
    assert "SIZE:ROOT" in refused.output


def test_a_read_model_hiding_a_later_version_fails(store, cli):
    """As known at a moment, the read model names the version in force; hiding the next one (a deleted
    ``rm_figures_log`` row) is found from the log itself."""
    stream = stream_id("figures", "U02/2023-12").hex
    versions = _sql(store, "SELECT version, position FROM events WHERE stream = ? ORDER BY version", (stream,))
    assert len(versions) > 1
    version, position = versions[-1]
    cli(store, "board", "2023-12", "--verify")
    _sql(store, "DELETE FROM rm_figures_log WHERE period = '2023-12' AND unit = 'U02' AND version = ?", (version,))
    refused = cli(store, "board", "2023-12", "--known-at", "2024-01-31", "--verify", expect=1)
    assert f"figures of U02 for 2023-12 at position {position} that the read model leaves out" in refused.stderr


def test_a_read_model_pointing_at_another_event_fails(store, cli):
    cli(store, "board", "2023-12", "--verify")
    other = _sql(store, "SELECT position FROM rm_figures WHERE period = '2023-12' AND unit = 'U03'")[0][0]
    _sql(store, "UPDATE rm_figures SET position = ? WHERE period = '2023-12' AND unit = 'U01'", (other,))
    refused = cli(store, "score", "U01", "2023-12", "--verify", expect=1)
    assert f"point at position {other}, which the verified log holds as another event" in refused.stderr


def test_a_live_figures_event_altered_fails_in_the_same_process_after_an_honest_read(store, tmp_path):
    """A reader process keeps the subtrees its proofs were made of; an event altered after an honest verified
    read is still found by the next read of the same process, naming its position."""
    from core.audit.verified import TrustedHeads, VerificationFailed, check_board, verify_head
    from core.bootstrap import Config, Platform
    platform = Platform(Config(db=store), "read")
    heads = TrustedHeads(tmp_path / "mine.json")
    check_board(platform, platform.queries.board("2023-12"), verify_head(platform.app, "s", heads), "2023-12",
                None, False)
    assert platform.app.tree.tree.proven
    position, state = _sql(store, "SELECT position, state FROM events WHERE position = (SELECT position FROM "
                                  "rm_figures WHERE period = '2023-12' AND unit = 'U04')")[0]
    _sql(store, "UPDATE events SET state = ? WHERE position = ?", (bytes(state).replace(b'"U04"', b'"U04"', 1)
                                                                   + b" ", position))
    with pytest.raises(VerificationFailed) as failed:
        check_board(platform, platform.queries.board("2023-12"), verify_head(platform.app, "s", heads), "2023-12",
                    None, False)
    assert failed.value.position == position
    platform.close()


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from conftest import web_app_with
    folder = tmp_path_factory.mktemp("verified-api")
    app, db = web_app_with(folder, SCENARIO / "commands.jsonl")
    platform = app.extensions["sankao"]
    tokens = {role: platform.ledger.issue_token(role, role, "setup") for role in ("auditor", "viewer")}
    yield app.test_client(), db, tokens
    platform.close()


def _get(client, url, token):
    return client.get(url, headers={"Authorization": f"Bearer {token}"})


def test_the_api_verifies_an_auditors_reads_by_default_and_others_when_asked(api):
    client, db, tokens = api
    audited = _get(client, "/api/boards/2023-06", tokens["auditor"])
    size, root = audited.headers["Sankao-Verified-Head"].split(":")
    assert audited.status_code == 200 and int(audited.headers["Sankao-Verified-Events"]) == 1
    assert (int(size), root) == tuple(_sql(db, "SELECT max(position) FROM events")[0]) + (root,)
    viewer = _get(client, "/api/boards/2023-06", tokens["viewer"])
    assert "Sankao-Verified-Head" not in viewer.headers
    assert {**viewer.json, "known_at": None} == {**audited.json, "known_at": None}
    asked = _get(client, f"/api/boards/2023-07?verify=true&trust={size}:{root}", tokens["viewer"])
    assert asked.headers["Sankao-Verified-Head"] == f"{size}:{root}"
    score = _get(client, f"/api/units/U03/scores/2023-06?trust={size}:{root}", tokens["auditor"])
    assert score.headers["Sankao-Verified-Head"] == f"{size}:{root}"
    assert _get(client, "/api/boards/2023-06?verify=false", tokens["auditor"]).headers.get(
        "Sankao-Verified-Head") is None
    restated = _get(client, "/api/boards/2023-06?restated=true", tokens["auditor"])
    assert restated.status_code == 200 and restated.headers["Sankao-Verified"].startswith("no: a restated answer")
    wrong = _get(client, f"/api/boards/2023-06?trust={size}:{'0' * 64}", tokens["auditor"])
    assert wrong.status_code == 409 and "is not the root trusted" in wrong.json["error"]["message"]
    bad = _get(client, "/api/boards/2023-06?trust=12:zz", tokens["auditor"])
    assert bad.status_code == 422 and "trust: a head written SIZE:ROOT" in bad.json["error"]["message"]


def test_the_api_refuses_an_answer_from_an_altered_row(api):
    client, db, tokens = api
    live = _get(client, "/api/boards/2023-12?known_at=2023-12-20", tokens["auditor"])
    assert live.status_code == 200 and int(live.headers["Sankao-Verified-Events"]) > 1
    unit = live.json["units"][0]["unit"]
    saved = _sql(db, "SELECT version, position FROM rm_figures_log WHERE period = '2023-12' AND unit = ?", (unit,))
    other = _sql(db, "SELECT max(position) FROM rm_figures_log WHERE period = '2023-12' AND unit <> ?",
                 (unit,))[0][0]  # another unit's figures
    _sql(db, "UPDATE rm_figures_log SET position = ? WHERE period = '2023-12' AND unit = ?", (other, unit))
    try:
        plain = _get(client, "/api/boards/2023-12?known_at=2023-12-20&verify=false", tokens["auditor"])
        assert unit not in {u["unit"] for u in plain.json["units"]}  # unverified, the altered row is believed
        refused = _get(client, "/api/boards/2023-12?known_at=2023-12-20", tokens["auditor"])
        assert refused.status_code == 409, refused.json
        assert refused.json["error"]["position"] == other
        assert "which the verified log holds as another event" in refused.json["error"]["message"]
    finally:
        for version, position in saved:
            _sql(db, "UPDATE rm_figures_log SET position = ? WHERE period = '2023-12' AND unit = ? AND "
                     "version = ?", (position, unit, version))


def test_notices_verify_and_an_altered_or_hidden_letter_fails(store, cli):
    honest = cli(store, "notices", "--verify", "--json")
    count = len(json.loads(honest.stdout))
    assert f"verified: {count} event(s) proved" in honest.stderr
    cli(store, "notices", "--unit", "U02", "--known-at", "2023-06-30", "--verify")
    position, data = _sql(store, "SELECT position, data FROM rm_notices ORDER BY position LIMIT 1 OFFSET 3")[0]
    altered = json.loads(data)
    altered["points"] = "0.00"
    _sql(store, "UPDATE rm_notices SET data = ? WHERE position = ?", (json.dumps(altered), position))
    refused = cli(store, "notices", "--verify", expect=1)
    assert f"the one the verified log holds at position {position}" in refused.stderr
    _sql(store, "UPDATE rm_notices SET data = ? WHERE position = ?", (data, position))
    _sql(store, "DELETE FROM rm_notices WHERE position = ?", (position,))
    assert len(json.loads(cli(store, "notices", "--json").stdout)) == count - 1  # unverified: the letter is gone
    hidden = cli(store, "notices", "--verify", expect=1)
    assert f"position {position}" in hidden.stderr and "altered or removed" in hidden.stderr


def test_the_api_verifies_an_auditors_notices(api):
    client, db, tokens = api
    answer = _get(client, "/api/notices?unit=U02", tokens["auditor"])
    assert answer.status_code == 200 and int(answer.headers["Sankao-Verified-Events"]) >= len(answer.json) > 0
    assert "Sankao-Verified-Head" not in _get(client, "/api/notices", tokens["viewer"]).headers


def test_a_read_model_row_pointing_at_no_figures_is_named_even_unverified(store, cli):
    """An unverified read cannot prove anything, but it does not crash on a row that points at another kind of
    event: it names the position and says what to run (was an AttributeError)."""
    other = _sql(store, "SELECT min(position) FROM events")[0][0]
    _sql(store, "UPDATE rm_figures_log SET position = ? WHERE period = '2023-12' AND unit = 'U01'", (other,))
    refused = cli(store, "board", "2023-12", "--known-at", "2023-12-20", expect=1)
    assert f"point at position {other}, which holds no figures of 2023-12" in refused.stderr
    said = cli(store, "--lang", "zh", "board", "2023-12", "--known-at", "2023-12-20", "--verify", expect=1)
    assert "读模型" in said.stderr and "point at" not in said.stderr


def test_a_verified_read_says_what_it_rests_on_in_chinese(store, cli):
    first = cli(store, "--lang", "zh", "board", "2023-06", "--verify")
    assert "已核验: 1 条事件" in first.stderr and "首次使用" in first.stderr and "verified:" not in first.stderr
    again = cli(store, "--lang", "zh", "score", "U03", "2023-06", "--verify")
    assert "上次核验读取时保存的树头" in again.stderr


def test_projects_verify_and_an_altered_or_hidden_project_fails(store, cli):
    honest = cli(store, "projects", "--verify", "--json")
    count = len(json.loads(honest.stdout))
    assert count > 0 and "verified:" in honest.stderr
    own = json.loads(cli(store, "projects", "--unit", "U02", "--verify", "--json").stdout)
    assert own and {p["unit"] for p in own} == {"U02"}
    project, amount = _sql(store, "SELECT project, signed_amount FROM rm_projects WHERE signed_amount IS NOT NULL "
                                  "ORDER BY position LIMIT 1")[0]
    _sql(store, "UPDATE rm_projects SET signed_amount = '1' WHERE project = ?", (project,))
    refused = cli(store, "projects", "--verify", expect=1)
    assert f"not {project} as the verified log holds it" in refused.stderr
    _sql(store, "UPDATE rm_projects SET signed_amount = ? WHERE project = ?", (amount, project))
    cli(store, "projects", "--verify")
    _sql(store, "DELETE FROM rm_projects WHERE project = ?", (project,))
    assert len(json.loads(cli(store, "projects", "--json").stdout)) == count - 1  # unverified: the project is gone
    hidden = cli(store, "projects", "--verify", expect=1)
    assert "altered or removed" in hidden.stderr


def test_the_api_verifies_an_auditors_projects(api):
    client, db, tokens = api
    answer = _get(client, "/api/projects?unit=U03", tokens["auditor"])
    assert answer.status_code == 200 and int(answer.headers["Sankao-Verified-Events"]) > len(answer.json) > 0
    assert "Sankao-Verified-Head" not in _get(client, "/api/projects?unit=U03&verify=false", tokens["auditor"]).headers


def test_a_provisional_annual_standing_verifies_and_an_altered_fact_fails(store, cli):
    honest = cli(store, "annual", "2023", "--verify", "--json")
    assert json.loads(honest.stdout)["closed"] is False and "verified:" in honest.stderr
    position, state = _sql(store, "SELECT position, state FROM events WHERE topic LIKE '%ProjectSigned' "
                                  "ORDER BY position LIMIT 1")[0]
    _sql(store, "UPDATE events SET state = ? WHERE position = ?", (bytes(state) + b" ", position))
    refused = cli(store, "annual", "2023", "--verify", expect=1)
    assert f"position {position}" in refused.stderr


def test_a_closed_years_standing_verifies_and_an_altered_close_fails(tmp_path, cli, monkeypatch):
    from conftest import PEOPLE
    monkeypatch.setenv("SANKAO_TRUSTED_HEADS", str(tmp_path / "trusted.json"))
    db = str(tmp_path / "people.db")
    cli(db, "load", str(PEOPLE / "commands.jsonl"))
    honest = cli(db, "annual", "2023", "--verify", "--json")
    assert json.loads(honest.stdout)["closed"] is True and "verified:" in honest.stderr
    _sql(db, "DELETE FROM rm_closes WHERE period = '2023'")  # the read model no longer knows the year closed
    refused = cli(db, "annual", "2023", "--verify", expect=1)
    assert "the answer says 2023 is not closed but the verified log closed it at position" in refused.stderr


def test_a_persons_answer_verifies_and_rests_on_proved_events(tmp_path, cli, monkeypatch):
    from conftest import PEOPLE
    monkeypatch.setenv("SANKAO_TRUSTED_HEADS", str(tmp_path / "trusted.json"))
    db = str(tmp_path / "people.db")
    cli(db, "load", str(PEOPLE / "commands.jsonl"))
    person = _sql(db, "SELECT state FROM events WHERE topic LIKE '%PersonRegistered' LIMIT 1")[0][0]
    person = json.loads(bytes(person))["person"]
    honest = cli(db, "person", person, "2023", "--verify", "--json")
    assert json.loads(honest.stdout)["person"] == person and "verified:" in honest.stderr
    position, state = _sql(db, "SELECT position, state FROM events WHERE topic LIKE '%ProjectAssigned' LIMIT 1")[0]
    _sql(db, "UPDATE events SET state = ? WHERE position = ?", (bytes(state) + b" ", position))
    refused = cli(db, "person", person, "2023", "--verify", expect=1)
    assert f"position {position}" in refused.stderr


def test_the_readers_heads_file_is_never_thrown_away(store, cli, tmp_path):
    """A trusted-heads file that cannot be read or does not hold heads is refused naming it (starting afresh would
    silently trust on first use again, and drop every other store's head); a head of size 0 must have the empty
    log's root."""
    heads = tmp_path / "trusted.json"
    for spoiled in ("{bad json", "[]", '{"s": {"size": "abc", "root": 5}}'):
        heads.write_text(spoiled)
        refused = cli(store, "board", "2023-06", "--verify", expect=1)
        assert f"the trusted heads file {heads} cannot be used" in refused.stderr and "defect" not in refused.stderr
        assert heads.read_text() == spoiled
    heads.unlink()
    heads.mkdir()
    refused = cli(store, "board", "2023-06", "--verify", expect=1)
    assert "cannot be used" in refused.stderr and "defect" not in refused.stderr
    assert not (tmp_path / "trusted.json.tmp").exists()
    empty = cli(store, "board", "2023-06", "--trust", f"0:{'a' * 64}", expect=2)
    assert "a head of size 0 is the empty log" in empty.output
    said = cli(store, "--lang", "zh", "board", "2023-06", "--trust", "garbage", expect=2)
    assert "不是 规模:根哈希 形式的树头" in said.output and "is not a head" not in said.output


def test_the_api_takes_trust_as_asking_for_a_verified_read(api):
    client, db, tokens = api
    size = _sql(db, "SELECT max(position) FROM events")[0][0]
    wrong = _get(client, f"/api/boards/2023-06?trust={size}:{'0' * 64}", tokens["viewer"])
    assert wrong.status_code == 409, wrong.json
    both = _get(client, f"/api/boards/2023-06?verify=false&trust={size}:{'0' * 64}", tokens["auditor"])
    assert both.status_code == 409  # a head given is checked, whatever verify says
    empty = _get(client, f"/api/boards/2023-06?trust=0:{'a' * 64}", tokens["auditor"])
    assert empty.status_code == 422 and "trust: a head written SIZE:ROOT" in empty.json["error"]["message"]
    bad = _get(client, "/api/boards/2023-06?trust=12:zz", tokens["auditor"])
    assert bad.json["error"]["message"].count("trust") == 1


def test_a_units_verified_notices_count_only_its_own(api):
    client, db, tokens = api
    answer = _get(client, "/api/notices?unit=U02&verify=true", tokens["auditor"])
    assert int(answer.headers["Sankao-Verified-Events"]) == len(answer.json)
