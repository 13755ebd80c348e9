"""Every endpoint of the OpenAPI document walked with every role (allowed / 401 / 403), and every status code the
document declares for an operation reached by a real request: the document promises nothing the API cannot do."""

from __future__ import annotations

import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import PEOPLE, web_app_with

ROLES = ("admin", "auditor", "viewer", "supervisor", "unit")  # unit: unit:U01
A, AU, V, S, U = ROLES


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    app, db = web_app_with(tmp_path_factory.mktemp("matrix"), PEOPLE / "commands.jsonl")
    platform = app.extensions["sankao"]
    tokens = {role: platform.ledger.issue_token(role.replace(":", "-"), role if role != U else "unit:U01", "setup")
              for role in ROLES}
    tokens["revoked"] = platform.ledger.issue_token("gone", "admin", "setup")
    platform.ledger.revoke_token("gone", "setup")
    yield app, db, tokens
    platform.close()


def _signed_unstarted(unit: str) -> list[str]:
    lines = [json.loads(x) for x in (PEOPLE / "commands.jsonl").read_text().splitlines()]
    planned = {c["project"] for c in lines if c["cmd"] == "plan_project" and c["unit"] == unit}
    signed = [c["project"] for c in lines if c["cmd"] == "sign_project" and c["project"] in planned]
    started = {c["project"] for c in lines if c["cmd"] in ("start_construction", "withdraw_project")}
    return [p for p in signed if p not in started]


def _november_candidates(db: str) -> list[str]:
    """The projects a draw of 2023-11 may sample (signed or landed in it, not withdrawn by its end)."""
    with sqlite3.connect(db) as conn:
        return [p for (p,) in conn.execute(
            "SELECT project FROM rm_projects WHERE (signed_on LIKE '2023-11-%' OR landed_on LIKE '2023-11-%') AND "
            "(withdrawn_on IS NULL OR withdrawn_on > '2023-11-30') ORDER BY project")]


OWN_START = {"cmd": "start_construction", "started_on": "2024-01-03", "at": "2024-01-09T10:00:00+08:00"}
DISPATCH = {"cmd": "dispatch", "date": "2024-01-08", "at": "2024-01-08T10:00:00+08:00"}
DRY_RUN = {"plugins": {"annual_amount": {"weight": 31}}, "dry_run": True}
AT = OWN_START["at"]
NOBODY = {AU: 403, V: 403}  # an auditor and a viewer record nothing


def supervision_rows(sampled: list[str]):
    """POST /api/commands with the commands of SCORING.md §9 (docs/assessment.md §9): the office alone requires
    self-checks; a unit files its own self-check, not another's; a supervisor (and an admin) draws, records
    findings, special assessments and listings, and nothing else. ``sampled``: two projects any draw of 2023-11
    samples (a draw of size 1000 samples them all)."""
    def command(cmd, **data):
        return ("POST /api/commands", "POST", "/api/commands", {"cmd": cmd, **data, "at": AT})
    draw = {"period": "2023-11", "size": 1000, "seed": "matrix", "date": "2024-01-08"}
    listing = {"date": "2024-01-09", "reason": "lagging"}
    return [
        (*command("require_self_checks", **{"from": "2024-02"}), {S: 403, **NOBODY, U: 403, A: 200}),
        (*command("self_check", unit="U01", period="2023-11", date="2023-12-04"), {S: 403, **NOBODY, U: 200}),
        (*command("self_check", unit="U02", period="2023-11", date="2023-12-04"), {U: 403, S: 403, A: 200}),
        (*command("draw_spot_check", draw="SC-S", **draw), {**NOBODY, U: 403, S: 200}),
        (*command("draw_spot_check", draw="SC-A", **draw), {A: 200}),
        (*command("record_finding", draw="SC-S", project=sampled[0], date="2024-01-09", result="confirmed"),
         {**NOBODY, U: 403, S: 200}),
        (*command("record_finding", draw="SC-S", project=sampled[1], date="2024-01-09", result="misreported",
                  field="signed_amount", value="100000000", reason="the contract says less"), {S: 200}),
        (*command("record_finding", draw="SC-A", project=sampled[0], date="2024-01-09", result="confirmed"), {A: 200}),
        (*command("special_assessment", unit="U02", date="2024-01-09", points="1.50", reason="letter unanswered"),
         {**NOBODY, U: 403, S: 200, A: 200}),
        (*command("special_assessment", unit="U01", date="2024-01-09", points="1", reason="its own"), {U: 403}),
        (*command("list_unit", unit="U03", **listing), {**NOBODY, U: 403, S: 200}),
        (*command("delist_unit", unit="U03", **listing), {**NOBODY, U: 403, A: 200}),
        (*command("list_unit", unit="U04", **listing), {A: 200}),
        (*command("delist_unit", unit="U04", **listing), {S: 200}),
    ]


