"""Trust boundaries of the record (issue #18): who a token is comes from the log, not from tables a rebuild
empties or an edit changes; a reused command id never drops a command silently; a unit acts only on its own."""

from __future__ import annotations

import json

import pytest

from conftest import SCENARIO, write_lines
from core import access
from core.bootstrap import Config, Platform
from core.facts import stream_id


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
    with recorder._write() as cur:  # what an interrupted `sankao rebuild` leaves
        for table in ("rm_tokens", "rm_projects", "rm_units"):
            cur.execute(f"DELETE FROM {table}")
    assert access.authenticate(recorder, live) == access.Principal("desk", "viewer")
    assert access.authenticate(recorder, gone) is None


def test_an_edited_tokens_table_gives_no_token(year):
    live, gone = _tokens(year)
    recorder = year.app.recorder
    forged = access.new_token()
    with recorder._write() as cur:
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
    with recorder._write() as cur:
        cur.execute("INSERT INTO events (position, stream, version, topic, state) VALUES (?, ?, ?, ?, ?)",
                    (head + 1, stream_id("tokens").hex, last[1] + 1, issued[1], json.dumps(data).encode()))
    assert state  # the stream had events before the forged one
    assert access.authenticate(recorder, forged) is None
