"""Letters delivered where people are (docs/delivery.md): jobs made in the transaction of their consequence,
sent by real SMTP and HTTP to real receivers on this machine, each receipt recorded once."""

from __future__ import annotations

import time

import pytest

from core.model import DeliveryFailed, Outgoing, Receipt
from core.outbox.channels import Channels
from core.outbox.contacts import Contacts
from core.outbox.deliverer import Deliverer, Policy
from core.outbox.status import Status
from core.samples import folder
from delivery_servers import Hooks, Smtp, free_port
from events import DELIVERY_TOPICS
from web.letters import Renderer

YEAR = folder("year2023") / "commands.jsonl"
UNITS = [f"U0{i}" for i in range(1, 9)]
ALL_KINDS = ["letter", "sheet", "result", "accountability", "self_check"]


def consequences_with_jobs(platform) -> int:
    """How many jobs the year's consequences must make: one per letter or sheet, one per unit of a frozen board,
    one more per accountability decision."""
    from events import assessment as out
    count = 0
    for n in platform.app.recorder.select_notifications(start=1, limit=10 ** 9):
        event = platform.app.mapper.to_domain_event(n)
        if isinstance(event, out.NoticeIssued):
            count += 1
        elif isinstance(event, out.BoardFrozen):
            count += len(event.entries) + sum(1 for e in event.entries if e.get("accountability"))
    return count


@pytest.fixture
def year(cli, make_platform):
    def load(url):
        cli(url, "load", str(YEAR))
        return make_platform(url)
    return load


def deliverer(platform, smtp=None, policy=None, **settings):
    env = {"SANKAO_SMTP": smtp.url} if smtp else {}
    env.update(settings)
    return Deliverer(platform, Channels(env), Renderer(platform), policy or Policy(backoff=0.01, backoff_max=0.05))


def receipts(platform) -> list:
    return [platform.app.mapper.to_domain_event(n) for n in platform.app.recorder.select_notifications(
        start=1, limit=10 ** 9, topics=DELIVERY_TOPICS)]


def test_every_job_is_made_with_its_consequence(year, sqlite_url):
    platform = year(sqlite_url)
    jobs = Status(platform.app).jobs(limit=None)
    assert len(jobs) == consequences_with_jobs(platform) == 126
    assert {j["kind"] for j in jobs} == {"letter", "sheet", "result", "accountability"}
    assert all(j["state"] == "pending" for j in jobs)


def test_every_letter_of_the_year_is_delivered_once_per_key(year, store_url, cli):
    """The shared year: every job to an e-mail and a signed webhook per unit, then nothing more to send."""
    platform = year(store_url)
    contacts = Contacts(platform.app.recorder)
    with Smtp() as smtp, Hooks(secret="s3cret") as hooks:
        for unit in UNITS:
            contacts.set(unit, "head", [("email", f"head@{unit.lower()}.example", None)], ALL_KINDS, "zh")
            contacts.set(unit, "liaison", [("webhook", hooks.url, "s3cret")], ALL_KINDS, "en")
        counts = deliverer(platform, smtp).run_once()
        assert counts.jobs == 126 and counts.failed == counts.dead == 0
        again = deliverer(platform, smtp).run_once()
        assert again.jobs == 0
        mail_keys = [m["key"] for m in smtp.received]
        hook_keys = [h["key"] for h in hooks.received]
    assert len(mail_keys) == len(set(mail_keys)) == 126 and len(hook_keys) == len(set(hook_keys)) == 126
    assert not hooks.refused
    assert all(m["message_id"] == f"<{m['key']}@sankao>" for m in smtp.received)
    recorded = receipts(platform)
    assert sorted(r.key for r in recorded) == sorted(mail_keys + hook_keys)
    assert {r.role for r in recorded} == {"head", "liaison"}
    assert Status(platform.app).counts() == {"pending": 0, "failing": 0, "delivered": 126, "dead": 0, "skipped": 0}
    red = next(m for m in smtp.received if m["subject"].startswith("【红色督办函】"))
    assert red["subject"] == "【红色督办函】Unit U01 · 2023-02-06"
    html = red["mail"].get_body(("html",)).get_content()
    assert "红色督办函" in html and "U01-2023-1" in html and "<style>" in html
    assert "红色督办函" in red["mail"].get_body(("plain",)).get_content()
    cli(store_url, "audit", "verify")