def matrix(own_project: str, other_project: str, sampled: list[str]):
    """(operation, method, url, body, {role: status}); roles left out of a row are not asked on it."""
    everyone = {A: 200, AU: 200, V: 200, S: 200, U: 200}
    readers = {A: 200, AU: 200, V: 403, S: 200, U: 200}  # a unit reads its own unit
    office_only = {A: 200, AU: 200, V: 403, S: 200, U: 403}  # a supervisor reads what an auditor reads ...
    auditors = {**office_only, S: 403}  # ... the audit tools aside
    return [
        ("POST /api/commands", "POST", "/api/commands", DISPATCH, {A: 200, AU: 403, V: 403, S: 403, U: 403}),
        ("POST /api/commands", "POST", "/api/commands", {**OWN_START, "project": own_project},
         {U: 200, AU: 403, V: 403, S: 403}),
        ("POST /api/commands", "POST", "/api/commands", {**OWN_START, "project": other_project}, {U: 403, S: 403}),
        *supervision_rows(sampled),
        ("GET /api/supervision/{period}", "GET", "/api/supervision/2023-11", None, readers),  # a unit: its own part
        ("GET /api/boards/{period}", "GET", "/api/boards/2023-06", None, everyone),
        ("GET /api/units/{unit}/scores/{period}", "GET", "/api/units/U01/scores/2023-06", None, readers),
        ("GET /api/units/{unit}/scores/{period}", "GET", "/api/units/U02/scores/2023-06", None, {U: 403}),
        ("GET /api/notices", "GET", "/api/notices", None, everyone),
        ("GET /api/notices", "GET", "/api/notices?unit=U02", None, {V: 200, S: 200, U: 403}),
        ("GET /api/annual/{year}", "GET", "/api/annual/2023", None, everyone),
        ("GET /api/events", "GET", "/api/events?limit=3", None, office_only),
        ("GET /api/units", "GET", "/api/units", None, everyone),
        ("GET /api/projects", "GET", "/api/projects", None, readers),
        ("GET /api/projects", "GET", "/api/projects?unit=U02", None, {U: 403}),
        ("GET /api/units/{unit}/explain/{period}", "GET", "/api/units/U01/explain/2023-06", None, readers),
        ("GET /api/units/{unit}/explain/{period}", "GET", "/api/units/U02/explain/2023-06", None, {U: 403}),
        ("GET /api/units/{unit}/history/{period}", "GET", "/api/units/U01/history/2023-06", None, readers),
        ("GET /api/units/{unit}/history/{period}", "GET", "/api/units/U02/history/2023-06", None, {U: 403}),
        ("GET /api/people/{person}", "GET", "/api/people/U01-L001?year=2023", None, readers),
        ("GET /api/people/{person}", "GET", "/api/people/U02-L011?year=2023", None, {U: 403}),
        ("GET /api/audit/head", "GET", "/api/audit/head", None, auditors),
        ("GET /api/audit/proofs/{position}", "GET", "/api/audit/proofs/5", None, auditors),
        ("GET /api/audit/consistency/{old_size}", "GET", "/api/audit/consistency/5", None, auditors),
        ("GET /api/audit/verify", "GET", "/api/audit/verify", None, auditors),
        ("GET /api/audit/export", "GET", "/api/audit/export?until=2023-01-31", None, auditors),
        ("GET /api/plugins", "GET", "/api/plugins", None, office_only),
        ("POST /api/plugins", "POST", "/api/plugins", DRY_RUN, {A: 200, AU: 403, V: 403, S: 403, U: 403}),
    ]


