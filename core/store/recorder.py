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

from core.store.command_ids import CommandIds
from core.store.rows import RowWriter
from core.store.schema import Schema

EVENT_COLUMNS = "position, stream, version, topic, state"


class Recorder(Schema, CommandIds, RowWriter, ProcessRecorder):
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

    def _single(self):
        """A cursor for one read-only statement (a dialect may skip the transaction around it)."""
        return self._read()

    def close(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def q(self, sql: str) -> str:
        """``sql`` with ``?`` placeholders in this dialect's style."""
        return sql if self.ph == "?" else sql.replace("%", "%%").replace("?", self.ph)

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

    def pages(self, start: int = 1, *, stop: int | None = None, topics: Sequence[str] = (),
              exclude: Sequence[str] = (), size: int = 5000) -> Iterator[list[Notification]]:
        """The log from position ``start`` (to ``stop``, of ``topics``, leaving out ``exclude``) in pages of at
        most ``size`` events, in position order: the one loop over the log."""
        while True:
            batch = self.select_notifications(start=start, limit=size, stop=stop, topics=topics, exclude=exclude)
            if batch:
                yield batch
            if len(batch) < size:
                return
            start = batch[-1].id + 1

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

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()):
        raise NotImplementedError("Sankao's followers poll the log; they do not subscribe")


def _bytes(state) -> bytes:
    """A stored state as bytes (a row someone rewrote as text reads as its UTF-8)."""
    return state.encode("utf-8") if isinstance(state, str) else bytes(state)


def hex_id(originator_id: UUID | str) -> str:
    return originator_id.hex if isinstance(originator_id, UUID) else str(originator_id)
