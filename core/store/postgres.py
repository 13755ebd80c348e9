"""The growth path: PostgreSQL, several writers, web workers and scoring workers on one database.

A write transaction takes ``LOCK TABLE events IN EXCLUSIVE MODE`` (readers go
on; writers queue, at most 30 s) so that positions are handed out and committed
in order. Connections come from a small pool; before the pool opens, one direct
connection says exactly what is wrong when there is no server, no such database
or no such role, within a few seconds. A connection lost mid-way fails the step
at once (nothing half-recorded) instead of retrying for a minute.
"""

from __future__ import annotations

import logging
import time
import weakref
from contextlib import contextmanager

from eventsourcing.persistence import IntegrityError

from core.errors import ConfigError, StoreBusy, StoreDamaged, StoreNotReady, StoreUnavailable
from core.messages import msg, text_of
from core.store.location import StoreLocation
from core.store.recorder import Recorder
from core.store.schema import FORMAT, schema_statements

CONNECT_TIMEOUT_S = 3
LOCK_TIMEOUT_S = 30
CHECK_IDLE_AFTER_S = 2  # a pooled connection idle longer than this is checked before use


def _psycopg():
    try:
        import psycopg
        import psycopg_pool
    except ImportError:  # pragma: no cover - depends on the installation
        raise ConfigError(msg("store.pg_extra")) from None
    return psycopg, psycopg_pool


