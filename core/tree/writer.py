"""The Merkle tree of a store's log, kept as events are recorded (RFC 9162; ``core.tree.merkle``).

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

import bisect
import hashlib

from core.tree import merkle
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


def block_root(hashes: list, keep: bool = False):
    """The root of a whole subtree (a power of two of leaf hashes), level by level; with ``keep``, also the
    roots of its whole chunks of 256 leaves (none when it is smaller)."""
    sha, level = hashlib.sha256, hashes
    chunks = []
    while len(level) > 1:
        level = [sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
        if len(level) * 256 == len(hashes):
            chunks = level
    if len(hashes) == 256:
        chunks = [level[0]]
    return (level[0], chunks) if keep else level[0]


class StoredTree:
    """Reading the tree of a store: sizes, roots and proofs, from the stored leaves and subtrees."""

    PROVEN_LIMIT = 200_000

    def __init__(self, recorder):
        self.recorder = recorder
        # whole subtrees' hashes that proved an event into a verified root (``keep_proven``): a whole subtree
        # of an append-only log never changes, so a later verified read in this process takes them as proved
        self.proven: dict[tuple[int, int], bytes] = {}

    def keep_proven(self, wholes: dict) -> None:
        """Keep the whole subtrees a verified read's proofs were made of, once every proof held."""
        if len(self.proven) + len(wholes) > self.PROVEN_LIMIT:
            self.proven.clear()
        self.proven.update(wholes)

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

        blocks: dict[int, list[bytes]] = {}

        def leaves(start: int, end: int) -> list[bytes]:
            # a proof's small subtrees lie in one block of 2**STORED_LEVEL leaves: read the block once
            block = start >> STORED_LEVEL
            if end - start < (1 << STORED_LEVEL) and (end - 1) >> STORED_LEVEL == block:
                held = blocks.get(block)
                first = block << STORED_LEVEL
                if held is None or first + len(held) < end:
                    rows = fetch("SELECT position, hash FROM merkle_leaves WHERE position > ? AND position <= ? "
                                 "ORDER BY position", (first, first + (1 << STORED_LEVEL)))
                    # kept only as far as the positions run without a gap
                    held = []
                    for position, hash_ in rows:
                        if position != first + len(held) + 1:
                            break
                        held.append(bytes(hash_))
                    blocks[block] = held
                if first + len(held) >= end:
                    return held[start - first:end - first]
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

    def root_with(self, leaves: dict[int, bytes], size: int) -> tuple[bytes, dict]:
        """The root of the tree of ``size`` leaves with the given leaf hashes (by index) in their places and
        every other part read from the store (a multi-leaf inclusion proof: equal to a verified root, it
        proves every one of those leaves there), and the whole subtrees it was made of. The subtrees not
        proved before (``proven``) are read in two queries (the stored nodes, then the leaves of the smaller
        ones), each hashed once; the hashes along the leaves' paths are computed once for all of them."""
        targets = sorted(leaves)
        wholes: list = []

        def walk(start: int, end: int) -> None:
            i = bisect.bisect_left(targets, start)
            if i == len(targets) or targets[i] >= end:
                wholes.extend(merkle.whole_subtrees(start, end))
            elif end - start > 1:
                k = merkle.split(end - start)
                walk(start, start + k)
                walk(start + k, end)
        walk(0, size)
        proven = self.proven
        known: dict = {w: proven[w] for w in wholes if w in proven}
        stored = sorted(w for w in wholes if w not in known and (w[1] - w[0]).bit_length() - 1 >= STORED_LEVEL)
        for i in range(0, len(stored), 400):
            chunk = stored[i:i + 400]
            for level, idx, hash_ in self.recorder.fetch(
                    "SELECT level, idx, hash FROM merkle_nodes WHERE "
                    + " OR ".join(["(level = ? AND idx = ?)"] * len(chunk)),
                    [v for start, end in chunk for v in ((end - start).bit_length() - 1,
                                                         start >> ((end - start).bit_length() - 1))]):
                known[(idx << level, (idx + 1) << level)] = bytes(hash_)
        small = sorted(w for w in wholes if w not in known)
        spans: list = []  # the leaves to read, as merged (start, end) spans
        for start, end in small:
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        stored_leaves: dict = {}
        for i in range(0, len(spans), 400):
            chunk = spans[i:i + 400]
            for position, hash_ in self.recorder.fetch(
                    "SELECT position, hash FROM merkle_leaves WHERE "
                    + " OR ".join(["(position > ? AND position <= ?)"] * len(chunk)),
                    [v for span in chunk for v in span]):
                stored_leaves[position - 1] = bytes(hash_)
        for start, end in small:
            level = [stored_leaves.get(i) for i in range(start, end)]
            if None in level:
                missing = start + level.index(None) + 1
                raise LookupError(f"the tree lacks leaves between positions {missing} and {end}")
            known[(start, end)] = block_root(level)

        def mth(start: int, end: int) -> bytes:
            if end - start == 1 and start in leaves:
                return leaves[start]
            found = known.get((start, end))
            if found is not None:
                return found
            if end - start == 1:
                raise LookupError(f"the tree lacks the leaf at position {end}")
            k = merkle.split(end - start)
            return merkle.node_hash(mth(start, start + k), mth(start + k, end))
        return (mth(0, size) if size else merkle.root_of([])), {w: known[w] for w in wholes}

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
            with self.recorder.transaction() as cur:
                if self.tree.size(cur) != start:
                    continue
                self._frontier = None
                self._grow(cur, rows)
            done += len(rows)
            if progress:
                progress(len(rows))

    def behind(self) -> int:
        return self.recorder.max_notification_id() - self.tree.size()
