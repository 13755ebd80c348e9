"""The checks ``audit verify`` makes beside recomputing the leaves (``core.audit.log.verify``).

- **Recorded times** (``fact_time``): the facts' recorded times never go backwards along the
  log. The ledger refuses a command whose time is earlier than the latest fact recorded before
  it (``Ledger._stamp``, against ``Facts.last_recorded``), so in an honest store every fact is
  recorded at or after every fact before it. The rule covers exactly the facts the ledger keeps
  that time from: every ``events.facts`` event (the batch closers and the rules included) except
  the access tokens' (``TokenIssued``, ``TokenRevoked`` and the ``BatchRecorded`` that saves one,
  ``core.record.state.is_access_event``), which are recorded at their real time, outside the assessment's
  timeline. Consequences are left out: the scorer stamps each with its cause's time (or a
  month's first instant), and it records them after their causes, between later facts.
- **Stored tree nodes** (``Nodes``): every stored subtree hash (``merkle_nodes``) is the one the
  events' leaves give; a node that is not names the positions it covers.
- **Read models** (``ReadModelCheck``): every row of every read-model table
  (``core.read.tables``) is what the log projects up to the position the tables stand at
  (``rm_position``): the projection is computed from the events as they are read (each event's
  ``project`` rows, applied in log order) into a scratch SQLite file beside the process, the
  tables are copied there from one consistent read of the store, and the two are compared by
  primary key: a row that differs (naming its column and the event that wrote it), one that is
  missing and one that no event wrote.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile

from core.tree import merkle
from core.tree.writer import block_root
from core.record.state import is_access_event
from core.messages import msg
from core.clock import EPOCH, micros
from core.read.tables import STATEMENTS, project
from events.facts import Recorded

# -- recorded times ------------------------------------------------------------------------------------------


def fact_time(event) -> int | None:
    """The recorded time (µs since the epoch) of a fact the ledger keeps in time order, else None."""
    if not isinstance(event, Recorded) or is_access_event(event):
        return None
    return micros(event.timestamp)


def decoder(mapper):
    """``decode(notification)``: the domain event of a stored one, as ``mapper`` gives it (``StoreDamaged`` when it
    cannot be read), without the cost of ``CheckedMapper``'s messages when it can."""
    from eventsourcing.persistence import Mapper

    from core.store.app import required_fields
    plain = Mapper.to_domain_event

    def decode(notification):
        try:
            event = plain(mapper, notification)
            if required_fields(notification.topic)[1] <= event.__dict__.keys():
                return event
        except Exception:  # said by the checked mapper below
            pass
        return mapper.to_domain_event(notification)
    return decode


def moment(us: int) -> str:
    from datetime import timedelta
    return (EPOCH + timedelta(microseconds=us)).isoformat()


class Times:
    """Folds the facts' recorded times in log order; a fact earlier than the latest before it is a problem."""

    def __init__(self):
        self.latest: int | None = None
        self.latest_position = 0

    def take(self, times, problems: list) -> None:
        """``times``: ``(position, µs)`` of the facts of a range, in log order."""
        for position, at in times:
            if self.latest is not None and at < self.latest:
                problems.append((position, "backdated", msg("audit.backdated", at=moment(at),
                                                            latest=moment(self.latest),
                                                            position=self.latest_position)))
                continue
            self.latest, self.latest_position = at, position


# -- stored tree nodes ---------------------------------------------------------------------------------------

CHUNK_LEVEL = 8  # = core.tree.writer.STORED_LEVEL: the smallest stored subtree
CHUNK = 1 << CHUNK_LEVEL


def chunk_roots(hashes: list) -> list:
    """The roots of the whole chunks of 256 leaf hashes at the start of ``hashes``."""
    return [block_root(hashes[i:i + CHUNK]) for i in range(0, len(hashes) - CHUNK + 1, CHUNK)]


