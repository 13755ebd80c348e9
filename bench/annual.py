"""The annual evaluation at scale (docs/assessment.md §8): a year of 200 units and 5,000 people.

    python bench/annual.py [--units 200] [--people 5000] [--projects 8000] [--pg postgresql://postgres@127.0.0.1:5432/test]

In one run, on a fresh SQLite store (and PostgreSQL with --pg):

- a generated year with its people (responsibility chains, reassignments, ``close_year``) is
  loaded and scored, as ``sankao load`` does;
- computing the standing at ``close_year`` (what the closer does before recording the
  ``StandingFrozen``: read the facts before the close, ask the plugin), median of 3, beside
  freezing December's board in the same store (the baseline);
- answering ``sankao annual`` afterwards from the frozen standing, in a fresh serving process:
  the first answer and the repeated one (median of 5), beside the frozen board of December
  (goal: under 50 ms for the frozen answer);
- the provisional standing as known in the middle of the year (computed from the facts).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.bootstrap import Config, Platform  # noqa: E402
from core.samples.generate import generate_year  # noqa: E402
from ingest import on_each_store  # noqa: E402

YEAR = 2024


def timed(call, repeat: int) -> tuple[float, object]:
    times, answer = [], None
    for _ in range(repeat):
        began = time.perf_counter()
        answer = call()
        times.append(time.perf_counter() - began)
    return statistics.median(times), answer


def close_position(platform: Platform, period: str) -> int:
    return platform.app.recorder.fetch("SELECT position FROM rm_closes WHERE period = ?", (period,))[0][0]


def run(name: str, db: str, lines: list[str]) -> None:
    print(f"\n{name}")
    platform = Platform(Config(db=db), "init")
    platform.scorer.clock = None
    began = time.perf_counter()
    platform.ledger.load(enumerate(lines, 1), "bench")
    loaded = time.perf_counter() - began
    platform.scorer.run()
    print(f"  loaded {len(lines):,} commands in {loaded:.1f} s, scored in {time.perf_counter() - began - loaded:.1f} s; "
          f"{platform.app.recorder.max_notification_id():,} events")
    closer = platform.scorer.closer
    year_close, december = close_position(platform, f"{YEAR}"), close_position(platform, f"{YEAR}-12")
    standing_s, frozen = timed(lambda: closer.freeze_year(YEAR, year_close), 3)
    board_s, _ = timed(lambda: closer.freeze(f"{YEAR}-12", december), 3)
    print(f"  standing at close_year ({len(frozen.units)} units, {len(frozen.people):,} people): "
          f"{standing_s * 1000:.0f} ms; freezing December's board: {board_s * 1000:.0f} ms; "
          f"ratio {standing_s / board_s:.1f}x")
    platform.close()

    serving = Platform(Config(db=db), "read")
    first_s, answer = timed(lambda: serving.queries.annual(YEAR), 1)
    again_s, _ = timed(lambda: serving.queries.annual(YEAR), 5)
    board_first, _ = timed(lambda: serving.queries.board(f"{YEAR}-12"), 1)
    board_again, _ = timed(lambda: serving.queries.board(f"{YEAR}-12"), 5)
    size = len(json.dumps(answer))
    print(f"  sankao annual {YEAR} (frozen, {size / 1e6:.1f} MB of JSON): first {first_s * 1000:.1f} ms, then "
          f"{again_s * 1000:.1f} ms (goal < 50 ms); frozen board of December: first {board_first * 1000:.1f} ms, "
          f"then {board_again * 1000:.1f} ms; ratio {first_s / board_first:.1f}x / {again_s / board_again:.1f}x")
    middle = datetime.fromisoformat(f"{YEAR}-07-10T12:00:00+08:00")
    provisional_s, answer = timed(lambda: serving.queries.annual(YEAR, middle), 3)
    print(f"  provisional standing as known at {middle.date()} (through {answer['through']}, from the facts): "
          f"{provisional_s * 1000:.0f} ms")
    serving.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=200)
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--projects", type=int, default=8000)
    parser.add_argument("--pg", default=None, help="also on this PostgreSQL server")
    args = parser.parse_args()
    commands = generate_year(units=args.units, projects=args.projects, people=args.people, year=YEAR, seed=12)
    lines = [json.dumps(c) for c in commands]
    print(f"{len(lines):,} commands: {args.units} units, "
          f"{sum(1 for c in commands if c['cmd'] == 'register_person'):,} people, {args.projects:,} projects, "
          f"{sum(1 for c in commands if c['cmd'] == 'assign_project'):,} assignments")
    on_each_store(args.pg, "annual.db", lambda label, url: run(label, url, lines))


if __name__ == "__main__":
    main()
