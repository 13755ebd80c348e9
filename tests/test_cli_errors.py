"""Mistakes a user can make with files and stores: clear errors, no tracebacks, nothing created."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid

import pytest

from conftest import PG_URL, ROOT, _drop_schema, require_pg


def test_a_line_that_is_not_utf8_is_a_bad_line_like_any_other(cli, tmp_path):
    """The lines before it are recorded, the load stops there naming it; --check lists it with the rest."""
    good = json.dumps({"cmd": "register_unit", "unit": "U1", "name": "n", "category": "c", "id": "u1",
                       "at": "2023-01-02T00:00:00+08:00"}).encode()
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(good + b'\n{"cmd": "register_unit", "unit": "U2", "name": "\xff", "category": "c"}\n'
                    + good.replace(b"U1", b"U3").replace(b"u1", b"u3") + b"\n")
    db = str(tmp_path / "store.db")
    checked = cli(db, "load", str(bad), "--check", expect=1)
    assert checked.stdout.splitlines() == [f"line 2: not UTF-8 text (invalid start byte at byte 49 of the line); "
                                           f"save {bad} as UTF-8"]
    assert "2 would be recorded, 0 skipped, 1 rejected; nothing recorded" in checked.stderr
    loaded = cli(db, "load", str(bad), expect=1)
    assert loaded.stdout.startswith("line 2: not UTF-8 text") and "recorded 1, skipped 0" in loaded.stderr
    assert json.loads(cli(db, "units", "--json").stdout)[0]["unit"] == "U1"
    assert len(json.loads(cli(db, "units", "--json").stdout)) == 1, "nothing after the bad line is recorded"


def test_check_against_no_store_creates_no_files(cli, tmp_path):
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"cmd": "register_unit", "unit": "U1", "name": "n", "category": "c",
                                "at": "2023-01-02T00:00:00+08:00"}) + "\n")
    assert "1 would be recorded" in cli(str(tmp_path / "none.db"), "load", str(good), "--check").stderr
    assert list(tmp_path.iterdir()) == [good]


@pytest.mark.parametrize("command", [["events"], ["board", "2023-01"], ["notices"], ["score", "U1", "2023-01"],
                                     ["worker", "--once"]])
def test_reading_a_store_that_does_not_exist_says_so_and_creates_nothing(cli, tmp_path, command):
    missing = tmp_path / "no" / "such" / "store.db"
    result = cli(str(missing), *command, expect=1)
    assert f"error: no store at {missing}: nothing was recorded there (check --db or SANKAO_DB" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_plugins_list_works_before_anything_is_recorded(cli, tmp_path):
    rows = json.loads(cli(str(tmp_path / "none.db"), "plugins", "list", "--json").stdout)
    assert {r["name"] for r in rows if r["enabled"]} >= {"annual_amount", "early_warning"}
    assert all(r["recorded"] is False for r in rows)
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_a_store_is_named(cli, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all\n" * 100)
    result = cli(str(junk), "events", expect=1)
    assert f"error: SQLite {junk} cannot be read: file is not a database" in result.stderr


def test_an_unreachable_postgres_is_named(cli):
    result = cli("postgresql://postgres@127.0.0.1:1/test", "events", expect=1)
    assert result.stderr == ("error: PostgreSQL 127.0.0.1:1/test: nothing answers at 127.0.0.1:1 "
                             "(connection refused: is the server running?)\n")


@pytest.mark.postgres
def test_init_creates_the_schema_and_a_load_before_init_says_what_to_do(cli, tmp_path):
    require_pg()
    fresh = f"{PG_URL}?schema=t_{uuid.uuid4().hex[:10]}"
    try:
        before = cli(fresh, "events", expect=1)
        assert "run: sankao init" in before.stderr and "\n^" not in before.stderr
        assert "schema t_" in cli(fresh, "init").stdout
        assert cli(fresh, "events", "--json").stdout.strip() == "[]"
    finally:
        _drop_schema(fresh.rsplit("=", 1)[1])


@pytest.mark.postgres
@pytest.mark.parametrize("url,message", [
    ("postgresql://postgres@127.0.0.1:5432/no_such_db", "there is no database 'no_such_db' on that server"),
    ("postgresql://no_such_role@127.0.0.1:5432/test", "the server has no role 'no_such_role'"),
])
def test_postgres_failures_say_which(cli, url, message):
    require_pg()
    started = time.monotonic()
    result = cli(url, "events", expect=1)
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert time.monotonic() - started < 5


@pytest.mark.postgres
def test_postgres_stopping_mid_load_fails_fast_and_says_what_was_kept(cli, tmp_path, cuttable_pg):
    from core.samples.generate import generate_year
    direct, relayed, proxy = cuttable_pg.direct, cuttable_pg.relayed, cuttable_pg
    lines = generate_year(units=30, projects=5000, seed=9)
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    try:
        cli(direct, "init")
        load = subprocess.Popen([sys.executable, "-m", "cli", "--db", relayed, "load", str(path), "--no-score"],
                                cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        cuttable_pg.wait(load, "SELECT CASE WHEN to_regclass('{schema}.log_head') IS NULL THEN 0 ELSE "
                               "(SELECT size FROM {schema}.log_head) END", above=2000)
        proxy.cut()
        cut_at = time.monotonic()
        try:
            _, err = load.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            subprocess.run([sys.executable, "-m", "py_spy", "dump", "--pid", str(load.pid)])
            load.kill()
            raise
        assert time.monotonic() - cut_at < 10, "failing took too long"
        assert load.returncode == 1, err
        assert err.startswith("error: PostgreSQL 127.0.0.1:") and "Kept: " in err and "Traceback" not in err
        assert "Run the same command again to finish: lines already recorded are skipped." in err
        kept = int(err.split("Kept: ")[1].split(" ")[0])
        assert 0 < kept < len(lines)
        rerun = cli(direct, "load", str(path), "--no-score")
        assert f"skipped {kept}" in rerun.stderr or "skipped" in rerun.stderr
        ids = [e["command_id"] for e in json.loads(cli(direct, "events", "--json").stdout)
               if e["type"] not in ("BatchRecorded", "RulesApplied")]
        assert ids == [line["id"] for line in lines]
    finally:
        proxy.cut()
