"""Fault drill: a generated year fed through the web API on PostgreSQL while its processes are killed.

    python bench/drill.py [--pg postgresql://postgres@127.0.0.1:5432/test] [--units 40 --commands 10000]
                          [--province] [--kills 2] [--seed 1] [--keep] [--logs /tmp/drill]

The default size (40 units, about 10,000 commands) is a smoke run of about a minute; ``--units 500 --commands
100000`` about twelve minutes on two cores; ``--province`` (5,000 units, a million commands) about two hours
by the rates of that run (the feed about 600 commands/s, the letters about 25 jobs/s).

A fresh schema; an SMTP receiver (aiosmtpd) and a webhook receiver (it checks each HMAC signature with the
unit's secret) in this process, recording every delivery key they accept; gunicorn (``web:create_app()``,
``--web-workers`` workers, SANKAO_SCORING=worker), ``sankao worker --partition 1/2`` and ``2/2``
(SANKAO_SCORER_CLOCK=record: the year's months open as it comes) and two ``sankao deliver --lease 5
--backoff 0.5``. The year of ``bench/province.py`` (``--province``: 5,000 units, a million commands) is posted
to ``POST /api/commands`` in batches, in order, each batch sent again until it is answered (a command sent
again under its id is skipped). Meanwhile ``--kills`` processes of each kind are SIGKILLed at random points of
the feed and started again (a gunicorn worker, the last time the whole server; a scoring worker; a deliverer),
and PostgreSQL is restarted once (pg_ctlcluster). Then it waits for the scores and the deliveries and checks:

- commands: every input id is in the store's ``commands`` table, and the facts recorded equal, id for id, those
  of the same year loaded into a fresh SQLite store (``sankao load``, inline scoring, the same scorer clock);
- consequences: the scores, letters, frozen boards and heads equal that store's (none lost, none doubled);
- jobs: one delivery job per consequence that makes one, no other, all delivered (none pending, failing, dead);
- receipts: one ``LetterDelivered`` per job and receiver the unit's contacts name, no more;
- received: every receipt's delivery key reached its receiver, nothing else did, every signature was right; a
  repeat (a deliverer killed between a send and its receipt) carried the same key (counted, not an error);
- ``sankao audit verify`` exits 0 (when it does not, the same checks are run in this process without worker
  processes, to tell a broken tool from a damaged log);
- processes: none ended by itself but on the PostgreSQL restart (those are started again, as a supervisor
  would, and counted); gunicorn booted no worker but those it started with and those replacing a kill.

It prints the figures and OK/FAIL per check and exits 1 when a check fails. Each run's logs (every process's
output, the year, the reference store, what was printed) go to a folder of their own under ``--logs``.
"""

from __future__ import annotations

import argparse
import email
import hashlib
import hmac
import http.client
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from api import free_port  # noqa: E402
from ingest import drop_pg_schema as drop_schema, pg_store as new_schema  # noqa: E402
from province import generate  # noqa: E402

KINDS = ("web", "scorer", "deliverer")
SHARDS = 2  # scoring partitions, and deliverers


def digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:32]


