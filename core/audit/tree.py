"""The Merkle tree of a store's log, kept as events are recorded (RFC 9162; ``core.audit.merkle``).

Leaf i is the event at position i + 1. ``merkle_leaves`` keeps every leaf hash;
``merkle_nodes`` keeps the hash of every whole subtree of 256 leaves or more
(level ≥ 8); smaller subtrees are hashed from the leaves when a proof needs them.
The tree grows in the same transaction as the events (``TreeWriter``, a side
writer of the recorder), so it always stands at the log's last position: the
tree never holds an event that is not in the log, and a head read from it is a
head of the log. ``catch_up`` is used once, when a store from before the tree is
first opened for writing (``Recorder.upgrade``). After that, a log longer than
its tree holds events written around Sankao (straight into the database): the
writer refuses to add to such a log, and ``audit verify`` names the events.
"""

from __future__ import annotations

from core.audit import merkle

STORED_LEVEL = 8  # subtrees of 2**8 leaves and more are kept


def ddl(blob: str, bigint: str) -> list[str]:
    return [f"CREATE TABLE IF NOT EXISTS merkle_leaves (position {bigint} PRIMARY KEY, hash {blob} NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS merkle_nodes (level INTEGER NOT NULL, idx {bigint} NOT NULL, "
            f"hash {blob} NOT NULL, PRIMARY KEY (level, idx))"]


def decomposition(size: int) -> list[tuple[int, int]]:
    """The whole subtrees ``(level, first leaf)`` that make up a tree of ``size`` leaves, left to right."""
    out, start = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size & (1 << level):
            out.append((level, start))
            start += 1 << level
    return out


class StoredTree:
    """Reading the tree of a store: sizes, roots and proofs, from the stored leaves and subtrees."""

    def __init__(self, recorder):
        self.recorder = recorder

    def size(self, cur=None) -> int:
        sql = "SELECT max(position) FROM merkle_leaves"
        if cur is None:
            return self.recorder.fetch(sql)[0][0] or 0
        cur.execute(sql)
        return cur.fetchone()[0] or 0

    def mth(self, cur=None):
        """An ``mth(start, end)`` answering from the store (with what it read kept)."""
        memo: dict = {}

        def fetch(sql: str, params) -> list:
            if cur is None:
                return self.recorder.fetch(sql, params)
            cur.execute(self.recorder.q(sql), params)
            return cur.fetchall()

        def leaves(start: int, end: int) -> list[bytes]:
            rows = fetch("SELECT position, hash FROM merkle_leaves WHERE position > ? AND position <= ? "
                         "ORDER BY position", (start, end))
            if len(rows) != end - start:
                raise LookupError(f"the tree lacks leaves between positions {start + 1} and {end}")
            return [bytes(h) for _, h in rows]

        def mth(start: int, end: int) -> bytes:
            if end == start:
                return merkle.EMPTY
            found = memo.get((start, end))
            if found is not None:
                return found
            n = end - start
            if n & (n - 1) == 0 and start % n == 0:  # a whole subtree
                level = n.bit_length() - 1
                if level >= STORED_LEVEL:
                    rows = fetch("SELECT hash FROM merkle_nodes WHERE level = ? AND idx = ?", (level, start >> level))
                    if rows:
                        memo[(start, end)] = bytes(rows[0][0])
                        return memo[(start, end)]
                found = merkle.root_of(leaves(start, end))
            else:
                k = merkle.split(n)
                found = merkle.node_hash(mth(start, start + k), mth(start + k, end))
            memo[(start, end)] = found
            return found
        return mth

    def root(self, size: int, cur=None) -> bytes:
        return self.mth(cur)(0, size)


class TreeWriter:
    """Grows the tree with the events of a transaction (a side writer of ``core.store.recorder.Recorder``)."""

    def __init__(self, recorder):
        self.recorder = recorder
        self.tree = StoredTree(recorder)
        self._frontier: tuple[int, list] | None = None  # (size, [(level, hash)]) of the last transaction

    def frontier(self, cur, size: int) -> list[tuple[int, bytes]]:
        """The whole subtrees of the tree of ``size`` leaves: kept from this process's last write when the
        tree still ends with the leaf that write left (else read from the store)."""
        if self._frontier is not None and self._frontier[0] == size:
            cur.execute(self.recorder.q("SELECT hash FROM merkle_leaves WHERE position = ?"), (size,))
            row = cur.fetchone()
            if row is not None and bytes(row[0]) == self._frontier[2]:
                return list(self._frontier[1])
        mth = self.tree.mth(cur)
        return [(level, mth(start, start + (1 << level))) for level, start in decomposition(size)]

    def __call__(self, cur, rows: list[tuple]) -> None:
        """Inside the transaction that writes ``rows`` ((position, stream, version, topic, state) each),
        before they are inserted."""
        if not rows:
            return
        size = rows[0][0] - 1
        held = self.tree.size(cur)
        cur.execute("SELECT max(position) FROM events")
        last = cur.fetchone()[0] or 0
        if held != size or last != size:
            self._frontier = None
            from core.errors import StoreDamaged
            from core.messages import msg
            raise StoreDamaged(msg("audit.log_end", size=size, last=last, held=held), held + 1)
        self._grow(cur, rows)

    def _grow(self, cur, rows: list[tuple]) -> None:
        size = rows[0][0] - 1
        frontier = self.frontier(cur, size)
        leaves, nodes = [], []
        for position, stream, version, topic, state in rows:
            h = merkle.leaf_hash(merkle.leaf_bytes(position, stream, version, topic, state))
            leaves.append((position, h))
            frontier.append((0, h))
            index = position  # leaves so far
            while len(frontier) > 1 and frontier[-1][0] == frontier[-2][0]:
                (level, left), (_, right) = frontier[-2], frontier[-1]
                parent = merkle.node_hash(left, right)
                frontier[-2:] = [(level + 1, parent)]
                if level + 1 >= STORED_LEVEL:
                    nodes.append((level + 1, (index >> (level + 1)) - 1, parent))
        self.recorder.write_rows(cur, "insert", "merkle_leaves", ("position", "hash"), leaves)
        self.recorder.write_rows(cur, "insert", "merkle_nodes", ("level", "idx", "hash"), nodes)
        self._frontier = (rows[-1][0], frontier, leaves[-1][1])

    def rolled_back(self) -> None:
        """The transaction of the last write failed: what it left is not in the store."""
        self._frontier = None

    def catch_up(self, chunk: int = 20_000, progress=None) -> int:
        """Grow the tree over the events it lacks, one transaction per chunk; returns how many."""
        done = 0
        while True:
            start = self.tree.size()
            batch = self.recorder.select_notifications(start=start + 1, limit=chunk)
            if not batch:
                return done
            rows = [(n.id, str(n.originator_id), n.originator_version, n.topic, n.state) for n in batch]
            with self.recorder._write() as cur:
                if self.tree.size(cur) != start:
                    continue
                self._frontier = None
                self._grow(cur, rows)
            done += len(rows)
            if progress:
                progress(len(rows))

    def behind(self) -> int:
        return self.recorder.max_notification_id() - self.tree.size()