def probes(big: bytes):
    """Requests with an admin token that answer the other declared codes: (operation, method, url, body, kind,
    status). ``kind`` is the body's content type."""
    js, nd = "application/json", "application/x-ndjson"
    return [
        ("POST /api/commands", "POST", "/api/commands", b'{"cmd": "sign_project"}', js, 422),
        ("POST /api/commands", "POST", "/api/commands", b"x", "text/csv", 415),
        ("POST /api/commands", "POST", "/api/commands", big, nd, 413),
        ("POST /api/commands", "POST", "/api/commands", b'{"cmd": "dispatch", "note": "\xff"}', js, 400),
        ("GET /api/boards/{period}", "GET", "/api/boards/2023-13", None, None, 422),
        ("GET /api/supervision/{period}", "GET", "/api/supervision/2023-13", None, None, 422),
        ("GET /api/supervision/{period}", "GET", "/api/supervision/2031-06", None, None, 404),
        ("GET /api/boards/{period}", "GET", "/api/boards/2031-06", None, None, 404),
        ("GET /api/units/{unit}/scores/{period}", "GET", "/api/units/U99/scores/2023-06", None, None, 404),
        ("GET /api/units/{unit}/scores/{period}", "GET", "/api/units/U01/scores/June", None, None, 422),
        ("GET /api/notices", "GET", "/api/notices?unit=U99", None, None, 404),
        ("GET /api/notices", "GET", "/api/notices?known_at=yesterday", None, None, 422),
        ("GET /api/annual/{year}", "GET", "/api/annual/1800", None, None, 422),
        ("GET /api/events", "GET", "/api/events?limit=0", None, None, 422),
        ("GET /api/projects", "GET", "/api/projects?unit=U99", None, None, 404),
        ("GET /api/projects", "GET", "/api/projects?stage=landed", None, None, 422),
        ("GET /api/units/{unit}/explain/{period}", "GET", "/api/units/U99/explain/2023-06", None, None, 404),
        ("GET /api/units/{unit}/explain/{period}", "GET", "/api/units/U01/explain/2023-6", None, None, 422),
        ("GET /api/units/{unit}/history/{period}", "GET", "/api/units/U99/history/2023-06", None, None, 404),
        ("GET /api/units/{unit}/history/{period}", "GET", "/api/units/U01/history/2023", None, None, 422),
        ("GET /api/people/{person}", "GET", "/api/people/nobody", None, None, 404),
        ("GET /api/people/{person}", "GET", "/api/people/U01-L001?year=99", None, None, 422),
        ("GET /api/audit/proofs/{position}", "GET", "/api/audit/proofs/999999999", None, None, 404),
        ("GET /api/audit/proofs/{position}", "GET", "/api/audit/proofs/5?head=0", None, None, 422),
        ("GET /api/audit/consistency/{old_size}", "GET", "/api/audit/consistency/999999999", None, None, 404),
        ("GET /api/audit/consistency/{old_size}", "GET", "/api/audit/consistency/5?root=zz", None, None, 422),
        ("GET /api/audit/export", "GET", "/api/audit/export?until=tomorrow", None, None, 422),
        ("POST /api/plugins", "POST", "/api/plugins", b'{"plugins": {"nope": {}}}', js, 422),
        ("POST /api/plugins", "POST", "/api/plugins", b"plugins = {}", "application/toml", 415),
        ("POST /api/plugins", "POST", "/api/plugins", big, js, 413),
        ("POST /api/plugins", "POST", "/api/plugins", b'{"plugins": ', js, 400),
    ]