# -- the receivers ------------------------------------------------------------------------------------------------
class Receivers:
    """An SMTP server and a webhook receiver in this process: ``keys`` counts every delivery key accepted (by
    ``(channel, key)``), ``problems`` names what was wrong (a bad signature, a key that disagrees with itself)."""

    def __init__(self, units: list[str]):
        from aiosmtpd.controller import Controller
        self.keys: Counter = Counter()
        self.problems: list[str] = []
        self.lock = threading.Lock()
        self.secrets = {u: hashlib.sha256(f"drill-{u}-{random.random()}".encode()).hexdigest()[:24] for u in units}
        outer = self

        class Mail:
            async def handle_DATA(self, server, session, envelope):
                mail = email.message_from_bytes(envelope.content)
                key = mail["X-Sankao-Delivery"]
                if mail["Message-ID"] != f"<{key}@sankao>" or envelope.rcpt_tos != [address(key.split(".")[1])]:
                    outer.problem(f"mail {key}: Message-ID {mail['Message-ID']}, to {envelope.rcpt_tos}")
                with outer.lock:
                    outer.keys["email", key] += 1
                return "250 2.0.0 Ok: queued"

        class Hook(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                key, stamp = self.headers["X-Sankao-Delivery"], self.headers["X-Sankao-Timestamp"]
                unit = self.path.rsplit("/", 1)[-1]
                wanted = "sha256=" + hmac.new(outer.secrets.get(unit, "").encode(), stamp.encode() + b"." + body,
                                              "sha256").hexdigest()
                if not hmac.compare_digest(wanted, self.headers.get("X-Sankao-Signature", "")) \
                        or abs(time.time() - int(stamp)) > 300:
                    outer.problem(f"webhook {key}: signature or timestamp refused")
                    self.send_response(401)
                    self.end_headers()
                    return
                sent = json.loads(body)
                if sent["key"] != key or sent["unit"] != unit:
                    outer.problem(f"webhook {key}: body says key {sent['key']}, unit {sent['unit']}")
                with outer.lock:
                    outer.keys["webhook", key] += 1
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0}')

        self.smtp = Controller(Mail(), hostname="127.0.0.1", port=free_port())
        self.http = ThreadingHTTPServer(("127.0.0.1", free_port()), Hook)

    def problem(self, text: str) -> None:
        with self.lock:
            self.problems.append(text)

    def start(self) -> "Receivers":
        self.smtp.start()
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.smtp.stop()
        self.http.shutdown()

    def hook(self, unit: str) -> str:
        return f"http://127.0.0.1:{self.http.server_address[1]}/hook/{unit}"


def address(unit: str) -> str:
    return f"head.{unit.lower()}@drill.test"


# -- the processes ------------------------------------------------------------------------------------------------
def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    found.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


def busiest(pids: list[int]) -> int:
    """Of ``pids``, the one that used the most CPU in the next 0.1 s (a process mid-request, mid-chunk, mid-send)."""
    def cpu(pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            return int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            return 0
    before = {pid: cpu(pid) for pid in pids}
    time.sleep(0.1)
    used = {pid: cpu(pid) - before[pid] for pid in pids}
    return max(pids, key=lambda pid: (used[pid], random.random()))


class Fleet:
    """gunicorn, the scoring workers and the deliverers: started, killed, restarted, watched."""

    def __init__(self, url: str, logs: Path, port: int, smtp: str, web_workers: int):
        self.url, self.logs, self.port, self.web_workers = url, logs, port, web_workers
        base = {**os.environ, "SANKAO_DB": url, "SANKAO_SCORING": "worker"}
        self.env = {"web": base, "scorer": {**base, "SANKAO_SCORER_CLOCK": "record"},
                    "deliverer": {**base, "SANKAO_SMTP": smtp}}
        self.running: dict[tuple[str, int], subprocess.Popen] = {}
        self.kills: Counter = Counter()
        self.unplanned: list[tuple[float, str]] = []  # (when, what)
        self.starts: Counter = Counter()

    def command(self, kind: str, k: int) -> list[str]:
        if kind == "web":
            return [str(BIN / "gunicorn"), "-w", str(self.web_workers), "-b", f"127.0.0.1:{self.port}",
                    "--timeout", "120", "--graceful-timeout", "10", "web:create_app()"]
        if kind == "scorer":
            return [str(BIN / "sankao"), "worker", "--partition", f"{k}/{SHARDS}", "--interval", "0.3"]
        return [str(BIN / "sankao"), "deliver", "--lease", "5", "--backoff", "0.5", "--poll", "0.3"]

    def start(self, kind: str, k: int) -> None:
        self.starts[kind] += 1
        log = open(self.logs / f"{kind}{k}.log", "ab")
        log.write(f"--- start {time.strftime('%H:%M:%S')}\n".encode())
        log.flush()
        self.running[kind, k] = subprocess.Popen(self.command(kind, k), env=self.env[kind], cwd=ROOT,
                                                 stdout=log, stderr=subprocess.STDOUT)
        log.close()

    def start_all(self) -> None:
        self.start("web", 1)
        for kind in ("scorer", "deliverer"):
            for k in range(1, SHARDS + 1):
                self.start(kind, k)
        self.wait_web()

    def wait_web(self, limit: float = 60) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/api/openapi.json")
                if conn.getresponse().status == 200 and len(children(self.running["web", 1].pid)) >= self.web_workers:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer")

    def kill(self, kind: str, whole: bool = False) -> str:
        if kind == "web":
            self.wait_web()  # a server just started again has its workers to boot first
            master = self.running["web", 1]
            workers = children(master.pid)
            if not whole and workers:
                victim = busiest(workers)
                os.kill(victim, signal.SIGKILL)  # the arbiter starts another
                self.kills["web worker"] += 1
                return f"gunicorn worker {victim}"
            master.send_signal(signal.SIGKILL)
            master.wait()
            for pid in workers:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            time.sleep(0.5)
            self.start("web", 1)
            self.wait_web()
            self.kills["web server"] += 1
            return f"gunicorn master {master.pid} and workers {workers}"
        pids = {self.running[kind, k].pid: k for k in range(1, SHARDS + 1)}
        k = pids[busiest(list(pids))]
        process = self.running[kind, k]
        process.send_signal(signal.SIGKILL)
        process.wait()
        self.start(kind, k)
        self.kills[kind] += 1
        return f"{kind} {k} ({process.pid})"

    def reap(self) -> None:
        """Start again a process that ended by itself (and say so: only killed processes should end)."""
        for (kind, k), process in list(self.running.items()):
            if process.poll() is not None:
                tail = (self.logs / f"{kind}{k}.log").read_text(errors="replace").strip().splitlines()[-3:]
                self.unplanned.append((time.monotonic(), f"{kind} {k} exited {process.returncode}: "
                                       + (tail or ["(nothing said)"])[-1][:300]))
                self.start(kind, k)
                if kind == "web":
                    self.wait_web()

    def web_restarts_unplanned(self) -> int:
        """gunicorn workers booted beyond those it started with and those it replaced after a kill."""
        text = (self.logs / "web1.log").read_text(errors="replace")
        booted = text.count("Booting worker")
        return booted - self.web_workers * self.starts["web"] - self.kills["web worker"]

    def stop(self, kind: str | None = None) -> None:
        for (k, _), process in self.running.items():
            if kind in (None, k) and process.poll() is None:
                process.terminate()
        for (k, _), process in self.running.items():
            if kind in (None, k):
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def restart_pg() -> float:
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    started = time.monotonic()
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True,
                   capture_output=True)
    return time.monotonic() - started


