"""The embedded store: one SQLite file in WAL mode.

Writes take the database's write lock at ``BEGIN IMMEDIATE`` (so a transaction
never has to upgrade a read lock, which fails at once under contention) and
wait up to 30 s for it. A store that cannot be written (a read-only copy, a
file without write permission) is opened read-only, and as ``immutable`` where
even that fails because SQLite cannot create its shared-memory file beside it.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from eventsourcing.persistence import IntegrityError

from core.errors import StoreBusy, StoreDamaged, StoreFull, StoreNotReady, StoreReadOnly, StoreUnavailable
from core.messages import msg
from core.store.location import StoreLocation
from core.store.recorder import Recorder
from core.store.schema import FORMAT, schema_statements

LOCK_TIMEOUT_S = 30


class SQLiteRecorder(Recorder):
    column_types = ("BLOB", "INTEGER")  # a blob and a big integer
    ph = "?"

    def __init__(self, location: StoreLocation, *, read_only: bool = False):
        super().__init__()
        self.location = location
        self.read_only = read_only
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._memory_uri = f"file:sankao-{id(self)}?mode=memory&cache=shared" if location.is_memory else None

    # -- connections ---------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            with self._errors():
                conn = self._open()
            self._local.conn, self._local.depth = conn, 0
            with self._lock:
                self._connections.append(conn)
        return conn

    def _open(self) -> sqlite3.Connection:
        kwargs = {"isolation_level": None, "check_same_thread": False, "timeout": LOCK_TIMEOUT_S}
        if self._memory_uri:
            return sqlite3.connect(self._memory_uri, uri=True, **kwargs)
        path = self.location.path
        if not self.read_only:
            return sqlite3.connect(path, **kwargs)
        uri = f"file:{quote(str(path))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, **kwargs)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError:  # no -shm file and no right to make one: read it as it is
            return sqlite3.connect(f"file:{quote(str(path))}?immutable=1", uri=True, **kwargs)

    def close(self) -> None:
        with self._lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- transactions ----------------------------------------------------------------
    @contextmanager
    def _write(self):
        if self.read_only:
            raise StoreReadOnly(msg("store.opened_read_only", where=self.location.describe()))
        conn = self._connection()
        with self._errors():
            conn.execute("BEGIN IMMEDIATE")
            self._local.depth += 1
            try:
                yield conn.cursor()
            except BaseException:
                conn.rollback()
                raise
            else:
                conn.commit()
            finally:
                self._local.depth -= 1

    @contextmanager
    def _read(self):
        conn = self._connection()
        with self._errors():
            if self._local.depth:  # inside another transaction of this thread: read what it sees
                yield conn.cursor()
                return
            conn.execute("BEGIN")
            self._local.depth += 1
            try:
                yield conn.cursor()
            finally:
                self._local.depth -= 1
                conn.rollback()

    snapshot = _read

    @contextmanager
    def _errors(self):
        try:
            yield
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(exc) from exc
        except sqlite3.OperationalError as exc:
            text = str(exc)
            if "locked" in text or "busy" in text:
                raise StoreBusy(msg("store.locked", where=self.location.describe(), seconds=LOCK_TIMEOUT_S)) from None
            if "readonly" in text:
                raise StoreReadOnly(msg("store.read_only_error", where=self.location.describe(), error=text)) from None
            if "disk is full" in text or "disk full" in text:
                raise StoreFull(msg("store.full", where=self.location.describe(), error=text)) from None
            if "unable to open database file" in text:
                raise StoreUnavailable(msg("store.cannot_open", where=self.location.describe(), error=text)) from None
            if "no such table" in text:
                raise StoreNotReady(msg("store.not_sankao_table", where=self.location.describe(), error=text)) from None
            raise
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.ProgrammingError):
                raise
            raise StoreDamaged(msg("store.unreadable", where=self.location.describe(), error=str(exc))) from None

    # -- creating and checking ---------------------------------------------------------
    def create(self) -> bool:
        """Create the tables if they are missing; True when this call made a new store.

        Safe when several processes create the same new file at once: the check of
        what the file holds and the creation happen under the write lock.
        """
        self.location.check_can_create()
        conn = self._connection()
        with self._errors():
            if not self._memory_uri:
                for attempt in range(50):  # switching to WAL needs a moment alone with the file
                    try:
                        conn.execute("PRAGMA journal_mode=WAL")
                        break
                    except sqlite3.OperationalError:
                        time.sleep(0.1)
        with self._write() as cur:
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            names = {r[0] for r in cur.fetchall()}
            if names:
                self._check_tables(names, cur)
                unmarked = self._unmarked(cur, names)
                if unmarked is not None:  # refused before anything is written
                    raise StoreDamaged(unmarked)
            for statement in schema_statements("BLOB", "INTEGER", self.riders):  # what a store of an older schema lacks
                cur.execute(statement)
        return not names

    def check(self) -> None:
        """Raise a clear error unless this is a Sankao store Sankao can read."""
        with self._read() as cur:
            self._check_tables(self._table_names(cur), cur)

    def _table_names(self, cur) -> set[str]:
        cur.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {r[0] for r in cur.fetchall()}

    def _check_tables(self, names: set[str], cur) -> None:
        if "meta" in names:
            cur.execute("SELECT value FROM meta WHERE key = 'format'")
            found = cur.fetchone()
            if found and found[0] == FORMAT:
                return
            raise StoreDamaged(msg("store.format", where=self.location.describe(),
                                   found=found[0] if found else "none", wanted=FORMAT))
        if "stored_events" in names:
            raise StoreNotReady(msg("store.old_sqlite", where=self.location.describe(),
                                    name=Path(self.location.url).name))
        if not names:
            raise StoreNotReady(msg("store.empty_database", where=self.location.describe()))
        raise StoreNotReady(msg("store.other_tables", where=self.location.describe(), tables=sorted(names)))

    def backup(self, target: Path) -> int:
        """Copy the whole store, consistently, into the new file ``target``; returns its number of events."""
        source = self._connection()
        copy = sqlite3.connect(target)
        try:
            with self._errors():
                source.backup(copy)
            return copy.execute("SELECT size FROM log_head").fetchone()[0]
        finally:
            copy.close()


def writable(path: Path) -> bool:
    """Whether SQLite can write the file (and its WAL companions beside it)."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
