"""The store is the office's only copy: nothing may overwrite, create or change it by mistake.

Each test stands for a defect a trial as a new user found: the demo over a store,
store settings that were not what the user meant, stores created by racing
processes, a read-only copy, a damaged row.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import PG_URL, ROOT, SCENARIO, _drop_schema, require_pg, write_lines
from cli import main


def _events(cli, url) -> list:
    return json.loads(cli(url, "events", "--consequences", "--json").stdout)


def test_demo_never_touches_a_store_that_holds_anything(store_url, cli, tmp_path, monkeypatch, loaded_copy):
    loaded_copy(store_url, str(SCENARIO / "commands.jsonl"))
    before = _events(cli, store_url)
    refused = cli(store_url, "demo", "--no-serve", expect=1)
    assert "already holds 481 command(s) and no demo; the demo loads only into an empty store and changed " \
        "nothing" in refused.stderr
    assert _events(cli, store_url) == before


def test_a_demo_stopped_half_way_is_finished_by_the_next_run(cli, tmp_path, monkeypatch):
    """`sankao demo` killed during its first load: the next run records the rest, not serves half a demo."""
    import json as json_
    from core.bootstrap import Config, Platform
    from core.clock import local_date, now
    from core.samples.demo import demo_commands
    fresh = str(tmp_path / "demo.db")
    platform = Platform(Config(db=fresh), "load")
    commands = demo_commands(local_date(now(), platform.tz), tz=platform.tz)
    platform.ledger.load([(n, json_.dumps(c)) for n, c in enumerate(commands[:1500], 1)], "demo")  # then killed
    platform.close()
    again = cli(fresh, "demo", "--no-serve")
    assert "Recorded the rest of the demo up to" in again.stderr and f"{len(commands) - 1500} commands" in again.stderr
    platform = Platform(Config(db=fresh))
    assert len(platform.app.recorder.command_ids("demo-")) == len(commands)
    platform.close()


def test_demo_takes_the_same_store_settings_as_every_command(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fresh = tmp_path / "office.db"
    first = cli(str(fresh), "demo", "--no-serve")
    assert "created a new store: SQLite" in first.stderr and "Recorded the demo of" in first.stderr
    assert "Board " in first.stdout and "admin        sk_" in first.stdout
    again = cli(str(fresh), "demo", "--no-serve")  # its own commands only: shown again, nothing doubled
    assert "already; nothing recorded" in again.stderr
    assert "demo-admin-2" in cli(str(fresh), "token", "list").stdout  # a fresh login, names never reused
    assert {p.name for p in tmp_path.iterdir()} <= {"office.db", "office.db-shm", "office.db-wal"}


@pytest.mark.postgres
def test_demo_into_postgres_makes_no_sqlite_file(cli, tmp_path, monkeypatch):
    require_pg()
    monkeypatch.chdir(tmp_path)
    schema = f"t_{uuid.uuid4().hex[:10]}"
    url = f"{PG_URL}?schema={schema}"
    try:
        assert "run: sankao init" in cli(url, "demo", "--no-serve", expect=1).stderr
        cli(url, "init")
        assert "Board " in cli(url, "demo", "--no-serve").stdout
        assert list(tmp_path.iterdir()) == []
    finally:
        _drop_schema(schema)


def _run(args, env=None, cwd=None):
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


@pytest.mark.parametrize("setting,message", [
    ("mysql://x@y/z", "SANKAO_DB: 'mysql://x@y/z' is not a store Sankao knows (scheme 'mysql')"),
    ("sqlite:office.db", "SANKAO_DB: 'sqlite:office.db' is not a store Sankao knows (scheme 'sqlite')"),
    ("/nonexistent/dir/x.db", "SANKAO_DB: cannot create /nonexistent/dir/x.db: the directory /nonexistent/dir "
                              "does not exist"),
])
def test_a_store_setting_that_is_not_what_was_meant_creates_nothing(tmp_path, monkeypatch, setting, message):
    monkeypatch.chdir(tmp_path)
    lines = write_lines(tmp_path / "one.jsonl", [{"cmd": "register_unit", "unit": "U1", "name": "n", "category": "c"}])
    result = _run(["load", str(lines)], env={"SANKAO_DB": setting})
    assert result.exit_code == 1 and message in result.stderr, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.jsonl"]
    assert not Path("/nonexistent").exists()
    flag = _run(["--db", setting, "load", str(lines)])
    assert flag.exit_code == 1 and message.replace("SANKAO_DB", "--db") in flag.stderr


def test_only_init_or_a_first_load_creates_a_store_and_says_so(cli, tmp_path):
    db = tmp_path / "office.db"
    for command in (["plugins", "apply", str(ROOT / "plugins.toml"), "--yes"], ["worker", "--once"],
                    ["board", "2023-01"], ["backup", str(tmp_path / "copy.db")]):
        assert "no store at" in cli(str(db), *command, expect=1).stderr
        assert not db.exists()
    assert cli(str(db), "init").stdout.strip() == f"ready: SQLite {db}"
    assert "it existed already; nothing was changed" in cli(str(db), "init").stdout
    other = tmp_path / "other.db"
    loaded = cli(str(other), "load", str(SCENARIO / "commands.jsonl"))
    assert f"created a new store: SQLite {other}" in loaded.stderr
    assert "created" not in cli(str(other), "load", str(SCENARIO / "commands.jsonl")).stderr


def _racing(commands: list[list[str]], env: dict) -> list[subprocess.CompletedProcess]:
    processes = [subprocess.Popen([sys.executable, "-m", "cli", *c], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True) for c in commands]
    return [subprocess.CompletedProcess(p.args, p.wait(timeout=120), *p.communicate()) for p in processes]


def test_two_loads_at_once_into_a_new_sqlite_file(tmp_path):
    lines = (SCENARIO / "commands.jsonl").read_text().splitlines()
    halves = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    halves[0].write_text("\n".join(lines[:240]) + "\n")
    halves[1].write_text("\n".join(lines) + "\n")  # overlaps the first: every line is recorded once
    for round_ in range(8):
        db = tmp_path / f"new{round_}.db"
        done = _racing([["--db", str(db), "load", str(h), "--no-score"] for h in halves], dict(os.environ))
        assert all(r.returncode == 0 for r in done), [(r.stdout, r.stderr) for r in done]
        listed = _run(["--db", str(db), "events", "--json"])  # in this process: only the loads need their own
        assert listed.exit_code == 0, listed.stderr
        ids = [e["command_id"] for e in json.loads(listed.stdout) if e["type"] not in ("BatchRecorded", "RulesApplied")]
        assert sorted(ids) == sorted(json.loads(line)["id"] for line in lines)


@pytest.mark.postgres
def test_two_inits_at_once_on_postgres(tmp_path):
    require_pg()
    schema = f"t_{uuid.uuid4().hex[:10]}"
    url = f"{PG_URL}?schema={schema}"
    try:
        done = _racing([["--db", url, "init"]] * 3, dict(os.environ))
        assert all(r.returncode == 0 for r in done), [r.stderr for r in done]
        assert sum("existed already" not in r.stdout for r in done) == 1
    finally:
        _drop_schema(schema)


def _read_only(*paths: Path, undo: bool = False) -> None:
    """Make files and folders read-only for this process: root may write anything, so for root they are
    made immutable (``chattr +i``); for anyone else their write permission is taken away."""
    for path in paths:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i" if undo else "+i", str(path)], check=True)
        else:
            os.chmod(path, (0o755 if path.is_dir() else 0o644) if undo else (0o555 if path.is_dir() else 0o444))


@pytest.mark.parametrize("companions", [True, False])
def test_a_read_only_copy_answers_queries(cli, tmp_path, companions, loaded_copy):
    db = tmp_path / "office.db"
    loaded_copy(str(db), str(SCENARIO / "commands.jsonl"))
    copies = tmp_path / "audit"
    copies.mkdir()
    copy = copies / "office.db"
    if companions:  # a backup made while the office works
        cli(str(db), "backup", str(copy))
    else:  # the file alone, copied after the writers stopped
        shutil.copy(db, copy)
    before = copy.read_bytes()
    _read_only(copy, copies)
    try:
        assert not os.access(copy, os.W_OK)
        board = json.loads(cli(str(copy), "board", "2023-06", "--json").stdout)
        assert board == json.loads(cli(str(db), "board", "2023-06", "--json").stdout) | {
            "known_at": board["known_at"]}
        assert cli(str(copy), "events", "--limit", "2").stdout
        assert cli(str(copy), "notices", "--unit", "U04", "--json").stdout
        refused = cli(str(copy), "load", str(SCENARIO / "commands.jsonl"), expect=1)
        assert "cannot be written here" in refused.stderr and "nothing was recorded" in refused.stderr
        snippet = tmp_path / "snippet.toml"
        snippet.write_text("[plugins.monthly_increment]\nweight = 10\n")
        looked = cli(str(copy), "plugins", "apply", str(snippet), "--effective", "2023-07-01", "--dry-run")
        assert "monthly_increment.weight: 15 -> 10" in looked.stdout and "dry run: nothing recorded" in looked.stdout
        assert "exists already (it can only be read here)" in cli(str(copy), "init", expect=1).stderr
    finally:
        _read_only(copies, copy, undo=True)
    assert copy.read_bytes() == before
    assert sorted(p.name for p in copies.iterdir()) == ["office.db"]


def _damage(url: str, sql: str, params=()) -> None:
    if "://" in url:
        import psycopg
        schema = url.rsplit("=", 1)[1]
        with psycopg.connect(PG_URL, autocommit=True, options=f"-c search_path={schema}") as conn:
            conn.execute(sql.replace("?", "%s"), params)
    else:
        with sqlite3.connect(url) as conn:
            conn.execute(sql, params)


@pytest.mark.parametrize("sql,what", [
    ("UPDATE events SET state = ? WHERE position = 5", "cannot be decoded"),
    ("UPDATE events SET topic = 'events.facts:NoSuchEvent' WHERE position = 5", "unknown event type"),
    ("UPDATE events SET state = CAST('{\"unit\":\"U04\"}' AS BLOB) WHERE position = 5", "lacks"),
])
def test_a_damaged_row_is_named_by_its_position_never_a_traceback(store_url, cli, tmp_path, sql, what, loaded_copy):
    loaded_copy(store_url, str(SCENARIO / "commands.jsonl"))
    _damage(store_url, sql.replace("CAST(", "CONVERT_TO(").replace(" AS BLOB)", ", 'UTF8')")
            if "://" in store_url else sql, (b"\xff{not json",) if "?" in sql else ())
    for command in (["events"], ["load", str(write_lines(tmp_path / "more.jsonl", [
            {"cmd": "dispatch", "date": "2024-01-08", "at": "2024-01-08T09:00:00+08:00"}]))]):
        result = cli(store_url, *command, expect=1)
        # events reads the damaged row; load records its line (the ledger reads only what a line touches),
        # then scoring reaches the damaged row and stops there, naming it
        assert "the store is damaged at position 5:" in result.stderr and what in result.stderr, result.stderr
        assert result.stderr.startswith("error: " if command[0] == "events" else "recorded 1")
        assert "Traceback" not in result.stderr


def test_a_file_with_a_byte_order_mark_and_windows_line_ends_is_read(cli, tmp_path):
    lines = (SCENARIO / "commands.jsonl").read_text().splitlines()[:20]
    path = tmp_path / "excel.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    assert "recorded 20, skipped 0" in cli(str(tmp_path / "s.db"), "load", str(path)).stderr


def test_load_reads_standard_input(tmp_path):
    text = (SCENARIO / "commands.jsonl").read_text()
    result = CliRunner().invoke(main, ["--db", str(tmp_path / "s.db"), "load", "-"], input=text)
    assert result.exit_code == 0 and "recorded 481, skipped 0" in result.stderr


def test_the_time_zone_error_names_where_it_came_from(tmp_path):
    db = str(tmp_path / "s.db")
    by_flag = _run(["--db", db, "--tz", "Mars/Olympus", "init"])
    assert by_flag.exit_code == 1 and "--tz: 'Mars/Olympus' is not a known time zone" in by_flag.stderr
    by_env = _run(["--db", db, "init"], env={"SANKAO_TZ": "Mars/Olympus"})
    assert "SANKAO_TZ: 'Mars/Olympus' is not a known time zone" in by_env.stderr


def test_help_names_the_environment():
    text = _run(["--help"]).output
    for name in ("SANKAO_DB", "SANKAO_TZ", "SANKAO_PLUGINS", "SANKAO_LANG"):
        assert name in text


def test_scores_are_the_same_from_any_working_directory(cli, tmp_path, monkeypatch):
    """No plugins.toml where the first load ran: the built-in defaults, in docs/assessment.md's order."""
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "s.db")
    cli(db, "load", str(SCENARIO / "commands.jsonl"))
    expected = json.loads((SCENARIO / "expected" / "score-U03-2023-06.json").read_text())
    answer = json.loads(cli(db, "score", "U03", "2023-06", "--json").stdout)
    assert [i["plugin"] for i in answer["indicators"]] == [i["plugin"] for i in expected["indicators"]]