class PostgresRecorder(Recorder):
    column_types = ("BYTEA", "BIGINT")  # a blob and a big integer
    ph = "%s"

    def __init__(self, location: StoreLocation, *, pool_size: int = 4):
        super().__init__()
        self.location = location
        psycopg, psycopg_pool = _psycopg()
        self._psycopg, self._psycopg_pool = psycopg, psycopg_pool
        # keepalives and a TCP user timeout: a server that vanishes without closing (a cut network)
        # fails the step within about half a minute instead of hanging for ever
        self.params = {**location.pg_params(), "connect_timeout": CONNECT_TIMEOUT_S, "keepalives": 1,
                       "keepalives_idle": 10, "keepalives_interval": 5, "keepalives_count": 3,
                       "tcp_user_timeout": 30_000}
        if location.schema:
            self.params["options"] = f"-c search_path={location.schema}"
        self.diagnose()
        logging.getLogger("psycopg").setLevel(logging.CRITICAL)  # we say what failed, once, ourselves
        # a connection idle for a while is checked before it is handed out (the server may have restarted or
        # the network dropped it); one returned moments ago is not: a round trip saved on every busy request
        self._returned: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.pool = psycopg_pool.ConnectionPool(kwargs=self.params, min_size=1, max_size=pool_size, timeout=5,
                                                open=False, check=self._check, reset=self._note_return,
                                                name="sankao")
        try:
            self.pool.open(wait=True, timeout=CONNECT_TIMEOUT_S + 2)
        except psycopg_pool.PoolTimeout:
            self.diagnose()
            raise StoreUnavailable(msg("store.pg_timeout", where=location.describe(),
                                       seconds=CONNECT_TIMEOUT_S + 2)) from None

    def diagnose(self) -> None:
        """Connect once, directly; raise ``StoreUnavailable`` saying why that fails."""
        try:
            self._psycopg.connect(**self.params).close()
        except self._psycopg.OperationalError as exc:
            raise StoreUnavailable(self._why(exc)) from None

    def _why(self, exc) -> str:
        where, p = self.location.describe(), self.location.pg_params()
        text = " ".join(str(exc).split())
        if f'database "{p["dbname"]}" does not exist' in text:
            return msg("store.pg_no_database", where=where, dbname=p["dbname"])
        if f'role "{p["user"]}" does not exist' in text:
            return msg("store.pg_no_role", where=where, user=p["user"])
        if "password authentication failed" in text or "no password supplied" in text:
            return msg("store.pg_password", where=where, user=p["user"])
        if "Connection refused" in text or "connection refused" in text:
            return msg("store.pg_refused", where=where, host=p["host"], port=p["port"])
        if "timeout expired" in text or "timed out" in text:
            return msg("store.pg_no_answer", where=where, host=p["host"], port=p["port"], seconds=CONNECT_TIMEOUT_S)
        if "terminating connection" in text or "server closed the connection" in text or "shut down" in text:
            return msg("store.pg_stopped", where=where, error=text)
        return msg("store.pg_cannot", where=where, error=text)

    def close(self) -> None:
        self.pool.close()

    def write_rows(self, cur, kind: str, table: str, columns, rows: list, key=()) -> None:
        """Inserts by ``COPY`` (the fastest way into PostgreSQL); upserts and updates as one prepared
        statement sent for every row in a pipeline.

        Rows naming the same key twice in one upsert or update keep the last (the
        later row is what the two would leave).
        """
        if not rows:
            return
        columns, key = tuple(columns), tuple(key)
        if kind == "insert":
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        if len(rows) > 1:
            width = len(key)
            where = (lambda r: tuple(r[-width:])) if kind == "update" else \
                (lambda r: tuple(r[columns.index(k)] for k in key))
            rows = list({where(r): r for r in rows}.values())
        cur.executemany(self._statement(kind, table, columns, key), rows)

    # -- transactions ----------------------------------------------------------------
    @contextmanager
    def _write(self):
        with self._errors(), self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT_S}s'")
            cur.execute("LOCK TABLE events IN EXCLUSIVE MODE")
            yield cur

    @contextmanager
    def _read(self):
        with self._errors(), self.pool.connection() as conn:
            conn.isolation_level, conn.read_only = self._psycopg.IsolationLevel.REPEATABLE_READ, True  # in BEGIN
            with conn.transaction(), conn.cursor() as cur:
                yield cur

    @contextmanager
    def _single(self):
        """One read-only statement: its own snapshot already, so no transaction to begin and end around it."""
        with self._errors(), self.pool.connection() as conn:
            conn.autocommit = True
            with conn.cursor() as cur:
                yield cur

    def _check(self, conn) -> None:
        if time.monotonic() - self._returned.get(conn, 0.0) > CHECK_IDLE_AFTER_S:
            self._psycopg_pool.ConnectionPool.check_connection(conn)

    def _note_return(self, conn) -> None:
        """Back in the pool: the session's defaults again (read committed, writable, transactions), whatever
        the last user set for itself."""
        conn.autocommit, conn.isolation_level, conn.read_only = False, None, None
        self._returned[conn] = time.monotonic()

    snapshot = _read

    @contextmanager
    def _errors(self):
        psycopg = self._psycopg
        from psycopg_pool import PoolTimeout
        try:
            yield
        except psycopg.errors.UniqueViolation as exc:
            raise IntegrityError(exc) from exc
        except psycopg.errors.UndefinedTable as exc:
            first = str(exc).splitlines()[0]
            raise StoreNotReady(msg("store.pg_missing_tables", where=self.location.describe(), error=first)) from None
        except psycopg.errors.LockNotAvailable:
            raise StoreBusy(msg("store.pg_busy", where=self.location.describe(), seconds=LOCK_TIMEOUT_S)) from None
        except (psycopg.OperationalError, PoolTimeout) as exc:
            try:
                self.diagnose()
                why = msg("store.pg_failed", where=self.location.describe(), error=" ".join(str(exc).split()))
            except StoreUnavailable as down:
                why = text_of(down)
            raise StoreUnavailable(why) from None

    # -- creating and checking ---------------------------------------------------------
    def create(self) -> bool:
        """Create the schema and tables if missing (``sankao init``); safe to run at once from several places."""
        schema = self.location.schema
        with self._errors(), self.pool.connection() as conn, conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(4715307)")  # one creator at a time
            if schema:
                cur.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            cur.execute("SELECT to_regclass('events') IS NULL")
            made = cur.fetchone()[0]
            self._check_old(cur)
            unmarked = self._unmarked(cur, self._table_names(cur))
            if unmarked is not None:  # refused before anything is written
                raise StoreDamaged(unmarked)
            for statement in schema_statements("BYTEA", "BIGINT", self.riders):
                cur.execute(statement)
        return made

    def _table_names(self, cur) -> set[str]:
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
        return {r[0] for r in cur.fetchall()}

    def _check_old(self, cur) -> None:
        cur.execute("SELECT to_regclass('records_events') IS NOT NULL AND to_regclass('events') IS NULL")
        if cur.fetchone()[0]:
            raise StoreNotReady(msg("store.pg_old", where=self.location.describe()))

    def check(self) -> None:
        with self._read() as cur:
            self._check_old(cur)
            cur.execute("SELECT to_regclass('meta') IS NOT NULL")
            if not cur.fetchone()[0]:
                raise StoreNotReady(msg("store.pg_no_tables", where=self.location.describe()))
            cur.execute("SELECT value FROM meta WHERE key = 'format'")
            row = cur.fetchone()
        if not row or row[0] != FORMAT:
            raise StoreDamaged(msg("store.format", where=self.location.describe(), found=row[0] if row else "none",
                                   wanted=FORMAT))
