"""Recording plus scoring against recording alone, measured in the same run; what the store holds.

    python bench/scoring.py [--units 50] [--projects 5000] [--pg postgresql://postgres@127.0.0.1:5432/test]

For one generated year it measures, on SQLite (and PostgreSQL with --pg):

- the bare load (the write side alone, no scoring) in commands/s: the baseline;
- load, then scoring in the same process (what `sankao load` does by default);
- load with scoring workers running beside it as separate processes (`sankao worker`,
  1 and, on PostgreSQL, 2 partitions), until every score, letter and frozen board is
  recorded: the rate at which the assessment keeps up with the record;
- score events and bytes per command (facts, consequences, read models, whole store);
- query times from the read models (live board) and from the events (a past day).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.bootstrap import Config, Platform  # noqa: E402
from core.samples.generate import generate_year  # noqa: E402
from events import CONSEQUENCE_TOPICS  # noqa: E402
from ingest import drop_pg_schema, pg_store  # noqa: E402


def bare(db: str, lines: list[str]) -> float:
    platform = Platform(Config(db=db), "init")
    start = time.perf_counter()
    report = platform.ledger.load(enumerate(lines, 1), "bench")
    elapsed = time.perf_counter() - start
    assert not report.rejected, report.rejected
    platform.close()
    return len(lines) / elapsed


def sequential(db: str, lines: list[str]) -> tuple[float, float, float]:
    platform = Platform(Config(db=db), "init")
    platform.scorer.clock = None  # the year's months open as it goes, as they would have in its own time
    start = time.perf_counter()
    platform.ledger.load(enumerate(lines, 1), "bench")
    loaded = time.perf_counter()
    platform.scorer.run()
    done = time.perf_counter()
    platform.close()
    return len(lines) / (done - start), loaded - start, done - loaded


def with_workers(db: str, lines: list[str], workers: int) -> float:
    """Load while ``workers`` scoring processes follow the log; seconds until they have caught up."""
    platform = Platform(Config(db=db, scoring="worker"), "init")
    env = {**os.environ, "SANKAO_SCORER_CLOCK": "record", "SANKAO_DB": db}  # the year's months open as it goes
    processes = [subprocess.Popen([sys.executable, "-m", "cli", "--scoring", "worker", "worker", "--partition",
                                   f"{k}/{workers}", "--interval", "0.05"], cwd=ROOT, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for k in range(1, workers + 1)]
    try:
        time.sleep(1.0)  # the workers start (imports, connections) before the clock runs
        start = time.perf_counter()
        platform.ledger.load(enumerate(lines, 1), "bench")
        while platform.scoring_lag() or platform.scorer.closer.pending():
            if any(p.poll() is not None for p in processes):
                raise SystemExit("a scoring worker stopped; run it by hand to see why")
            time.sleep(0.01)
        return len(lines) / (time.perf_counter() - start)
    finally:
        for process in processes:
            process.terminate()
            process.wait()
        platform.close()


def footprint(db: str, commands: int) -> dict:
    """Bytes per command: the facts' and the consequences' events, the read models, the whole store."""
    platform = Platform(Config(db=db), "read")
    recorder = platform.app.recorder
    consequences = tuple(CONSEQUENCE_TOPICS)
    marks = ", ".join("?" * len(consequences))
    size = "length(stream) + length(topic) + length(state) + 16"
    facts = recorder.fetch(f"SELECT count(*), sum({size}) FROM events WHERE topic NOT IN ({marks})", consequences)[0]
    derived = recorder.fetch(f"SELECT count(*), sum({size}) FROM events WHERE topic IN ({marks})", consequences)[0]
    score_events = recorder.fetch("SELECT count(*) FROM events WHERE topic = 'events.assessment:ScoreChanged'")[0][0]
    models = sum(recorder.fetch(f"SELECT sum({expr}) FROM {table}")[0][0] or 0 for table, expr in [
        ("rm_figures", "length(data) + length(base) + length(coefficient) + length(deduction) + length(final) + "
                       "length(signed_amount) + length(shown_base) + length(shown_coefficient) + "
                       "length(shown_deduction) + length(shown_final) + length(shown_signed_amount) + 48"),
        ("rm_figures_log", "length(period) + length(unit) + 32"), ("rm_notices", "length(data) + 40"),
        ("rm_projects", "length(project) + length(name) + 80"), ("rm_units", "length(name) + 30")])
    if platform.location.is_postgres:
        total = recorder.fetch("SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
                               "ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'")[0][0]
    else:
        with recorder.transaction():  # fold the WAL into the file before measuring it
            pass
        recorder._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        total = Path(db).stat().st_size
    platform.close()
    return {"score events": score_events / commands, "fact bytes": facts[1] / commands,
            "consequence bytes": derived[1] / commands, "read model bytes": models / commands,
            "store bytes": int(total) / commands, "consequences": derived[0]}


def queries(db: str) -> dict:
    platform = Platform(Config(db=db), "read")
    past = datetime.fromisoformat("2023-08-20T12:00:00+08:00")
    unit = platform.queries.units()[0]["unit"]
    timings = {}
    for label, call in [("board 2023-12, live, read model", lambda: platform.queries.board("2023-12")),
                        (f"score {unit} 2023-12, live, read model", lambda: platform.queries.score(unit, "2023-12")),
                        ("board 2023-06 as known 2023-08-20 (frozen)",
                         lambda: platform.queries.board("2023-06", known_at=past)),
                        ("board 2023-07 as known 2023-07-20 (live then)",
                         lambda: platform.queries.board("2023-07", known_at=datetime.fromisoformat(
                             "2023-07-20T12:00:00+08:00")))]:
        runs = []
        for _ in range(7):
            started = time.perf_counter()
            call()
            runs.append(time.perf_counter() - started)
        timings[label] = statistics.median(runs) * 1000
    platform.close()
    return timings


def report(label: str, lines: list, base_rate: float, seq: tuple | None, workers: dict, sizes: dict,
           timings: dict) -> None:
    n = len(lines)
    print(f"{label}: {n} commands; {sizes['consequences']} consequences "
          f"({sizes['score events']:.2f} score events per command)")
    print(f"  bare load (record only):              {base_rate:9,.0f} commands/s")
    if seq:
        rate, load_s, score_s = seq
        print(f"  load, then scoring (one process):     {rate:9,.0f} commands/s  ratio {rate / base_rate:.3f}  "
              f"(load {load_s:.2f} s, scoring {score_s:.2f} s)")
    for count, rate in workers.items():
        print(f"  load with {count} scoring worker(s) beside: {rate:9,.0f} commands/s  ratio {rate / base_rate:.3f}")
    print(f"  bytes per command: facts {sizes['fact bytes']:,.0f}, consequences {sizes['consequence bytes']:,.0f}, "
          f"read models {sizes['read model bytes']:,.0f}, whole store {sizes['store bytes']:,.0f}")
    for name, ms in timings.items():
        print(f"  {name}: median {ms:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--pg", default=None, help="a postgresql:// URL to measure PostgreSQL too")
    args = parser.parse_args()
    commands = generate_year(units=args.units, projects=args.projects, seed=11)
    lines = [json.dumps(c) for c in commands]
    with tempfile.TemporaryDirectory() as tmp:
        stores = [str(Path(tmp) / name) for name in ("bare.db", "seq.db", "w1.db")]
        base_rate = bare(stores[0], lines)
        seq = sequential(stores[1], lines)
        workers = {1: with_workers(stores[2], lines, 1)}
        report("SQLite", lines, base_rate, seq, workers, footprint(stores[1], len(lines)), queries(stores[1]))
    if args.pg:
        made = [pg_store(args.pg) for _ in range(4)]
        try:
            base_rate = bare(made[0][0], lines)
            seq = sequential(made[1][0], lines)
            workers = {1: with_workers(made[2][0], lines, 1), 2: with_workers(made[3][0], lines, 2)}
            report("PostgreSQL", lines, base_rate, seq, workers, footprint(made[1][0], len(lines)),
                   queries(made[1][0]))
        finally:
            for _, schema in made:
                drop_pg_schema(args.pg, schema)


if __name__ == "__main__":
    main()
