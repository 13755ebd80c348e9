"""The web boundary's safety (issue #18): the role matrix over every operation of the OpenAPI document and every
page of the pages blueprint (an operation or a page without a rule in the tables below fails), redirects only
to this site, the safety headers, the session secret kept out of the store, log-out ending every session of a
token, token digests kept out of the API, odd input refused with 4xx, bounded requests and rates, and a
read-only copy served read-only."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import PEOPLE, web_app_with

ROLES = ("admin", "auditor", "viewer", "unit:U01", "unit:U02", "revoked", None)
A, AU, V, U1, U2, R, N = ROLES
LOGGED = (A, AU, V, U1, U2)


@pytest.fixture(scope="module")
def config_home(tmp_path_factory):
    """The session secret's folder of this module (not the user's ~/.config)."""
    home = tmp_path_factory.mktemp("config")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(home))
        patch.delenv("SANKAO_SECRET_KEY", raising=False)
        patch.delenv("SANKAO_RATE", raising=False)
        patch.delenv("SANKAO_READ_ONLY", raising=False)
        yield home


@pytest.fixture(scope="module")
def office(config_home, tmp_path_factory):
    """The people year over the web, a token per role, and a stale session secret in the store's meta table
    (as a store of before kept it): (app, db, tokens)."""
    folder = tmp_path_factory.mktemp("security")
    db = str(folder / "sankao.db")
    app, db = web_app_with(folder, PEOPLE / "commands.jsonl")
    platform = app.extensions["sankao"]
    tokens = {role: platform.ledger.issue_token(role.replace(":", "-"), role, "setup") for role in ROLES[:5]}
    tokens[R] = platform.ledger.issue_token("gone", "admin", "setup")
    yield app, db, tokens
    platform.close()


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def logged_in(app, token: str):
    client = app.test_client()
    answer = client.post("/login", data={"token": token, "csrf_token": csrf_of(client.get("/login").get_data(True))})
    assert answer.status_code == 302, answer.get_data(True)[:300]
    return client


# -- the role matrix ---------------------------------------------------------------------------------------------

def _people_projects(unit: str) -> list[str]:
    lines = [json.loads(x) for x in (PEOPLE / "commands.jsonl").read_text().splitlines()]
    planned = {c["project"] for c in lines if c["cmd"] == "plan_project" and c["unit"] == unit}
    signed = [c["project"] for c in lines if c["cmd"] == "sign_project" and c["project"] in planned]
    started = {c["project"] for c in lines if c["cmd"] in ("start_construction", "withdraw_project")}
    return [p for p in signed if p not in started]


def _start(project: str, ident: str) -> dict:
    return {"cmd": "start_construction", "project": project, "started_on": "2024-01-03",
            "at": "2024-01-09T10:00:00+08:00", "id": ident}


def api_rules() -> dict:
    """``"METHOD /path"`` -> [(url, body, {role: status})]: together the rows of an operation ask every role."""
    no = {R: 401, N: 401}
    everyone = {A: 200, AU: 200, V: 200, U1: 200, U2: 200, **no}
    u01 = {A: 200, AU: 200, V: 403, U1: 200, U2: 403, **no}  # U01's own
    office_only = {A: 200, AU: 200, V: 403, U1: 403, U2: 403, **no}
    own, other = _people_projects("U01"), _people_projects("U02")
    return {
        "POST /api/commands": [
            ("/api/commands", {"cmd": "dispatch", "date": "2024-01-08", "at": "2024-01-08T10:00:00+08:00",
                               "id": "sec-dispatch"}, {A: 200, AU: 403, V: 403, U1: 403, U2: 403, **no}),
            ("/api/commands", _start(own[0], "sec-u01"), {U1: 200, U2: 403, AU: 403, V: 403, **no}),
            ("/api/commands", _start(other[0], "sec-u02"), {U1: 403, U2: 200}),
        ],
        "GET /api/boards/{period}": [("/api/boards/2023-06", None, everyone)],
        "GET /api/units/{unit}/scores/{period}": [("/api/units/U01/scores/2023-06", None, u01)],
        "GET /api/notices": [("/api/notices", None, everyone),
                             ("/api/notices?unit=U01", None, {V: 200, U1: 200, U2: 403})],
        "GET /api/annual/{year}": [("/api/annual/2023", None, everyone)],
        "GET /api/supervision/{period}": [("/api/supervision/2023-06", None,  # a unit's token: its own line
                                           {A: 200, AU: 200, V: 403, U1: 200, U2: 200, **no})],
        "GET /api/events": [("/api/events?limit=5", None, office_only)],
        "GET /api/units": [("/api/units", None, everyone)],
        "GET /api/projects": [("/api/projects", None, {A: 200, AU: 200, V: 403, U1: 200, U2: 200, **no}),
                              ("/api/projects?unit=U01", None, u01)],
        "GET /api/units/{unit}/explain/{period}": [("/api/units/U01/explain/2023-06", None, u01)],
        "GET /api/units/{unit}/history/{period}": [("/api/units/U01/history/2023-06", None, u01)],
        "GET /api/people/{person}": [("/api/people/U01-L001?year=2023", None, u01)],
        "GET /api/audit/head": [("/api/audit/head", None, office_only)],
        "GET /api/audit/proofs/{position}": [("/api/audit/proofs/5", None, office_only)],
        "GET /api/audit/consistency/{old_size}": [("/api/audit/consistency/5", None, office_only)],
        "GET /api/audit/verify": [("/api/audit/verify", None, office_only)],
        "GET /api/audit/export": [("/api/audit/export?until=2023-01-31", None, office_only)],
        "GET /api/plugins": [("/api/plugins", None, office_only)],
        "POST /api/plugins": [("/api/plugins", {"plugins": {"annual_amount": {"weight": 31}}, "dry_run": True},
                               {A: 200, AU: 403, V: 403, U1: 403, U2: 403, **no})],
    }


LOGIN = "login"  # a page that sends whoever has no live session to log in (302 to /login)


def page_rules() -> dict:
    """``(METHOD, rule)`` of every page -> [(url, form or None, {role: status or LOGIN})]. A form is sent with the
    client's CSRF token. Log-out is asked last (it ends every session of the token)."""
    gone = {R: LOGIN, N: LOGIN}
    everyone = {**{role: 200 for role in LOGGED}, **gone}
    u01 = {A: 200, AU: 200, V: 403, U1: 200, U2: 403, **gone}
    free = {role: 200 for role in ROLES}
    nowhere = {"action": "land_project", "project": "NOPE", "day": "2023-06-01"}  # refused: records nothing
    return {
        ("GET", "/login"): [("/login", None, free)],
        ("POST", "/login"): [("/login", {"token": "sk_not-a-token"}, free)],  # the form again, saying why
        ("GET", "/lang/<code>"): [("/lang/zh?next=/annual", None, {role: 302 for role in ROLES})],
        ("GET", "/"): [("/", None, everyone)],
        ("GET", "/boards/<period>.xlsx"): [("/boards/2023-06.xlsx", None, everyone)],
        ("GET", "/units/<unit>"): [("/units/U01?month=2023-06", None, u01)],
        ("GET", "/units/<unit>/explain/<period>"): [("/units/U01/explain/2023-06", None, u01)],
        ("GET", "/notices"): [("/notices", None, everyone),
                              ("/notices?unit=U01", None, {V: 200, U1: 200, U2: 403})],
        ("GET", "/notices/<case>/<int:number>"): [("/notices/U01-2023-1/1", None, {**everyone, U2: 403})],
        ("GET", "/quarterly"): [("/quarterly", None, everyone)],
        ("GET", "/annual"): [("/annual", None, everyone)],
        ("GET", "/annual/<int:year>"): [("/annual/2023", None, everyone)],
        ("GET", "/annual/<int:year>.xlsx"): [("/annual/2023.xlsx", None, everyone)],
        ("GET", "/plugins"): [("/plugins", None, {A: 200, AU: 403, V: 403, U1: 403, U2: 403, **gone})],
        ("GET", "/record"): [("/record", None, {A: 200, AU: 403, V: 403, U1: 200, U2: 200, **gone})],
        ("POST", "/record"): [("/record", nowhere, {A: 200, AU: 403, V: 403, U1: 200, U2: 200, **gone})],
        ("GET", "/static/<path:filename>"): [("/static/sankao.css", None, free)],
        ("POST", "/logout"): [("/logout", {}, {role: LOGIN for role in ROLES})],
    }


