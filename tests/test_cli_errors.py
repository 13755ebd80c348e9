"""Mistakes a user can make with files and stores: clear errors, no tracebacks, nothing created."""

from __future__ import annotations

import json
import uuid

import pytest

from conftest import PG_URL, _drop_schema, require_pg


def test_a_file_that_is_not_utf8_is_refused_before_the_store_is_touched(cli, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"cmd": "register_unit", "unit": "U1", "name": "\xff", "category": "c"}\n')
    db = tmp_path / "never.db"
    for flags in ([], ["--check"]):
        result = cli(str(db), "load", str(bad), *flags, expect=1)
        assert f"{bad}: line 1 is not UTF-8 text" in result.stderr and "nothing was recorded" in result.stderr
    assert list(tmp_path.iterdir()) == [bad]


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
