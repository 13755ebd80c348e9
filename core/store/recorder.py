"""The event log and the tables written with it, one transaction at a time.

One table ``events`` holds every event Sankao records, facts and consequences
alike, in recorded order: ``position`` 1, 2, 3, … without gaps, taken from a
counter (``log_head``) under the write lock, so the log never reorders and a
position is never reused. Beside it, in the same transaction as the events:

- ``commands``: every command id recorded, for skipping a line recorded before;
- ``tracking``: how far each follower of the log (a scoring worker) has got,
  moved only from the position it last read (two followers can never both
  record the same step);
- whatever a caller writes through ``after`` (read models) and the side writers
  registered on the recorder (the Merkle tree).

It implements eventsourcing's ``ProcessRecorder`` so that an eventsourcing
``Application`` and ``EventStore`` save and read through it. The SQL dialects
live in ``core.store.sqlite`` and ``core.store.postgres``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.persistence import IntegrityError, Notification, ProcessRecorder, StoredEvent, Tracking

FORMAT = "sankao-2"
SCHEMA = "5"  # the tables: 2 the log and read models, 3 the Merkle tree, 4 access tokens, 5 command digests
EVENT_COLUMNS = "position, stream, version, topic, state"


class Recorder(ProcessRecorder):
    """Base of the SQLite and PostgreSQL recorders: the SQL they share.

    Subclasses provide ``_write()`` and ``_read()`` (context managers yielding a
    cursor), ``ph`` (the parameter placeholder), the DDL, and error translation.
    """

    ph = "?"
    read_only = False
    riders: tuple = ()  # what rides along with the log (``core.store.riders``), set by ``open_recorder``

    def __init__(self):
        self.side_writers: list[Callable[[Any, list[tuple]], None]] = []

    # -- to be provided by a dialect -----------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    @contextmanager
    def _read(self) -> Iterator[Any]:  # pragma: no cover - abstract
        raise NotImplementedError
        yield

    def transaction(self):
        """A write transaction of this store (a context manager yielding a cursor; ``?`` placeholders through
        ``q``): what is written in it is committed together, or not at all. For the tables that live beside the
        log (read models, the tree, sessions, snapshots); events are written by ``insert_events`` only."""
        return self._write()

    def meta(self, key: str) -> str | None:
        """A value of the store's own settings table (``meta``)."""
        rows = self.fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of ``meta`` once: a value already there is kept (read it back with ``meta``)."""
        with self._write() as cur:
            cur.execute(self.q("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"), (key, value))

    def _single(self):
        """A cursor for one read-only statement (a dialect may skip the transaction around it)."""
        return self._read()

    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def q(self, sql: str) -> str:
        """``sql`` with ``?`` placeholders in this dialect's style."""
        return sql if self.ph == "?" else sql.replace("%", "%%").replace("?", self.ph)

    def write_rows(self, cur, kind: str, table: str, columns: Sequence[str], rows: list,
                   key: Sequence[str] = ()) -> None:
        """Write many rows in one go: ``insert`` them, ``upsert`` them (on ``key``), ``upsert_add`` them
        (adding to the stored numbers), or ``update`` the ``columns`` of the rows named by ``key`` (each
        row: the columns' values, then the key's).

        SQLite runs one prepared statement per row; the PostgreSQL recorder sends
        many rows per statement instead (see ``core.store.postgres``).
        """
        if not rows:
            return
        cur.executemany(self._statement(kind, table, tuple(columns), tuple(key)), rows)

    @staticmethod
    def _sql(kind: str, table: str, columns: tuple, key: tuple, values: str) -> str:
        if kind == "update":
            sets = ", ".join(f"{c} = ?" for c in columns)
            return f"UPDATE {table} SET {sets} WHERE " + " AND ".join(f"{k} = ?" for k in key)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES {values}"
        if kind == "upsert":
            sets = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in key)
            sql += f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"
        elif kind == "upsert_add":  # add the new rows' values to the stored ones
            sets = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns if c not in key)
            sql += f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"
        return sql

    def _statement(self, kind: str, table: str, columns: tuple, key: tuple) -> str:
        cache = self.__dict__.setdefault("_statements", {})
        found = cache.get((kind, table, columns, key))
        if found is None:
            found = cache[(kind, table, columns, key)] = self.q(
                self._sql(kind, table, columns, key, "(" + ", ".join("?" * len(columns)) + ")"))
        return found

    # -- writing ---------------------------------------------------------------
    def insert_events(self, stored_events: Sequence[StoredEvent], *, tracking: Tracking | None = None,
                      track: tuple | None = None, commands: Sequence[tuple[str, int]] = (),
                      after: Callable[[Any, list[tuple]], None] | None = None, **_: Any) -> list[int]:
        """Append events in one transaction; return their positions.

        :param track: ``(follower, read up to, now at[, data])``: the follower's position
            moves only from ``read up to``, else ``IntegrityError``; ``data`` (text) is
            kept beside it (what the follower needs to resume).
        :param commands: ``(command id, index of its first event[, digest])`` to record (a repeated
            id is ``IntegrityError``); the digest of the command's canonical form is kept beside it, so
            that a later command sent under the same id is told apart from the same command sent again.
        :param after: called inside the transaction with the cursor and the rows written,
            ``(position, stream, version, topic, state)`` each.
        """
        try:
            return self._insert(stored_events, tracking, track, commands, after)
        except BaseException:
            for writer in self.side_writers:
                getattr(writer, "rolled_back", lambda: None)()
            raise

    def _insert(self, stored_events, tracking, track, commands, after) -> list[int]:
        with self._write() as cur:
            base = self._bump_head(cur, len(stored_events))
            rows = [(base + i + 1, hex_id(s.originator_id), s.originator_version, s.topic, bytes(s.state))
                    for i, s in enumerate(stored_events)]
            for write in self.side_writers:  # first: the tree checks the log is as Sankao left it
                write(cur, rows)
            self.write_rows(cur, "insert", "events", EVENT_COLUMNS.split(", "), rows)
            self.write_rows(cur, "insert", "commands", ("command_id", "position"),
                            [(c[0], base + c[1] + 1) for c in commands])
            self.write_rows(cur, "insert", "command_digests", ("command_id", "digest"),
                            [(c[0], c[2]) for c in commands if len(c) > 2 and c[2] is not None])
            if tracking is not None:
                track = (tracking.application_name, None, tracking.notification_id)
            if track is not None:
                self._track(cur, *track)
            if after is not None:
                after(cur, rows)
        return [r[0] for r in rows]

    def _bump_head(self, cur, count: int) -> int:
        cur.execute(self.q("UPDATE log_head SET size = size + ? WHERE id = 1 RETURNING size"), (count,))
        return cur.fetchone()[0] - count

    def _track(self, cur, name: str, before: int | None, now: int, data: str | None = None) -> None:
        cur.execute(self.q("SELECT position FROM tracking WHERE name = ?"), (name,))
        row = cur.fetchone()
        current = row[0] if row else None
        if before is not None and (current or 0) != before:
            raise IntegrityError(f"tracking {name}: at {current}, not {before}: another follower went ahead")
        if current is None:
            cur.execute(self.q("INSERT INTO tracking (name, position, data) VALUES (?, ?, ?)"), (name, now, data))
        elif now < current or (before is None and now == current):
            raise IntegrityError(f"tracking {name}: already at {current}")
        else:
            cur.execute(self.q("UPDATE tracking SET position = ?, data = ? WHERE name = ?"), (now, data, name))

    def tracking(self, name: str) -> tuple[int, str | None]:
        """How far the follower ``name`` has got, and the data it keeps beside it."""
        rows = self.fetch("SELECT position, data FROM tracking WHERE name = ?", (name,))
        return (rows[0][0], rows[0][1]) if rows else (0, None)

    def insert_tracking(self, tracking: Tracking) -> None:
        self.insert_events([], tracking=tracking)

    # -- reading ---------------------------------------------------------------
    def select_events(self, originator_id: UUID | str, *, gt: int | None = None, lte: int | None = None,
                      desc: bool = False, limit: int | None = None) -> list[Notification]:
        sql, params = f"SELECT {EVENT_COLUMNS} FROM events WHERE stream = ?", [hex_id(originator_id)]
        if gt is not None:
            sql, params = sql + " AND version > ?", params + [gt]
        if lte is not None:
            sql, params = sql + " AND version <= ?", params + [lte]
        sql += " ORDER BY version DESC" if desc else " ORDER BY version"
        if limit is not None:
            sql, params = sql + " LIMIT ?", params + [limit]
        return self.fetch_events(sql, params)

    def select_streams(self, originator_ids: Sequence[UUID], *, upto: int) -> list[Notification]:
        """Every event of the given streams recorded at or before ``upto``, stream by stream in version order."""
        found = []
        ids = [hex_id(i) for i in originator_ids]
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            found += self.fetch_events(f"SELECT {EVENT_COLUMNS} FROM events WHERE stream IN "
                                       f"({', '.join('?' * len(chunk))}) AND position <= ? "
                                       "ORDER BY stream, version", [*chunk, upto])
        return found

    def select_last(self, originator_id: UUID, *, upto: int) -> Notification | None:
        """The latest event of a stream recorded at or before ``upto``."""
        found = self.fetch_events(f"SELECT {EVENT_COLUMNS} FROM events WHERE stream = ? AND position <= ? "
                                  "ORDER BY version DESC LIMIT 1", [hex_id(originator_id), upto])
        return found[0] if found else None

    def select_notifications(self, start: int | None, limit: int, stop: int | None = None,
                             topics: Sequence[str] = (), *, inclusive_of_start: bool = True,
                             exclude: Sequence[str] = ()) -> list[Notification]:
        """Events in position order; of ``topics`` if given, leaving out those of ``exclude``."""
        sql, params, where = f"SELECT {EVENT_COLUMNS} FROM events", [], []
        if start is not None:
            where.append("position >= ?" if inclusive_of_start else "position > ?")
            params.append(start)
        if stop is not None:
            where.append("position <= ?")
            params.append(stop)
        if topics:
            where.append(f"topic IN ({', '.join('?' * len(topics))})")
            params.extend(topics)
        if exclude:
            where.append(f"topic NOT IN ({', '.join('?' * len(exclude))})")
            params.extend(exclude)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.fetch_events(sql + " ORDER BY position LIMIT ?", params + [limit])

    def select_positions(self, positions: Sequence[int]) -> list[Notification]:
        """The events at the given positions, in position order."""
        found = []
        for i in range(0, len(positions), 500):
            chunk = list(positions[i:i + 500])
            found += self.fetch_events(f"SELECT {EVENT_COLUMNS} FROM events WHERE position IN "
                                       f"({', '.join('?' * len(chunk))}) ORDER BY position", chunk)
        return sorted(found, key=lambda n: n.id)

    def fetch_events(self, sql: str, params: Sequence) -> list[Notification]:
        with self._single() as cur:
            cur.execute(self.q(sql), params)
            return [Notification(id=r[0], originator_id=r[1], originator_version=r[2], topic=r[3],
                                 state=_bytes(r[4])) for r in cur.fetchall()]

    def fetch(self, sql: str, params: Sequence = ()) -> list[tuple]:
        """Rows of a read-only query (``?`` placeholders)."""
        with self._single() as cur:
            cur.execute(self.q(sql), params)
            return cur.fetchall()

    def max_notification_id(self) -> int:
        return self.fetch("SELECT size FROM log_head WHERE id = 1")[0][0]

    def last_position(self, exclude: Sequence[str] = ()) -> int:
        """The position of the last event, leaving out the topics ``exclude`` (0: none)."""
        sql, params = "SELECT position FROM events", []
        if exclude:
            sql, params = sql + f" WHERE topic NOT IN ({', '.join('?' * len(exclude))})", list(exclude)
        rows = self.fetch(sql + " ORDER BY position DESC LIMIT 1", params)
        return rows[0][0] if rows else 0

    def count_after(self, position: int, exclude: Sequence[str] = ()) -> int:
        """How many events lie after ``position``, leaving out those of the topics ``exclude``."""
        sql, params = "SELECT count(*) FROM events WHERE position > ?", [position]
        if exclude:
            sql, params = sql + f" AND topic NOT IN ({', '.join('?' * len(exclude))})", params + list(exclude)
        return self.fetch(sql, params)[0][0]

    def max_tracking_id(self, application_name: str) -> int | None:
        rows = self.fetch("SELECT position FROM tracking WHERE name = ?", (application_name,))
        return rows[0][0] if rows else None

    def recorded_commands(self, command_ids: Sequence[str], upto: int | None = None) -> dict[str, tuple]:
        """``{command id: (position of its first event, digest or None)}`` of those of ``command_ids`` that
        are recorded (at or before ``upto``, if given). The digest is None for a command recorded before
        digests were kept."""
        found: dict[str, tuple] = {}
        ids = list(dict.fromkeys(command_ids))
        bound = "" if upto is None else " AND c.position <= ?"
        if not self._keeps_digests():  # a store of an older schema, opened where it is not upgraded
            return {c: (p, None) for c, p in self.fetch(
                f"SELECT command_id, position FROM commands c WHERE command_id IN ({', '.join('?' * len(ids))})"
                f"{bound}", ids + ([] if upto is None else [upto]))} if ids else {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for command_id, position, digest in self.fetch(
                    "SELECT c.command_id, c.position, d.digest FROM commands c LEFT JOIN command_digests d ON "
                    f"d.command_id = c.command_id WHERE c.command_id IN ({', '.join('?' * len(chunk))}){bound}",
                    chunk + ([] if upto is None else [upto])):
                found[command_id] = (position, digest)
        return found

    def _keeps_digests(self) -> bool:
        if getattr(self, "_digests_table", None) is None:
            try:
                self.fetch("SELECT 1 FROM command_digests WHERE 1 = 0")
                self._digests_table = True
            except Exception:  # no such table: a store from before schema 5, not upgraded here
                self._digests_table = False
        return self._digests_table

    def commands_other_than(self, prefix: str) -> int:
        """How many recorded commands have ids not starting with ``prefix`` (Sankao's own ids and access tokens
        aside)."""
        return self.fetch("SELECT count(*) FROM commands WHERE command_id NOT LIKE ? AND command_id NOT LIKE "
                          "'batch:%' AND command_id NOT LIKE 'rules:initial:%' AND command_id NOT LIKE 'token:%'",
                          (prefix.replace("%", "") + "%",))[0][0]

    def session_secret(self) -> str | None:
        """The secret that signs the pages' session cookies, kept in the store's settings (``meta``, not the
        log: it is never exported) so that every web process over the store shares it; made on first use. None
        when the store cannot be written and holds none yet."""
        found = self.fetch("SELECT value FROM meta WHERE key = 'session_secret'")
        if found:
            return found[0][0]
        if self.read_only:
            return None
        import secrets
        with self._write() as cur:
            cur.execute(self.q("INSERT INTO meta (key, value) VALUES ('session_secret', ?) ON CONFLICT (key) DO "
                               "NOTHING"), (secrets.token_hex(32),))
        return self.fetch("SELECT value FROM meta WHERE key = 'session_secret'")[0][0]

    def command_ids(self, prefix: str) -> set[str]:
        """The ids of the recorded commands that start with ``prefix``."""
        return {row[0] for row in self.fetch("SELECT command_id FROM commands WHERE command_id LIKE ?",
                                             (prefix.replace("%", "") + "%",))}

    def _table_names(self, cur) -> set[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _unmarked(self, cur, tables: set[str]):
        """What is wrong (a ``Text``) when the store has no schema mark (meta ``schema``) yet holds a log:
        rows in the events, the tree or the command ids, or a log head past 0. None when it has a mark, or
        holds nothing (a new store whose creation stopped before the mark: the next writer finishes it).

        Such a store is refused by every command, those that record included: only a deleted row (an
        accident, or cover for rows written around Sankao) leaves a log unmarked, and an upgrade would hash
        every row of it into the tree."""
        if "meta" not in tables:
            return None
        cur.execute("SELECT value FROM meta WHERE key = 'schema'")
        if cur.fetchone() is not None:
            return None
        held = []
        for table in ("events", "merkle_leaves", "merkle_nodes", "commands"):
            if table in tables:
                cur.execute(f"SELECT 1 FROM {table} LIMIT 1")
                if cur.fetchone() is not None:
                    held.append(f"'{table}'")
        if "log_head" in tables:
            cur.execute("SELECT max(size) FROM log_head")
            if (cur.fetchone() or (0,))[0]:
                held.append("'log_head'")
        if not held:
            return None
        from core.messages import msg
        return msg("store.schema_missing_log", where=self.location.describe(), tables=held)

    def unmarked(self):
        """``_unmarked`` of the store as it stands (read only)."""
        with self._read() as cur:
            return self._unmarked(cur, self._table_names(cur))

    def upgrade(self) -> None:
        """Bring a store of an older schema up to this one (when this process may write it); run after
        every open and create.

        A store from before the Merkle tree (marked schema 2) gets its tables, then the tree takes in the
        log as it stands, once; from here on the tree grows in the transaction of every write, and a lag
        means events written around Sankao. The schema is marked new only once the tree is whole, so a
        process killed half-way leaves a store that the next one finishes. A store holding a log without
        any mark is refused (``create`` raises ``StoreDamaged``, ``_unmarked``), never upgraded."""
        if self.read_only:
            return
        found = self.fetch("SELECT value FROM meta WHERE key = 'schema'")
        if found and found[0][0] == SCHEMA:
            return
        self.create()
        for rider in self.riders:
            if rider.upgrade is not None:
                rider.upgrade(self)
        with self._write() as cur:
            cur.execute(f"INSERT INTO meta (key, value) VALUES ('schema', '{SCHEMA}') ON CONFLICT (key) DO UPDATE "
                        "SET value = excluded.value")

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()):
        raise NotImplementedError("Sankao's followers poll the log; they do not subscribe")


def _bytes(state) -> bytes:
    """A stored state as bytes (a row someone rewrote as text reads as its UTF-8)."""
    return state.encode("utf-8") if isinstance(state, str) else bytes(state)


def hex_id(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)


def schema_statements(blob: str, bigint: str, riders=()) -> list[str]:
    """The tables of a Sankao store, in either dialect: the log's own, then each rider's (what is written with
    it). The schema is marked by ``Recorder.upgrade`` once every rider has taken in the log."""
    return [
        f"CREATE TABLE IF NOT EXISTS events (position {bigint} PRIMARY KEY, stream TEXT NOT NULL, "
        f"version {bigint} NOT NULL, topic TEXT NOT NULL, state {blob} NOT NULL, UNIQUE (stream, version))",
        f"CREATE TABLE IF NOT EXISTS log_head (id INTEGER PRIMARY KEY, size {bigint} NOT NULL)",
        "INSERT INTO log_head (id, size) VALUES (1, 0) ON CONFLICT (id) DO NOTHING",
        f"CREATE TABLE IF NOT EXISTS commands (command_id TEXT PRIMARY KEY, position {bigint} NOT NULL)",
        "CREATE TABLE IF NOT EXISTS command_digests (command_id TEXT PRIMARY KEY, digest TEXT NOT NULL)",
        f"CREATE TABLE IF NOT EXISTS tracking (name TEXT PRIMARY KEY, position {bigint} NOT NULL, data TEXT)",
        f"CREATE TABLE IF NOT EXISTS snapshots (name TEXT NOT NULL, position {bigint} NOT NULL, "
        f"taken_at {bigint} NOT NULL, data {blob} NOT NULL, PRIMARY KEY (name, position))",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        f"INSERT INTO meta (key, value) VALUES ('format', '{FORMAT}') ON CONFLICT (key) DO NOTHING",
    ] + [statement for rider in riders for statement in rider.tables(blob, bigint)]