def test_every_endpoint_with_every_role_and_every_declared_status(office, monkeypatch):
    app, db, tokens = office
    client = app.test_client()
    document = client.get("/api/openapi.json").json
    declared = {f"{method.upper()} {path}": {int(code) for code in op["responses"] if code != "default"}
                for path, ops in document["paths"].items() for method, op in ops.items() if method != "parameters"}
    seen: dict[str, set[int]] = {name: set() for name in declared}

    def ask(method, url, token=None, body=None, kind="application/json", headers=None):
        headers = {**({"Authorization": f"Bearer {token}"} if token else {}), **(headers or {})}
        data = json.dumps(body).encode() if isinstance(body, dict) else body
        answer = client.open(url, method=method, data=data, content_type=kind if data is not None else None,
                             headers=headers)
        if answer.status_code >= 400:
            assert set(answer.json["error"]) >= {"status", "code", "message"}, answer.data
            assert answer.json["error"]["status"] == answer.status_code
        if answer.status_code == 401:
            assert answer.headers["WWW-Authenticate"].startswith("Bearer")
        if answer.status_code == 429:
            assert int(answer.headers["Retry-After"]) >= 1
        return answer

    own = _signed_unstarted("U01")
    rows = matrix(own[0], _signed_unstarted("U02")[0], _november_candidates(db)[:2])
    assert {row[0] for row in rows} == set(declared), "the matrix walks every operation of the document"
    problems = []
    for name, method, url, body, expected in rows:
        for role, status in [*expected.items(), ("revoked", 401), (None, 401)]:
            answer = ask(method, url, tokens.get(role), body)
            seen[name].add(answer.status_code)
            if answer.status_code != status:
                problems.append(f"{role}: {method} {url} answered {answer.status_code}, not {status}: "
                                f"{answer.data[:200]!r}")
    assert not problems, "\n".join(problems)
    _supervision_seen_by_role(ask, tokens)

    big = b"x" * (9 * 1024 * 1024)
    admin = tokens[A]
    for name, method, url, body, kind, status in probes(big):
        answer = ask(method, url, admin, body, kind)
        assert answer.status_code == status, (url, answer.status_code, answer.data[:300])
        seen[name].add(status)
    for name, url in [("GET /api/boards/{period}", "/api/boards/2023-06"), ("GET /api/annual/{year}",
                      "/api/annual/2023"), ("GET /api/events", "/api/events?after=3&limit=3")]:
        tag = ask("GET", url, admin).headers["ETag"]
        assert ask("GET", url, admin, headers={"If-None-Match": tag}).status_code == 304
        seen[name].add(304)

    # another process holding the store's write lock: a write gives up with 409, records nothing
    import core.store.sqlite as store
    monkeypatch.setattr(store, "LOCK_TIMEOUT_S", 0.2)
    size = ask("GET", "/api/audit/head", admin).json["size"]
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        for name, url, body in [("POST /api/commands", "/api/commands", {**OWN_START, "project": own[1]}),
                                ("POST /api/plugins", "/api/plugins", {"plugins": {"annual_amount": {"weight": 33}}})]:
            with ThreadPoolExecutor(1) as fresh:  # a thread of its own opens its connection with the short wait
                answer = fresh.submit(ask, "POST", url, admin, body).result()
            assert answer.status_code == 409 and "locked" in answer.json["error"]["message"], answer.data[:300]
            seen[name].add(409)
    finally:
        holder.rollback()
        holder.close()
    assert ask("GET", "/api/audit/head", admin).json["size"] == size  # nothing half-recorded

    # a verified read of an altered store: 409 naming the position of the altered event; the store restored
    from core.record.state import stream_id
    with sqlite3.connect(db) as conn:
        position, state = conn.execute("SELECT position, state FROM events WHERE stream = ?",
                                       (stream_id("board", "2023-06").hex,)).fetchone()
        conn.execute("UPDATE events SET state = ? WHERE position = ?", (bytes(state) + b" ", position))
    try:
        for name, url in [("GET /api/boards/{period}", "/api/boards/2023-06?verify=true"),
                          ("GET /api/units/{unit}/scores/{period}", "/api/units/U01/scores/2023-06?verify=true"),
                          ("GET /api/supervision/{period}", "/api/supervision/2023-06?verify=true")]:
            answer = ask("GET", url, admin)
            assert answer.status_code == 409 and answer.json["error"]["position"] == position, answer.data[:300]
            assert answer.json["error"]["code"] == "verification_failed"
            seen[name].add(409)
    finally:
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE events SET state = ? WHERE position = ?", (state, position))
    with sqlite3.connect(db) as conn:
        notice, data = conn.execute("SELECT position, data FROM rm_notices LIMIT 1").fetchone()
        conn.execute("UPDATE rm_notices SET data = ? WHERE position = ?",
                     (json.dumps({**json.loads(data), "points": "99.99"}), notice))
        project, amount = conn.execute("SELECT project, signed_amount FROM rm_projects WHERE signed_amount IS NOT "
                                       "NULL LIMIT 1").fetchone()
        conn.execute("UPDATE rm_projects SET signed_amount = '1' WHERE project = ?", (project,))
        closed = conn.execute("SELECT period, position, recorded_at FROM rm_closes WHERE period = '2023'").fetchone()
        conn.execute("DELETE FROM rm_closes WHERE period = '2023'")
    try:
        answer = ask("GET", "/api/annual/2023?verify=true", admin)
        assert answer.status_code == 409 and "is not closed" in answer.json["error"]["message"], answer.data[:300]
        seen["GET /api/annual/{year}"].add(409)
        answer = ask("GET", "/api/people/U01-L001?verify=true", admin)
        assert answer.status_code == 409 and "is not closed" in answer.json["error"]["message"], answer.data[:300]
        seen["GET /api/people/{person}"].add(409)
        answer = ask("GET", "/api/projects?verify=true", admin)
        assert answer.status_code == 409 and "altered or removed" in answer.json["error"]["message"], answer.data[:300]
        seen["GET /api/projects"].add(409)
        answer = ask("GET", "/api/notices?verify=true", admin)
        assert answer.status_code == 409 and answer.json["error"]["position"] == notice, answer.data[:300]
        seen["GET /api/notices"].add(409)
    finally:
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE rm_notices SET data = ? WHERE position = ?", (data, notice))
            conn.execute("UPDATE rm_projects SET signed_amount = ? WHERE project = ?", (amount, project))
            conn.execute("INSERT INTO rm_closes (period, position, recorded_at) VALUES (?, ?, ?)", closed)

    # a token that asks more than its rate: 429 with Retry-After on every operation
    from web.security import RateLimit
    limits = app.extensions["sankao.rate"]
    app.extensions["sankao.rate"] = RateLimit("0.001,1")
    try:
        ask("GET", "/api/units", admin)  # the one request the bucket holds
        first = {}
        for row in rows:
            first.setdefault(row[0], row)
        for name, method, url, body, _ in first.values():
            assert ask(method, url, admin, body).status_code == 429, name
            seen[name].add(429)
    finally:
        app.extensions["sankao.rate"] = limits

    unreached = {name: sorted(declared[name] - seen[name]) for name in declared if declared[name] - seen[name]}
    assert not unreached, f"declared but never answered: {unreached}"
    undeclared = {name: sorted(seen[name] - declared[name]) for name in declared if seen[name] - declared[name]}
    assert not undeclared, f"answered but not declared: {undeclared}"