class Nodes:
    """Every whole subtree of 256 leaves or more of the leaves folded in (in order), by (level, index)."""

    def __init__(self):
        self.buffer: list = []  # leaves not yet making a whole chunk
        self.chunks = 0
        self.stack: list = []  # (level, hash) of the whole subtrees not yet merged, left to right
        self.found: dict = {}

    def leaves(self, hashes: list) -> None:
        self.buffer += hashes
        whole = len(self.buffer) - len(self.buffer) % CHUNK
        if whole:
            taken, self.buffer = self.buffer[:whole], self.buffer[whole:]
            for root in chunk_roots(taken):
                self._chunk(root)

    def roots(self, roots: list) -> None:
        """The roots of whole chunks following the leaves folded in so far (none pending)."""
        assert not self.buffer
        for root in roots:
            self._chunk(root)

    def _chunk(self, root: bytes) -> None:
        self.found[(CHUNK_LEVEL, self.chunks)] = root
        self.chunks += 1
        self.stack.append((CHUNK_LEVEL, root))
        while len(self.stack) > 1 and self.stack[-1][0] == self.stack[-2][0]:
            (level, left), (_, right) = self.stack[-2], self.stack[-1]
            parent = merkle.node_hash(left, right)
            self.stack[-2:] = [(level + 1, parent)]
            self.found[(level + 1, (self.chunks >> (level + 1 - CHUNK_LEVEL)) - 1)] = parent

    def compare(self, stored: dict, size: int, quiet: list, problems: list) -> None:
        """Compare the stored nodes with those found, over the first ``size`` leaves; a node over a position in
        ``quiet`` (already reported otherwise) is not reported again. Only the lowest nodes that differ are
        named (a node's ancestors differ with it)."""
        quiet = sorted(quiet)

        def span(level: int, idx: int) -> tuple[int, int]:
            return (idx << level) + 1, (idx + 1) << level

        def quiet_in(first: int, last: int) -> bool:
            from bisect import bisect_left
            i = bisect_left(quiet, first)
            return i < len(quiet) and quiet[i] <= last

        wrong = set()
        for key in sorted(set(stored) | set(self.found)):
            level, idx = key
            first, last = span(level, idx)
            if key not in self.found:
                if key in stored and (last > size or level < CHUNK_LEVEL) and not quiet_in(first, last):
                    problems.append((min(first, size + 1), "node", msg("audit.node_extra", level=level, idx=idx,
                                                                        first=first, last=last)))
                continue
            if last > size:
                continue
            if key not in stored:
                wrong.add(key)
                if not quiet_in(first, last):
                    problems.append((first, "node", msg("audit.node_missing", level=level, first=first, last=last)))
            elif bytes(stored[key]) != self.found[key]:
                wrong.add(key)
        for level, idx in sorted(wrong):
            if (level, idx) not in stored:
                continue
            if level > CHUNK_LEVEL and ((level - 1, 2 * idx) in wrong or (level - 1, 2 * idx + 1) in wrong):
                continue  # a node below says it more precisely
            first, last = span(level, idx)
            if not quiet_in(first, last):
                problems.append((first, "node", msg("audit.node", level=level, first=first, last=last)))


# -- read models ---------------------------------------------------------------------------------------------

KEYS = {"rm_units": ("unit",), "rm_targets": ("unit", "year"), "rm_projects": ("project",),
        "rm_figures": ("period", "unit"), "rm_stamps": ("period",), "rm_figures_log": ("period", "unit", "version"),
        "rm_notices": ("position",), "rm_frozen": ("period",), "rm_closes": ("period",), "rm_heads": ("position",),
        "rm_tokens": ("name",), "rm_supervision": ("position", "kind")}
"""The primary key of each read-model table (as ``core.read.tables.ddl`` declares it)."""
DIGESTED = {("rm_figures", "data")}
"""Columns compared by their SHA-256 (a stored event's JSON each: not carried whole between processes)."""
MAX_ROWS = 20  # rows named per table; the rest counted
PAGE = 10_000


def columns() -> dict:
    """Every column of each read-model table, in the order ``core.read.tables.STATEMENTS`` first names them."""
    found: dict = {}
    for kind, table, cols, keys in STATEMENTS.values():
        names = found.setdefault(table, [])
        for c in (*keys, *cols, *(("stamp",) if kind == "count" else ())):
            if c not in names:
                names.append(c)
    return {t: tuple(c) for t, c in found.items()}


def digest(value) -> str | None:
    if value is None:
        return None
    return hashlib.sha256(value.encode("utf-8") if isinstance(value, str) else bytes(value)).hexdigest()


_DIGEST_AT = {key: cols.index("data") for key, (kind, table, cols, keys) in STATEMENTS.items()
              if (table, "data") in DIGESTED and kind in ("insert", "upsert") and "data" in cols}