def test_receiver_down_for_a_while_then_everything_arrives(year, sqlite_url):
    platform = year(sqlite_url)
    port = free_port()
    for unit in UNITS:
        Contacts(platform.app.recorder).set(unit, "head", [("webhook", f"http://127.0.0.1:{port}/hook", None)],
                                            ALL_KINDS, "zh")
    down = deliverer(platform).run_once()
    assert down.jobs == 126 and down.failed == 126 and down.delivered == 0
    assert all(j["state"] == "failing" and "Connection" in j["error"] for j in Status(platform.app).jobs())
    with Hooks(port=port) as hooks:
        time.sleep(0.1)  # past the backoff
        up = deliverer(platform).run_once()
    assert up.delivered == 126 and len({h["key"] for h in hooks.received}) == 126 == len(hooks.received)
    assert all(r.attempts == 2 for r in receipts(platform))


def test_smtp_4xx_is_tried_again_and_5xx_goes_to_the_dead_letters(year, sqlite_url, cli):
    platform = year(sqlite_url)
    contacts = Contacts(platform.app.recorder)
    contacts.set("U01", "head", [("email", "busy@u01.example", None)], ALL_KINDS, "zh")
    contacts.set("U02", "head", [("email", "nobody@u02.example", None)], ALL_KINDS, "zh")
    busy = {"left": 3}

    def answer(rcpts):
        if rcpts == ["nobody@u02.example"]:
            return "550 5.1.1 No such user"
        if busy["left"]:
            busy["left"] -= 1
            return "451 4.3.0 Try again later"
        return None
    with Smtp() as smtp:
        smtp.answer = answer
        d = deliverer(platform, smtp)
        keys = lambda unit: {j["key"] for j in Status(platform.app).jobs(unit)}  # noqa: E731
        d.run_once()
        jobs = {j["key"]: j for j in Status(platform.app).jobs()}
        assert all(jobs[k]["state"] == "dead" and "550" in jobs[k]["error"] for k in keys("U02"))
        assert sum(1 for k in keys("U01") if jobs[k]["state"] == "failing" and "451" in jobs[k]["error"]) == 3
        for _ in range(5):
            time.sleep(0.06)
            d.run_once()
    jobs = {j["key"]: j for j in Status(platform.app).jobs()}
    assert all(jobs[k]["state"] == "delivered" for k in keys("U01"))
    assert len(smtp.received) == len(keys("U01"))
    import json
    listed = json.loads(cli(sqlite_url, "deliveries", "--failed", "--json").output)["jobs"]
    assert {j["unit"] for j in listed} == set(UNITS) - {"U01"}  # U03…U08 have no contact: failing, named
    assert all("SMTP 550" in j["error"] and "No such user" in j["error"] for j in listed if j["unit"] == "U02")
    cli(sqlite_url, "deliveries", "--retry-dead")
    assert all(j["state"] == "pending" for j in Status(platform.app).jobs("U02"))


def test_a_failing_job_goes_dead_a_day_after_its_first_attempt(year, sqlite_url):
    platform = year(sqlite_url)
    start = time.time() + 1
    now = [start]
    d = Deliverer(platform, Channels({}), Renderer(platform), Policy(backoff=60, backoff_max=3600),
                  clock=lambda: now[0])
    d.run_once()  # nobody to send to: every job fails for now
    assert Status(platform.app).counts()["failing"] == 126
    for hours in range(1, 26):
        now[0] = start + hours * 3600
        d.run_once()
    jobs = Status(platform.app).jobs()
    assert all(j["state"] == "dead" and "no contact" in j["error"] for j in jobs)
    assert all(j["attempts"] > 5 for j in jobs)  # backed off: 60 s, 120 s, … at most an hour apart