def test_every_operation_and_every_page_with_every_role(office):
    app, _, tokens = office
    platform = app.extensions["sankao"]
    document = app.test_client().get("/api/openapi.json").json
    operations = {f"{method.upper()} {path}" for path, ops in document["paths"].items() for method in ops
                  if method != "parameters"}
    pages = {(method, rule.rule) for rule in app.url_map.iter_rules() if rule.endpoint.startswith("pages.")
             for method in rule.methods - {"HEAD", "OPTIONS"}}
    apis, views = api_rules(), page_rules()
    assert sorted(operations - set(apis)) == [], "operations of the document with no rule in api_rules()"
    assert sorted(pages - set(views), key=str) == [], "pages with no rule in page_rules()"
    assert sorted(set(apis) - operations) == [] and sorted(set(views) - pages, key=str) == [], "rules of nothing"
    for name, rows in [*apis.items(), *views.items()]:
        asked = {role for _, _, expected in rows for role in expected}
        assert asked == set(ROLES), f"{name}: no rule for {sorted(map(str, set(ROLES) - asked))}"

    clients = {role: logged_in(app, tokens[role]) for role in [*LOGGED, R]}
    clients[N] = app.test_client()
    platform.ledger.revoke_token("gone", "setup")  # a session begun with it, and the token itself, end here
    problems = []
    api = app.test_client()
    for name, rows in apis.items():
        method = name.split()[0]
        for url, body, expected in rows:
            for role, status in expected.items():
                headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
                answer = api.open(url, method=method, json=body, headers=headers)
                if answer.status_code != status:
                    problems.append(f"{role}: {name} {url} answered {answer.status_code}, not {status}: "
                                    f"{answer.data[:200]!r}")
    order = sorted(views.items(), key=lambda item: item[0][1] == "/logout")  # log-out last
    for (method, _), rows in order:
        for url, form, expected in rows:
            for role, status in expected.items():
                client = clients[role]
                data = None
                if form is not None:
                    data = {**form, "csrf_token": csrf_of(client.get("/login").get_data(True))}
                with client.open(url, method=method, data=data) as answer:  # a file streamed: closed after
                    got = answer.status_code
                    where = answer.headers.get("Location", "")
                ok = got == 302 and where.startswith("/login") if status == LOGIN else got == status
                if not ok:
                    problems.append(f"{role}: {method} {url} answered {got} {where}, not {status}")
    assert not problems, "\n".join(problems)