def sankao(url: str, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "sankao"), "--db", url, *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})})
    if check and done.returncode:
        raise SystemExit(f"sankao {' '.join(args)}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return done


# -- the feed -----------------------------------------------------------------------------------------------------
class Feed:
    """Posts the lines in batches, in order; a batch is sent again (after a dropped connection, a 5xx, a 409 or
    a 429) until it is answered 200 with every line recorded or skipped."""

    def __init__(self, port: int, token: str, lines: list[str], batch: int):
        self.port, self.token, self.lines, self.batch = port, token, lines, batch
        self.acked = 0  # lines answered so far
        self.recorded = self.skipped = self.resent = 0
        self.answers: Counter = Counter()
        self.error: str | None = None

    def post(self, chunk: list[str]) -> None:
        body = "\n".join(chunk).encode()
        for attempt in range(200):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
                conn.request("POST", "/api/commands", body=body, headers={
                    "Content-Type": "application/x-ndjson", "Authorization": f"Bearer {self.token}"})
                answer = conn.getresponse()
                said = answer.read()
                conn.close()
                self.answers[answer.status] += 1
            except (OSError, http.client.HTTPException) as exc:
                self.answers[type(exc).__name__] += 1
                self.resent += len(chunk)
                time.sleep(min(0.2 * (attempt + 1), 2))
                continue
            if answer.status == 200:
                got = json.loads(said)
                if got["recorded"] + got["skipped"] != len(chunk):
                    self.error = f"batch at line {self.acked + 1}: answered {got} for {len(chunk)} lines"
                self.recorded += got["recorded"]
                self.skipped += got["skipped"]
                return
            if answer.status in (409, 429) or answer.status >= 500:
                self.resent += len(chunk)
                time.sleep(min(0.2 * (attempt + 1), 2))
                continue
            self.error = f"batch at line {self.acked + 1}: HTTP {answer.status} {said[:500]!r}"
            raise SystemExit(self.error)
        self.error = f"batch at line {self.acked + 1}: not answered after 200 attempts"
        raise SystemExit(self.error)

    def run(self, upto: int | None = None) -> None:
        end = len(self.lines) if upto is None else upto
        while self.acked < end:
            chunk = self.lines[self.acked:min(end, self.acked + self.batch)]
            self.post(chunk)
            self.acked += len(chunk)

    @property
    def progress(self) -> float:
        return self.acked / len(self.lines)


class Chaos:
    """SIGKILLs ``kills`` processes of each kind and restarts PostgreSQL once, at random points: during the feed,
    but every other deliverer's after it (the letters go on after the last command, the scores keep pace). ``log``
    says what, when, and how far the feed was."""

    def __init__(self, fleet: Fleet, feed: Feed, kills: int, rng: random.Random, start: float):
        self.fleet, self.feed, self.rng = fleet, feed, rng
        plan = []
        for kind in KINDS:
            for i in range(kills):
                whole = kind == "web" and kills > 1 and i == kills - 1
                after = kind == "deliverer" and i % 2 == 1  # the letters go on after the feed
                plan.append(("after", rng.uniform(0.05, 0.5), kind, whole) if after else
                            ("feed", rng.uniform(start + 0.02, 0.95), kind, whole))
        plan.append(("feed", rng.uniform(max(start + 0.02, 0.3), 0.7), "postgres", False))
        self.plan = sorted(plan, key=lambda p: (p[0] != "feed", p[1]))
        self.log: list[str] = []
        self.pg_restarts, self.pg_outage = 0, 0.0
        self.pg_windows: list[tuple[float, float]] = []  # from a restart's start to 15 s after its end
        self.done = threading.Event()
        self.began = time.monotonic()
        self.fed: float | None = None  # when the feed ended (monotonic)
        self.now = False  # fire what is left at once
        self.busy = False

    def due(self, phase: str, value: float) -> bool:
        if self.now:
            return True
        if phase == "feed":
            return self.feed.progress >= value
        return self.fed is not None and time.monotonic() - self.fed >= value * (self.fed - self.began)

    def run(self) -> None:
        while not self.done.is_set():
            if self.plan and self.due(*self.plan[0][:2]):
                self.busy = True
                phase, _, kind, whole = self.plan.pop(0)
                time.sleep(self.rng.uniform(0, 0.5))  # anywhere in a request, a chunk, a send
                where = f"feed {self.feed.progress:6.1%}" if self.fed is None else "after the feed"
                moment = time.monotonic() - self.began
                if kind == "postgres":
                    took = restart_pg()
                    self.pg_restarts += 1
                    self.pg_outage += took
                    self.pg_windows.append((self.began + moment, time.monotonic() + 15))
                    what = f"PostgreSQL restarted ({took:.1f} s)"
                else:
                    what = "SIGKILL " + self.fleet.kill(kind, whole)
                self.log.append(f"{moment:7.1f} s  {where:>14}  {what}")
                self.busy = False
            self.fleet.reap()
            time.sleep(0.1)

    def finish(self) -> None:
        """Fire what is left of the plan now, and wait until it has been."""
        self.now = True
        while self.plan or self.busy:
            time.sleep(0.1)


# -- waiting ------------------------------------------------------------------------------------------------------
def wait_done(url: str, limit: float, say) -> tuple[float, float]:
    """Wait until the workers have scored everything and frozen every closed month, then until no delivery job
    is pending or failing; returns the seconds each took."""
    from core.bootstrap import Config, Platform
    from core.errors import SankaoError
    from core.outbox.status import Status
    started, scored, last_said = time.monotonic(), None, 0.0
    platform = None
    while time.monotonic() - started < limit:
        try:
            platform = platform or Platform(Config(db=url, scoring="worker"), "read")
            lag, pending = platform.scoring_lag(), platform.scorer.closer.pending()
            counts = Status(platform.app).counts()
        except SankaoError as exc:  # PostgreSQL restarting
            say(f"  (waiting: {exc})")
            time.sleep(1)
            continue
        if scored is None and not lag and not pending:
            scored = time.monotonic() - started
        if scored is not None and not counts["pending"] and not counts["failing"]:
            platform.close()
            return scored, time.monotonic() - started
        if time.monotonic() - last_said >= 15:
            last_said = time.monotonic()
            say(f"  waiting: scoring {lag:,} facts behind, {len(pending)} closes to freeze; jobs {counts}")
        time.sleep(0.5)
    if platform is not None:
        platform.close()
    raise SystemExit(f"not done after {limit:.0f} s")


# -- the checks ---------------------------------------------------------------------------------------------------
def fact_rows(platform) -> list[tuple]:
    """The record's facts, tokens and batches aside: (command id, type, recorded time, digest of the data); of the
    first rules (recorded with the first command, from the plugins installed where it was recorded), the plugins in
    force."""
    from core.report import event_row
    rows = []
    for position, event in platform.ledger.notifications(0, None):
        row = event_row(position, event)
        if row["type"] in ("BatchRecorded", "TokenIssued", "TokenRevoked"):
            continue
        data = row["data"]
        if row["type"] == "RulesApplied":
            # a plugin merely installed (a test's, for a while) is listed disabled by whoever records first
            data = {**data, "plugins": {k: v for k, v in data["plugins"].items() if v.get("enabled")}}
        rows.append((row["command_id"], row["type"], row["recorded_at"],
                     digest(json.dumps(data, sort_keys=True, default=str))))
    return sorted(rows)


def consequence_events(platform) -> list[tuple[int, object]]:
    """(position, event) of every consequence of the engine (the deliverer's receipts aside)."""
    from events import CONSEQUENCE_TOPICS, DELIVERY_TOPICS
    topics = [t for t in CONSEQUENCE_TOPICS if t not in DELIVERY_TOPICS]
    mapper, recorder = platform.app.mapper, platform.app.recorder
    found, start = [], 1
    while True:
        page = recorder.select_notifications(start=start, limit=20000, topics=topics)
        found += [(n.id, mapper.to_domain_event(n)) for n in page]
        if len(page) < 20000:
            return found
        start = page[-1].id + 1


def consequence_rows(events) -> list[tuple]:
    """As tests/conftest.py ``consequences``: stream, version, cause and data, without log positions (they depend on
    how facts and consequences interleaved) and the heads' sizes and roots (which cover that interleaving)."""
    def data(e):
        kept = {k: v for k, v in vars(e).items() if k not in ("originator_id", "originator_version", "timestamp",
                                                              "position", "close", "size", "root")}
        if "entries" in kept:
            kept["entries"] = [{k: v for k, v in row.items() if k != "scored"} for row in kept["entries"]]
        return digest(kept)
    return sorted((type(e).__name__, str(e.originator_id), e.originator_version, e.command_id, data(e))
                  for _, e in events)


def first_difference(mine: list, theirs: list) -> str:
    a, b = Counter(mine), Counter(theirs)
    extra, missing = list((a - b).elements()), list((b - a).elements())
    return f"{len(extra)} here and not in the reference (first {extra[:2]}), {len(missing)} missing (first {missing[:2]})"


class Checks:
    def __init__(self):
        self.results: list[tuple[bool, str, str]] = []

    def __call__(self, name: str, ok: bool, detail: str) -> None:
        self.results.append((bool(ok), name, detail))

    @property
    def ok(self) -> bool:
        return all(ok for ok, _, _ in self.results)


def check_all(url: str, reference: str, ids: list[str], receivers: Receivers, figures: dict) -> Checks:
    from core.bootstrap import Config, Platform
    from core.outbox.contacts import Contacts
    from core.outbox.jobs import jobs_of
    from core.outbox.status import Status
    from events import DELIVERY_TOPICS
    check = Checks()
    drill, ref = Platform(Config(db=url, scoring="worker"), "read"), Platform(Config(db=reference), "read")
    try:
        recorded = {r[0] for r in drill.app.recorder.fetch("SELECT command_id FROM commands")}
        missing = [i for i in ids if i not in recorded]
        mine, theirs = fact_rows(drill), fact_rows(ref)
        per_id = Counter(r[0] for r in mine)
        check("commands", not missing and mine == theirs and len(set(ids)) == len(ids),
              f"{len(ids):,} ids, {len(missing)} missing from the commands table; {len(mine):,} facts from "
              f"{len(per_id):,} command ids, " + ("equal to the reference's" if mine == theirs else
                                                 "unlike the reference's: " + first_difference(mine, theirs)))
        events = consequence_events(drill)
        mine, theirs = consequence_rows(events), consequence_rows(consequence_events(ref))
        keys = [r[:3] for r in mine]
        figures["consequences"] = Counter(r[0] for r in mine)
        check("consequences", mine == theirs and len(keys) == len(set(keys)),
              f"{len(mine):,} recorded, " + ("equal to the reference's" if mine == theirs else
                                              "unlike the reference's: " + first_difference(mine, theirs)))
        expected = {j[0]: j for position, e in events for j in jobs_of(position, e)}
        outbox = {k: (state, kind) for k, state, kind in drill.app.recorder.fetch("SELECT key, state, kind FROM outbox")}
        counts = Status(drill.app).counts()
        figures["jobs"] = Counter(kind for _, kind in outbox.values())
        check("jobs", set(outbox) == set(expected) and counts["delivered"] == len(outbox),
              f"{len(expected):,} expected from the consequences, {len(outbox):,} in the outbox "
              f"({len(set(expected) - set(outbox))} missing, {len(set(outbox) - set(expected))} extra); {counts}")
        contacts: dict[str, list] = {}
        for c in Contacts(drill.app.recorder).of():
            contacts.setdefault(c.unit, []).append(c)
        wanted = Counter((key, c.id) for key, (_, _, unit, kind, _) in expected.items()
                         for c in contacts.get(unit, []) if c.receives(kind))
        receipts = [drill.app.mapper.to_domain_event(n) for n in drill.app.recorder.select_notifications(
            start=1, limit=10**9, topics=list(DELIVERY_TOPICS))]
        got = Counter((r.job, r.receiver) for r in receipts)
        figures["receipts"] = Counter(r.channel for r in receipts)
        doubled = sum(n - 1 for n in got.values() if n > 1)
        check("receipts", got == wanted, f"{len(receipts):,} LetterDelivered for {len(wanted):,} (job, receiver) "
              f"wanted: {len(set(wanted) - set(got))} missing, {doubled} doubled, {len(set(got) - set(wanted))} extra")
        sent = {(r.channel, r.key) for r in receipts}
        heard = set(receivers.keys)
        figures["received"] = Counter(channel for channel, _ in receivers.keys.elements())
        figures["repeats"] = sum(n - 1 for n in receivers.keys.values())
        check("received", sent == heard and not receivers.problems,
              f"{len(heard):,} distinct keys received ({sum(receivers.keys.values()):,} messages, "
              f"{figures['repeats']} repeats, each under its first key: one key per receipt); {len(sent - heard)} receipts never "
              f"received, {len(heard - sent)} received without a receipt; problems: {receivers.problems[:3] or 'none'}")
    finally:
        drill.close()
        ref.close()
    verify = sankao(url, "audit", "verify", check=False)
    said = (verify.stdout + verify.stderr).strip().splitlines()
    detail = f"exit {verify.returncode}: {said[-1][:220] if said else ''}"
    if verify.returncode:  # tell a broken tool from a damaged log: the same checks, in this process, no workers
        from core.audit.log import verify as verify_log
        platform = Platform(Config(db=url), "audit")
        try:
            verdict = verify_log(platform.app, workers=0)
        finally:
            platform.close()
        detail += (f"; the same checks in this process without worker processes (core.audit.log.verify, "
                   f"workers=0): {'ok' if verdict.ok else verdict.problems[:3]}, {verdict.size:,} events")
    check("audit verify", verify.returncode == 0, detail)
    return check


# -- the drill ----------------------------------------------------------------------------------------------------
def set_contacts(url: str, units: list[str], receivers: Receivers) -> int:
    """Every unit's head by e-mail; every fourth also by a signed webhook; half of them in English. The first two
    through ``sankao contacts set``, the rest through the same function in this process (one process a unit would
    take minutes for a province)."""
    from core.bootstrap import Config, Platform
    from core.outbox.contacts import Contacts
    from core.outbox.jobs import KINDS as JOB_KINDS
    hooks = 0
    platform = Platform(Config(db=url, scoring="worker"), "write")
    try:
        for i, unit in enumerate(units):
            hook = i % 4 == 1
            hooks += hook
            lang = "en" if i % 2 else "zh"
            if i < 2:
                sankao(url, "contacts", "set", unit, "--email", address(unit), "--lang", lang,
                       *(["--webhook", receivers.hook(unit), "--secret", receivers.secrets[unit]] if hook else []))
                continue
            targets = [("email", address(unit), None)]
            if hook:
                targets.append(("webhook", receivers.hook(unit), receivers.secrets[unit]))
            Contacts(platform.app.recorder).set(unit, "head", targets, JOB_KINDS, lang)
    finally:
        platform.close()
    return hooks


def drill(args, url: str, logs: Path, say) -> bool:
    began = time.monotonic()
    path = logs / "year.jsonl"
    count, _ = generate(path, args.units, args.commands)
    lines = path.read_text().splitlines()
    commands = [json.loads(line) for line in lines]
    units = [c["unit"] for c in commands if c["cmd"] == "register_unit"]
    registered = max(i for i, c in enumerate(commands) if c["cmd"] == "register_unit") + 1
    say(f"year: {count:,} commands for {len(units):,} units ({time.monotonic() - began:.0f} s to generate)")
    sankao(url, "init")
    token = sankao(url, "token", "create", "drill", "--role", "admin").stdout.strip().splitlines()[-1]
    receivers = Receivers(units).start()
    fleet = Fleet(url, logs, free_port(), f"smtp://127.0.0.1:{receivers.smtp.port}", args.web_workers)
    chaos = None
    try:
        fleet.start_all()
        feed = Feed(fleet.port, token, lines, args.batch)
        started = time.monotonic()
        feed.run(upto=registered)
        hooks = set_contacts(url, units, receivers)
        say(f"contacts: {len(units):,} units by e-mail, {hooks:,} also by webhook")
        chaos = Chaos(fleet, feed, args.kills, random.Random(args.seed), feed.progress)
        watcher = threading.Thread(target=chaos.run, daemon=True)
        watcher.start()
        feed.run()
        chaos.fed = fed = time.monotonic()
        say(f"feed: {count:,} commands in {fed - started:.0f} s ({count / (fed - started):,.0f}/s), "
            f"{feed.recorded:,} recorded, {feed.skipped:,} skipped; answers {dict(feed.answers)}")
        scored, delivered = wait_done(url, args.limit, say)
        chaos.finish()
        wait_done(url, args.limit, say)  # after the kills the feed ended before
        drained = time.monotonic()
        chaos.done.set()
        watcher.join()
        fleet.stop()
        for k in range(1, SHARDS + 1):  # nothing left: each partition caught up, nothing due
            said = sankao(url, "worker", "--partition", f"{k}/{SHARDS}", "--once", env=fleet.env["scorer"]).stderr
            if said.strip():
                say(f"  worker {k}/{SHARDS} --once: {said.strip()[-300:]}")
        said = sankao(url, "deliver", "--once", env=fleet.env["deliverer"]).stderr.strip()
        status = json.loads(sankao(url, "deliveries", "--json", "--limit", "1").stdout)["counts"]
        say(f"after: `sankao deliver --once`: {said[-200:] or 'nothing due'}; `sankao deliveries --json`: {status}")
    finally:
        if chaos is not None:
            chaos.done.set()
        fleet.stop()
        receivers.stop()
    reference = str(logs / "reference.db")
    t = time.monotonic()
    sankao(reference, "load", str(path), env={"SANKAO_SCORER_CLOCK": "record", "SANKAO_SCORING": "inline"})
    loaded = time.monotonic() - t
    figures: dict = {}
    t = time.monotonic()
    check = check_all(url, reference, [c["id"] for c in commands], receivers, figures)
    checked = time.monotonic() - t
    on_restart = [what for when, what in fleet.unplanned if any(a <= when <= b for a, b in chaos.pg_windows)]
    other = [what for when, what in fleet.unplanned if what not in on_restart]
    booted = fleet.web_restarts_unplanned()
    check("processes", not other and booted == 0, f"{len(on_restart)} ended on the PostgreSQL restart and were started "
          f"again (as a supervisor would); {len(other)} ended at other times {other[:3]}; gunicorn workers booted "
          f"beyond the kills: {booted}")
    check("feed", feed.error is None and feed.acked == count, feed.error or f"{feed.acked:,} lines answered")

    say("")
    say(f"Drill: {args.units:,} units, {count:,} commands; PostgreSQL; gunicorn with {args.web_workers} workers, "
        f"{SHARDS} scoring workers, {SHARDS} deliverers; seed {args.seed}")
    say(f"  commands        {count:,} posted in batches of {args.batch} ({feed.recorded:,} recorded, "
        f"{feed.skipped:,} skipped when sent again; {feed.resent:,} lines re-sent); answers {dict(feed.answers)}")
    c = figures.get("consequences", {})
    say(f"  consequences    {sum(c.values()):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(c.items()))})")
    j, r = figures.get("jobs", {}), figures.get("receipts", {})
    say(f"  jobs            {sum(j.values()):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(j.items()))})")
    say(f"  letters         {sum(r.values()):,} delivered ({', '.join(f'{k} {v:,}' for k, v in sorted(r.items()))}); "
        f"received {sum(figures.get('received', {}).values()):,} messages, {figures.get('repeats', 0)} repeats")
    say(f"  kills           {', '.join(f'{k} {v}' for k, v in sorted(fleet.kills.items()))}; PostgreSQL restarts "
        f"{chaos.pg_restarts} ({chaos.pg_outage:.1f} s); processes that ended on it: "
        f"{', '.join(f'{k} {v}' for k, v in sorted(Counter(w.split(' exited')[0][:-2] for w in on_restart).items())) or 'none'}")
    say(f"  wall time       {time.monotonic() - began:.0f} s in all: the feed {fed - started:.0f} s, then the scores caught "
        f"up in {scored:.0f} s and the letters in {delivered:.0f} s ({drained - started:.0f} s from the first command to "
        f"the last letter); the reference load {loaded:.0f} s, the checks {checked:.0f} s")
    for line in chaos.log:
        say(f"    {line}")
    for what in on_restart + other:
        say(f"    ended by itself: {what}")
    for ok, name, detail in check.results:
        say(f"  {'OK  ' if ok else 'FAIL'} {name:<14} {detail}")
    return check.ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test",
                        help="a postgresql:// URL (a schema of its own is made, and dropped unless --keep)")
    parser.add_argument("--units", type=int, default=40)
    parser.add_argument("--commands", type=int, default=10_000, help="about this many commands (bench/province.py)")
    parser.add_argument("--province", action="store_true", help="5,000 units, a million commands")
    parser.add_argument("--batch", type=int, default=None, help="lines a request (default: 1000, 750 below "
                        "50,000 commands)")
    parser.add_argument("--kills", type=int, default=2, help="SIGKILLs of each kind of process")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=7200, help="seconds to wait for the scores and letters")
    parser.add_argument("--keep", action="store_true", help="keep the schema (its URL is printed)")
    parser.add_argument("--logs", default="/tmp/drill", help="where each run's folder of logs goes")
    args = parser.parse_args()
    if args.province:
        args.units, args.commands = 5000, 1_000_000
    args.batch = args.batch or (1000 if args.commands >= 50_000 else 750)
    random.seed(args.seed)
    logs = Path(args.logs) / time.strftime("run-%Y%m%d-%H%M%S")
    logs.mkdir(parents=True, exist_ok=True)

    def say(text: str) -> None:
        print(text, flush=True)
        with open(logs / "drill.txt", "a") as out:
            out.write(text + "\n")
    url, schema = new_schema(args.pg)
    say(f"store {url}; logs {logs}")
    try:
        ok = drill(args, url, logs, say)
    finally:
        if not args.keep:
            drop_schema(args.pg, schema)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