def test_a_refusing_webhook_is_dead_at_once_and_a_wrong_signature_is_refused(year, sqlite_url):
    platform = year(sqlite_url)
    with Hooks(secret="right") as hooks:
        Contacts(platform.app.recorder).set("U01", "head", [("webhook", hooks.url, "wrong")], ALL_KINDS, "zh")
        deliverer(platform).run_once()
    u01 = Status(platform.app).jobs("U01")
    assert hooks.refused and not hooks.received
    assert all(j["state"] == "dead" and "HTTP 401" in j["error"] for j in u01)


def test_sankao_deliver_notice_a_third_party_channel(year, sqlite_url):
    """A channel plugin of one's own (``sankao.channels``; here handed in directly): it gets each message with
    its key, and what it answers is the receipt."""
    from core.hookspecs import hookimpl
    platform = year(sqlite_url)

    class Pager:
        name = "pager"
        got: list = []

        def __init__(self, settings):
            self.settings = settings

        @hookimpl
        def sankao_deliver_notice(self, channel, message, address, secret):
            if channel != self.name:
                return None
            if message.kind == "sheet":
                raise DeliveryFailed("pager refuses sheets", permanent=True)
            self.got.append((address, message))
            return Receipt(f"paged {address}")
    Contacts(platform.app.recorder).set("U08", "head", [("pager", "+86-100", None)], ALL_KINDS, "zh")
    d = Deliverer(platform, Channels({}, extra=[Pager({})]), Renderer(platform), Policy())
    d.run_once()
    jobs = Status(platform.app).jobs("U08")
    assert {j["state"] for j in jobs if j["kind"] == "sheet"} == {"dead"}
    assert all(j["state"] == "delivered" for j in jobs if j["kind"] != "sheet")
    assert all(isinstance(m, Outgoing) and m.key.startswith(m.data["key"][:8]) for _, m in Pager.got)
    assert {r.answer for r in receipts(platform)} == {"paged <address>"}  # its answer, the address left out


def test_contacts_never_reach_the_log_an_export_or_a_bundle(year, sqlite_url, cli, tmp_path):
    platform = year(sqlite_url)
    with Smtp() as smtp:
        Contacts(platform.app.recorder).set("U01", "head", [("email", "secret.person@u01.example", None)],
                                            ALL_KINDS, "zh")
        deliverer(platform, smtp).run_once()
    assert receipts(platform)
    states = b"".join(bytes(r[0]) for r in platform.app.recorder.fetch("SELECT state FROM events"))
    assert b"secret.person" not in states
    cli(sqlite_url, "audit", "export", str(tmp_path / "bundle"))
    for path in (tmp_path / "bundle").rglob("*"):
        if path.is_file():
            assert b"secret.person" not in path.read_bytes(), path
    import json
    replayed = json.loads(cli(sqlite_url, "audit", "replay", str(tmp_path / "bundle"), "--json").output)
    assert replayed["disagreements"] == [] and replayed["compared"]["LetterDelivered"] == len(receipts(platform))


@pytest.mark.parametrize("argv, field", [
    (["contacts", "set", "U01", "--email", "not-an-address"], "--email"),
    (["contacts", "set", "U01", "--webhook", "ftp://x.example/h"], "--webhook"),
    (["contacts", "set", "U01", "--email", "a@b.example", "--role", "boss"], "'--role'"),
    (["contacts", "set", "U01", "--email", "a@b.example", "--kinds", "letter,gossip"], "--kinds"),
    (["contacts", "set", "U01", "--to", "pager"], "--to"),
    (["contacts", "set", "U01"], "--email"),
    (["contacts", "set", "U99", "--email", "a@b.example"], "U99"),
])
def test_contacts_refused_name_the_field_and_change_nothing(year, sqlite_url, cli, argv, field):
    platform = year(sqlite_url)
    result = cli(sqlite_url, *argv, expect=None)
    assert result.exit_code in (1, 2) and field in result.stderr
    assert Contacts(platform.app.recorder).of() == []


