"""`audit verify` beyond the leaves (issue #18): a fact recorded earlier than the one before it, a store whose meta
lost its schema mark (no command that only reads may write, let alone hash rows written around Sankao into the
tree), a stored tree node that is not the one the leaves give, and a read-model row that is not what the log
projects. Each altered with SQL, on SQLite and on PostgreSQL, as a tamperer with the database would."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, SCENARIO, write_lines
from core.tree import merkle
from test_tamper import find, sql, verify_fails


@pytest.fixture
def year(store_url, cli, loaded_copy):
    """The shared year as `sankao load --actor office` records it, verified untouched."""
    loaded_copy(store_url, str(SCENARIO / "commands.jsonl"), "--actor", "office")
    assert cli(store_url, "audit", "verify").stdout.startswith("ok: 1026 events, root ")
    return store_url


def dump(url: str) -> dict:
    """Every row of every table of the store."""
    if url.startswith("postgresql://"):
        tables = [r[0] for r in sql(url, "SELECT table_name FROM information_schema.tables WHERE table_schema = "
                                         "current_schema() AND table_type = 'BASE TABLE'")]
    else:
        tables = [r[0] for r in sql(url, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {t: sorted(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                      for row in sql(url, f'SELECT * FROM "{t}"')) for t in tables}


def event(url: str, position: int) -> tuple:
    stream, version, topic, state = sql(url, "SELECT stream, version, topic, state FROM events WHERE position = ?",
                                        (position,))[0]
    return stream, version, topic, bytes(state)


def regrow_tree(url: str, make_platform) -> None:
    """What a tamperer who knows the tree does after writing events: the log's counter moved on, the tree's
    leaves and nodes recomputed over the whole log and the read models taken to its end (so that neither
    the tree nor the tables nor the next write says anything)."""
    last = sql(url, "SELECT max(position) FROM events")[0][0]
    sql(url, "UPDATE log_head SET size = ?", (last,))
    sql(url, "DELETE FROM merkle_leaves")
    sql(url, "DELETE FROM merkle_nodes")
    from core.tree.writer import TreeWriter
    platform = make_platform(url, mode="write")
    TreeWriter(platform.app.recorder).catch_up()
    platform.app.read_models.catch_up()


# -- 1. recorded times never go backwards --------------------------------------------------------------------

def test_a_backdated_forged_signing_with_the_tree_recomputed_is_named(year, cli, make_platform):
    """A signing of a project never signed, written straight into the events with a recorded time in March
    (the log's facts run to January of the next year), the tree's leaves and nodes and the read models
    recomputed to agree: every other check passes; the recorded time going backwards names it."""
    project = sql(year, "SELECT min(project) FROM rm_projects WHERE signed_on IS NULL AND withdrawn_on IS NULL")[0][0]
    planned = find(year, "ProjectPlanned", f'"project":"{project}"'.encode())
    stream = event(year, planned)[0]
    version = sql(year, "SELECT max(version) FROM events WHERE stream = ?", (stream,))[0][0]
    model = find(year, "ProjectSigned", b'"2023-03')
    _, _, topic, state = event(year, model)
    state = re.sub(rb'"project":"P\d+"', f'"project":"{project}"'.encode(), state)
    state = re.sub(rb'"command_id":"[^"]+"', b'"command_id":"forged-1"', state)
    sql(year, "INSERT INTO events (position, stream, version, topic, state) VALUES (?, ?, ?, ?, ?)",
        (1027, stream, version + 1, topic, state))
    regrow_tree(year, make_platform)
    head = json.loads(cli(year, "audit", "head", "--json").stdout)
    assert head["size"] == head["log_size"] == 1027  # the tree and its head agree with the forged log
    assert json.loads(cli(year, "projects", "--json").stdout)  # and Sankao serves it
    problems = verify_fails(cli, year)
    assert [(p["position"], p["kind"]) for p in problems] == [(1027, "backdated")]
    assert re.search(r"recorded at 2023-03-\S+, earlier than the fact at position \d+ \(recorded at 2024-",
                     problems[0]["what"]), problems[0]["what"]


def test_access_tokens_and_later_facts_of_an_honest_store_keep_their_times(store_url, cli, loaded_copy, tmp_path):
    """A token is recorded at its real time (today), outside the assessment's timeline: facts of an earlier
    time recorded after it are honest, and verify says so; consequences are stamped with their causes' times."""
    loaded_copy(store_url, str(SCENARIO / "commands.jsonl"), "--actor", "office")
    cli(store_url, "token", "create", "auditor-1", "--role", "auditor")
    late = tmp_path / "late.jsonl"
    late.write_text('{"cmd": "register_unit", "unit": "U99", "name": "Unit U99", "category": "department", '
                    '"id": "late-1", "at": "2024-01-08T10:00:00+08:00"}\n', encoding="utf-8")
    cli(store_url, "load", str(late))
    assert cli(store_url, "audit", "verify").stdout.startswith("ok: ")


# -- 2. commands that only read never write, and say when the schema mark is gone ---------------------------

READ_ONLY = [("board", "2023-06"), ("score", "U01", "2023-06"), ("notices",), ("events",), ("units",), ("projects",),
             ("explain", "U01", "2023-06"), ("history", "U01", "2023-06"), ("annual", "2023"),
             ("whatif", "2023-06", "--plugins", str(ROOT / "plugins.toml")), ("token", "list"), ("plugins", "list"),
             ("audit", "head"), ("audit", "prove", "1"), ("audit", "consistency", "1")]


def test_a_store_without_its_schema_mark_is_reported_by_every_command_that_reads_and_never_upgraded(year, cli,
                                                                                                    tmp_path):
    """Deleting meta's schema row made the next command, `audit verify` included, take the store for one from
    before the tree and 'upgrade' it: hash the log, an event written around Sankao with it. Now every command
    that only reads refuses it, saying so, and writes nothing; `audit verify` reports it and the event."""
    stream, version, topic, state = event(year, find(year, "ProjectSigned"))
    sql(year, "INSERT INTO events (position, stream, version, topic, state) VALUES (?, ?, ?, ?, ?)",
        (1027, stream, version + 100, topic, state))
    sql(year, "DELETE FROM meta WHERE key IN ('schema', 'timezone')")
    before = dump(year)
    for command in READ_ONLY:
        refused = cli(year, *command, expect=1)
        assert "has no schema mark (meta 'schema')" in refused.stderr, (command, refused.stderr)
        assert "Nothing was changed" in refused.stderr
    cli(year, "audit", "export", str(tmp_path / "bundle"), expect=1)
    answer = json.loads(cli(year, "audit", "verify", "--json", expect=1).stdout)
    assert [(p["position"], p["kind"]) for p in answer["problems"]][:2] == [(0, "meta"), (1027, "inserted")]
    assert "has no schema mark" in answer["problems"][0]["what"]
    text = cli(year, "audit", "verify", expect=1).stdout
    assert text.startswith("NOT OK: position 0: meta: ") and "position 1027: inserted" in text
    assert dump(year) == before  # nothing written: no leaf for 1027, no schema mark, no time zone


def test_a_store_without_its_schema_mark_is_refused_by_every_command_that_writes(year, cli, tmp_path):
    """Deleting meta's schema row (by accident, or to cover an event written around Sankao) made the next
    command that records take the store for one from before the tree and hash the whole log into the tree,
    the forged event with it. Now `load`, `init`, `token create`, `rebuild` and `worker` refuse it as `audit
    verify` reports it: naming the row, saying to restore a backup or run `audit verify`; nothing written."""
    stream, version, topic, state = event(year, find(year, "ProjectSigned"))
    sql(year, "INSERT INTO events (position, stream, version, topic, state) VALUES (?, ?, ?, ?, ?)",
        (1027, stream, version + 100, topic, state))
    sql(year, "DELETE FROM meta WHERE key = 'schema'")
    before = dump(year)
    late = write_lines(tmp_path / "late.jsonl", [{"cmd": "register_unit", "unit": "U99", "name": "Unit U99",
                                                 "category": "department", "id": "late-1",
                                                 "at": "2024-01-08T10:00:00+08:00"}])
    says = ("has no schema mark (meta 'schema') but holds a log", "Restore the store from a backup",
            "run 'sankao audit verify' to see what else was changed", "Nothing was changed")
    for command in [("load", str(late)), ("init",), ("token", "create", "desk", "--role", "viewer"), ("rebuild",),
                    ("worker", "--once")]:
        refused = cli(year, *command, expect=1)
        assert all(s in refused.stderr for s in says), (command, refused.stderr)
        assert "Traceback" not in refused.stderr
    verified = cli(year, "audit", "verify", expect=1).stdout
    assert verified.startswith("NOT OK: position 0: meta: ") and all(s in verified for s in says), verified
    assert "position 1027: inserted" in verified
    assert dump(year) == before  # no leaf for 1027, no schema mark, no U99, no token


def test_a_new_store_whose_mark_was_never_written_is_initialised(store_url, cli, tmp_path):
    """A store made but not yet marked (its creation stopped before the mark, which comes once the empty tree
    is whole) holds no log: the next command that records finishes it, as before."""
    cli(store_url, "init")
    sql(store_url, "DELETE FROM meta WHERE key = 'schema'")
    late = write_lines(tmp_path / "one.jsonl", [{"cmd": "register_unit", "unit": "U99", "name": "Unit U99",
                                                "category": "department", "id": "one-1",
                                                "at": "2024-01-08T10:00:00+08:00"}])
    cli(store_url, "load", str(late))
    from core.store.schema import SCHEMA
    assert sql(store_url, "SELECT value FROM meta WHERE key = 'schema'") == [(SCHEMA,)]
    assert cli(store_url, "audit", "verify").stdout.startswith("ok: ")


def test_a_command_that_reads_an_honest_store_writes_nothing(year, cli, tmp_path):
    before = dump(year)
    for command in READ_ONLY + [("audit", "verify"), ("audit", "export", str(tmp_path / "bundle"))]:
        cli(year, *command)
    assert dump(year) == before


# -- 3. the stored tree nodes ---------------------------------------------------------------------------------

def test_a_zeroed_tree_node_is_named(year, cli):
    """One stored subtree hash zeroed: Sankao built proofs on it and took an honest published head for a
    rewritten log (`audit consistency 1000 ROOT` failed); verify names the node and the positions it covers."""
    true_root = json.loads(cli(year, "audit", "consistency", "1000").stdout)["old_root"]
    sql(year, "UPDATE merkle_nodes SET hash = ? WHERE level = 8 AND idx = 2", (bytes(32),))
    cli(year, "audit", "consistency", "1000", true_root, expect=1)  # the false alarm: only verify says why
    problems = verify_fails(cli, year)
    assert [(p["position"], p["kind"]) for p in problems] == [(513, "node")]
    assert "the stored tree node over positions 513 to 768 (level 8)" in problems[0]["what"]


@pytest.mark.parametrize("level,idx,first", [(9, 0, 1), (10, 0, 1), (8, 3, 769)])
def test_a_changed_higher_node_is_named_at_its_own_level(year, cli, level, idx, first):
    sql(year, "UPDATE merkle_nodes SET hash = ? WHERE level = ? AND idx = ?", (merkle.EMPTY, level, idx))
    problems = verify_fails(cli, year)
    # the root of 1,026 leaves is read from the node of the first 1,024: the stored tree's root is wrong with it
    also = [(1026, "tree")] if level == 10 else []
    assert [(p["position"], p["kind"]) for p in problems] == [(first, "node")] + also
    assert f"(level {level})" in problems[0]["what"]


def test_a_deleted_and_an_inserted_node_are_named(year, cli):
    sql(year, "DELETE FROM merkle_nodes WHERE level = 8 AND idx = 2")
    sql(year, "INSERT INTO merkle_nodes (level, idx, hash) VALUES (8, 9, ?)", (bytes(32),))
    problems = verify_fails(cli, year)
    assert [(p["position"], p["kind"]) for p in problems] == [(513, "node"), (1027, "node")]
    assert "lacks its stored node over positions 513 to 768" in problems[0]["what"]
    assert "(level 8, index 9, positions 2305 to 2560) that the log does not have" in problems[1]["what"]


def test_an_event_changed_together_with_its_leaf_is_named(year, cli):
    """The signing's amount changed and its leaf hash recomputed (the nodes above it left): the node over its
    positions, the read model it wrote (naming the event's position) and every later head say so."""
    position = find(year, "ProjectSigned", b'"c00093"')
    stream, version, topic, state = event(year, position)
    changed = state.replace(b'"500630000"', b'"900630000"')
    sql(year, "UPDATE events SET state = ? WHERE position = ?", (changed, position))
    sql(year, "UPDATE merkle_leaves SET hash = ? WHERE position = ?",
        (merkle.leaf_hash(merkle.leaf_bytes(position, stream, version, topic, changed)), position))
    problems = verify_fails(cli, year)
    chunk = (position - 1) // 256 * 256 + 1
    assert (problems[0]["position"], problems[0]["kind"]) == (chunk, "node")
    assert f"over positions {chunk} to {chunk + 255} (level 8)" in problems[0]["what"]
    [model] = [p for p in problems if p["kind"] == "read_model"]
    assert model["position"] == position and "signed_amount is '500630000', the log gives '900630000'" in \
        model["what"]
    assert {p["kind"] for p in problems} == {"node", "read_model", "head", "tree"}


# -- 5. the read models ---------------------------------------------------------------------------------------

def _last(url, kinds, contains: bytes) -> int:
    """The position of the last event of one of ``kinds`` whose stored state contains ``contains``."""
    where = " OR ".join("topic LIKE ?" for _ in kinds)
    return max(p for p, state in sql(url, f"SELECT position, state FROM events WHERE {where}",
                                     tuple(f"%:{k}" for k in kinds)) if contains in bytes(state))


def _signing_of(url, project):
    return _last(url, ("ProjectSigned", "FactCorrected"), f'"project":"{project}"'.encode())


EDITS = {  # name: (SQL, table, what is said, the position named: SQL or a function of the store giving it)
    "project_amount": ("UPDATE rm_projects SET signed_amount = '1' WHERE project = 'P0128'",
                       "rm_projects", "signed_amount is '1'", lambda url: _signing_of(url, "P0128")),
    "figures_final": ("UPDATE rm_figures SET final = '99.00', shown_final = '99.00' WHERE period = '2023-06' AND "
                      "unit = 'U01'", "rm_figures", "final is '99.00'",
                      "SELECT position FROM rm_figures WHERE period = '2023-06' AND unit = 'U01'"),
    "figures_data": ("UPDATE rm_figures SET data = replace(data, '\"assessed\":true', '\"assessed\":false') "
                     "WHERE period = '2023-03' AND unit = 'U02'", "rm_figures", "data is",
                     "SELECT position FROM rm_figures WHERE period = '2023-03' AND unit = 'U02'"),
    "notice_deleted": ("DELETE FROM rm_notices WHERE position = (SELECT min(position) FROM rm_notices)",
                       "rm_notices", "lacks the row position=", "SELECT min(position) FROM rm_notices"),
    "head_root": ("UPDATE rm_heads SET root = '00' WHERE label = 'close 2023-06'", "rm_heads", "root is '00'",
                  "SELECT position FROM rm_heads WHERE label = 'close 2023-06'"),
    "unit_added": ("INSERT INTO rm_units (unit, name, category, position) VALUES ('U77', 'Ghost', 'department', 5)",
                   "rm_units", "holds a row unit=U77 that no event up to position 1026 wrote", "SELECT 5"),
    "frozen_deleted": ("DELETE FROM rm_frozen WHERE period = '2023-06'", "rm_frozen", "lacks the row period=2023-06",
                       "SELECT position FROM rm_frozen WHERE period = '2023-06'"),
    "stamp_bumped": ("UPDATE rm_stamps SET stamp = stamp + 1 WHERE period = '2023-04'", "rm_stamps", "stamp is",
                     "SELECT max(position) FROM rm_figures_log WHERE period = '2023-04'"),
    "log_row_deleted": ("DELETE FROM rm_figures_log WHERE period = '2023-05' AND unit = 'U03' AND version = 1",
                        "rm_figures_log", "lacks the row period=2023-05, unit=U03, version=1",
                        "SELECT position FROM rm_figures_log WHERE period = '2023-05' AND unit = 'U03' AND version = 1"),
    "targets": ("UPDATE rm_targets SET annual = '1' WHERE unit = 'U04' AND year = 2023", "rm_targets",
                "annual is '1'", lambda url: _last(url, ("TargetsSet",), b'"unit":"U04","year":2023')),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_read_model_row_edited_is_named_with_its_table_key_and_position(year, cli, edit):
    statement, table, what, at = EDITS[edit]
    expected_at = at(year) if callable(at) else sql(year, at)[0][0]
    sql(year, statement)
    if edit == "project_amount":  # Sankao serves the edited row
        shown = json.loads(cli(year, "projects", "--json").stdout)
        assert next(p for p in shown if p["project"] == "P0128")["signed_amount"] == "1"
    problems = verify_fails(cli, year)
    assert [(p["kind"], p["position"]) for p in problems] == [("read_model", expected_at)], problems
    assert f"the read model {table}" in problems[0]["what"] and what in problems[0]["what"], problems[0]["what"]


def test_a_signing_corrected_in_the_batch_that_signed_it_keeps_its_correction(sqlite_url, cli, tmp_path):
    """Found by the read-model check on a generated year: in one batch, a correction of one project's amount,
    then another's signing and its correction; the read model ran every correction before every signing (the
    group that appears first runs first), so `sankao projects` showed the amount before the correction. An honest
    store verifies, and shows the corrected amount."""
    lines = [{"cmd": "register_unit", "unit": "U01", "name": "Unit U01", "category": "department"},
             {"cmd": "plan_project", "project": "P1", "unit": "U01", "name": "One", "planned_on": "2023-01-05"},
             {"cmd": "plan_project", "project": "P2", "unit": "U01", "name": "Two", "planned_on": "2023-01-05"},
             {"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-06", "amount": "1000"},
             {"cmd": "correct", "project": "P1", "field": "signed_amount", "value": "1100", "reason": "verified"},
             {"cmd": "sign_project", "project": "P2", "signed_on": "2023-01-06", "amount": "2000"},
             {"cmd": "correct", "project": "P2", "field": "signed_amount", "value": "2200", "reason": "verified"}]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    stamp = lambda i: {"id": f"b{i}", "at": f"2023-01-06T10:{i:02d}:00+08:00"}  # noqa: E731
    first.write_text("".join(json.dumps({**line, **stamp(i)}) + "\n" for i, line in enumerate(lines[:4])))
    second.write_text("".join(json.dumps({**line, **stamp(i + 4)}) + "\n" for i, line in enumerate(lines[4:])))
    cli(sqlite_url, "load", str(first))
    cli(sqlite_url, "load", str(second))  # one transaction: correct P1, sign P2, correct P2
    shown = {p["project"]: p["signed_amount"] for p in json.loads(cli(sqlite_url, "projects", "--json").stdout)}
    assert shown == {"P1": "1100", "P2": "2200"}
    assert cli(sqlite_url, "audit", "verify").stdout.startswith("ok: ")


def test_a_read_model_edited_in_many_rows_is_named_row_by_row_then_counted(year, cli):
    sql(year, "UPDATE rm_figures_log SET recorded_at = recorded_at + 1")
    problems = verify_fails(cli, year)
    assert {p["kind"] for p in problems} == {"read_model"}
    assert len(problems) == 21 and "more row(s) of the read model rm_figures_log differ" in problems[-1]["what"]
    assert problems[0]["position"] == sql(year, "SELECT min(position) FROM rm_figures_log")[0][0]


def test_read_models_standing_beyond_the_log_are_named(year, cli):
    sql(year, "UPDATE rm_position SET position = 2000")
    problems = verify_fails(cli, year)
    assert [(p["position"], p["kind"]) for p in problems] == [(1027, "read_model")]
    assert "stand at position 2000, beyond the log's last event (1026)" in problems[0]["what"]


def test_read_models_that_lag_are_compared_where_they_stand(year, cli):
    """Tables behind the log (a rebuild under way) are what the log gives up to their position: no finding."""
    after = sql(year, "SELECT DISTINCT topic FROM events WHERE position > 1002")
    assert {t for t, in after} == {"events.assessment:BoardFrozen", "events.assessment:HeadRecorded"}
    sql(year, "DELETE FROM rm_heads WHERE position > 1002")
    sql(year, "DELETE FROM rm_frozen WHERE position > 1002")
    sql(year, "UPDATE rm_position SET position = 1002")
    assert cli(year, "audit", "verify").stdout.startswith("ok: ")


# -- all of it, read in blocks by worker processes -------------------------------------------------------------

@pytest.mark.parametrize("block,workers", [(64, 0), (256, 2), (1024, 1)])
def test_every_check_holds_when_verify_reads_in_blocks_by_workers(sqlite_url, cli, loaded_copy, make_platform,
                                                                 block, workers):
    from core.audit import log
    loaded_copy(sqlite_url, str(SCENARIO / "commands.jsonl"), "--actor", "office")
    sql(sqlite_url, "UPDATE rm_projects SET signed_amount = '1' WHERE project = 'P0128'")
    sql(sqlite_url, "UPDATE merkle_nodes SET hash = ? WHERE level = 8 AND idx = 2", (bytes(32),))
    platform = make_platform(sqlite_url, mode="read")
    problems = log.verify(platform.app, block=block, workers=workers).problems
    assert [p[:2] for p in problems] == sorted([(513, "node"), (_signing_of(sqlite_url, "P0128"), "read_model")])


@pytest.mark.postgres
def test_verify_reads_in_worker_processes_on_postgres(pg_store_url, cli, loaded_copy, make_platform):
    """The worker processes of audit verify each open the store: on PostgreSQL their pools must stay open (a
    throwaway application closed them: every log of more than four blocks failed to verify)."""
    from core.audit import log
    loaded_copy(pg_store_url, str(SCENARIO / "commands.jsonl"), "--actor", "office")
    platform = make_platform(pg_store_url, mode="read")
    verdict = log.verify(platform.app, block=256, workers=2)
    assert verdict.problems == [] and verdict.size == platform.app.recorder.max_notification_id()