def ops_of(position: int, event, state: bytes) -> list:
    """``core.read.tables.project`` of one event, its columns named, digested where ``DIGESTED`` says."""
    out = []
    for key, params in project(position, event, state):
        i = _DIGEST_AT.get(key)
        if i is not None:
            params = (*params[:i], digest(params[i]), *params[i + 1:])
        out.append((position, key, params))
    return out


class ReadModelCheck:
    """The read-model tables as the log projects them, beside a copy of the stored ones, in a scratch file."""

    def __init__(self):
        self.folder = tempfile.mkdtemp(prefix="sankao-verify-")
        self.db = sqlite3.connect(os.path.join(self.folder, "check.db"), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("PRAGMA cache_size=-65536")  # 64 MB
        self.columns = columns()
        self.position = 0  # where the stored tables stand (rm_position)
        self.statements: dict = {}
        writers: dict = {}
        for kind, table, cols, keys in STATEMENTS.values():
            writers[table] = writers.get(table, 0) + 1
        # where each column's writer is kept: per column in a table that several statements write in parts
        # (projects, tokens), else one per row
        self.at = {table: {c: f"_p_{c}" if writers[table] > 1 else "_p" for c in cols}
                   for table, cols in self.columns.items()}
        for table, cols in self.columns.items():
            keys = ", ".join(KEYS[table])
            for prefix, extra in (("e_", sorted(set(self.at[table].values()))), ("a_", [])):
                # no declared types: values are kept and compared exactly as given (no affinity)
                self.db.execute(f"CREATE TABLE {prefix}{table} ({', '.join([*cols, *extra])}, PRIMARY KEY ({keys})) "
                                "WITHOUT ROWID")
        self.db.execute("BEGIN")

    def close(self) -> None:
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- the stored tables, from one consistent read -------------------------------------------------------
    def copy_stored(self, recorder) -> None:
        """Copy every read-model table and ``rm_position`` from the store, in one read transaction."""
        from core.read.tables import NAME
        with recorder._read() as cur:
            cur.execute(recorder.q("SELECT position FROM rm_position WHERE name = ?"), (NAME,))
            row = cur.fetchone()
            self.position = row[0] if row else 0
            for table, cols in self.columns.items():
                keys = KEYS[table]
                select = f"SELECT {', '.join(cols)} FROM {table}"
                order = f" ORDER BY {', '.join(keys)} LIMIT {PAGE}"
                after = (f" WHERE ({', '.join(keys)}) > ({', '.join('?' * len(keys))})" if len(keys) > 1
                         else f" WHERE {keys[0]} > ?")
                insert = f"INSERT OR REPLACE INTO a_{table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
                digested = [i for i, c in enumerate(cols) if (table, c) in DIGESTED]
                key_at = [cols.index(k) for k in keys]
                last = None
                while True:
                    cur.execute(recorder.q(select + (after if last is not None else "") + order),
                                () if last is None else last)
                    rows = cur.fetchall()
                    if not rows:
                        break
                    if digested:
                        rows = [tuple(digest(v) if i in digested else v for i, v in enumerate(r)) for r in rows]
                    self.db.executemany(insert, rows)  # (no blob columns: text and integers)
                    last = tuple(rows[-1][i] for i in key_at)
                    if len(rows) < PAGE:
                        break

    # -- what the log projects -------------------------------------------------------------------------------
    def apply(self, ops: list) -> None:
        """``ops``: ``(position, statement key, params)`` of events in log order (``ops_of``), applied as one
        event after another writes them: one statement per kind of row, the inserts first; a row that a second
        kind of statement writes first has what came before it written."""
        from core.read.tables import overwrites
        groups: dict = {}
        writer: dict = {}
        for position, key, params in ops:
            if overwrites(writer, key, params):
                self._flush(groups)
                groups, writer = {}, {}
                overwrites(writer, key, params)
            groups.setdefault(key, []).append((position, params))
        self._flush(groups)

    def _flush(self, groups: dict) -> None:
        for key, run in sorted(groups.items(), key=lambda item: STATEMENTS[item[0]][0] != "insert"):
            self._write(key, run)

    def _write(self, key: str, run: list) -> None:
        kind, table, cols, keys = STATEMENTS[key]
        at = self.at[table]
        marks = list(dict.fromkeys(at[c] for c in cols))  # the position columns this statement sets
        statement = self.statements.get(key)
        if statement is None:
            values = ", ".join("?" * (len(cols) + len(marks)))
            if kind == "count":  # a change counter per key
                statement = (f"INSERT INTO e_{table} ({', '.join([*cols, *marks])}, stamp) VALUES ({values}, 1) "
                             f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET stamp = stamp + 1, "
                             + ", ".join(f"{m} = excluded.{m}" for m in marks))
            elif kind == "update":
                sets = ", ".join(f"{c} = ?" for c in [*cols, *marks])
                statement = f"UPDATE e_{table} SET {sets} WHERE " + " AND ".join(f"{k} = ?" for k in keys)
            else:  # insert, upsert (an insert of a key already there fails in the store: never in an honest one)
                conflict = KEYS[table]
                sets = ", ".join(f"{c} = excluded.{c}" for c in [*cols, *marks] if c not in conflict)
                statement = (f"INSERT INTO e_{table} ({', '.join([*cols, *marks])}) VALUES ({values}) "
                             f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {sets}")
            self.statements[key] = statement
        n, m = len(cols), len(marks)
        if kind == "update":
            rows = [(*params[:n], *[position] * m, *params[n:]) for position, params in run]
        else:
            rows = [(*params, *[position] * m) for position, params in run]
        self.db.executemany(statement, rows)

    # -- the comparison ----------------------------------------------------------------------------------------
    def compare(self, problems: list) -> None:
        for table, cols in self.columns.items():
            keys = KEYS[table]
            on = " AND ".join(f"a.{k} = e.{k}" for k in keys)
            named = 0
            found: list = []
            differs = " OR ".join(f"a.{c} IS NOT e.{c}" for c in cols)
            at = self.at[table]
            for row in self.db.execute(
                    f"SELECT {', '.join('a.' + c for c in cols)}, {', '.join('e.' + c for c in cols)}, "
                    f"{', '.join('e.' + at[c] for c in cols)} FROM a_{table} a JOIN e_{table} e ON {on} "
                    f"WHERE {differs}"):
                n = len(cols)
                stored, wanted, written = row[:n], row[n:2 * n], row[2 * n:]
                i = next(i for i in range(n) if _differ(stored[i], wanted[i]))
                found.append((written[i] or self.position, msg(
                    "audit.rm_differs", table=table, key=_key(keys, cols, wanted), column=cols[i],
                    found=_shown(stored[i], wanted[i]), wanted=_shown(wanted[i], stored[i]),
                    position=written[i] or self.position)))
            for row in self.db.execute(f"SELECT {', '.join('e.' + c for c in cols)}, e.{at[keys[0]]} FROM e_{table} e "
                                       f"WHERE NOT EXISTS (SELECT 1 FROM a_{table} a WHERE {on})"):
                found.append((row[-1], msg("audit.rm_missing", table=table, key=_key(keys, cols, row),
                                           position=row[-1])))
            for row in self.db.execute(f"SELECT {', '.join('a.' + c for c in cols)} FROM a_{table} a "
                                       f"WHERE NOT EXISTS (SELECT 1 FROM e_{table} e WHERE {on})"):
                at = row[cols.index("position")] if "position" in cols else None
                at = at if isinstance(at, int) and 0 < at <= self.position else self.position
                found.append((at, msg("audit.rm_extra", table=table, key=_key(keys, cols, row), upto=self.position)))
            found.sort(key=lambda p: p[0])
            for position, what in found[:MAX_ROWS]:
                problems.append((position, "read_model", what))
                named += 1
            if len(found) > named:
                problems.append((found[named][0], "read_model", msg("audit.rm_more", table=table,
                                                                    count=len(found) - named)))


def _differ(a, b) -> bool:
    return a != b or type(a) is not type(b)


def _key(keys, cols, row) -> str:
    return ", ".join(f"{k}={row[cols.index(k)]}" for k in keys)


def _shown(value, other=None) -> str:
    """A value as a problem shows it: whole when short, else the part around where it first differs from
    ``other`` (two long rows that differ late would otherwise read the same)."""
    text = repr(value)
    if len(text) <= 70:
        return text
    theirs = repr(other) if other is not None else ""
    first = next((i for i, (a, b) in enumerate(zip(text, theirs)) if a != b), min(len(text), len(theirs)))
    start = max(0, min(first - 30, len(text) - 64))
    return ("..." if start else "") + text[start:start + 64] + ("..." if start + 64 < len(text) else "")
