"""The auditor's tools at scale: verifying the whole log, keeping the Merkle tree, explaining a score.

    python bench/audit.py [--events 1000000] [--sample 100000] [--pg postgresql://postgres@127.0.0.1:5432/test]

In one run, on a fresh SQLite store (and PostgreSQL with --pg):

- a generated year (many units, as a province would have) is recorded and scored until the
  log holds ``--events`` events (facts and consequences);
- ``audit verify`` over it (read every event, rebuild every leaf and the root, compare with
  the stored tree and every recorded head) in events/s, beside a bare ``hashlib.sha256``
  pass over the same leaf bytes held in memory: the ratio is what verifying costs over
  hashing alone (goal: within 3x);
- the cost of keeping the tree: ``--sample`` commands recorded into a fresh store with
  the tree kept (as always) and with the tree writer taken out, alternately, best of 3;
  the difference per recorded event and as a share of the ingest time (goal: under 10 %);
- ``sankao explain`` of one unit-month in the big store (median of 5), and ``audit prove``;
- verified reads (``--verify``): a frozen board, a board as known mid-month (made of each unit's figures
  events) and a score, each beside the same query unverified in the same run (goal: a verified live board
  within 2x of the unverified one).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.audit import log  # noqa: E402
from core.tree import merkle  # noqa: E402
from core.audit.explain import explain  # noqa: E402
from core.bootstrap import Config, Platform  # noqa: E402
from core.samples.generate import generate_year  # noqa: E402
from ingest import drop_pg_schema, pg_store  # noqa: E402


def year_lines(events: int) -> list[str]:
    """Commands of one generated year that give at least ``events`` events once scored (about 1.9 a command;
    the build stops once the log holds ``events``)."""
    commands = int(events / 1.7)
    units = max(8, commands // 400)
    return [json.dumps(c) for c in generate_year(units=units, projects=int(commands / 2.6), seed=9)]


def build(db: str, lines: list[str], events: int) -> Platform:
    platform = Platform(Config(db=db), "init")
    platform.scorer.clock = None
    start = time.perf_counter()
    done = 0
    for i in range(0, len(lines), 20_000):
        platform.ledger.load(enumerate(lines[i:i + 20_000], i + 1), "bench")
        platform.scorer.run()
        done = i + 20_000
        if platform.app.recorder.max_notification_id() >= events:
            break
    print(f"  built: {min(done, len(lines)):,} commands, {platform.app.recorder.max_notification_id():,} events "
          f"in {time.perf_counter() - start:.0f} s")
    return platform


def bare_sha256(platform: Platform) -> tuple[int, float]:
    """Every leaf's bytes, read and built first (not timed), then hashed as RFC 9162 leaves (timed)."""
    leaves, start = [], 1
    while batch := platform.app.recorder.select_notifications(start=start, limit=50_000):
        leaves += [merkle.leaf_bytes(n.id, str(n.originator_id), n.originator_version, n.topic, n.state)
                   for n in batch]
        start = batch[-1].id + 1
    sha = hashlib.sha256
    began = time.perf_counter()
    for leaf in leaves:
        sha(b"\x00" + leaf).digest()
    return len(leaves), time.perf_counter() - began


def verify_rate(platform: Platform) -> tuple[int, float]:
    began = time.perf_counter()
    verdict = log.verify(platform.app)
    elapsed = time.perf_counter() - began
    assert verdict.ok, verdict.problems[:3]
    return verdict.size, elapsed


def tree_cost(make_db, lines: list[str]) -> dict:
    """Ingest the same commands with and without the tree writer, alternately; best of 3 each."""
    kept, without, events = [], [], 0
    for _ in range(3):
        for keep in (True, False):
            platform = Platform(Config(db=make_db()), "init")
            if not keep:
                platform.app.recorder.side_writers.remove(platform.app.tree)
            began = time.perf_counter()
            platform.ledger.load(enumerate(lines, 1), "bench")
            (kept if keep else without).append(time.perf_counter() - began)
            events = platform.app.recorder.max_notification_id()
            platform.close()
    best_kept, best_without = min(kept), min(without)
    return {"events": events, "with": best_kept, "without": best_without,
            "per_event_us": (best_kept - best_without) / events * 1e6,
            "share": (best_kept - best_without) / best_kept}


