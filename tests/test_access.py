"""Access tokens (core.record.access, `sankao token`): issued once, stored only as a digest, revoked for good, and
the roles' rights."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SCENARIO, run_cli
from core.record.access import Principal, authenticate

BASE = SCENARIO / "commands.jsonl"


def issue(cli, url, name, role, actor="office"):
    result = cli(url, "token", "create", name, "--role", role, "--actor", actor)
    token = result.stdout.strip()
    assert result.stdout.splitlines() == [token] and token.startswith("sk_") and len(token) > 40
    assert f"issued token {name} ({role})" in result.stderr
    return token


def stored_bytes(url: str) -> bytes:
    """Everything the store holds, as a tamperer reading the files or the tables would see it."""
    if url.startswith("postgresql://"):
        import psycopg
        from urllib.parse import parse_qs, urlparse
        schema = parse_qs(urlparse(url).query)["schema"][0]
        with psycopg.connect(url.split("?")[0], options=f"-c search_path={schema}") as conn:
            rows = conn.execute("SELECT state FROM events").fetchall()
            rows += conn.execute("SELECT name || role || digest FROM rm_tokens").fetchall()
        return b"".join(bytes(r[0]) if not isinstance(r[0], str) else r[0].encode() for r in rows)
    return b"".join(p.read_bytes() for p in Path(url).parent.glob(Path(url).name + "*"))


def test_a_token_is_shown_once_stored_as_a_digest_and_refused_once_revoked(store_url, cli, make_platform,
                                                                          loaded_copy):
    loaded_copy(store_url, str(BASE))
    admin = issue(cli, store_url, "office-admin", "admin")
    unit = issue(cli, store_url, "u01-desk", "unit:U01", actor="chief")
    platform = make_platform(store_url)
    assert authenticate(platform.app.recorder, admin) == Principal("office-admin", "admin")
    assert authenticate(platform.app.recorder, unit) == Principal("u01-desk", "unit:U01")
    for wrong in ("", "sk_" + "A" * 43, admin[:-1], admin + "x", "Bearer " + admin, unit.upper()):
        assert authenticate(platform.app.recorder, wrong) is None
    everything = stored_bytes(store_url)
    assert admin.encode() not in everything and unit.encode() not in everything
    listed = json.loads(cli(store_url, "token", "list", "--json").stdout)
    assert [(t["name"], t["role"], t["issued_by"], t["revoked_at"]) for t in listed] == [
        ("office-admin", "admin", "office", None), ("u01-desk", "unit:U01", "chief", None)]
    assert "sk_" not in cli(store_url, "token", "list").stdout
    cli(store_url, "token", "revoke", "u01-desk", "--actor", "chief")
    assert authenticate(make_platform(store_url).app.recorder, unit) is None
    assert authenticate(make_platform(store_url).app.recorder, admin) is not None
    events = json.loads(cli(store_url, "events", "--type", "TokenIssued,TokenRevoked", "--json").stdout)
    assert [(e["type"], e["actor"], e["data"]["name"]) for e in events] == [
        ("TokenIssued", "office", "office-admin"), ("TokenIssued", "chief", "u01-desk"),
        ("TokenRevoked", "chief", "u01-desk")]
    assert cli(store_url, "audit", "verify").stdout.startswith("ok: ")


@pytest.fixture(scope="module")
def with_admin(tmp_path_factory):
    """The shared year and a token office-admin in one SQLite store, for every refused token command below (each
    must leave it unchanged, and checks that it did): (its path, its tree head)."""
    db = str(tmp_path_factory.mktemp("tokens") / "sankao.db")
    run_cli(db, "load", str(BASE))
    issue(run_cli, db, "office-admin", "admin")
    return db, run_cli(db, "audit", "head", "--json").stdout


@pytest.mark.parametrize("args,message", [
    (("create", "x", "--role", "boss"), "role: 'boss' is not one of admin, auditor, viewer, supervisor or unit:UNIT"),
    (("create", "x", "--role", "unit:U99"), "role: U99 is not a registered unit"),
    (("create", "a b", "--role", "admin"), "name: 'a b' must match"),
    (("create", "office-admin", "--role", "viewer"), "name: a token named office-admin was already issued"),
    (("revoke", "nobody"), "name: no token named nobody was issued"),
])
def test_a_refused_token_command_names_the_rule_and_records_nothing(with_admin, cli, args, message):
    sqlite_url, head = with_admin
    assert cli(sqlite_url, "audit", "head", "--json").stdout == head  # as the fixture left it
    result = cli(sqlite_url, "token", *args, expect=1)
    assert message in result.stderr
    assert cli(sqlite_url, "audit", "head", "--json").stdout == head


def test_a_revoked_name_is_never_issued_again(sqlite_url, cli, loaded_copy):
    loaded_copy(sqlite_url, str(BASE))
    issue(cli, sqlite_url, "desk", "viewer")
    cli(sqlite_url, "token", "revoke", "desk")
    assert "already revoked" in cli(sqlite_url, "token", "revoke", "desk", expect=1).stderr
    assert "names are never reused" in cli(sqlite_url, "token", "create", "desk", "--role", "viewer",
                                           expect=1).stderr


ACTIONS = ["record", "read_board", "read_notices", "read_annual", "read_unit", "read_all", "audit", "admin"]


@pytest.mark.parametrize("role,own,other,anywhere", [
    ("admin", set(ACTIONS), set(ACTIONS), set(ACTIONS)),
    ("auditor", set(ACTIONS) - {"record", "admin"}, set(ACTIONS) - {"record", "admin"},
     set(ACTIONS) - {"record", "admin"}),
    ("viewer", {"read_board", "read_notices", "read_annual"}, {"read_board", "read_notices", "read_annual"},
     {"read_board", "read_notices", "read_annual"}),
    ("unit:U01", {"record", "read_board", "read_notices", "read_annual", "read_unit"},
     {"read_board", "read_annual"}, {"read_board", "read_annual"}),
])
def test_each_role_may_do_what_core_access_says_and_nothing_more(role, own, other, anywhere):
    who = Principal("someone", role)
    assert {a for a in ACTIONS if who.may(a, "U01")} == own
    assert {a for a in ACTIONS if who.may(a, "U02")} == other
    assert {a for a in ACTIONS if who.may(a)} == anywhere
