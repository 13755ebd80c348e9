"""A province's year on PostgreSQL: 5,000 units and a million commands, loaded and scored.

    python bench/province.py --pg postgresql://postgres@127.0.0.1:5432/test [--units 5000] [--commands 1000000]
                             [--workers 2]

It generates the year into a file, creates a fresh schema, starts the scoring
workers (``sankao worker --partition K/N``, each a process) when ``sankao load
--no-score`` (another process) has recorded the file, or beside it (``--beside``); it
reports the time until every score, letter and frozen board is recorded, the peak
memory of each process, the time of a one-line ``sankao load`` into the full store,
and query times: the live board and a score from the read models, a frozen month
and a past day from the events. The schema is dropped at the end.
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
from ingest import drop_pg_schema, pg_store  # noqa: E402


def peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def generate(path: Path, units: int, commands: int) -> tuple[int, str]:
    """The year up to 20 November: January to October closed, November live (December not begun)."""
    projects = int(commands / 2.25)
    lines = [c for c in generate_year(units=units, projects=projects, seed=2024) if c["at"] < "2023-11-21"]
    with open(path, "w") as handle:
        for command in lines:
            handle.write(json.dumps(command) + "\n")
    return len(lines), lines[-1]["at"]


def cli(url: str, *args: str, env=None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cli", "--db", url, *args], cwd=ROOT,
                            env={**os.environ, **(env or {})}, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pg", required=True, help="a postgresql:// URL (a schema of its own is made and dropped)")
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--commands", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--beside", action="store_true",
                        help="run the workers beside the load (default: start them when the load ends)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "province.jsonl"
        started = time.perf_counter()
        count, last_at = generate(path, args.units, args.commands)
        print(f"generated {count:,} commands for {args.units:,} units in {time.perf_counter() - started:.0f} s")
        url, schema = pg_store(args.pg)
        try:
            run(url, path, count, args.workers, last_at, args.beside)
        finally:
            drop_pg_schema(args.pg, schema)


def run(url: str, path: Path, count: int, workers: int, last_at: str, beside: bool) -> None:
    assert cli(url, "init", stdout=subprocess.DEVNULL).wait() == 0
    scoring = {"SANKAO_SCORING": "worker", "SANKAO_SCORER_CLOCK": "record"}
    peaks: dict[str, int] = {}

    def start_workers():
        return {f"worker {k}/{workers}": cli(url, "worker", "--partition", f"{k}/{workers}", "--interval", "0.5",
                                             env=scoring, stderr=subprocess.DEVNULL)
                for k in range(1, workers + 1)}

    processes = start_workers() if beside else {}
    if beside:
        time.sleep(2)
    started = time.perf_counter()
    loader = cli(url, "load", str(path), "--no-score", env=scoring, stderr=subprocess.PIPE, text=True)
    platform = Platform(Config(db=url, scoring="worker"), "read")
    loaded_at = None
    try:
        while True:
            for name, process in {**processes, "load": loader}.items():
                if process.poll() is None:
                    peaks[name] = max(peaks.get(name, 0), peak_kb(process.pid))
            if loaded_at is None and loader.poll() is not None:
                loaded_at = time.perf_counter()
                assert loader.returncode == 0, loader.stderr.read()
                if not beside:
                    processes = start_workers()
            if loaded_at is not None and not platform.scoring_lag() and not platform.scorer.closer.pending():
                break
            if any(p.poll() is not None for p in processes.values()):
                raise SystemExit("a scoring worker stopped")
            time.sleep(0.5)
        done = time.perf_counter()
    finally:
        for process in processes.values():
            process.terminate()
            process.wait()
    how = "beside the load" if beside else "after the load"
    print(f"load: {count:,} commands recorded in {loaded_at - started:.0f} s ({count / (loaded_at - started):,.0f}/s)")
    print(f"scoring by {workers} workers {how}: done {done - started:.0f} s after the load began "
          f"({done - loaded_at:.0f} s after it ended); {count / (done - started):,.0f} commands/s in all")
    for name, kb in peaks.items():
        print(f"  peak memory of {name}: {kb / 1024:,.0f} MB")
    one = Path(path).with_name("one.jsonl")
    one.write_text(json.dumps({"cmd": "dispatch", "date": last_at[:10], "at": last_at}) + "\n")
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        assert cli(url, "load", str(one), "--no-score", env={"SANKAO_SCORING": "worker"},
                   stderr=subprocess.DEVNULL).wait() == 0
        runs.append(time.perf_counter() - t)
    print(f"one-line sankao load into the full store (a whole process): median {statistics.median(runs):.2f} s")
    past = datetime.fromisoformat("2023-08-20T12:00:00+08:00")
    unit = platform.queries.units()[0]["unit"]
    for label, call in [("board 2023-11, live, from the read model", lambda: platform.queries.board("2023-11")),
                        (f"score {unit} 2023-11, live, from the read model",
                         lambda: platform.queries.score(unit, "2023-11")),
                        ("board 2023-06, frozen, as known now", lambda: platform.queries.board("2023-06")),
                        ("board 2023-06 as known on 2023-08-20 (frozen)",
                         lambda: platform.queries.board("2023-06", known_at=past)),
                        (f"score {unit} 2023-06 as known on 2023-08-20",
                         lambda: platform.queries.score(unit, "2023-06", known_at=past)),
                        ("board 2023-07 as known on 2023-07-20 (live then, from the events)",
                         lambda: platform.queries.board("2023-07", known_at=datetime.fromisoformat(
                             "2023-07-20T12:00:00+08:00")))]:
        times = []
        for _ in range(5):
            t = time.perf_counter()
            call()
            times.append(time.perf_counter() - t)
        print(f"  {label}: first {times[0] * 1000:.0f} ms, then median {statistics.median(times[1:]) * 1000:.1f} ms")
    platform.close()


if __name__ == "__main__":
    main()