def _supervision_seen_by_role(ask, tokens):
    """What the rows above recorded of supervision, and what each role is told: a 403 names what it may not record
    (another unit's self-check names that unit); a unit's token sees its own line and its own sampled projects."""
    def refused(role, body):
        answer = ask("POST", "/api/commands", tokens[role], {**body, "at": AT})
        assert answer.status_code == 403, (role, body, answer.data[:300])
        return answer.json["error"]["message"]
    assert "may not record self_check for U02" in refused(U, {"cmd": "self_check", "unit": "U02", "period": "2023-10",
                                                              "date": "2023-11-03"})
    assert "a supervisor's token records " in refused(S, {"cmd": "self_check", "unit": "U01", "period": "2023-10",
                                                         "date": "2023-11-03"})
    assert "(the office's command)" in refused(U, {"cmd": "draw_spot_check", "draw": "SC-U", "period": "2023-11",
                                                   "size": 1, "seed": "x", "date": "2024-01-08"})
    assert "may not record require_self_checks" in refused(S, {"cmd": "require_self_checks", "from": "2024-03"})

    whole = ask("GET", "/api/supervision/2023-11", tokens[A]).json
    assert ask("GET", "/api/supervision/2023-11", tokens[S]).json == whole
    assert ask("GET", "/api/supervision/2023-11", tokens[AU]).json == whole
    draws = {d["draw"]: d for d in whole["draws"]}
    assert sorted(draws) == ["SC-A", "SC-S"]
    assert {x["unit"] for x in draws["SC-S"]["sample"]} > {"U01"}  # U01's projects and others'
    results = {x["project"]: x["result"] for x in draws["SC-S"]["sample"] if x["result"]}
    assert sorted(results.values()) == ["confirmed", "misreported"], results
    lines = {u["unit"]: u for u in whole["units"]}
    assert lines["U01"]["self_check"] == lines["U02"]["self_check"] == "2023-12-04"
    assert len(lines) > 1 and not any(u["listed"] for u in whole["units"])  # U03, U04 listed in January, delisted

    mine = ask("GET", "/api/supervision/2023-11", tokens[U]).json
    assert [u["unit"] for u in mine["units"]] == ["U01"] and mine["units"][0] == lines["U01"]
    assert [d["draw"] for d in mine["draws"]] == ["SC-S", "SC-A"]
    for d in mine["draws"]:
        assert d["sample"] == [x for x in draws[d["draw"]]["sample"] if x["unit"] == "U01"]
        assert {k: v for k, v in d.items() if k != "sample"} == {k: v for k, v in draws[d["draw"]].items()
                                                                 if k != "sample"}
    denied = ask("GET", "/api/supervision/2023-11", tokens[V])
    assert denied.status_code == 403 and "supervision" in denied.json["error"]["message"], denied.data[:300]