# -- 1. redirects only to this site -------------------------------------------------------------------------------

NOT_HERE = ["/%09/evil.example", "/%0d/evil.example", "/%0a/evil.example", "//evil.example", "/\\evil.example",
            "/%5Cevil.example", "https://evil.example/", "javascript:alert(1)", "/%00/evil.example",
            "/%E2%80%A8/evil.example", "/%C2%A0/evil.example", "%2F%2Fevil.example", "/%20/evil.example"]


@pytest.mark.parametrize("target", NOT_HERE)
def test_next_sends_nowhere_but_this_site(office, target):
    app, _, tokens = office
    client = app.test_client()
    answer = client.get(f"/lang/en?next={target}")
    assert answer.status_code == 302 and answer.headers["Location"] == "/", answer.headers.get("Location")
    page = client.get(f"/login?next={target}").get_data(True)
    answer = client.post(f"/login?next={target}", data={"token": tokens[V], "csrf_token": csrf_of(page)})
    assert answer.status_code == 302 and answer.headers["Location"] == "/", answer.headers.get("Location")


def test_next_keeps_a_path_of_this_site(office):
    app, _, _ = office
    answer = app.test_client().get("/lang/en?next=/units/U01%3Fmonth%3D2023-06")
    assert answer.headers["Location"] == "/units/U01?month=2023-06"


