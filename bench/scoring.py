"""Scoring benchmark: a generated year of 50 units and 5,000 projects, loaded and scored.

Prints, from one run:
- the bare load rate (record only, as in ``bench/ingest.py``) on a fresh store;
- end to end (load plus scoring) commands/s on another fresh store, and the ratio;
- the time of ``board`` for a past month as known on a past day, and of ``score``.

    python bench/scoring.py [--units 50] [--projects 5000] [--pg postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.bootstrap import Config, Platform  # noqa: E402
from core.generate import generate_year  # noqa: E402
from events import CONSEQUENCE_TOPICS  # noqa: E402
from ingest import drop_pg_schema, pg_store  # noqa: E402


def run(db_bare: str, db_full: str, lines: list[str], label: str) -> None:
    bare = Platform(Config(db=db_bare), "init")
    start = time.perf_counter()
    report = bare.ledger.load(enumerate(lines, 1), "bench")
    bare_rate = len(lines) / (time.perf_counter() - start)
    assert not report.rejected, report.rejected
    bare.close()

    full = Platform(Config(db=db_full), "init")
    start = time.perf_counter()
    full.ledger.load(enumerate(lines, 1), "bench")
    loaded = time.perf_counter()
    full.scorer.run()
    done = time.perf_counter()
    rate = len(lines) / (done - start)
    scored = full.app.recorder.max_notification_id() - full.app.recorder.count_after(0, CONSEQUENCE_TOPICS)
    past = datetime.fromisoformat("2023-08-20T12:00:00+08:00")
    board_times, score_times = [], []
    for _ in range(5):
        t = time.perf_counter()
        board = full.queries.board("2023-06", known_at=past)
        board_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        full.queries.score(board["units"][0]["unit"], "2023-11")
        score_times.append(time.perf_counter() - t)
    full.close()
    print(f"{label}: {len(lines)} commands, {scored} derived events")
    print(f"  bare load (record only):   {bare_rate:9,.0f} commands/s")
    print(f"  load + scoring end to end: {rate:9,.0f} commands/s  (ratio to bare load {rate / bare_rate:.3f}; "
          f"load {loaded - start:.2f} s, scoring {done - loaded:.2f} s)")
    print(f"  board 2023-06 known at {past.date()} (frozen): median {statistics.median(board_times) * 1000:.1f} ms; "
          f"score 2023-11 (live): median {statistics.median(score_times) * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=50)
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--pg", default=None, help="a postgresql:// URL to measure PostgreSQL too")
    args = parser.parse_args()
    lines = [json.dumps(c) for c in generate_year(units=args.units, projects=args.projects, seed=11)]
    with tempfile.TemporaryDirectory() as tmp:
        run(str(Path(tmp) / "bare.db"), str(Path(tmp) / "full.db"), lines, "SQLite")
    if args.pg:
        (bare, s1), (full, s2) = pg_store(args.pg), pg_store(args.pg)
        try:
            run(bare, full, lines, "PostgreSQL")
        finally:
            drop_pg_schema(args.pg, s1)
            drop_pg_schema(args.pg, s2)


if __name__ == "__main__":
    main()
