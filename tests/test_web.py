"""The web API (web/): the shared year posted command by command over HTTP answers every query of its README,
on SQLite and PostgreSQL; tokens and roles; one error shape; the OpenAPI document."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from conftest import PEOPLE, SCENARIO
from core.bootstrap import Config, init_store
from test_scenario import contains, scenario_queries



@pytest.fixture
def web(store_url):
    """A test client over a fresh store, and an admin token."""
    from web import create_app
    if not store_url.startswith("postgresql://"):
        init_store(Config(db=store_url)).close()
    app = create_app(Config(db=store_url))
    platform = app.extensions["sankao"]
    token = platform.ledger.issue_token("office", "admin", "test")
    yield app.test_client(), token, platform
    platform.close()


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def url_of(args: list[str]) -> str:
    """The URL of a CLI query of the scenario README (`board P --known-at T --json` ...)."""
    args = [a for a in args if a != "--json"]
    params = {}
    while "--known-at" in args:
        i = args.index("--known-at")
        params["known_at"] = args[i + 1]
        del args[i:i + 2]
    if "--restated" in args:
        args.remove("--restated")
        params["restated"] = "true"
    if "--unit" in args:
        i = args.index("--unit")
        params["unit"] = args[i + 1]
        del args[i:i + 2]
    path = {"board": lambda p: f"/api/boards/{p}", "score": lambda u, p: f"/api/units/{u}/scores/{p}",
            "notices": lambda: "/api/notices", "annual": lambda y: f"/api/annual/{y}"}[args[0]](*args[1:])
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


def post_each(client, token, path):
    for line in path.read_text(encoding="utf-8").splitlines():
        answer = client.post("/api/commands", data=line, content_type="application/json", headers=auth(token))
        assert answer.status_code == 200, (line, answer.json)
        assert answer.json["recorded"] == 1


def test_the_shared_year_posted_command_by_command_answers_every_query(web, store_url, cli):
    client, token, _ = web
    post_each(client, token, SCENARIO / "commands.jsonl")

    def asked_now(answer):  # the moment of asking aside
        return {k: v for k, v in answer.items() if k != "known_at"} if isinstance(answer, dict) else answer
    for name, args in scenario_queries():
        answer = client.get(url_of(args), headers=auth(token))
        assert answer.status_code == 200, (name, answer.json)
        contains(json.loads((SCENARIO / "expected" / name).read_text()), answer.json)
        assert asked_now(answer.json) == asked_now(json.loads(cli(store_url, *args).output)), name  # the CLI's, exactly
    again = client.post("/api/commands", data=(SCENARIO / "commands.jsonl").read_text().splitlines()[5],
                        content_type="application/json", headers=auth(token))
    assert again.json == {"recorded": 0, "skipped": 1, "scoring_behind": 0}  # a retried POST doubles nothing


def test_the_people_year_as_json_lines_answers_its_queries(sqlite_url, web):
    client, token, _ = web
    answer = client.post("/api/commands", data=(PEOPLE / "commands.jsonl").read_text(),
                         content_type="application/x-ndjson", headers=auth(token))
    assert answer.status_code == 200 and answer.json["recorded"] == 992
    for name, query in [("annual-2023.json", "/api/annual/2023"),
                        ("annual-2023-known-2023-07-10.json", "/api/annual/2023?known_at=2023-07-10T12:00:00%2B08:00"),
                        ("annual-2023-known-2023-02-01.json", "/api/annual/2023?known_at=2023-02-01T00:00:00%2B08:00"),
                        ("board-2023-12.json", "/api/boards/2023-12")]:
        got = client.get(query, headers=auth(token))
        assert got.status_code == 200, got.json
        contains(json.loads((PEOPLE / "expected" / name).read_text()), got.json)


def test_reads_say_how_far_behind_the_scoring_worker_is(sqlite_url, monkeypatch):
    """With scoring left to a worker, reads answer from what it scored and say how far behind it is."""
    import time
    from web import create_app
    from web.api import base
    monkeypatch.setattr(base, "LAG_FRESH_S", 0.2)  # a process measures the lag at most every LAG_FRESH_S
    init_store(Config(db=sqlite_url)).close()
    app = create_app(Config(db=sqlite_url, scoring="worker"))
    platform = app.extensions["sankao"]
    client, h = app.test_client(), auth(platform.ledger.issue_token("office", "admin", "test"))
    lines = (SCENARIO / "commands.jsonl").read_text().splitlines()
    posted = client.post("/api/commands", data="\n".join(lines[:40]), content_type="application/x-ndjson", headers=h)
    behind = posted.json["scoring_behind"]
    assert posted.json["recorded"] == 40 and behind >= 40  # and the rules the first command put in force
    board = client.get("/api/boards/2023-01", headers=h)
    assert board.headers["Sankao-Scoring-Behind"] == str(behind) and board.status_code == 404  # nothing scored
    assert f"not scored yet: the scores are {behind} fact(s) behind" in board.json["error"]["message"]
    from core.bootstrap import Platform
    worker = Platform(Config(db=sqlite_url, scoring="worker"), "write")  # `sankao worker`, in short
    worker.scorer.run()
    worker.close()
    time.sleep(0.25)  # past LAG_FRESH_S: the lag measured before is stale
    board = client.get("/api/boards/2023-01", headers=h)
    assert board.status_code == 200 and board.headers["Sankao-Scoring-Behind"] == "0"
    platform.close()


def test_a_defect_answers_500_in_the_one_shape_without_its_traceback(sqlite_url, caplog):
    from web import create_app
    init_store(Config(db=sqlite_url)).close()
    app = create_app(Config(db=sqlite_url))
    app.add_url_rule("/api/defect", "defect", lambda: {"x": 1 / 0})  # a handler with a bug in it
    answer = app.test_client().get("/api/defect")
    assert answer.status_code == 500
    assert answer.json == {"error": {"status": 500, "code": "internal", "message": "unexpected ZeroDivisionError: "
                                     "a defect in Sankao, logged on the server"}}
    assert "Traceback" not in answer.get_data(as_text=True) and "Traceback" in caplog.text  # logged, not sent
    app.extensions["sankao"].close()


def test_roles_tokens_and_one_error_shape(sqlite_url, web):
    client, token, platform = web
    lines = (SCENARIO / "commands.jsonl").read_text().splitlines()
    assert client.post("/api/commands", data="\n".join(lines), content_type="application/x-ndjson",
                       headers=auth(token)).status_code == 200
    unit = platform.ledger.issue_token("u01-desk", "unit:U01", "test")
    viewer = platform.ledger.issue_token("screen", "viewer", "test")
    auditor = platform.ledger.issue_token("audit-office", "auditor", "test")
    planned = [json.loads(x) for x in lines if '"plan_project"' in x]
    signed = {json.loads(x)["project"] for x in lines if '"sign_project"' in x}
    own = next(p["project"] for p in planned if p["unit"] == "U01" and p["project"] in signed)
    other = next(json.loads(x) for x in lines if '"unit": "U02"' in x and '"plan_project"' in x)["project"]

    def status(method, path, who, body=None):
        headers = auth(who) if who else {}
        if method == "GET":
            return client.get(path, headers=headers).status_code
        return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers).status_code

    start = {"cmd": "start_construction", "started_on": "2024-01-02", "at": "2024-01-08T10:00:00+08:00"}
    expected = [  # (method, path, body, {token: status})
        ("GET", "/api/boards/2023-06", None, {token: 200, unit: 200, viewer: 200, auditor: 200, None: 401}),
        ("GET", "/api/units/U01/scores/2023-06", None, {token: 200, unit: 200, viewer: 403, auditor: 200}),
        ("GET", "/api/units/U02/scores/2023-06", None, {unit: 403}),
        ("GET", "/api/notices?unit=U02", None, {unit: 403, viewer: 200}),
        ("GET", "/api/notices", None, {unit: 200}),  # its own
        ("GET", "/api/annual/2023", None, {unit: 200, viewer: 200}),
        ("GET", "/api/events?limit=3", None, {token: 200, auditor: 200, viewer: 403, unit: 403}),
        ("GET", "/api/audit/head", None, {auditor: 200, viewer: 403, unit: 403}),
        ("POST", "/api/commands", {**start, "project": other}, {unit: 403, auditor: 403, viewer: 403}),
        ("POST", "/api/commands", {"cmd": "dispatch", "date": "2024-01-08", "at": "2024-01-08T10:00:00+08:00"},
         {unit: 403}),
    ]
    for method, path, body, cases in expected:
        for who, code in cases.items():
            assert status(method, path, who, body) == code, (method, path, body, who, code)
    head = client.get("/api/audit/head", headers=auth(auditor)).json
    assert status("POST", "/api/commands", unit, {**start, "project": own}) == 200  # its own unit's project
    events = client.get(f"/api/events?after={head['log_size']}&limit=5", headers=auth(token)).json
    assert [(e["type"], e["actor"]) for e in events][:1] == [("ConstructionStarted", "u01-desk")]
    nobodys = client.post("/api/commands", data=json.dumps({**start, "project": "NOPE"}),
                          content_type="application/json", headers=auth(unit))
    assert nobodys.status_code == 422 and "NOPE" in nobodys.json["error"]["message"]  # not 403: nobody planned it
    own_batch = "\n".join(json.dumps(c) for c in [
        {"cmd": "plan_project", "project": "U01-NEW", "unit": "U01", "name": "n", "planned_on": "2024-01-02",
         "at": "2024-01-08T11:00:00+08:00"},
        {"cmd": "sign_project", "project": "U01-NEW", "signed_on": "2024-01-03", "amount": "100",
         "at": "2024-01-08T11:00:00+08:00"}])
    assert client.post("/api/commands", data=own_batch, content_type="application/x-ndjson",
                       headers=auth(unit)).json["recorded"] == 2  # a unit plans and signs in one batch
    platform.ledger.revoke_token("screen", "test")
    assert status("GET", "/api/boards/2023-06", viewer) == 401
    assert client.get("/api/boards/2023-06", headers={"Authorization": "Basic x"}).status_code == 401
    wrong = client.get("/api/boards/2023-13", headers=auth(token))
    assert wrong.status_code == 422 and set(wrong.json["error"]) == {"status", "code", "message"}
    assert "2023-13" in wrong.json["error"]["message"]
    rejected = client.post("/api/commands", data=json.dumps({"cmd": "sign_project", "project": own}),
                           content_type="application/json", headers=auth(token))
    assert rejected.status_code == 422 and "signed_on: is required" in rejected.json["error"]["message"]
    assert client.post("/api/commands", data="x", content_type="text/csv", headers=auth(token)).status_code == 415
    assert client.post("/api/commands", data="x" * (9 * 1024 * 1024), content_type="application/x-ndjson",
                       headers=auth(token)).status_code == 413
    assert client.delete("/api/boards/2023-06", headers=auth(token)).status_code == 405
    assert client.get("/api/nothing", headers=auth(token)).json["error"]["status"] == 404
    events = [e["type"] for e in client.get(f"/api/events?after={head['log_size'] - 5}&limit=1000",
                                            headers=auth(token)).json]
    assert "TokenRevoked" in events


def test_the_openapi_document_lists_every_resource(sqlite_url, web):
    client, _, _ = web
    document = client.get("/api/openapi.json").json
    assert {"/api/commands", "/api/boards/{period}", "/api/units/{unit}/scores/{period}", "/api/notices",
            "/api/annual/{year}", "/api/events", "/api/audit/head"} <= set(document["paths"])
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_the_auditors_tools_over_http_and_etags(sqlite_url, web):
    client, token, platform = web
    client.post("/api/commands", data=(SCENARIO / "commands.jsonl").read_text(), content_type="application/x-ndjson",
                headers=auth(token))
    h = auth(token)
    explained = client.get("/api/units/U03/explain/2023-06", headers=h)
    assert explained.status_code == 200 and all(explained.json["checks"].values())
    assert explained.json["final"] == client.get("/api/units/U03/scores/2023-06", headers=h).json["final"]
    assert client.get("/api/units/U03/history/2023-04", headers=h).json["changes"]
    head = client.get("/api/audit/head", headers=h).json
    proof = client.get("/api/audit/proofs/300", headers=h).json
    from core.tree import merkle
    assert merkle.verify_inclusion(bytes.fromhex(proof["leaf"]), 299, proof["size"],
                                   [bytes.fromhex(p) for p in proof["path"]], bytes.fromhex(head["root"]))
    published = client.get(f"/api/audit/consistency/{head['size']}?root={head['root']}", headers=h).json
    assert published["published_root_matches"] is True
    assert client.get("/api/audit/consistency/10?root=zz", headers=h).status_code == 422
    verdict = client.get("/api/audit/verify", headers=h).json
    assert verdict["ok"] is True and verdict["size"] == head["size"]
    assert [u["unit"] for u in client.get("/api/units", headers=h).json][:2] == ["U01", "U02"]
    plugins = {p["name"]: p for p in client.get("/api/plugins", headers=h).json}
    assert plugins["annual_amount"]["settings"]["weight"] == "30" and plugins["annual_amount"]["since"] == "the start"
    unit = platform.ledger.issue_token("u03-desk", "unit:U03", "test")
    assert client.get("/api/projects", headers=auth(unit)).json[0]["unit"] == "U03"  # its own, unasked
    assert client.get("/api/projects?unit=U01", headers=auth(unit)).status_code == 403
    assert client.get("/api/units/U01/explain/2023-06", headers=auth(unit)).status_code == 403
    assert client.get("/api/audit/verify", headers=auth(unit)).status_code == 403
    assert client.get("/api/plugins", headers=auth(unit)).status_code == 403
    frozen = client.get("/api/boards/2023-06", headers=h)
    again = client.get("/api/boards/2023-06", headers={**h, "If-None-Match": frozen.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    page = client.get("/api/events?after=10&limit=5", headers=h)
    assert client.get("/api/events?after=10&limit=5",
                      headers={**h, "If-None-Match": page.headers["ETag"]}).status_code == 304


def test_rules_put_in_force_and_the_record_exported_over_http(store_url, web, tmp_path):
    import io
    import subprocess
    import sys
    import zipfile
    client, token, platform = web
    h = auth(token)
    client.post("/api/commands", data=(SCENARIO / "commands.jsonl").read_text(), content_type="application/x-ndjson",
                headers=h)
    before = client.get("/api/boards/2023-06?restated=true", headers=h).json["units"]
    change = {"plugins": {"early_warning": {"points": {"orange": 1.25}}, "annual_amount": {"weight": 32.5}},
              "effective": "start"}
    looked = client.post("/api/plugins", json={**change, "dry_run": True}, headers=h)
    assert looked.status_code == 200, looked.json
    assert looked.json["recorded"] is False and looked.json["months"] == "every month ever assessed"
    assert looked.json["changes"] == ["annual_amount.weight: 30 -> 32.5", "early_warning.points: { green = 0, "
                                      "orange = 1, red = 2 } -> { green = 0, orange = 1.25, red = 2 }"]
    # every month of the year is closed: no board moves, what --restated recomputes is listed apart
    assert looked.json["moved"] == [] and {m["period"] for m in looked.json["restated_only"]} >= {"2023-06"}
    assert client.get("/api/boards/2023-06?restated=true", headers=h).json["units"] == before  # nothing recorded
    for role in ("viewer", "auditor", "unit:U01"):
        other = platform.ledger.issue_token(role.replace(":", "-"), role, "test")
        assert client.post("/api/plugins", json=change, headers=auth(other)).status_code == 403
    done = client.post("/api/plugins", json=change, headers=h)
    assert done.status_code == 200 and done.json["recorded"] is True and done.json["scoring_behind"] == 0
    plugins = {p["name"]: p for p in client.get("/api/plugins", headers=h).json}
    assert plugins["early_warning"]["settings"]["points"]["orange"] == "1.25"  # exact: read as a decimal, not a float
    moved = {m["unit"]: m["after"] for m in done.json["restated_only"] if m["period"] == "2023-06"}
    restated = {e["unit"]: e["final"] for e in client.get("/api/boards/2023-06?restated=true", headers=h).json["units"]}
    assert moved and all(restated[u] == final for u, final in moved.items() if final is not None)
    events = client.get("/api/events?after=0&limit=1000", headers=h).json
    while len(events) % 1000 == 0 and events:
        events += client.get(f"/api/events?after={events[-1]['position']}&limit=1000", headers=h).json
    assert [e["actor"] for e in events if e["type"] == "RulesApplied"][-1] == "office"
    again = client.post("/api/plugins", json=change, headers=h).json  # a retry records nothing more
    assert again["recorded"] is False and again["unchanged"] is True
    for body, field in [({"plugins": {"early_warnin": {}}}, "early_warnin"), ({"plugins": {}, "effective": "2023-13-01"},
                        "effective"), ({"plugins": {"early_warning": {"grace_days": -1}}}, "grace_days"),
                        ({"plugins": {}, "when": 1}, "when")]:
        refused = client.post("/api/plugins", json=body, headers=h)
        assert refused.status_code == 422 and field in refused.json["error"]["message"], (body, refused.json)
    assert [e["type"] for e in client.get(f"/api/events?after={events[-1]['position']}", headers=h).json
            ].count("RulesApplied") == 0  # refused bodies recorded nothing

    exported = client.get("/api/audit/export", headers=h)
    assert exported.status_code == 200 and exported.mimetype == "application/zip"
    zipfile.ZipFile(io.BytesIO(exported.data)).extractall(tmp_path)
    folder = next(tmp_path.glob("sankao-audit-*"))
    checked = subprocess.run([sys.executable, str(folder / "verify.py"), str(folder)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert str(client.get("/api/audit/head", headers=h).json["size"]) in folder.name
    early = client.get("/api/audit/export?until=2023-02-01", headers=h)
    assert early.status_code == 200 and len(early.data) < len(exported.data)
    assert client.get("/api/audit/export?until=yesterday", headers=h).json["error"]["message"].startswith("until")
    viewer = platform.ledger.issue_token("wall", "viewer", "test")
    assert client.get("/api/audit/export", headers=auth(viewer)).status_code == 403


def test_the_interactive_docs_need_no_internet(sqlite_url, web):
    client, _, _ = web
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "/api/docs-assets/swagger-ui-bundle.js" in html and "/api/openapi.json" in html
    assert "http://" not in html.replace("http://localhost", "") and "https://" not in html  # no CDN
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        with client.get(f"/api/docs-assets/{asset}") as answer:  # a file streamed: closed after
            assert answer.status_code == 200 and len(answer.get_data()) > 1000
    assert client.get("/api/docs-assets/../../setup.cfg").status_code == 404


def test_serve_names_a_port_in_use(sqlite_url, cli):
    import socket
    import subprocess
    import sys
    from pathlib import Path
    cli(sqlite_url, "init")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([str(Path(sys.executable).parent / "sankao"), "--db", sqlite_url, "serve", "--port",
                                 str(port)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in result.stderr