def test_contacts_set_replaces_a_role_keeps_ids_and_delete_forgets(year, sqlite_url, cli):
    platform = year(sqlite_url)
    cli(sqlite_url, "contacts", "set", "U01", "--email", "a@u01.example", "--email", "b@u01.example")
    first = {c.address: c.id for c in Contacts(platform.app.recorder).of("U01")}
    cli(sqlite_url, "contacts", "set", "U01", "--email", "b@u01.example", "--webhook", "https://hooks.example/x",
        "--secret", "k")
    now = {c.address: c for c in Contacts(platform.app.recorder).of("U01")}
    assert set(now) == {"b@u01.example", "https://hooks.example/x"} and now["b@u01.example"].id == first["b@u01.example"]
    listed = cli(sqlite_url, "contacts", "list", "--json").output
    assert '"secret": true' in listed and '"k"' not in listed
    cli(sqlite_url, "contacts", "delete", "U01")
    assert Contacts(platform.app.recorder).of() == []


def test_a_missed_self_check_deadline_is_delivered_once(cli, make_platform, sqlite_url, tmp_path):
    """§9: a unit that owed a self-check of a month and filed none by the deadline is told, once, when the day
    after the deadline has begun; a unit that filed on time is not."""
    from datetime import date

    from core.clock import local_date, month_after, month_before, now, parse_period
    from conftest import write_lines
    from zoneinfo import ZoneInfo
    today = local_date(now(), ZoneInfo("Asia/Shanghai"))
    current = f"{today.year:04d}-{today.month:02d}"
    older, last = month_before(month_before(current)), month_before(current)
    y, m = parse_period(older)
    at = f"{older}-01T09:00:00+08:00"
    lines = [{"cmd": "register_unit", "unit": u, "name": f"Unit {u}", "category": "park", "at": at} for u in ("A1", "B2")]
    for year in sorted({y, today.year}):
        lines += [{"cmd": "set_targets", "unit": u, "year": year, "annual": "1200000000",
                   "quarterly": ["300000000", "600000000", "900000000", "1200000000"], "monthly": "100000000",
                   "planned": 4, "landed": 2, "at": at} for u in ("A1", "B2")]
    lines.append({"cmd": "require_self_checks", "from": older, "at": at})
    due = date(*parse_period(month_after(older)), 5)
    lines.append({"cmd": "self_check", "unit": "A1", "period": older, "date": due.isoformat(),
                  "at": f"{due.isoformat()}T10:00:00+08:00"})
    cli(sqlite_url, "load", str(write_lines(tmp_path / "sv.jsonl", lines)))
    platform = make_platform(sqlite_url)
    with Smtp() as smtp:
        for unit in ("A1", "B2"):
            Contacts(platform.app.recorder).set(unit, "head", [("email", f"h@{unit.lower()}.example", None)],
                                                ALL_KINDS, "zh")
        deliverer(platform, smtp).run_once()
        deliverer(platform, smtp).run_once()  # the sweep again: nothing twice
    missed = sorted(j["key"] for j in Status(platform.app).jobs() if j["kind"] == "self_check")
    expected = ["selfcheck.%s.B2" % older]
    if today > date(*parse_period(current), 5):
        expected += [f"selfcheck.{last}.A1", f"selfcheck.{last}.B2"]
    assert missed == sorted(expected)
    subjects = sorted(m["subject"] for m in smtp.received if m["kind"] == "self_check")
    assert f"【定期自查逾期】Unit B2 · {older}" in subjects and len(subjects) == len(expected)


def logged_in(app, token: str):
    import re
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/login", data={"token": token, "csrf_token": csrf}).status_code == 302
    client.csrf = csrf
    return client