def explain_time(platform: Platform) -> tuple[str, float]:
    board = platform.queries.board("2023-06")
    unit = board["units"][len(board["units"]) // 2]["unit"]
    times = []
    for _ in range(5):
        began = time.perf_counter()
        answer = explain(platform, unit, "2023-06")
        times.append(time.perf_counter() - began)
        assert answer["checks"]["adds_up_to_score"]
    return unit, statistics.median(times)


def prove_time(platform: Platform) -> float:
    size = platform.app.tree.tree.size()
    times = []
    for position in (1, size // 3, size // 2, size - 5):
        began = time.perf_counter()
        proof = log.prove(platform.app, position)
        times.append(time.perf_counter() - began)
        assert merkle.verify_inclusion(bytes.fromhex(proof["leaf"]), position - 1, proof["size"],
                                       [bytes.fromhex(p) for p in proof["path"]], bytes.fromhex(proof["root"]))
    return statistics.median(times)


def verified_reads(platform: Platform) -> list[tuple[str, float, float]]:
    """``(query, unverified s, verified s)``, medians of 5, the trusted head kept between reads (as a reader's
    is): the first verified read trusts on first use, the others prove consistency from it."""
    from core.audit.verified import TrustedHeads, check_board, check_score, verify_head
    from core.clock import parse_known_at
    heads = TrustedHeads(Path(tempfile.mkdtemp()) / "trusted.json")
    mid = parse_known_at("2023-06-20", platform.tz)
    unit = platform.queries.board("2023-06")["units"][0]["unit"]
    queries = {
        "board 2023-06 (frozen)": (lambda: platform.queries.board("2023-06"),
                                   lambda a, h: check_board(platform, a, h, "2023-06", None, False)),
        "board 2023-06 --known-at 2023-06-20 (live then)": (
            lambda: platform.queries.board("2023-06", mid),
            lambda a, h: check_board(platform, a, h, "2023-06", mid, False)),
        f"score {unit} 2023-06": (lambda: platform.queries.score(unit, "2023-06"),
                                  lambda a, h: check_score(platform, a, h, unit, "2023-06", None, False)),
    }
    out = []
    for name, (ask, check) in queries.items():
        plain, checked = [], []
        for _ in range(5):
            began = time.perf_counter()
            ask()
            plain.append(time.perf_counter() - began)
            began = time.perf_counter()
            check(ask(), verify_head(platform.app, "bench", heads))
            checked.append(time.perf_counter() - began)
        out.append((name, statistics.median(plain), statistics.median(checked)))
    return out


def run(name: str, db: str, make_db, lines: list[str], sample: list[str], events: int) -> None:
    print(f"\n{name}")
    cost = tree_cost(make_db, sample)
    print(f"  keeping the tree: {len(sample):,} commands ({cost['events']:,} events) ingested in "
          f"{cost['with']:.2f} s with the tree, {cost['without']:.2f} s without: "
          f"{cost['per_event_us']:.1f} µs per event, {cost['share']:.1%} of ingest time (goal < 10 %)")
    platform = build(db, lines, events)
    size, elapsed = verify_rate(platform)
    leaves, hashing = bare_sha256(platform)
    assert leaves == size
    print(f"  audit verify: {size:,} events in {elapsed:.1f} s = {size / elapsed:,.0f} events/s; "
          f"bare sha256 over the same leaf bytes: {leaves / hashing:,.0f} leaves/s; "
          f"ratio {elapsed / hashing:.1f}x (goal within 3x)")
    unit, took = explain_time(platform)
    print(f"  explain {unit} 2023-06: {took * 1000:.0f} ms (median of 5)")
    print(f"  audit prove: {prove_time(platform) * 1000:.1f} ms (median of 4 positions)")
    for query, plain, checked in verified_reads(platform):
        print(f"  {query}: {plain * 1000:.1f} ms, verified {checked * 1000:.1f} ms = {checked / plain:.1f}x "
              "(medians of 5)")
    platform.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=100_000, help="commands ingested to cost the tree")
    parser.add_argument("--pg", default=None, help="also on this PostgreSQL server")
    args = parser.parse_args()
    lines = year_lines(args.events)
    sample = [json.dumps(c) for c in generate_year(units=max(8, args.sample // 330),
                                                   projects=int(args.sample / 2.5), seed=3)][:args.sample]
    print(f"{len(lines):,} commands generated for about {args.events:,} events; {len(sample):,} for the tree cost")
    with tempfile.TemporaryDirectory() as tmp:
        counter = iter(range(10 ** 6))
        run("SQLite", str(Path(tmp) / "big.db"), lambda: str(Path(tmp) / f"s{next(counter)}.db"),
            lines, sample, args.events)
    if args.pg:
        schemas = []

        def make_pg():
            url, schema = pg_store(args.pg)
            schemas.append(schema)
            return url
        try:
            run("PostgreSQL", make_pg(), make_pg, lines, sample, args.events)
        finally:
            for schema in schemas:
                drop_pg_schema(args.pg, schema)


if __name__ == "__main__":
    main()