def test_the_built_in_defaults_are_the_plugins_toml_an_office_edits():
    from core.rules.plugins import defaults, installed_plugins, load_config
    installed = installed_plugins()
    assert load_config(ROOT / "plugins.toml", installed) == defaults(installed)
    assert list(defaults(installed))[:5] == ["annual_amount", "quarterly_progress", "monthly_increment",
                                             "planned_projects", "landed_projects"]


def test_worker_says_what_it_did(cli, tmp_path, loaded_copy):
    db = str(tmp_path / "s.db")
    loaded_copy(db, str(SCENARIO / "commands.jsonl"), "--no-score")
    said = cli(db, "worker", "--once").stderr
    assert said.startswith("scorer: scored 483 fact(s) in") and said.endswith("; 0 behind\n")
    started = time.monotonic()
    assert cli(db, "worker", "--once").stderr == ""
    assert time.monotonic() - started < 5


def test_the_assessment_time_zone_belongs_to_the_store(cli, tmp_path, loaded_copy):
    db = str(tmp_path / "s.db")
    loaded_copy(db, str(SCENARIO / "commands.jsonl"))
    shanghai = json.loads(cli(db, "board", "2023-06", "--known-at", "2023-07-05", "--json").stdout)
    refused = cli(db, "--tz", "Pacific/Kiritimati", "board", "2023-06", "--known-at", "2023-07-05", expect=1)
    assert "--tz: this store's assessment time zone is Asia/Shanghai" in refused.stderr
    from_env = _run(["--db", db, "board", "2023-06", "--json"], env={"SANKAO_TZ": "UTC"})
    assert from_env.exit_code == 1 and "SANKAO_TZ: this store's assessment time zone" in from_env.stderr
    other = str(tmp_path / "utc.db")
    cli(other, "--tz", "UTC", "init")
    assert json.loads(cli(other, "--tz", "UTC", "events", "--json").stdout) == []
    at = "2023-01-01T01:00:00+08:00"  # 1 January in Shanghai, still 31 December in UTC
    lines = write_lines(tmp_path / "new-year.jsonl", [
        {"cmd": "register_unit", "unit": "U1", "name": "n", "category": "c", "at": at},
        {"cmd": "plan_project", "project": "P1", "unit": "U1", "name": "p", "planned_on": "2023-01-01", "at": at}])
    judged = cli(other, "load", str(lines), expect=1)  # unset: the store's zone (UTC) judges the date
    assert "planned_on 2023-01-01 is after the local date 2022-12-31" in judged.stdout
    assert shanghai["frozen"] is True


def test_demo_on_a_busy_port_records_nothing_and_issues_no_login(cli, tmp_path, monkeypatch):
    import socket
    monkeypatch.chdir(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        refused = cli(str(tmp_path / "demo.db"), "demo", "--port", str(taken.getsockname()[1]), expect=1)
    assert "choose another with --port" in refused.stderr and "nothing recorded" in refused.stderr
    assert not (tmp_path / "demo.db").exists() and "sk_" not in refused.stdout
