"""The web API served as in production: gunicorn with 4 worker processes, scoring left to `sankao worker`.
8 threads post 50 commands each, twice as many clients as workers, so that requests overlap and several worker
processes record at once (both are checked: the clients' requests in flight together, the worker processes
that answered, from gunicorn's access log); every command is recorded exactly once, and the record, the scores
and the board agree with `sankao load` of the same commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

import pytest

from conftest import free_port, write_lines
from core.bootstrap import Config, Platform, init_store

BIN = Path(sys.executable).parent
THREADS, EACH = 8, 50  # 400 commands: enough to overlap, racing writers each time


def commands_of(thread: int, today: date) -> list[dict]:
    """One unit's EACH commands: registered, targets, then projects planned and signed on days up to today."""
    unit = f"W{thread:02d}"
    out = [{"cmd": "register_unit", "unit": unit, "name": f"Unit {unit}", "category": "department"},
           {"cmd": "set_targets", "unit": unit, "year": today.year, "annual": "1000000000",
            "quarterly": ["250000000", "500000000", "750000000", "1000000000"], "monthly": "80000000",
            "planned": 60, "landed": 10}]
    n = 0
    while len(out) < EACH:
        n += 1
        day = max(date(today.year, 1, 1), today - timedelta(days=(n * 7 + thread) % 300))
        out.append({"cmd": "plan_project", "project": f"{unit}-P{n:03d}", "unit": unit, "name": f"Project {n}",
                    "planned_on": day.isoformat()})
        if len(out) < EACH:
            out.append({"cmd": "sign_project", "project": f"{unit}-P{n:03d}", "signed_on": day.isoformat(),
                        "amount": str(1_000_000 * (n % 17 + 1))})
    return [{**c, "id": f"w{thread:02d}-{i:03d}"} for i, c in enumerate(out)]


def post(url: str, token: str, command: dict) -> int:
    body = json.dumps(command).encode()
    for attempt in range(8):  # what a client does on 409 or a dropped connection: the same command again
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                return answer.status
        except urllib.error.HTTPError as exc:
            if exc.code != 409:
                return exc.code
        except (urllib.error.URLError, ConnectionError):
            pass
        time.sleep(0.2 * (attempt + 1))
    return 409


def facts_of(platform) -> list:
    """The record's commands: (command id, type, data), positions and batches aside."""
    from core.report import event_row
    rows = [event_row(p, e) for p, e in platform.ledger.notifications(0, None)]
    return sorted((r["command_id"], r["type"], json.dumps(r["data"], sort_keys=True)) for r in rows
                  if r["type"] not in ("BatchRecorded", "RulesApplied", "TokenIssued"))


@pytest.mark.slow
def test_eight_threads_under_gunicorn_record_every_command_once(store_url, tmp_path, cli):
    today = date.today()
    per_thread = [commands_of(t, today) for t in range(THREADS)]
    if not store_url.startswith("postgresql://"):
        init_store(Config(db=store_url)).close()
    setup = Platform(Config(db=store_url), "write")
    token = setup.ledger.issue_token("loader", "admin", "test")
    setup.close()
    port = free_port()
    env = {**os.environ, "SANKAO_DB": store_url, "SANKAO_SCORING": "worker"}
    log = open(tmp_path / "gunicorn.log", "wb")
    access = tmp_path / "access.log"  # one line per request: the worker process that answered it, and how
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "4", "-b", f"127.0.0.1:{port}", "--timeout", "120",
                               "--access-logfile", str(access), "--access-logformat", "%(p)s %(m)s %(U)s %(s)s",
                               "web:create_app()"], env=env, cwd=Path(__file__).parents[1],
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/openapi.json", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        statuses: list = []
        in_flight, most_in_flight, lock = [0], [0], threading.Lock()

        def run(commands):
            for command in commands:
                with lock:
                    in_flight[0] += 1
                    most_in_flight[0] = max(most_in_flight[0], in_flight[0])
                statuses.append(post(f"http://127.0.0.1:{port}/api/commands", token, command))
                with lock:
                    in_flight[0] -= 1
        threads = [threading.Thread(target=run, args=(c,)) for c in per_thread]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    assert len(statuses) == THREADS * EACH and set(statuses) == {200}, \
        (sorted(set(statuses)), (tmp_path / "gunicorn.log").read_text()[-3000:])
    assert most_in_flight[0] > 4  # more requests at once than worker processes
    answered_by = {line.split()[0] for line in access.read_text().splitlines() if " POST /api/commands " in line}
    assert len(answered_by) >= 2, answered_by  # several worker processes recorded commands
    subprocess.run([str(BIN / "sankao"), "--db", store_url, "worker", "--once"], check=True, env=env,
                   capture_output=True)

    reference = str(tmp_path / "reference.db")
    cli(reference, "load", str(write_lines(tmp_path / "all.jsonl", [c for cs in per_thread for c in cs])))
    served, loaded = Platform(Config(db=store_url), "read"), Platform(Config(db=reference), "read")
    try:
        mine, theirs = facts_of(served), facts_of(loaded)
        assert len(mine) == THREADS * EACH and len({m[0] for m in mine}) == THREADS * EACH  # each once
        assert mine == theirs
        period = today.strftime("%Y-%m")
        assert served.queries.board(period)["units"] == loaded.queries.board(period)["units"]
        for unit in ("W00", f"W{THREADS // 2:02d}", f"W{THREADS - 1:02d}"):  # the first, one between, the last
            assert served.queries.score(unit, period)["indicators"] == loaded.queries.score(unit, period)["indicators"]
    finally:
        served.close()
        loaded.close()
    assert cli(store_url, "audit", "verify").stdout.startswith("ok: ")
