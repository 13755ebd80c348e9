"""Ingest benchmark: commands/s through the real load path against a raw baseline.

Records N generated commands (a realistic mix, like the 2023 scenario) through
``Ledger.load`` (parse, validate, decide, encode, save in batches) into a fresh
store, and, in the same run, the same payloads through raw ``executemany`` into a
comparable table (SQLite: ``sqlite3``; PostgreSQL: psycopg). Prints both rates
and their ratio. Scoring is not part of this path (see ``bench/scoring.py``).

    python bench/ingest.py [-n 100000] [--pg postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.bootstrap import Config, Platform  # noqa: E402
from core.samples.generate import generate_year  # noqa: E402


def commands(n: int) -> list[str]:
    projects = max(10, int(n / 2.5))
    lines = generate_year(units=max(8, n // 330), projects=projects, seed=3)
    while len(lines) < n:
        projects = int(projects * 1.1)
        lines = generate_year(units=max(8, n // 330), projects=projects, seed=3)
    return [json.dumps(line) for line in lines[:n]]


def sankao_rate(db: str, lines: list[str]) -> float:
    platform = Platform(Config(db=db), "init")
    start = time.perf_counter()
    report = platform.ledger.load(enumerate(lines, 1), "bench")
    elapsed = time.perf_counter() - start
    assert not report.rejected, report.rejected[:3]
    assert report.recorded == len(lines), (report.recorded, len(lines))
    return len(lines) / elapsed


def raw_sqlite_rate(path: str, lines: list[str]) -> float:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE stored_events (originator_id TEXT, originator_version INTEGER, topic TEXT, "
                 "state BLOB, PRIMARY KEY (originator_id, originator_version))")
    rows = [(uuid.uuid4().hex, 1, "bench:Line", line.encode()) for line in lines]
    start = time.perf_counter()
    for i in range(0, len(rows), 500):
        with conn:
            conn.executemany("INSERT INTO stored_events VALUES (?,?,?,?)", rows[i:i + 500])
    elapsed = time.perf_counter() - start
    conn.close()
    return len(rows) / elapsed


def raw_pg_rate(url: str, lines: list[str]) -> float:
    import psycopg
    schema = f"bench_raw_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
        try:
            conn.execute(f"CREATE TABLE {schema}.stored_events (originator_id uuid, originator_version int, "
                         "topic text, state bytea, notification_id bigserial, "
                         "PRIMARY KEY (originator_id, originator_version))")
            rows = [(uuid.uuid4(), 1, "bench:Line", line.encode()) for line in lines]
            start = time.perf_counter()
            for i in range(0, len(rows), 500):
                with conn.transaction(), conn.cursor() as cur:
                    cur.executemany(f"INSERT INTO {schema}.stored_events (originator_id, originator_version, "
                                    "topic, state) VALUES (%s,%s,%s,%s)", rows[i:i + 500])
            return len(rows) / (time.perf_counter() - start)
        finally:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


def pg_store(url: str):
    import psycopg
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{url.split('?')[0]}?schema={schema}", schema


def drop_pg_schema(url: str, schema: str) -> None:
    import psycopg
    with psycopg.connect(url.split("?")[0], autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


def on_each_store(pg: str | None, file_name: str, run) -> None:
    """``run(label, url)`` on a SQLite file in a temporary folder, then, with ``pg``, in a fresh PostgreSQL
    schema, dropped after."""
    with tempfile.TemporaryDirectory() as folder:
        run("SQLite", str(Path(folder) / file_name))
    if pg:
        url, schema = pg_store(pg)
        try:
            run("PostgreSQL", url)
        finally:
            drop_pg_schema(pg, schema)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=100_000, help="commands to record (default 100000)")
    parser.add_argument("--pg", default=None, help="a postgresql:// URL to measure PostgreSQL too")
    args = parser.parse_args()
    lines = commands(args.n)
    print(f"{len(lines)} generated commands")
    with tempfile.TemporaryDirectory() as tmp:
        ours = sankao_rate(str(Path(tmp) / "sankao.db"), lines)
        raw = raw_sqlite_rate(str(Path(tmp) / "raw.db"), lines)
    print(f"SQLite      sankao load: {ours:10,.0f} commands/s | raw executemany: {raw:10,.0f} rows/s "
          f"| ratio {ours / raw:.3f}")
    if args.pg:
        url, schema = pg_store(args.pg)
        try:
            ours = sankao_rate(url, lines)
        finally:
            drop_pg_schema(args.pg, schema)
        raw = raw_pg_rate(args.pg, lines)
        print(f"PostgreSQL  sankao load: {ours:10,.0f} commands/s | raw executemany: {raw:10,.0f} rows/s "
              f"| ratio {ours / raw:.3f}")


if __name__ == "__main__":
    main()