def test_the_pages_show_each_letters_delivery_and_the_letter_whom_it_reached(year, sqlite_url):
    from core.bootstrap import Config
    from web import create_app
    platform = year(sqlite_url)
    token = platform.ledger.issue_token("office", "admin", "test")
    app = create_app(Config(db=sqlite_url))
    try:  # an office that delivers nothing sees no delivery state
        assert 'class="delivery' not in logged_in(app, token).get("/notices").get_data(as_text=True)
    finally:
        app.extensions["sankao"].close()
    with Smtp() as smtp:
        Contacts(platform.app.recorder).set("U01", "head", [("email", "h@u01.example", None)], ALL_KINDS, "zh")
        deliverer(platform, smtp).run_once()
    app = create_app(Config(db=sqlite_url))
    try:
        client = logged_in(app, token)
        notices = client.get("/notices").get_data(as_text=True)
        assert notices.count('class="delivery delivered"') == 1  # U01's one letter, its red supervision letter
        assert 'class="delivery failing"' in notices  # the others have no contact: tried, failing
        letter = client.get("/notices/U01-2023-1/1").get_data(as_text=True)
        assert 'id="delivery"' in letter and "主要负责人" in letter and "queued as" in letter
        assert "h@u01.example" not in letter  # by role, never the address
        unit = client.get("/units/U01?month=2023-02").get_data(as_text=True)
        assert "已送达" in unit
    finally:
        app.extensions["sankao"].close()


def test_the_delivery_page_is_the_administrators_and_sets_contacts_by_its_rules(year, sqlite_url):
    import re

    from core.bootstrap import Config
    from web import create_app
    platform = year(sqlite_url)
    tokens = {role: platform.ledger.issue_token(role.replace(":", "-"), role, "test")
              for role in ("admin", "auditor", "unit:U01")}
    app = create_app(Config(db=sqlite_url))
    try:
        for role in ("auditor", "unit:U01"):
            assert logged_in(app, tokens[role]).get("/contacts").status_code == 403
        client = logged_in(app, tokens["admin"])
        page = client.get("/contacts").get_data(as_text=True)
        assert "尚无联系人" in page and 'id="nav-contacts"' in page
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        form = {"csrf_token": csrf, "unit": "U01", "role": "head", "emails": "chen@u01.example\nnot an address",
                "kinds": ["letter", "sheet"], "lang": "zh"}
        refused = client.post("/contacts", data=form)
        assert refused.status_code == 400 and "不是电子邮件地址" in refused.get_data(as_text=True)
        assert Contacts(platform.app.recorder).of() == []
        assert client.post("/contacts", data={**form, "csrf_token": ""}).status_code == 400  # no CSRF token
        assert client.post("/contacts", data={**form, "emails": "chen@u01.example",
                                              "webhooks": "https://hooks.example/u01"}).status_code == 302
        now = Contacts(platform.app.recorder).of("U01")
        assert {(c.channel, c.address) for c in now} == {("email", "chen@u01.example"),
                                                          ("webhook", "https://hooks.example/u01")}
        assert all(c.kinds == ("letter", "sheet") for c in now)
        assert "chen@u01.example" in client.get("/contacts").get_data(as_text=True)
        assert client.post("/contacts/delete", data={"csrf_token": csrf, "unit": "U01", "role": "head"}).status_code == 302
        assert Contacts(platform.app.recorder).of() == []
    finally:
        app.extensions["sankao"].close()


def test_email_over_starttls_with_a_login_and_the_servers_certificate_checked(year, sqlite_url, tmp_path):
    """SANKAO_SMTP with user and password: STARTTLS first (the server's certificate verified against
    SANKAO_SMTP_CAFILE), then AUTH; a certificate nobody vouches for is refused, never sent to in clear."""
    import shutil
    import ssl
    import subprocess
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate (apt-get install openssl)")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    platform = year(sqlite_url)
    Contacts(platform.app.recorder).set("U01", "head", [("email", "h@u01.example", None)], ["letter"], "zh")
    with Smtp(tls=context, login=("kaohe", "pa55")) as smtp:
        settings = {"SANKAO_SMTP": smtp.url, "SANKAO_SMTP_USER": "kaohe", "SANKAO_SMTP_PASSWORD": "pa55"}
        untrusted = Deliverer(platform, Channels(settings), Renderer(platform), Policy(backoff=0.01)).run_once()
        assert untrusted.delivered == 0 and "CERTIFICATE_VERIFY_FAILED" in " ".join(untrusted.errors)
        time.sleep(0.05)
        trusted = Deliverer(platform, Channels({**settings, "SANKAO_SMTP_CAFILE": str(cert)}), Renderer(platform),
                            Policy(backoff=0.01)).run_once()
    assert trusted.delivered == 1 and len(smtp.received) == 1 and smtp.logins == ["kaohe"]


