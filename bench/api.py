"""The web API under gunicorn: requests/s and latency of GET board and POST sign_project, beside a bare Flask
endpoint served the same way in the same run.

    python bench/api.py [--seconds 10] [--clients 8] [--workers 2] [--pg postgresql://postgres@127.0.0.1:5432/test]

For each store (SQLite, and PostgreSQL with --pg): a generated year of 50 units is loaded and scored, plus
planned projects left unsigned; gunicorn serves `web:create_app()` with --workers processes and scoring left
to a worker (SANKAO_SCORING=worker, none running: the POSTs measure recording). --clients threads then
request for --seconds each: GET /api/boards/2023-06 (a frozen board), then POST /api/commands signing one
project each. The baseline is a bare Flask endpoint returning a board-sized JSON, under the same gunicorn
settings (goal: GET board at >= 30 % of its requests/s).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent

from core.bootstrap import Config, Platform, init_store  # noqa: E402
from core.samples.generate import generate_year  # noqa: E402
from ingest import on_each_store  # noqa: E402

BARE = '''
from flask import Flask, jsonify
app = Flask("bare")
BODY = {"units": [{"unit": f"U{n:02d}", "rank": n, "final": "50.00"} for n in range(50)]}

@app.get("/bare")
def bare():
    return jsonify(BODY)
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app: str, env: dict, workers: int, cwd: Path):
    port = free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}", app],
                              env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    time.sleep(0.5)
    return server, port


def hammer(port: int, clients: int, seconds: float, request) -> dict:
    """``clients`` threads calling ``request(connection, i)`` for ``seconds``; requests/s and latencies."""
    latencies, errors, stop = [], [], time.perf_counter() + seconds
    counter = iter(range(10 ** 9))
    lock = threading.Lock()

    def run():
        while time.perf_counter() < stop:
            with lock:
                i = next(counter)
            began = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                status = request(connection, i)
            finally:
                connection.close()
            (latencies if status == 200 else errors).append(time.perf_counter() - began)
    threads = [threading.Thread(target=run) for _ in range(clients)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    latencies.sort()
    return {"rps": len(latencies) / elapsed, "p50": statistics.median(latencies) * 1000 if latencies else 0,
            "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0, "errors": len(errors),
            "n": len(latencies)}


def show(what: str, r: dict, base: dict | None = None) -> None:
    ratio = f"; {r['rps'] / base['rps']:.0%} of the bare endpoint" if base else ""
    print(f"  {what}: {r['rps']:,.0f} requests/s, p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms "
          f"({r['n']:,} answered, {r['errors']} errors){ratio}")


def run(name: str, db: str, args) -> None:
    print(f"\n{name}")
    commands = generate_year(units=50, projects=1500, seed=5)
    unsigned = [{"cmd": "plan_project", "project": f"B{n:06d}", "unit": f"U{n % 50 + 1:02d}", "name": "bench",
                 "planned_on": "2023-12-20", "id": f"bench-plan-{n}", "at": "2024-01-10T09:00:00+08:00"}
                for n in range(20000)]
    init_store(Config(db=db)).close()
    platform = Platform(Config(db=db), "write")
    platform.scorer.clock = None
    report = platform.ledger.load(enumerate([json.dumps(c) for c in commands + unsigned], 1), "bench")
    assert not report.rejected, report.rejected[:1]
    platform.scorer.run()
    token = platform.ledger.issue_token("bench", "admin", "bench")
    platform.close()
    env = {**os.environ, "SANKAO_DB": db, "SANKAO_SCORING": "worker", "SANKAO_RATE": "off"}  # one token, many requests
    headers = {"Authorization": f"Bearer {token}"}

    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "bare_app.py").write_text(BARE)
        server, port = serve("bare_app:app", env, args.workers, Path(folder))
        try:
            base = hammer(port, args.clients, args.seconds, lambda c, i: _get(c, "/bare", {}))
        finally:
            server.terminate()
            server.wait()
    show("bare Flask endpoint (baseline)", base)
    server, port = serve("web:create_app()", env, args.workers, ROOT)
    try:
        board = hammer(port, args.clients, args.seconds, lambda c, i: _get(c, "/api/boards/2023-06", headers))
        show("GET /api/boards/2023-06 (50 units)", board, base)
        sign = hammer(port, args.clients, args.seconds, lambda c, i: _post(c, "/api/commands", headers, {
            "cmd": "sign_project", "project": f"B{i:06d}", "signed_on": "2023-12-28", "amount": "1000000",
            "id": f"bench-sign-{i}"}))
        show("POST /api/commands sign_project", sign, base)
    finally:
        server.terminate()
        server.wait()


def _get(connection, path: str, headers: dict) -> int:
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()
    answer.read()
    return answer.status


def _post(connection, path: str, headers: dict, body: dict) -> int:
    connection.request("POST", path, body=json.dumps(body), headers={**headers, "Content-Type": "application/json"})
    answer = connection.getresponse()
    answer.read()
    return answer.status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--pg", default=None, help="also on this PostgreSQL server")
    args = parser.parse_args()
    on_each_store(args.pg, "api.db", lambda label, url: run(label, url, args))


if __name__ == "__main__":
    main()
