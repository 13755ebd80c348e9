"""Tamper evidence: someone with the database changes the log behind Sankao's back, with SQL, on SQLite and
on PostgreSQL. `sankao audit verify` names the first position that no longer matches and how; a proof made
before the change fails against the root the changed log gives; a bundle's verifier, with the standard
library alone, passes on an export and fails on it with one byte changed."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import venv
from urllib.parse import parse_qs, urlparse

import pytest

from conftest import SCENARIO
from core.tree import merkle
PROOF_POSITION = 300


def connect(url: str):
    """A plain database connection to the store (what a tamperer would use), and its placeholder."""
    if url.startswith("postgresql://"):
        import psycopg
        schema = parse_qs(urlparse(url).query)["schema"][0]
        conn = psycopg.connect(url.split("?")[0], autocommit=True, options=f"-c search_path={schema}")
        return conn, "%s"
    return sqlite3.connect(url, isolation_level=None), "?"


def sql(url: str, statement: str, params=()) -> list:
    conn, mark = connect(url)
    try:
        cur = conn.execute(statement.replace("?", mark), params)
        return cur.fetchall() if cur.description else []
    finally:
        conn.close()


def find(url: str, kind: str, contains: bytes = b"") -> int:
    """The position of the first event of type ``kind`` whose stored state contains ``contains``."""
    for position, state in sql(url, "SELECT position, state FROM events WHERE topic LIKE ? ORDER BY position",
                               (f"%:{kind}",)):
        if contains in bytes(state):
            return position
    raise AssertionError(f"no {kind} holding {contains!r}")


@pytest.fixture
def loaded(store_url, cli, loaded_copy):
    """The shared year as `sankao load --actor office` records it (a copy of a store loaded once a session),
    verified untouched before each test tampers with it."""
    loaded_copy(store_url, str(SCENARIO / "commands.jsonl"), "--actor", "office")
    verdict = cli(store_url, "audit", "verify")
    assert verdict.stdout.startswith("ok: 1026 events, root ")
    assert "12 recorded head(s) agree" in verdict.stdout
    return store_url


def verify_fails(cli, url: str) -> list[dict]:
    result = cli(url, "audit", "verify", "--json", expect=1)
    answer = json.loads(result.stdout)
    assert answer["ok"] is False
    text = cli(url, "audit", "verify", expect=1).stdout
    first = answer["problems"][0]
    assert text.startswith(f"NOT OK: position {first['position']}: {first['kind']}: ")
    return answer["problems"]


def test_an_untouched_store_verifies_and_each_head_is_a_prefix_of_the_next(loaded, cli):
    answer = json.loads(cli(loaded, "audit", "head", "--json").stdout)
    assert answer["size"] == answer["log_size"] == 1026
    recorded = answer["recorded"]
    assert [h["label"] for h in recorded] == [f"close 2023-{m:02d}" for m in range(1, 13)]
    for h in recorded:
        proof = json.loads(cli(loaded, "audit", "consistency", str(h["size"]), h["root"]).stdout)
        assert proof["published_root_matches"] is True
        assert merkle.verify_consistency(h["size"], proof["size"], bytes.fromhex(h["root"]),
                                         bytes.fromhex(answer["root"]), [bytes.fromhex(p) for p in proof["proof"]])
    wrong = "0" * 64
    assert json.loads(cli(loaded, "audit", "consistency", "1012", wrong, expect=1).stdout)[
        "published_root_matches"] is False
    # the frozen board names the head recorded at its close
    board = json.loads(cli(loaded, "board", "2023-06", "--json").stdout)
    assert board["head"] == {k: recorded[5][k] for k in ("size", "root")}


def test_a_changed_signing_is_named(loaded, cli):
    position = find(loaded, "ProjectSigned", b'"c00093"')
    before = json.loads(cli(loaded, "audit", "prove", str(PROOF_POSITION)).stdout)
    state = bytes(sql(loaded, "SELECT state FROM events WHERE position = ?", (position,))[0][0])
    assert b'"500630000"' in state
    sql(loaded, "UPDATE events SET state = ? WHERE position = ?", (state.replace(b'"500630000"', b'"900630000"'),
                                                                   position))
    problems = verify_fails(cli, loaded)
    assert (problems[0]["position"], problems[0]["kind"]) == (position, "changed")
    # every head recorded after it no longer matches either
    assert {p["kind"] for p in problems[1:]} <= {"head", "tree"} and len(problems) > 1
    # the inclusion proof made before fails against the root the stored events give now
    now_root = json.loads(cli(loaded, "audit", "verify", "--json", expect=1).stdout)["root"]
    path = [bytes.fromhex(p) for p in before["path"]]
    leaf = bytes.fromhex(before["leaf"])
    assert merkle.verify_inclusion(leaf, PROOF_POSITION - 1, before["size"], path, bytes.fromhex(before["root"]))
    assert not merkle.verify_inclusion(leaf, PROOF_POSITION - 1, before["size"], path, bytes.fromhex(now_root))


def test_a_changed_frozen_board_is_named(loaded, cli):
    position = find(loaded, "BoardFrozen", b'"period":"2023-06"')
    state = bytes(sql(loaded, "SELECT state FROM events WHERE position = ?", (position,))[0][0])
    sql(loaded, "UPDATE events SET state = ? WHERE position = ?", (state.replace(b'"rank":1', b'"rank":9', 1),
                                                                   position))
    assert (verify_fails(cli, loaded)[0]["position"], verify_fails(cli, loaded)[0]["kind"]) == (position, "changed")


def test_a_deleted_letter_is_named(loaded, cli):
    position = find(loaded, "NoticeIssued")
    sql(loaded, "DELETE FROM events WHERE position = ?", (position,))
    problems = verify_fails(cli, loaded)
    assert (problems[0]["position"], problems[0]["kind"]) == (position, "missing")


def test_a_deleted_last_event_is_named(loaded, cli):
    sql(loaded, "DELETE FROM events WHERE position = 1026")
    problems = verify_fails(cli, loaded)
    assert (problems[0]["position"], problems[0]["kind"]) == (1026, "missing")


def test_a_forged_event_is_named_and_nothing_more_is_recorded_on_it(loaded, cli, tmp_path):
    stream, version, topic, state = sql(loaded, "SELECT stream, version, topic, state FROM events "
                                                "WHERE position = ?", (find(loaded, "ProjectSigned"),))[0]
    sql(loaded, "INSERT INTO events (position, stream, version, topic, state) VALUES (?, ?, ?, ?, ?)",
        (1027, stream, version + 100, topic, bytes(state)))
    problems = verify_fails(cli, loaded)
    assert (problems[0]["position"], problems[0]["kind"]) == (1027, "inserted")
    # a command recorded on such a store is refused, saying why, and changes nothing
    line = tmp_path / "more.jsonl"
    line.write_text(json.dumps({"cmd": "plan_project", "project": "PX1", "unit": "U02", "name": "X",
                                "planned_on": "2024-01-08", "id": "x1", "at": "2024-01-08T09:57:00+08:00"}) + "\n")
    refused = cli(loaded, "load", str(line), expect=1)
    assert "events were written or removed around Sankao" in refused.stderr
    assert sql(loaded, "SELECT count(*) FROM events")[0][0] == 1027
    head = cli(loaded, "audit", "head")
    assert "the log holds 1027 events but the tree 1026" in head.stderr


def test_two_swapped_events_are_named(loaded, cli):
    a, b = find(loaded, "ProjectPlanned", b'"c00037"'), find(loaded, "ProjectPlanned", b'"c00041"')
    rows = {p: r for p, *r in sql(loaded, "SELECT position, stream, version, topic, state FROM events "
                                          "WHERE position IN (?, ?)", (a, b))}
    sql(loaded, "UPDATE events SET stream = 'x', version = -1 WHERE position = ?", (a,))
    sql(loaded, "UPDATE events SET stream = ?, version = ?, topic = ?, state = ? WHERE position = ?",
        (*rows[a], b))
    sql(loaded, "UPDATE events SET stream = ?, version = ?, topic = ?, state = ? WHERE position = ?",
        (*rows[b], a))
    problems = verify_fails(cli, loaded)
    assert (problems[0]["position"], problems[0]["kind"]) == (min(a, b), "reordered")
    assert f"positions {min(a, b)} and {max(a, b)} swapped places" in problems[0]["what"]


@pytest.mark.parametrize("read_model_too", [False, True], ids=["tree", "tree_and_read_model"])
def test_a_rewritten_tree_is_caught_by_the_heads_and_by_a_published_root(loaded, cli, make_platform,
                                                                          read_model_too):
    """A thorough tamperer changes a signing and rebuilds the whole tree to match: the heads recorded at the
    closes, and any head published before, no longer match; the read model the signing wrote names it, unless
    the tamperer rewrote that too."""
    published = json.loads(cli(loaded, "audit", "head", "--json").stdout)
    position = find(loaded, "ProjectSigned", b'"c00093"')
    state = bytes(sql(loaded, "SELECT state FROM events WHERE position = ?", (position,))[0][0])
    sql(loaded, "UPDATE events SET state = ? WHERE position = ?", (state.replace(b'"500630000"', b'"900630000"'),
                                                                   position))
    if read_model_too:
        sql(loaded, "UPDATE rm_projects SET signed_amount = '900630000' WHERE signed_amount = '500630000'")
    sql(loaded, "DELETE FROM merkle_leaves")
    sql(loaded, "DELETE FROM merkle_nodes")
    from core.tree.writer import TreeWriter
    TreeWriter(make_platform(loaded).app.recorder).catch_up()
    problems = verify_fails(cli, loaded)
    heads = [p for p in problems if p["kind"] == "head"]  # the tree agrees with the events; the heads do not
    assert len(heads) == 12 - sum(1 for h in published["recorded"] if h["size"] < position)
    if read_model_too:
        assert problems == heads
    else:
        [named] = [p for p in problems if p["kind"] != "head"]
        assert (named["position"], named["kind"]) == (position, "read_model")
        assert "rm_projects" in named["what"] and "signed_amount is '500630000', the log gives '900630000'" in \
            named["what"]
    check = cli(loaded, "audit", "consistency", str(published["size"]), published["root"], expect=1)
    assert json.loads(check.stdout)["published_root_matches"] is False


# -- a store from before the tree --------------------------------------------------------------------------

@pytest.mark.parametrize("killed_after", [None, 300])
def test_a_store_from_before_the_tree_gets_it_once_even_when_the_first_upgrade_is_killed(loaded, cli, tmp_path,
                                                                                           killed_after):
    """A schema-2 store (no Merkle tables) is hashed whole when first opened for writing. If that process dies
    after committing part of the tree (``killed_after`` leaves), the store still says schema 2, and the next
    process finishes the tree rather than taking the rest of the log for events written around Sankao."""
    before = json.loads(cli(loaded, "audit", "head", "--json").stdout)
    leaves = sql(loaded, "SELECT position, hash FROM merkle_leaves ORDER BY position")
    nodes = sql(loaded, "SELECT level, idx, hash FROM merkle_nodes")
    sql(loaded, "DROP TABLE merkle_leaves")
    sql(loaded, "DROP TABLE merkle_nodes")
    sql(loaded, "UPDATE meta SET value = '2' WHERE key = 'schema'")
    if killed_after:
        from core.tree.writer import ddl
        for statement in ddl(*(("BYTEA", "BIGINT") if loaded.startswith("postgresql") else ("BLOB", "INTEGER"))):
            sql(loaded, statement)
        for position, digest in leaves[:killed_after]:
            sql(loaded, "INSERT INTO merkle_leaves (position, hash) VALUES (?, ?)", (position, bytes(digest)))
        for level, idx, digest in nodes:  # committed with the leaves they cover
            if (idx + 1) << level <= killed_after:
                sql(loaded, "INSERT INTO merkle_nodes (level, idx, hash) VALUES (?, ?, ?)", (level, idx, bytes(digest)))
    late = tmp_path / "late.jsonl"
    late.write_text('{"cmd": "register_unit", "unit": "U99", "name": "Unit U99", "category": "department", '
                    '"id": "late-1", "at": "2024-01-08T10:00:00+08:00"}\n', encoding="utf-8")
    cli(loaded, "load", str(late))
    after = json.loads(cli(loaded, "audit", "head", "--json").stdout)
    assert after["size"] == after["log_size"] > before["size"]
    from core.store.schema import SCHEMA
    assert sql(loaded, "SELECT value FROM meta WHERE key = 'schema'")[0][0] == SCHEMA
    proof = json.loads(cli(loaded, "audit", "consistency", str(before["size"]), before["root"]).stdout)
    assert proof["published_root_matches"] is True  # the tree rebuilt over the old log is the one it had
    assert cli(loaded, "audit", "verify").stdout.startswith(f"ok: {after['size']} events, root {after['root']}")


# -- the bundle and its standard-library verifier, outside Sankao --------------------------------------------

@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """A fresh virtual environment without Sankao (nor anything else) installed."""
    folder = tmp_path_factory.mktemp("bare") / "venv"
    venv.EnvBuilder(with_pip=False).create(folder)
    python = folder / "bin" / "python"
    for module in ("core", "eventsourcing"):
        probe = subprocess.run([python, "-I", "-c", f"import {module}"], capture_output=True, cwd=folder)
        assert probe.returncode != 0, f"{module} is importable in the bare environment"
    return python


def run_verifier(python, bundle, *args) -> subprocess.CompletedProcess:
    return subprocess.run([python, "-I", str(bundle / "verify.py"), str(bundle), *args], capture_output=True,
                          text=True, cwd=bundle.parent)


def test_an_export_verifies_without_sankao_and_fails_on_one_byte_changed(sqlite_url, cli, tmp_path, bare_python):
    cli(sqlite_url, "load", str(SCENARIO / "commands.jsonl"))
    bundle = tmp_path / "bundle"
    cli(sqlite_url, "audit", "export", str(bundle))
    heads = json.loads(cli(sqlite_url, "audit", "head", "--json").stdout)
    june = next(h for h in heads["recorded"] if h["label"] == "close 2023-06")
    (tmp_path / "inclusion.json").write_text(cli(sqlite_url, "audit", "prove", "500", "--head",
                                                 str(june["size"])).stdout)
    (tmp_path / "consistency.json").write_text(cli(sqlite_url, "audit", "consistency", str(june["size"])).stdout)
    good = run_verifier(bare_python, bundle, "--proof", str(tmp_path / "inclusion.json"),
                        "--proof", str(tmp_path / "consistency.json"), "--head", f"{june['size']}:{june['root']}")
    assert good.returncode == 0, good.stdout + good.stderr
    assert f"ok   {heads['size']} events, root {heads['root']}" in good.stdout
    assert good.stdout.count("ok   head recorded at position") == 12
    assert good.stdout.rstrip().endswith("the bundle verifies")

    # one byte changed inside an event's data: the root, the heads after it and the proofs fail
    events = bundle / "events.jsonl"
    raw = events.read_bytes()
    at = raw.index(b'500630000')
    events.write_bytes(raw[:at] + b"6" + raw[at + 1:])
    bad = run_verifier(bare_python, bundle, "--proof", str(tmp_path / "inclusion.json"),
                       "--head", f"{june['size']}:{june['root']}")
    assert bad.returncode == 1
    assert bad.stdout.startswith("FAIL the bundle's 1026 events give root ")
    assert "FAIL published head: the events give root" in bad.stdout
    assert f"FAIL {tmp_path / 'inclusion.json'}" in bad.stdout
    assert "Traceback" not in bad.stderr

    # one byte changed so that a line is no longer JSON: said, no traceback
    events.write_bytes(raw.replace(b'{"position": 7,', b'{"position": 7;', 1))
    broken = run_verifier(bare_python, bundle)
    assert broken.returncode == 1 and "events.jsonl line 7 is not an event as exported" in broken.stdout
    assert "Traceback" not in broken.stderr

    # a line taken out
    lines = raw.splitlines(keepends=True)
    events.write_bytes(b"".join(lines[:10] + lines[11:]))
    cut = run_verifier(bare_python, bundle)
    assert cut.returncode == 1 and "position 12, expected 11" in cut.stdout


def _line(events: bytes, kind: str, contains: bytes = b"") -> int:
    """The index of the first line of events.jsonl holding an event of type ``kind`` and ``contains``."""
    return next(i for i, line in enumerate(events.splitlines()) if f'"type": "events.facts:{kind}"'.encode() in line
                and contains in line)


def _rewrite(path, index: int, change) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    event = json.loads(lines[index])
    change(event)
    lines[index] = (json.dumps(event, ensure_ascii=False) + "\n").encode("utf-8")
    path.write_bytes(b"".join(lines))


def test_token_digests_never_leave_the_store_and_the_bundle_still_verifies(sqlite_url, cli, tmp_path, bare_python,
                                                                           loaded_copy):
    """Issue #18: a token's digest (what the pages' session cookie holds) was in the bundle's events.jsonl and in
    `sankao events --json`. Now a TokenIssued is carried redacted, with its leaf hash, which verify.py takes as
    given for it alone and says so; every other leaf is still rebuilt, and a line of any other event marked
    redacted is refused."""
    from core.record.access import digest
    from core.record.state import stream_id
    loaded_copy(sqlite_url, str(SCENARIO / "commands.jsonl"), "--actor", "office")
    tokens = [next(line for line in cli(sqlite_url, "token", "create", name, "--role", role).stdout.splitlines()
                   if line.startswith("sk_")) for name, role in (("desk", "viewer"), ("auditor-1", "auditor"),
                                                                  ("gone", "admin"))]
    cli(sqlite_url, "token", "revoke", "gone")
    digests = [digest(token).encode() for token in tokens]
    stored = b"".join(bytes(r[0]) for r in sql(sqlite_url, "SELECT state FROM events"))
    assert all(d in stored for d in digests)  # the store keeps them: that is how a token is recognised

    for args in (("events", "--json"), ("events",), ("events", "--type", "TokenIssued", "--json")):
        shown = cli(sqlite_url, *args).stdout
        assert not any(d.decode() in shown for d in digests), args
    issued = json.loads(cli(sqlite_url, "events", "--type", "TokenIssued", "--json").stdout)
    assert [(e["data"]["name"], e["data"]["role"]) for e in issued] == [("desk", "viewer"), ("auditor-1", "auditor"),
                                                                        ("gone", "admin")]
    assert all(set(e["data"]) == {"name", "role"} for e in issued)

    bundle = tmp_path / "bundle"
    cli(sqlite_url, "audit", "export", str(bundle))
    for path in bundle.iterdir():
        assert not any(d in path.read_bytes() for d in digests), path.name
    head = json.loads(cli(sqlite_url, "audit", "head", "--json").stdout)
    (tmp_path / "inclusion.json").write_text(cli(sqlite_url, "audit", "prove", "500").stdout)
    good = run_verifier(bare_python, bundle, "--proof", str(tmp_path / "inclusion.json"))
    assert good.returncode == 0, good.stdout + good.stderr
    assert f"ok   {head['size']} events, root {head['root']}" in good.stdout
    assert "3 token events redacted: their leaf hashes taken as given" in good.stdout
    assert good.stdout.rstrip().endswith("the bundle verifies")
    replayed = cli(sqlite_url, "audit", "replay", str(bundle), "--json")
    assert json.loads(replayed.stdout)["disagreements"] == []

    events = bundle / "events.jsonl"
    honest = events.read_bytes()
    token_line = _line(honest, "TokenIssued")
    assert json.loads(honest.splitlines()[token_line])["redacted"] == ["digest"]
    signed = _line(honest, "ProjectSigned", b'\\"c00093\\"')

    def verify_after(change, index=signed):
        events.write_bytes(honest)
        _rewrite(events, index, change)
        result = run_verifier(bare_python, bundle, "--proof", str(tmp_path / "inclusion.json"))
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
        return result.stdout

    # an event altered: its leaf is rebuilt, the root fails
    altered = verify_after(lambda e: e.update(state=e["state"].replace('"500630000"', '"900630000"')))
    assert altered.startswith(f"FAIL the bundle's {head['size']} events give root ")

    # the same event altered and marked redacted, carrying its honest leaf hash: refused, a signing is no token
    original = json.loads(honest.splitlines()[signed])
    leaf = merkle.leaf_hash(merkle.leaf_bytes(original["position"], original["stream"], original["version"],
                                              original["type"], original["state"].encode("utf-8")))
    posed = verify_after(lambda e: e.update(state=e["state"].replace('"500630000"', '"900630000"'),
                                            redacted=["digest"], leaf=leaf.hex()))
    assert "is marked redacted; only an access token's TokenIssued may be: the bundle was changed" in posed, posed
    # ... renamed a TokenIssued: not of the tokens' stream; moved into it, the tokens' versions no longer run
    renamed = verify_after(lambda e: e.update(type="events.facts:TokenIssued", redacted=["digest"], leaf=leaf.hex()))
    assert "is marked redacted; only an access token's TokenIssued may be" in renamed
    moved = verify_after(lambda e: e.update(type="events.facts:TokenIssued", stream=stream_id("tokens").hex,
                                            version=1, redacted=["digest"], leaf=leaf.hex()))
    assert "is version 1 of the tokens' stream, expected 2: the bundle was changed" in moved, moved

    # a redacted token's leaf hash changed: the root fails
    changed_leaf = verify_after(lambda e: e.update(leaf="00" * 32), token_line)
    assert changed_leaf.startswith(f"FAIL the bundle's {head['size']} events give root ")
    # more than the digest left out, or no leaf hash at all: refused
    assert "a token's redaction leaves out [\"digest\"] only" in verify_after(
        lambda e: e.update(redacted=["digest", "role"]), token_line)
    assert "a redacted event without 'leaf'" in verify_after(lambda e: e.pop("leaf"), token_line)


def test_the_bundle_verifier_and_audit_consistency_refuse_what_rfc_9162_refuses(sqlite_url, cli, tmp_path, bare_python,
                                                                                loaded_copy):
    """A consistency proof from size 0 'proved' any old root, and an inclusion proof's index and hashes were not
    checked; RFC 9162 and transparency-dev/merkle refuse both, and so do verify.py and `audit consistency`."""
    loaded_copy(sqlite_url, str(SCENARIO / "commands.jsonl"), "--actor", "office")
    bundle = tmp_path / "bundle"
    cli(sqlite_url, "audit", "export", str(bundle))
    head = json.loads(cli(sqlite_url, "audit", "head", "--json").stdout)
    proofs = {
        "from_empty": {"kind": "consistency", "old_size": 0, "old_root": "ab" * 32, "size": head["size"],
                       "root": head["root"], "proof": []},
        "empty_hashes": {"kind": "inclusion", "position": 1, "leaf": "", "size": 1, "root": "", "path": []},
        "position_0": {"kind": "inclusion", "position": 0, "leaf": "00" * 32, "size": 1, "path": []},
        "short_root": {"kind": "consistency", "old_size": 1, "old_root": "ab" * 31, "size": 1, "proof": []},
    }
    for name, proof in proofs.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(proof))
    result = run_verifier(bare_python, bundle, *[a for name in proofs for a in ("--proof", str(tmp_path / f"{name}.json"))])
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
    lines = {name: next(line for line in result.stdout.splitlines() if f"{name}.json" in line) for name in proofs}
    assert lines["from_empty"].startswith("FAIL") and "refused: a consistency proof from the empty tree" in \
        lines["from_empty"]
    assert lines["empty_hashes"].startswith("FAIL") and "refused: the proof's root must be a 32-byte" in \
        lines["empty_hashes"]
    assert lines["position_0"].startswith("FAIL") and "refused: position 0 is not in a tree of 1" in lines["position_0"]
    assert lines["short_root"].startswith("FAIL") and "refused: the old root must be a 32-byte" in lines["short_root"]
    assert result.stdout.rstrip().endswith("4 check(s) failed")
    # the empty tree's root given as the published root at size 0 'matched'; now refused, saying why
    empty = merkle.EMPTY.hex()
    refused = cli(sqlite_url, "audit", "consistency", "0", empty, expect=1)
    assert "a consistency proof from size 0 (the empty tree) proves nothing" in refused.stderr
    assert refused.stdout == ""


def test_the_bundle_verifier_passes_the_ct_vectors(tmp_path, bare_python):
    """The verifier file, run on its own, computes the same RFC 9162 roots and checks the same proofs."""
    from core.audit.bundle import verifier_source
    from test_merkle import CONSISTENCY, HASHES, INCLUSION, ROOTS
    script = tmp_path / "verify.py"
    script.write_text(verifier_source())
    check = tmp_path / "check.py"
    check.write_text(
        "import json, sys\nsys.path.insert(0, sys.argv[1])\nimport verify as v\n"
        "data = json.load(open(sys.argv[2]))\n"
        "hashes = [bytes.fromhex(h) for h in data['hashes']]\n"
        "assert [v.root_of(hashes[:n]).hex() for n in range(9)] == data['roots']\n"
        "for i, n, path in data['inclusion']:\n"
        "    assert v.verify_inclusion(hashes[i], i, n, [bytes.fromhex(p) for p in path], bytes.fromhex(data['roots'][n]))\n"
        "    assert not v.verify_inclusion(hashes[i], i, n, [bytes.fromhex(p) for p in path], bytes(32))\n"
        "for m, n, proof in data['consistency']:\n"
        "    r = lambda k: bytes.fromhex(data['roots'][k])\n"
        "    assert v.verify_consistency(m, n, r(m), r(n), [bytes.fromhex(p) for p in proof])\n"
        "print('vectors ok')\n")
    vectors = tmp_path / "vectors.json"
    vectors.write_text(json.dumps({"hashes": [h.hex() for h in HASHES], "roots": ROOTS,
                                   "inclusion": INCLUSION, "consistency": CONSISTENCY}))
    result = subprocess.run([bare_python, "-I", str(check), str(tmp_path), str(vectors)], capture_output=True,
                            text=True)
    assert result.returncode == 0 and result.stdout.strip() == "vectors ok", result.stderr


def test_export_refuses_a_folder_in_use_and_a_tampered_store(sqlite_url, cli, tmp_path):
    cli(sqlite_url, "load", str(SCENARIO / "commands.jsonl"))
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "notes.txt").write_text("mine")
    refused = cli(sqlite_url, "audit", "export", str(tmp_path / "used"), expect=1)
    assert "exists and is not an empty folder" in refused.stderr
    assert (tmp_path / "used" / "notes.txt").read_text() == "mine"
    position = find(sqlite_url, "ProjectSigned")
    state = bytes(sql(sqlite_url, "SELECT state FROM events WHERE position = ?", (position,))[0][0])
    changed = state.replace(b'"_data_":"', b'"_data_":"1', 1)
    assert changed != state
    sql(sqlite_url, "UPDATE events SET state = ? WHERE position = ?", (changed, position))
    tampered = cli(sqlite_url, "audit", "export", str(tmp_path / "out"), expect=1)
    assert "run sankao audit verify (nothing was exported)" in tampered.stderr
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob(".out.*"))  # nothing half-written left


@pytest.fixture(scope="module")
def scored_year(tmp_path_factory):
    """A SQLite store holding the shared year, loaded and scored in one process, made once for the module:
    each test below tampers with a copy of it."""
    from core.bootstrap import Config, Platform
    from conftest import ROOT
    db = str(tmp_path_factory.mktemp("year") / "s.db")
    platform = Platform(Config(db=db, plugins=str(ROOT / "plugins.toml")), "load")
    platform.ledger.load(list(enumerate((SCENARIO / "commands.jsonl").read_text().splitlines(), 1)), "office")
    platform.scorer.run()
    platform.close()
    return db


@pytest.mark.parametrize("block,workers", [(1, 0), (2, 0), (8, 0), (64, 0), (1024, 0), (4096, 0), (64, 2), (256, 1)])
def test_verify_reads_in_blocks_of_any_size_to_the_same_roots(block, workers, make_platform, tmp_path, scored_year):
    """The whole log's root and every recorded head's, folded a block at a time (read by this process or by
    worker processes), are the RFC 9162 roots of the leaves; a change in the log is found either way."""
    from core.audit import log
    from conftest import copy_store
    copy_store(scored_year, str(tmp_path / "s.db"))
    platform = make_platform(str(tmp_path / "s.db"))
    leaves = [merkle.leaf_hash(merkle.leaf_bytes(n.id, str(n.originator_id), n.originator_version, n.topic, n.state))
              for n in platform.app.recorder.select_notifications(start=1, limit=10 ** 6)]
    verdict = log.verify(platform.app, block=block, workers=workers)
    assert verdict.ok and verdict.heads == 12
    assert (verdict.size, verdict.root) == (len(leaves), merkle.root_of(leaves).hex())
    for head in log.recorded_heads(platform.app):
        assert merkle.root_of(leaves[:head["size"]]).hex() == head["root"]
    sql(str(tmp_path / "s.db"), "DELETE FROM events WHERE position = 700")
    position = find(str(tmp_path / "s.db"), "ProjectSigned", b'"c00093"')
    state = bytes(sql(str(tmp_path / "s.db"), "SELECT state FROM events WHERE position = ?", (position,))[0][0])
    sql(str(tmp_path / "s.db"), "UPDATE events SET state = ? WHERE position = ?", (state + b" ", position))
    problems = log.verify(platform.app, block=block, workers=workers).problems
    assert [p[:2] for p in problems[:2]] == sorted([(700, "missing"), (position, "changed")])