def test_a_password_is_never_sent_to_a_server_without_starttls(year, sqlite_url):
    platform = year(sqlite_url)
    Contacts(platform.app.recorder).set("U01", "head", [("email", "h@u01.example", None)], ["letter"], "zh")
    with Smtp() as smtp:  # no TLS offered
        settings = {"SANKAO_SMTP": smtp.url, "SANKAO_SMTP_USER": "kaohe", "SANKAO_SMTP_PASSWORD": "pa55"}
        counts = Deliverer(platform, Channels(settings), Renderer(platform), Policy()).run_once()
    assert counts.delivered == 0 and "not sent in clear" in " ".join(counts.errors) and not smtp.received


def test_what_a_receiver_says_of_an_address_is_kept_without_it(year, sqlite_url, cli):
    platform = year(sqlite_url)
    Contacts(platform.app.recorder).set("U02", "head", [("email", "zhang@u02.example", None)], ALL_KINDS, "zh")
    with Smtp() as smtp:
        smtp.answer = lambda rcpts: "550 5.1.1 <zhang@u02.example>: Recipient address rejected"
        deliverer(platform, smtp).run_once()
    errors = [j["error"] for j in Status(platform.app).jobs("U02")]
    assert errors and all("Recipient address rejected" in e and "zhang" not in e for e in errors)
    Contacts(platform.app.recorder).set("U03", "head", [("email", "li@u03.example", None)], ["letter"], "zh")
    with Smtp() as smtp:  # a server that quotes the address in its acceptance: the receipt in the log does not
        smtp.answer = lambda rcpts: "250 2.0.0 <li@u03.example> Ok: queued as Q1" if rcpts == ["li@u03.example"] else None
        deliverer(platform, smtp).run_once()
    (receipt,) = [r for r in receipts(platform) if r.unit == "U03"]
    assert receipt.answer == "250 2.0.0 <<address>> Ok: queued as Q1"
    assert "zhang" not in cli(sqlite_url, "deliveries", "--unit", "U02", "--json").output


def test_the_log_reads_with_receipts_in_it(year, sqlite_url, cli):
    """sankao events (and the API's feed, which writes the same rows) with LetterDelivered among the events."""
    import json
    platform = year(sqlite_url)
    with Smtp() as smtp:
        Contacts(platform.app.recorder).set("U01", "head", [("email", "h@u01.example", None)], ALL_KINDS, "zh")
        deliverer(platform, smtp).run_once()
    rows = json.loads(cli(sqlite_url, "events", "--type", "LetterDelivered", "--json").output)
    assert rows and all(r["type"] == "LetterDelivered" and r["command_id"] is None for r in rows)
    assert all("h@u01" not in json.dumps(r) for r in rows)
    cli(sqlite_url, "events", "--unit", "U01", "--consequences")


def test_a_kind_no_contact_takes_is_not_subscribed_not_dead(year, sqlite_url):
    platform = year(sqlite_url)
    with Hooks() as hooks:
        Contacts(platform.app.recorder).set("U02", "liaison", [("webhook", hooks.url, None)], ["letter", "sheet"], "en")
        deliverer(platform).run_once()
    u02 = Status(platform.app).jobs("U02")
    assert {j["state"] for j in u02 if j["kind"] in ("result", "accountability")} == {"skipped"}
    assert {j["state"] for j in u02 if j["kind"] in ("letter", "sheet")} == {"delivered"}
    assert Status(platform.app).counts("U02")["skipped"] == sum(1 for j in u02 if j["kind"] not in ("letter", "sheet"))


