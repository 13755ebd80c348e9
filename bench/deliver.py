"""Letter delivery (docs/delivery.md): ``sankao deliver --once`` (``Deliverer.run_once``) sending ``--letters``
letters to a local SMTP server and a local webhook receiver, beside a bare ``smtplib`` / ``http.client`` loop
sending the same messages in the same run.

    python bench/deliver.py [--letters 5000] [--runs 3] [--profile]

The issue's size is ``--letters 10000``: 3 runs of it took 14 minutes on a shared 2-core machine (8.5 minutes of
CPU, most of it Sankao's side and the bare e-mail loop's ``email`` package), so the default is half of it (about
7 minutes there); ``--letters 50 --runs 1`` is the CI smoke and takes seconds.

The servers run in processes of their own (their CPU does not count against the measured process, on either
side): an aiosmtpd SMTP server (``250 OK queued as …`` to every message) and a stdlib ``ThreadingHTTPServer``
webhook receiver (``200 ok`` to every POST); both count the messages and bytes they receive: the count is checked
against what each side sent, and a warning printed when the bare loop's messages are not the plugin's in size. On
a machine of few cores under other load, a receiver waiting for a core is charged to the side that keeps its own
core busy between sends (Sankao): on 2 loaded cores a POST after 10 ms of work took 4.7 ms, 2.1 ms in a tight
loop; run it on a quiet machine.

The store: the sample year ``year2023`` (8 units, 126 delivery jobs: month results, accountability decisions,
letters, sheets) loaded and scored once; then one store per channel whose outbox holds half the letters each
(e-mail gets the odd one), copies of the year's 126 jobs in turn (same position, unit, kind and ref, new keys:
the deliverer and the renderer read nothing else of a job), every unit with one contact (role ``head``,
Chinese) on that channel only: an e-mail address, or a webhook URL with a secret (signed bodies). Every run
delivers a fresh copy of each store.

Measured per run and channel, in turns (which side goes first alternates between runs):

- Sankao: ``Deliverer(platform, Channels(...), Renderer(platform), Policy()).run_once()`` as ``sankao deliver
  --once`` builds it: for each job, claim, render the letter (``web.letters.Renderer``: the pages' templates),
  send it through the channel plugin (``plugins.email``, ``plugins.webhook``: one connection per message),
  record the receipt (a ``LetterDelivered`` and its ``outbox_targets`` row, one transaction) and the job's state;
- bare: the same messages rendered once beforehand with the same Renderer (outside the timing), then a plain
  loop building each message as the plugin does (``EmailMessage`` with the same headers and parts, ``as_bytes``
  under the SMTP policy; the same JSON body with its HMAC-SHA256 signature) and sending it over a connection of
  its own (``smtplib.SMTP(...).sendmail``; an ``http.client`` POST), as the plugins do.

Prints, per channel and for both together: letters, seconds and letters/s of each side and the ratio
Sankao / bare, min, median and max over ``--runs``; and where Sankao's time goes (rendering, sending through
the plugin, recording the receipt, the rest: claiming, contacts, the job's state), measured by wrapping the
deliverer's own calls. The goal (issue: "within 2x of the bare loop"): the median ratio of both together at
most 2. ``--profile``: cProfile of Sankao's side (every run; its times, and so the ratios, are then inflated).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import hashlib
import hmac
import http.client
import io
import json
import multiprocessing
import pstats
import shutil
import smtplib
import statistics
import sys
import tempfile
import time
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core import samples  # noqa: E402
from core.bootstrap import Config, Platform  # noqa: E402
from core.outbox.channels import Channels  # noqa: E402
from core.outbox.contacts import Contacts  # noqa: E402
from core.outbox.deliverer import Deliverer, Job, Policy, delivery_key  # noqa: E402
from core.outbox.jobs import KINDS  # noqa: E402

SENDER = "sankao@localhost"  # plugins.email's default SANKAO_SMTP_FROM
SECRET = "bench-webhook-secret"
CHANNELS = ("email", "webhook")
BARE = {"email": "bare smtplib loop", "webhook": "bare http.client loop"}


# -- the receivers, each in a process of its own ---------------------------------------------------------------
def serve_smtp(ready, counts) -> None:
    """An aiosmtpd server on a free port of 127.0.0.1 (sent back through ``ready``) that queues every message."""
    from aiosmtpd.smtp import SMTP

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            with counts.get_lock():
                counts[0] += 1
                counts[1] += len(envelope.content)
                n = counts[0]
            return f"250 OK queued as {n:08x}"

    sink = Sink()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    # hostname given: aiosmtpd would otherwise look up the machine's name for every connection; host and port
    # (not a socket of ours): asyncio then sets TCP_NODELAY on each connection, as aiosmtpd's Controller does
    server = loop.run_until_complete(loop.create_server(lambda: SMTP(sink, hostname="bench.local"), "127.0.0.1", 0,
                                                        backlog=128))
    ready.send(server.sockets[0].getsockname()[1])
    loop.run_forever()


def serve_webhook(ready, counts) -> None:
    """A ThreadingHTTPServer on a free port of 127.0.0.1 (sent back through ``ready``) answering 200 to every POST."""

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with counts.get_lock():
                counts[0] += 1
                counts[1] += len(body)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    ThreadingHTTPServer.request_queue_size = 128
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.daemon_threads = True
    ready.send(server.server_address[1])
    server.serve_forever()


class Receivers:
    """Both servers, started before anything else (forked: no thread runs yet in this process)."""

    def __init__(self):
        context = multiprocessing.get_context("fork")
        self.processes, self.ports, self.counts = [], {}, {}
        for channel, serve in (("email", serve_smtp), ("webhook", serve_webhook)):
            here, there = context.Pipe()
            counts = context.Array("q", 2)  # messages, bytes received
            process = context.Process(target=serve, args=(there, counts), daemon=True)
            process.start()
            if not here.poll(30):
                self.close()
                raise SystemExit(f"the {channel} receiver did not start")
            self.processes.append(process)
            self.ports[channel], self.counts[channel] = here.recv(), counts

    def received(self, channel: str) -> tuple[int, int]:
        counts = self.counts[channel]
        with counts.get_lock():
            return counts[0], counts[1]

    def close(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.join(5)


# -- the stores ------------------------------------------------------------------------------------------------
def files_of(db: Path) -> list[Path]:
    return [p for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]


def copy_store(source: Path, target: Path) -> None:
    """A copy of a closed SQLite store (with its WAL, if one is left)."""
    for path in files_of(source):
        shutil.copyfile(path, target.parent / (target.name + path.name[len(source.name):]))


def remove_store(db: Path) -> None:
    for path in files_of(db):
        path.unlink()


def build_year(folder: Path) -> tuple[Path, list[tuple]]:
    """The sample year loaded and scored into ``year.db``; its jobs ``(key, position, unit, kind, ref)``."""
    db = folder / "year.db"
    platform = Platform(Config(db=str(db)), "init")
    lines = (samples.folder("year2023") / "commands.jsonl").read_text(encoding="utf-8").splitlines()
    report = platform.ledger.load(list(enumerate(lines, 1)), "bench")
    assert not report.rejected, report.rejected[:3]
    platform.scorer.run()
    jobs = platform.app.recorder.fetch("SELECT key, position, unit, kind, ref FROM outbox ORDER BY position, unit, "
                                       "kind")
    platform.close()
    assert jobs, "the sample year made no delivery jobs"
    return db, [tuple(j) for j in jobs]


def address_of(channel: str, unit: str, ports: dict) -> tuple[str, str, str | None]:
    if channel == "email":
        return ("email", f"{unit.lower()}@units.example", None)
    return ("webhook", f"http://127.0.0.1:{ports['webhook']}/hook/{unit}", SECRET)


def build_store(folder: Path, year: Path, year_jobs: list, channel: str, letters: int, ports: dict):
    """A copy of the year whose outbox holds ``letters`` pending jobs (the year's in turn, new keys), every unit
    with one contact on ``channel``. Returns its path, its jobs and each unit's contact."""
    db = folder / f"{channel}.db"
    copy_store(year, db)
    platform = Platform(Config(db=str(db)), "write")
    recorder = platform.app.recorder
    now = time.time() - 1
    jobs = []
    for i in range(letters):
        key, position, unit, kind, ref = year_jobs[i % len(year_jobs)]
        jobs.append((f"{key}.b{i}", position, unit, kind, ref))
    with recorder.transaction() as cur:
        cur.execute(recorder.q("DELETE FROM outbox"))
        cur.executemany(recorder.q("INSERT INTO outbox (key, position, unit, kind, ref, created, state, due) VALUES "
                                   "(?, ?, ?, ?, ?, ?, 'pending', ?)"), [(*j, now, now) for j in jobs])
    contacts = Contacts(recorder)
    by_unit = {}
    for unit in sorted({j[2] for j in year_jobs}):
        (by_unit[unit],) = contacts.set(unit, "head", [address_of(channel, unit, ports)], KINDS, "zh")
    platform.close()
    return db, jobs, by_unit


def bare_messages(db: Path, jobs: list, contacts: dict) -> list[dict]:
    """What each job says, rendered with Sankao's Renderer once per (position, unit, kind), with its receiver."""
    from web.letters import Renderer
    platform = Platform(Config(db=str(db)), "read")
    render = Renderer(platform)
    rendered, out = {}, []
    for key, position, unit, kind, ref in jobs:
        if (position, unit, kind) not in rendered:
            rendered[position, unit, kind] = render(Job(key, position, unit, kind, ref, 0, None), "zh")
        contact = contacts[unit]
        out.append({"key": delivery_key(key, contact.id), "kind": kind, "unit": unit, "contact": contact,
                    "body": rendered[position, unit, kind]})
    platform.close()
    return out


# -- the bare loops ----------------------------------------------------------------------------------------------
def bare_email(messages: list[dict], port: int) -> None:
    for m in messages:
        body, address = m["body"], m["contact"].address
        mail = EmailMessage()
        mail["Subject"] = body["subject"]
        mail["From"] = SENDER
        mail["To"] = address
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        mail["Message-ID"] = f"<{m['key']}@sankao>"
        mail["X-Sankao-Delivery"] = m["key"]
        mail["X-Sankao-Kind"] = m["kind"]
        mail.set_content(body["text"])
        mail.add_alternative(body["html"], subtype="html")
        data = mail.as_bytes(policy=SMTP_POLICY)
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
            refused = smtp.sendmail(SENDER, [address], data)
        assert not refused, refused


def bare_webhook(messages: list[dict], port: int) -> None:
    for m in messages:
        body, contact = m["body"], m["contact"]
        subject, text = body["subject"], body["text"]
        rest = text.split("\n\n", 1)[1] if text.startswith(subject + "\n\n") else text  # as plugins/webhook.py
        markdown = f"**{subject}**\n\n{rest}"
        data = json.dumps({"key": m["key"], "kind": m["kind"], "unit": m["unit"], "unit_name": body["unit_name"],
                           "role": contact.role, "subject": subject, "text": text,
                           "data": {**body["data"], "key": m["key"], "role": contact.role}, "msgtype": "markdown",
                           "markdown": {"title": subject, "content": markdown, "text": markdown}},
                          ensure_ascii=False, sort_keys=True).encode("utf-8")
        stamp = str(int(time.time()))
        signed = hmac.new(contact.secret.encode(), stamp.encode() + b"." + data, hashlib.sha256).hexdigest()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("POST", f"/hook/{m['unit']}", body=data, headers={
                "Content-Type": "application/json; charset=utf-8", "User-Agent": "sankao",
                "X-Sankao-Delivery": m["key"], "X-Sankao-Timestamp": stamp, "X-Sankao-Signature": "sha256=" + signed})
            answer = conn.getresponse()
            answer.read(2000)
        finally:
            conn.close()
        assert 200 <= answer.status < 300, answer.status


# -- measuring ---------------------------------------------------------------------------------------------------
def clocked(split: dict, part: str, call):
    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            split[part] += time.perf_counter() - began
    return wrapper


def sankao_side(store: Path, ports: dict, profile=None) -> tuple[float, dict, object]:
    """``run_once`` over ``store`` as ``sankao deliver --once`` builds it; seconds, the split, the counts."""
    from web.letters import Renderer
    platform = Platform(Config(db=str(store)), "write")
    channels = Channels({"SANKAO_SMTP": f"smtp://127.0.0.1:{ports['email']}"})
    deliverer = Deliverer(platform, channels, Renderer(platform), Policy())
    split = {"render": 0.0, "send": 0.0, "record": 0.0}
    deliverer.render = clocked(split, "render", deliverer.render)
    channels.deliver = clocked(split, "send", channels.deliver)
    deliverer.record = clocked(split, "record", deliverer.record)
    gc.collect()
    if profile:
        profile.enable()
    began = time.perf_counter()
    counts = deliverer.run_once()
    seconds = time.perf_counter() - began
    if profile:
        profile.disable()
    platform.close()
    return seconds, split, counts


def bare_side(channel: str, messages: list[dict], ports: dict) -> float:
    gc.collect()
    began = time.perf_counter()
    (bare_email if channel == "email" else bare_webhook)(messages, ports[channel])
    return time.perf_counter() - began


def one_run(n: int, folder: Path, stores: dict, messages: dict, receivers: Receivers, profile=None) -> dict:
    """Each channel, both sides, on a fresh copy of its store; the order of the sides alternates between runs."""
    out = {}
    for channel in CHANNELS:
        letters = len(messages[channel])
        got = {}
        for side in (("sankao", "bare") if n % 2 == 0 else ("bare", "sankao")):
            before = receivers.received(channel)
            if side == "sankao":
                store = folder / f"run{n}-{channel}.db"
                copy_store(stores[channel], store)
                seconds, split, counts = sankao_side(store, receivers.ports, profile)
                remove_store(store)
                assert counts.delivered == letters and not counts.failed and not counts.dead, \
                    (counts.delivered, counts.failed, counts.dead, counts.errors[:3])
                out[channel, "split"] = split
            else:
                seconds = bare_side(channel, messages[channel], receivers.ports)
            after = receivers.received(channel)
            got[side] = (after[0] - before[0], after[1] - before[1])
            assert got[side][0] == letters, f"{channel} {side}: the receiver got {got[side][0]} of {letters}"
            out[channel, side] = seconds
        print(f"  run {n + 1} {channel:7s}: Sankao {out[channel, 'sankao']:7.2f} s, bare "
              f"{out[channel, 'bare']:7.2f} s, ×{out[channel, 'sankao'] / out[channel, 'bare']:.2f}", flush=True)
        if abs(got["sankao"][1] - got["bare"][1]) > 0.01 * got["bare"][1]:  # the plugin's message has changed
            print(f"  WARNING: the {channel} receiver got {got['sankao'][1] / letters:,.0f} bytes a letter from "
                  f"Sankao, {got['bare'][1] / letters:,.0f} from the bare loop: bring bare_{channel} in line with "
                  f"plugins/{channel}.py", flush=True)
    for side in ("sankao", "bare"):
        out["both", side] = sum(out[c, side] for c in CHANNELS)
    return out


def spread(values) -> tuple[float, float, float]:
    values = list(values)
    return min(values), statistics.median(values), max(values)


def report(runs: list[dict], letters: dict) -> None:
    total = sum(letters.values())
    print(f"\n{'':44s} {'min':>9s} {'median':>9s} {'max':>9s}")
    ratios = {}
    for what in (*CHANNELS, "both"):
        n = total if what == "both" else letters[what]
        title = {"email": "e-mail (SMTP)", "webhook": "webhook (HTTP POST)", "both": "both channels"}[what]
        print(f"{title}, {n:,} letters")
        for side, label in (("sankao", "Sankao (Deliverer.run_once)"),
                            ("bare", "bare loops" if what == "both" else BARE[what])):
            s = spread(r[what, side] for r in runs)
            rate = spread(n / r[what, side] for r in runs)
            print(f"  {label:32s} s         {s[0]:9.2f} {s[1]:9.2f} {s[2]:9.2f}")
            print(f"  {'':32s} letters/s {rate[0]:9.1f} {rate[1]:9.1f} {rate[2]:9.1f}")
        ratios[what] = spread(r[what, "sankao"] / r[what, "bare"] for r in runs)
        print(f"  {'ratio Sankao / bare':42s} ×{ratios[what][0]:8.2f} ×{ratios[what][1]:8.2f} ×{ratios[what][2]:8.2f}")
    print("\nwhere Sankao's time goes (medians over runs; ms per letter, share of run_once):")
    for channel in CHANNELS:
        whole = statistics.median(r[channel, "sankao"] for r in runs)
        parts = {part: statistics.median(r[channel, "split"][part] for r in runs)
                 for part in ("render", "send", "record")}
        parts["rest"] = max(whole - sum(parts.values()), 0.0)
        label = {"render": "render (Renderer)", "send": "send (Channels.deliver: plugin)",
                 "record": "record (LetterDelivered)", "rest": "rest (claim, contacts, job state)"}
        print(f"  {channel}: " + ", ".join(f"{label[p]} {v / letters[channel] * 1000:.2f} ms {v / whole:.0%}"
                                           for p, v in parts.items()))
    median = ratios["both"][1]
    print(f"\ngoal (within 2x of the bare loop, median of both channels): {'met' if median <= 2 else 'NOT met'} "
          f"(×{median:.2f}; e-mail ×{ratios['email'][1]:.2f}, webhook ×{ratios['webhook'][1]:.2f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--letters", type=int, default=5000,
                        help="letters delivered per run and side, half by e-mail, half by webhook (default 5000; "
                             "the issue's size is 10000)")
    parser.add_argument("--runs", type=int, default=3, help="runs of both sides; min/median/max (default 3)")
    parser.add_argument("--profile", action="store_true",
                        help="profile Sankao's side (cProfile), top 30 functions by cumulative and own time")
    args = parser.parse_args()
    if args.letters < 2 or args.runs < 1:
        parser.error("--letters must be at least 2 and --runs at least 1")
    letters = {"email": args.letters - args.letters // 2, "webhook": args.letters // 2}
    sys.stdout.flush()
    receivers = Receivers()
    profile = cProfile.Profile() if args.profile else None
    try:
        with tempfile.TemporaryDirectory(prefix="bench-deliver-") as tmp:
            folder = Path(tmp)
            began = time.perf_counter()
            year, year_jobs = build_year(folder)
            stores, messages = {}, {}
            for channel in CHANNELS:
                stores[channel], jobs, contacts = build_store(folder, year, year_jobs, channel, letters[channel],
                                                              receivers.ports)
                messages[channel] = bare_messages(stores[channel], jobs, contacts)
            print(f"sample year2023: {len(year_jobs)} jobs of {len(contacts)} units; {args.letters:,} letters a run "
                  f"({letters['email']:,} by e-mail to SMTP 127.0.0.1:{receivers.ports['email']}, "
                  f"{letters['webhook']:,} by webhook to http://127.0.0.1:{receivers.ports['webhook']}); stores "
                  f"built and the bare loops' messages rendered in {time.perf_counter() - began:.1f} s; "
                  f"{args.runs} run(s){' (profiled: Sankao times inflated)' if profile else ''}", flush=True)
            runs = [one_run(n, folder, stores, messages, receivers, profile) for n in range(args.runs)]
    finally:
        receivers.close()
    report(runs, letters)
    if profile:
        for order in ("cumulative", "tottime"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(30)
            print(out.getvalue())


if __name__ == "__main__":
    main()