# -- 2. headers -----------------------------------------------------------------------------------------------------

def _safety(answer) -> None:
    headers = answer.headers
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "no-referrer")
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy and "http" not in policy
    assert "*" not in policy


def test_every_answer_carries_the_safety_headers(office):
    app, _, tokens = office
    admin = logged_in(app, tokens[A])
    bearer = {"Authorization": f"Bearer {tokens[A]}"}
    api = app.test_client()
    for answer in [admin.get("/"), admin.get("/units/U01"), admin.get("/boards/2023-06.xlsx"),
                   admin.get("/annual/2023.xlsx"), admin.get("/nowhere"), api.get("/login"),
                   api.get("/api/units", headers=bearer), api.get("/api/audit/export", headers=bearer),
                   api.get("/api/units"), api.get("/api/openapi.json"), admin.get("/lang/en")]:
        _safety(answer)
        assert answer.headers["Cache-Control"] == "no-store", (answer.request.path, answer.headers)
    page = admin.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in page and "default-src 'self'" in page and "object-src 'none'" in page
    assert api.get("/api/units", headers=bearer).headers["Content-Security-Policy"].startswith("default-src 'none'")
    with api.get("/static/sankao.css") as static:
        _safety(static)
        assert "no-store" not in static.headers.get("Cache-Control", "")
    # an answer with an ETag is kept by the client and asked again each time: its 304 stays usable
    board = api.get("/api/boards/2023-06", headers=bearer)
    assert board.headers["Cache-Control"] == "private, no-cache"
    again = api.get("/api/boards/2023-06", headers={**bearer, "If-None-Match": board.headers["ETag"]})
    assert again.status_code == 304 and again.headers["Cache-Control"] == "private, no-cache"
    refused = api.get("/api/units", headers={"Authorization": "Bearer sk_nothing"})
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert api.get("/api/units").headers["WWW-Authenticate"].startswith("Bearer")


def test_no_page_runs_inline_script_or_style(office):
    """Every page of the matrix: no inline handler, no style attribute, no script without src or nonce."""
    app, _, tokens = office
    admin = logged_in(app, tokens[A])
    for url in ["/", "/units/U01?month=2023-06", "/units/U01/explain/2023-06", "/notices", "/notices/U01-2023-1/1",
                "/quarterly", "/annual/2023", "/plugins", "/record", "/login", "/nowhere", "/api/docs"]:
        answer = admin.get(url)
        html = answer.get_data(True)
        nonce = re.search(r"'nonce-([^']+)'", answer.headers["Content-Security-Policy"])
        assert not re.search(r"\son[a-z]+\s*=", html), url
        assert " style=" not in html and "<style" not in html, url
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or (nonce and f'nonce="{nonce.group(1)}"' in tag), (url, tag)
        assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in html