def test_a_trickling_webhook_is_cut_off(year, sqlite_url):
    """A receiver that answers a byte at a time (each read within its timeout) is cut off at three times the
    timeout in all: one slow receiver does not hold the deliverer."""
    import socket
    import threading
    platform = year(sqlite_url)
    server = socket.create_server(("127.0.0.1", 0))
    port, done = server.getsockname()[1], threading.Event()

    def trickle():
        conn, _ = server.accept()
        try:
            conn.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 1000:
                if done.is_set():
                    break
                conn.send(bytes([byte]))
                time.sleep(0.3)
        except OSError:
            pass
        finally:
            conn.close()
    thread = threading.Thread(target=trickle, daemon=True)
    thread.start()
    Contacts(platform.app.recorder).set("U01", "head", [("webhook", f"http://127.0.0.1:{port}/h", None)], ["letter"],
                                        "zh")
    started = time.monotonic()
    Deliverer(platform, Channels({"SANKAO_WEBHOOK_TIMEOUT": "1"}), Renderer(platform), Policy()).run_once()
    took = time.monotonic() - started
    done.set()
    thread.join(5)
    server.close()
    (letter,) = [j for j in Status(platform.app).jobs("U01") if j["kind"] == "letter"]
    assert took < 10 and letter["state"] == "failing" and "POST http://127.0.0.1" in letter["error"]


@pytest.mark.parametrize("argv, said", [
    (["contacts", "set", "U01", "--to", "email=a@b.example,evil@x.example"], "--to"),
    (["contacts", "set", "U01", "--to", "webhook=file:///etc/passwd"], "--to"),
    (["contacts", "set", "U01", "--webhook", "http://x.example:99999/"], "--webhook"),
    (["contacts", "set", "U01", "--webhook", "http://x.example/\r\nX-Evil: 1"], "--webhook"),
    (["contacts", "set", "U01", "--email", "张三@u08.example"], "SMTPUTF8"),
    (["contacts", "delete", "U99"], "U99"),
    (["deliveries", "--unit", "U99"], "U99"),
])
def test_addresses_are_checked_whatever_option_carries_them(year, sqlite_url, cli, argv, said):
    platform = year(sqlite_url)
    argv = [a.replace("\\r\\n", "\r\n") for a in argv]
    result = cli(sqlite_url, *argv, expect=None)
    assert result.exit_code in (1, 2) and said in result.stderr, result.stderr
    assert Contacts(platform.app.recorder).of() == []


@pytest.mark.parametrize("settings, said", [
    ({"SANKAO_SMTP": "smtp://kaohe:Pa55word@mail.example.org:bad"}, "SANKAO_SMTP"),
    ({"SANKAO_SMTP_STARTTLS": "bogus"}, "SANKAO_SMTP_STARTTLS"),
    ({"SANKAO_SMTP_TIMEOUT": "abc"}, "SANKAO_SMTP_TIMEOUT"),
    ({"SANKAO_SMTP_TIMEOUT": "-1"}, "SANKAO_SMTP_TIMEOUT"),
    ({"SANKAO_SMTP_TIMEOUT": "nan"}, "SANKAO_SMTP_TIMEOUT"),
    ({"SANKAO_WEBHOOK_TIMEOUT": "0"}, "SANKAO_WEBHOOK_TIMEOUT"),
    ({"SANKAO_SMTP_CAFILE": "/nonexistent/ca.pem"}, "SANKAO_SMTP_CAFILE"),
])
def test_a_wrong_delivery_setting_is_named_before_anything_is_sent(settings, said):
    from core.errors import ConfigError
    from core.messages import text_of
    with pytest.raises(ConfigError) as refused:
        Channels(settings)
    assert said in text_of(refused.value) and "Pa55word" not in text_of(refused.value)


