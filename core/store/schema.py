"""A store's schema: its tables (the log's own and its riders'), its mark (``meta``: ``schema``, ``format``),
its settings and session secret, and bringing an older store up to this schema."""

from __future__ import annotations

FORMAT = "sankao-2"
SCHEMA = "7"  # the tables: 2 the log and read models, 3 the Merkle tree, 4 access tokens, 5 command digests,
# 6 supervision's read model (docs/assessment.md §9), 7 the outbox and contacts (docs/delivery.md)


class Schema:
    """The schema's part of a recorder (``core.store.recorder.Recorder``)."""

    def meta(self, key: str) -> str | None:
        """A value of the store's own settings table (``meta``)."""
        rows = self.fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of ``meta`` once: a value already there is kept (read it back with ``meta``)."""
        with self._write() as cur:
            cur.execute(self.q("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"), (key, value))

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
