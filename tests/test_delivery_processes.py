"""Deliverers as whole processes (``sankao deliver``): killed with SIGKILL at random points and started again,
nothing is lost and any repeat carries the same delivery key; two at once on PostgreSQL send no job twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from conftest import ROOT
from core.outbox.contacts import Contacts
from core.outbox.status import Status
from delivery_servers import Hooks, Smtp
from test_delivery import ALL_KINDS, UNITS, YEAR, receipts

SANKAO = str(Path(sys.executable).parent / "sankao")


def deliver(url: str, smtp, *args: str) -> subprocess.Popen:
    env = {**os.environ, "SANKAO_DB": url, "SANKAO_SMTP": smtp.url, "SANKAO_PLUGINS": str(ROOT / "plugins.toml")}
    return subprocess.Popen([SANKAO, "deliver", "--poll", "0.05", "--lease", "1", "--backoff", "0.05", *args],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)


def contacts_for_all(platform, smtp, hooks) -> None:
    contacts = Contacts(platform.app.recorder)
    for unit in UNITS:
        contacts.set(unit, "head", [("email", f"head@{unit.lower()}.example", None)], ALL_KINDS, "zh")
        contacts.set(unit, "liaison", [("webhook", hooks.url, None)], ALL_KINDS, "zh")


def wait_delivered(platform, limit_s: float = 60) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        counts = Status(platform.app).counts()
        if counts["delivered"] == 126:
            return
        time.sleep(0.1)
    raise AssertionError(Status(platform.app).counts())


@pytest.mark.slow
def test_a_deliverer_killed_at_random_points_loses_nothing(cli, make_platform, sqlite_url):
    cli(sqlite_url, "load", str(YEAR))
    platform = make_platform(sqlite_url)
    rng = random.Random(22)
    with Smtp() as smtp, Hooks() as hooks:
        smtp.answer = lambda rcpts: time.sleep(0.01)  # a slow server: kills land between sends and receipts
        contacts_for_all(platform, smtp, hooks)
        kills = 0
        while Status(platform.app).counts()["delivered"] < 126 and kills < 8:
            process = deliver(sqlite_url, smtp)
            time.sleep(rng.uniform(0.5, 2.0))
            process.send_signal(signal.SIGKILL)
            process.wait()
            kills += 1
            time.sleep(1.1)  # the killed one's lease runs out
        last = deliver(sqlite_url, smtp)
        try:
            wait_delivered(platform)
        finally:
            last.terminate()
            assert last.wait(timeout=30) == 0
        sent = [m["key"] for m in smtp.received] + [h["key"] for h in hooks.received]
    assert kills >= 1
    recorded = receipts(platform)
    assert len(recorded) == 252 == len({(r.job, r.receiver) for r in recorded})  # one receipt per receiver
    assert set(sent) == {r.key for r in recorded}  # everything arrived; a repeat is only ever a same key again
    repeats = sum(n - 1 for n in Counter(sent).values())
    print(f"{kills} kills, {len(sent)} messages received for 252 deliveries, {repeats} repeats by key")
    cli(sqlite_url, "audit", "verify")


@pytest.mark.postgres
def test_two_deliverers_on_postgres_send_no_job_twice(cli, make_platform, pg_store_url):
    cli(pg_store_url, "load", str(YEAR))
    platform = make_platform(pg_store_url)
    with Smtp() as smtp, Hooks() as hooks:
        smtp.answer = lambda rcpts: time.sleep(0.005)
        contacts_for_all(platform, smtp, hooks)
        a, b = deliver(pg_store_url, smtp), deliver(pg_store_url, smtp)
        try:
            wait_delivered(platform)
        finally:
            for p in (a, b):
                p.terminate()
            assert a.wait(timeout=30) == 0 and b.wait(timeout=30) == 0
        sent = [m["key"] for m in smtp.received] + [h["key"] for h in hooks.received]
    assert len(sent) == len(set(sent)) == 252
    recorded = receipts(platform)
    assert len(recorded) == 252 and {r.key for r in recorded} == set(sent)
    writers = Counter(n.originator_id for n in platform.app.recorder.select_notifications(
        start=1, limit=10 ** 9) if "LetterDelivered" in n.topic)
    assert sum(writers.values()) == 252


@pytest.mark.postgres
def test_a_deliverer_rides_out_postgres_going_away_and_coming_back(cli, make_platform, cuttable_pg):
    """The connection cut mid-run (as a server restarting would) and back a few seconds later: the deliverer says
    so, keeps going, and everything is delivered once per receiver."""
    from conftest import PgRelay
    from core.bootstrap import Config, init_store
    init_store(Config(db=cuttable_pg.direct, plugins=str(ROOT / "plugins.toml"))).close()
    cli(cuttable_pg.direct, "load", str(YEAR))
    platform = make_platform(cuttable_pg.direct)
    port = int(cuttable_pg.relayed.split(":")[2].split("/")[0])
    with Smtp() as smtp, Hooks() as hooks:
        smtp.answer = lambda rcpts: time.sleep(0.02)
        contacts_for_all(platform, smtp, hooks)
        process = deliver(cuttable_pg.relayed, smtp)
        try:
            deadline = time.monotonic() + 60
            while len(receipts(platform)) < 30 and time.monotonic() < deadline:
                time.sleep(0.05)
            cuttable_pg.cut()
            time.sleep(3)
            assert process.poll() is None, "the deliverer ended when the store went away"
            relay = PgRelay(listen=port)
            try:
                wait_delivered(platform, 90)
                assert process.poll() is None
            finally:
                process.terminate()
                assert process.wait(timeout=30) == 0
                relay.cut()
        finally:
            if process.poll() is None:
                process.kill()
        sent = [m["key"] for m in smtp.received] + [h["key"] for h in hooks.received]
    recorded = receipts(platform)
    assert len(recorded) == 252 == len({(r.job, r.receiver) for r in recorded})
    assert set(sent) == {r.key for r in recorded}


def test_sigterm_stops_deliver_once_after_the_job_it_sends_and_gives_back_the_rest(cli, make_platform, sqlite_url):
    cli(sqlite_url, "load", str(YEAR))
    platform = make_platform(sqlite_url)
    with Smtp() as smtp, Hooks() as hooks:
        smtp.answer = lambda rcpts: time.sleep(0.05)
        contacts_for_all(platform, smtp, hooks)
        process = deliver(sqlite_url, smtp, "--once", "--lease", "300")
        deadline = time.monotonic() + 60
        while len(smtp.received) < 5 and time.monotonic() < deadline:
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        held = platform.app.recorder.fetch("SELECT count(*) FROM outbox WHERE owner IS NOT NULL")[0][0]
        sent = len(smtp.received)
    assert held == 0 and 0 < sent < 126  # stopped part-way, nothing left leased
    assert Status(platform.app).counts()["pending"] > 0