def test_an_address_given_twice_is_one_contact_and_a_secret_is_kept(year, sqlite_url, cli):
    platform = year(sqlite_url)
    cli(sqlite_url, "contacts", "set", "U06", "--email", "dup@u06.example", "--email", "dup@u06.example",
        "--webhook", "https://hooks.example/u06", "--secret", "k1")
    assert len(Contacts(platform.app.recorder).of("U06")) == 2
    cli(sqlite_url, "contacts", "set", "U06", "--webhook", "https://hooks.example/u06", "--kinds", "letter")
    (hook,) = Contacts(platform.app.recorder).of("U06")
    assert hook.secret == "k1" and hook.kinds == ("letter",)
    cli(sqlite_url, "contacts", "set", "U06", "--webhook", "https://hooks.example/u06", "--secret", "")
    assert Contacts(platform.app.recorder).of("U06")[0].secret is None


def test_the_state_is_put_on_the_right_letter_and_only_as_known_now(year, sqlite_url, cli):
    """A letter from before the outbox (its job never made) leaves the others' marks where they belong; as known
    at another day the pages show no state, and explain only what had been received by then."""
    import json

    from core.bootstrap import Config
    from web import create_app
    platform = year(sqlite_url)
    first = min((j for j in Status(platform.app).jobs("U08") if j["kind"] == "letter"), key=lambda j: j["cause"])
    with platform.app.recorder.transaction() as cur:
        cur.execute("DELETE FROM outbox WHERE key = ?", (first["key"],))
    with Smtp() as smtp:
        Contacts(platform.app.recorder).set("U08", "head", [("email", "h@u08.example", None)], ALL_KINDS, "zh")
        deliverer(platform, smtp).run_once()
    token = platform.ledger.issue_token("office", "admin", "test")
    app = create_app(Config(db=sqlite_url))
    try:
        client = logged_in(app, token)
        cases = client.get("/notices?unit=U08").get_data(as_text=True)
        first_day = first["ref"].split(" ")[2]
        import re
        links = re.findall(r'">(\d{4}-\d\d-\d\d) [^<]*</a>( <small class="delivery (\w+))?', cases)
        assert [(day, state) for day, _, state in links if day == first_day] == [(first_day, "")]  # no job, no mark
        assert all(state == "delivered" for day, _, state in links if day != first_day)
        assert cases.count('class="delivery delivered"') == sum(
            1 for j in Status(platform.app).jobs("U08") if j["kind"] in ("letter", "sheet"))
        assert 'class="delivery' not in client.get("/notices?unit=U08&known_at=2023-12-31").get_data(as_text=True)
    finally:
        app.extensions["sankao"].close()
    then = json.loads(cli(sqlite_url, "explain", "U08", "2023-12", "--known-at", "2024-01-10", "--json").output)
    assert then["deliveries"] == []
    now = json.loads(cli(sqlite_url, "explain", "U08", "2023-12", "--json").output)
    assert now["deliveries"] and all(d["receipts"] for d in now["deliveries"])


def test_audit_verify_names_a_letter_marked_delivered_without_its_receipt(year, sqlite_url, cli):
    """The outbox is state beside the log: a row edited to say a letter was delivered (never sent) is named by
    audit verify, which checks every delivered row against the receipts in the log."""
    import sqlite3
    platform = year(sqlite_url)
    with Smtp() as smtp:
        Contacts(platform.app.recorder).set("U01", "head", [("email", "h@u01.example", None)], ALL_KINDS, "zh")
        deliverer(platform, smtp).run_once()
    cli(sqlite_url, "audit", "verify")
    (u01,) = Contacts(platform.app.recorder).of("U01")
    forged = next(j["key"] for j in Status(platform.app).jobs("U03"))
    with sqlite3.connect(sqlite_url) as db:
        db.execute("UPDATE outbox SET state = 'delivered' WHERE key = ?", (forged,))
        db.execute("INSERT INTO outbox_targets VALUES (?, ?, 'email', 'head', 'delivered', 0, '250 forged')",
                   ("525.U04.letter", u01.id))
    said = cli(sqlite_url, "audit", "verify", expect=1).output
    assert f"the outbox says {forged} was delivered, but no receiver accepted it" in said
    assert "525.U04.letter reached receiver" in said and "no receipt" in said