def test_the_interactive_docs_work_under_the_policy(office):
    """/api/docs in a real browser: Swagger UI (served from the package) shows every operation, and the browser
    reports no refusal of the Content-Security-Policy."""
    from test_browser import CHROMIUM
    if not CHROMIUM:
        pytest.skip("no chromium to drive: apt-get install chromium")
    pytest.importorskip("playwright.sync_api")
    import threading

    import waitress
    app, _, _ = office
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=2)
    threading.Thread(target=server.run, daemon=True).start()
    driven = """
import json, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as driver:
    browser = driver.chromium.launch(executable_path=sys.argv[1], args=["--no-sandbox"])
    page = browser.new_page()
    said = []
    page.on("console", lambda message: said.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: said.append(f"error: {error}"))
    page.goto(sys.argv[2])
    page.wait_for_selector(".opblock", timeout=20000)
    operations = page.locator(".opblock").count()
    page.locator(".opblock-summary").first.click()
    page.wait_for_selector(".try-out__btn", timeout=10000)
    browser.close()
print(json.dumps({"operations": operations, "said": said}))
"""
    try:  # in a process of its own: pytest-playwright's event loop, once started in this one, forbids the sync API
        import subprocess
        import sys
        done = subprocess.run([sys.executable, "-c", driven, CHROMIUM,
                               f"http://127.0.0.1:{server.effective_port}/api/docs"],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        seen = json.loads(done.stdout.splitlines()[-1])
        operations, said = seen["operations"], seen["said"]
    finally:
        server.close()
    document = app.test_client().get("/api/openapi.json").json
    assert operations == sum(len([m for m in ops if m != "parameters"]) for ops in document["paths"].values())
    assert not [line for line in said if "Content Security Policy" in line or line.startswith("error")], said


# -- 3. the session secret, sessions, digests -----------------------------------------------------------------------

def _forged(app_secret: str, digest: str, real_app) -> str:
    """A session cookie holding ``digest``, signed with ``app_secret`` as Flask signs one."""
    from flask import Flask
    forger = Flask("forger")
    forger.config.update(SECRET_KEY=app_secret)
    serializer = real_app.session_interface.get_signing_serializer(forger)
    return serializer.dumps({"token": digest, "since": 10 ** 18, "lang": "zh"})


def test_the_secret_is_not_the_stores_and_a_copy_of_the_store_forges_nothing(config_home, tmp_path):
    from core.record.access import digest
    from web import create_app
    app, db = web_app_with(tmp_path, PEOPLE / "commands.jsonl")
    admin = app.extensions["sankao"].ledger.issue_token("boss", "admin", "setup")
    app.extensions["sankao"].close()
    with sqlite3.connect(db) as conn:  # a store of before kept its secret here: it must be ignored
        conn.execute("INSERT INTO meta (key, value) VALUES ('session_secret', 'stale-secret-of-the-store') "
                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    from core.bootstrap import Config
    app = create_app(Config(db=db))
    try:
        secret = app.config["SECRET_KEY"]
        assert secret != "stale-secret-of-the-store"
        path = config_home / "sankao" / "secret"
        assert path.read_text().strip() == secret and (path.stat().st_mode & 0o777) == 0o600
        with open(db, "rb") as handle:
            assert secret.encode() not in handle.read()  # nor anywhere in the store
        client = app.test_client()
        client.set_cookie("sankao_session", _forged("stale-secret-of-the-store", digest(admin), app))
        assert client.get("/").status_code == 302  # whoever holds a copy of the store cannot log in with it
        client.set_cookie("sankao_session", _forged(secret, digest(admin), app))
        assert client.get("/").status_code == 200  # (the forger needs this machine's secret)
        second = create_app(Config(db=db))  # another web process of this machine shares the secret
        assert second.config["SECRET_KEY"] == secret
        second.extensions["sankao"].close()
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SANKAO_SECRET_KEY", "x" * 40)
            third = create_app(Config(db=db))
            assert third.config["SECRET_KEY"] == "x" * 40
            third.extensions["sankao"].close()
    finally:
        app.extensions["sankao"].close()


def test_logging_out_ends_every_session_of_the_token(office):
    app, _, _ = office
    platform = app.extensions["sankao"]
    token = platform.ledger.issue_token("leaving", "viewer", "setup")
    first, second = logged_in(app, token), logged_in(app, token)
    copied = app.test_client()
    copied.set_cookie("sankao_session", first.get_cookie("sankao_session").value)
    assert copied.get("/").status_code == 200
    page = first.get("/").get_data(True)
    assert first.post("/logout", data={"csrf_token": csrf_of(page)}).status_code == 302
    for client in (first, second, copied):
        assert client.get("/").status_code == 302, "a session of the token survived its log-out"
    assert logged_in(app, token).get("/").status_code == 200  # a new log-in is good
    # another process over the same store knows it too (kept beside the log, not in this process)
    from core.bootstrap import Config
    from web import create_app
    other = create_app(Config(db=platform.config.db))
    try:
        again = other.test_client()
        again.set_cookie("sankao_session", copied.get_cookie("sankao_session").value
                         if copied.get_cookie("sankao_session") else first.get_cookie("sankao_session").value)
        assert again.get("/").status_code == 302
    finally:
        other.extensions["sankao"].close()


def test_a_revoked_token_ends_its_sessions_and_its_api_access(office):
    app, _, _ = office
    platform = app.extensions["sankao"]
    token = platform.ledger.issue_token("revoked-soon", "admin", "setup")
    client = logged_in(app, token)
    assert client.get("/plugins").status_code == 200
    platform.ledger.revoke_token("revoked-soon", "setup")
    assert client.get("/plugins").status_code == 302
    assert app.test_client().get("/api/units", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_no_token_digest_leaves_through_the_api(office):
    app, _, tokens = office
    from core.record.access import digest
    bearer = {"Authorization": f"Bearer {tokens[A]}"}
    client = app.test_client()
    rows, after = [], 0
    while True:
        page = client.get(f"/api/events?after={after}&limit=1000", headers=bearer).json
        if not page:
            break
        rows += page
        after = page[-1]["position"]
    issued = [row for row in rows if row["type"] == "TokenIssued"]
    assert issued and all(set(row["data"]) == {"name", "role"} for row in issued), issued[:2]
    text = json.dumps(rows)
    assert not any(digest(token) in text for token in tokens.values())
    # nor through the audit bundle's zip: its TokenIssued events come redacted, with their leaf hashes
    import io
    import zipfile
    for who in (A, AU):
        exported = client.get("/api/audit/export", headers={"Authorization": f"Bearer {tokens[who]}"})
        assert exported.status_code == 200
        with zipfile.ZipFile(io.BytesIO(exported.data)) as archive:
            files = {name: archive.read(name) for name in archive.namelist()}
        assert not any(digest(token).encode() in data for token in tokens.values() for data in files.values())
        lines = [json.loads(line) for name, data in files.items() if name.endswith("/events.jsonl")
                 for line in data.splitlines()]
        redacted = [e for e in lines if e["type"].endswith(":TokenIssued")]
        assert len(redacted) == len(issued) and all(e["redacted"] == ["digest"] for e in redacted)


# -- 4. odd input: 4xx naming it, never 500, never stored otherwise ---------------------------------------------------

AT = "2024-01-09T10:00:00+08:00"
JS, ND = "application/json", "application/x-ndjson"


def _unit(name, unit="UX") -> dict:
    return {"cmd": "register_unit", "unit": unit, "name": name, "category": "park", "at": AT}


ODD = [  # (url, body bytes, content type, status, words the message holds)
    ("/api/commands", json.dumps(_unit("\ud800")).encode(), JS, 422, "lone surrogate"),
    ("/api/commands", json.dumps(_unit("a\udfffb")).encode() + b"\n", ND, 422, "line 1:"),
    ("/api/commands", b'{"cmd": "dispatch", "date": "2024-01-08", "n": ' + b"9" * 5000 + b"}", JS, 422,
     "5000 digits"),
    ("/api/commands", b"[" * 100000 + b"]" * 100000, JS, 422, "nested"),
    ("/api/commands", b'{"cmd": "register_unit", "unit": "UY", "name": "a\xffb", "category": "park"}', JS, 400,
     "not UTF-8: byte 0xff"),
    ("/api/commands", b'{"cmd": "dispatch", "cmd": "dispatch"}', JS, 422, "cmd"),
    ("/api/plugins", b'{"plugins": ' + b"[" * 100000 + b"]" * 100000 + b"}", JS, 422, "nested"),
    ("/api/plugins", b'{"plugins": {"annual_amount": {"weight": 30, "weight": 31}}, "dry_run": true}', JS, 422,
     "'weight' is given twice"),
    ("/api/plugins", b'{"plugins": {}, "plugins": {}, "dry_run": true}', JS, 422, "'plugins' is given twice"),
    ("/api/plugins", b'{"plugins": {"annual_amount": {"weight": 1e400}}, "dry_run": true}', JS, 422,
     "plugins.annual_amount.weight: 1E+400 is not a finite decimal"),
    ("/api/plugins", b'{"plugins": {"annual_amount": {"weight": -1e400}}, "dry_run": true}', JS, 422, "finite"),
    ("/api/plugins", b'{"plugins": {"annual_amount": {"weight": 1e-400}}, "dry_run": true}', JS, 422, "decimals"),
    ("/api/plugins", b'{"plugins": {"annual_amount": {"weight": ' + b"9" * 5000 + b"}}}", JS, 422, "4300"),
    ("/api/plugins", b'{"plugins": {"annual_amount": {"weight": NaN}}}', JS, 422, "NaN"),
    ("/api/plugins", b'{"plugins": {"annual_\xffamount": {"weight": 3}}}', JS, 400, "not UTF-8"),
    ("/api/plugins", b'{"plugins": {"annual_amount\\ud800": {"weight": 3}}}', JS, 422, "lone surrogate"),
    ("/api/plugins", b'{"plugins": ', JS, 400, "not JSON"),
]


@pytest.mark.parametrize("url, body, kind, status, words", ODD, ids=[f"{n}" for n in range(len(ODD))])
def test_odd_input_is_refused_naming_it(office, caplog, url, body, kind, status, words):
    app, _, tokens = office
    size = app.extensions["sankao"].app.recorder.max_notification_id()
    answer = app.test_client().post(url, data=body, content_type=kind,
                                    headers={"Authorization": f"Bearer {tokens[A]}"})
    assert answer.status_code == status, answer.data[:300]
    assert words in answer.json["error"]["message"], answer.json
    assert "Traceback" not in caplog.text
    assert app.extensions["sankao"].app.recorder.max_notification_id() == size  # nothing recorded


def test_json_lines_split_on_line_feeds_alone(office):
    """U+2028, U+2029, U+0085 and the other characters str.splitlines breaks on stay inside their string."""
    app, _, tokens = office
    name = "North\u2028Park\u0085East\u2029\x1c\x0b\x0c"
    lines = [json.dumps(_unit(name, "UL"), ensure_ascii=False), json.dumps(_unit("Second", "UM"))]
    answer = app.test_client().post("/api/commands", data="\r\n".join(lines).encode("utf-8"), content_type=ND,
                                    headers={"Authorization": f"Bearer {tokens[A]}"})
    assert answer.status_code == 200 and answer.json["recorded"] == 2, answer.json
    assert app.extensions["sankao"].queries.names()["UL"] == name


def test_the_document_says_the_one_error_shape_for_every_error(office):
    app, _, _ = office
    document = app.test_client().get("/api/openapi.json").json
    assert "Error" not in document["components"]["schemas"]  # flask-smorest's own shape, never sent
    problem = "#/components/schemas/Problem"
    responses = document["components"].get("responses", {})
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            codes = operation["responses"]
            assert {"401", "429", "default"} <= set(codes), (method, path)
            for code, answer in codes.items():
                if code.startswith("2") or code == "304":
                    continue
                answer = responses[answer["$ref"].rsplit("/", 1)[1]] if "$ref" in answer else answer
                assert answer["content"]["application/json"]["schema"]["$ref"] == problem, (method, path, code)
            assert "WWW-Authenticate" in codes["401"]["headers"] and "Retry-After" in codes["429"]["headers"]
            if method == "post":
                assert {"400", "403", "409", "413", "415", "422"} <= set(codes), path


# -- 5. bounded requests, bounded rates -------------------------------------------------------------------------------

def test_a_units_request_is_bounded_and_an_admins_is_recorded_in_turns(office, monkeypatch):
    from web.api import commands as routes
    app, _, tokens = office
    platform = app.extensions["sankao"]
    size = platform.app.recorder.max_notification_id()
    lines = "\n".join(json.dumps({**_start("P9999", f"many-{n}")}) for n in range(routes.UNIT_MAX_LINES + 1))
    answer = app.test_client().post("/api/commands", data=lines, content_type=ND,
                                    headers={"Authorization": f"Bearer {tokens[U1]}"})
    assert answer.status_code == 413 and str(routes.UNIT_MAX_LINES) in answer.json["error"]["message"]
    assert platform.app.recorder.max_notification_id() == size
    # an administrator's many lines are recorded CHUNK at a time, the process's turn given up between
    lock = app.extensions["sankao.lock"]
    held, load = [], platform.ledger.load

    def load_in_turn(chunk, *args, **kwargs):
        held.append((len(chunk), lock._is_owned()))
        return load(chunk, *args, **kwargs)
    monkeypatch.setattr(platform.ledger, "load", load_in_turn)
    monkeypatch.setattr(routes, "CHUNK", 3)
    many = "\n".join(json.dumps({"cmd": "dispatch", "date": "2024-01-08", "at": AT, "id": f"turns-{n}"})
                     for n in range(8))
    answer = app.test_client().post("/api/commands", data=many, content_type=ND,
                                    headers={"Authorization": f"Bearer {tokens[A]}"})
    assert answer.status_code == 200 and answer.json["recorded"] + answer.json["skipped"] == 8, answer.json
    assert held == [(3, True), (3, True), (2, True)]


def test_a_token_that_asks_too_often_waits(office, monkeypatch):
    from core.errors import ConfigError
    from web.security import RateLimit
    app, _, tokens = office
    monkeypatch.setitem(app.extensions, "sankao.rate", RateLimit("0.5,3"))
    bearer = {"Authorization": f"Bearer {tokens[AU]}"}
    client = app.test_client()
    assert [client.get("/api/units", headers=bearer).status_code for _ in range(3)] == [200] * 3
    refused = client.get("/api/units", headers=bearer)
    assert refused.status_code == 429 and 1 <= int(refused.headers["Retry-After"]) <= 2
    assert refused.json["error"]["code"] == "too_many_requests"
    other = client.get("/api/units", headers={"Authorization": f"Bearer {tokens[V]}"})
    assert other.status_code == 200  # a bucket per token
    page = logged_in(app, tokens[AU])
    statuses = [page.get("/quarterly").status_code for _ in range(4)]
    assert 429 in statuses and page.get("/quarterly").headers["Retry-After"]
    for setting in ("fast", "0,1", "-1", "1,0", "nan,3"):
        with pytest.raises(ConfigError):
            RateLimit(setting)
    assert RateLimit("off").wait("x") == 0 and RateLimit(None).rate == 100


# -- 6. a read-only copy --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["not writable", "read_only"])
def test_a_read_only_copy_is_served_read_only(office, tmp_path, monkeypatch, how):
    """An auditor's copy: a file this process may not write (tests run as root, who may write anything: the
    permission is what core.store.sqlite.writable says), or one served with --read-only. Pages and queries
    answer; commands, rules and the form are refused, saying the store is read-only; the file is unchanged."""
    from core.bootstrap import Config
    from web import create_app
    app, db, tokens = office
    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    monkeypatch.setenv("SANKAO_SECRET_KEY", "an auditor's secret, 32 characters")
    if how == "not writable":
        import core.store.sqlite
        monkeypatch.setattr(core.store.sqlite, "writable", lambda path: False)
        served = create_app(Config(db=str(copy)))
    else:
        served = create_app(Config(db=str(copy)), read_only=True)
    try:
        bearer = {"Authorization": f"Bearer {tokens[A]}"}
        client = served.test_client()
        assert client.get("/api/boards/2023-06", headers=bearer).status_code == 200
        refused = client.post("/api/commands", json={"cmd": "dispatch", "date": "2024-01-08", "at": AT},
                              headers=bearer)
        assert refused.status_code == 403 and refused.json["error"]["code"] == "read_only"
        assert "read-only" in refused.json["error"]["message"]
        rules = {"plugins": {"annual_amount": {"weight": 31}}}
        assert client.post("/api/plugins", json=rules, headers=bearer).status_code == 403
        assert client.post("/api/plugins", json={**rules, "dry_run": True}, headers=bearer).status_code == 200
        admin = logged_in(served, tokens[A])
        assert admin.get("/").status_code == 200 and admin.get("/units/U01").status_code == 200
        assert admin.get("/record").status_code == 403 and "只读" in admin.get("/record").get_data(True)
        page = admin.get("/").get_data(True)
        assert admin.post("/logout", data={"csrf_token": csrf_of(page)}).status_code == 302
    finally:
        served.extensions["sankao"].close()
    for suffix in ("-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == before


def test_serve_takes_read_only():
    from click.testing import CliRunner

    from cli import main
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0 and "--read-only" in result.output
