"""The auditor's proofs over a store's log: its head, inclusion and consistency proofs, and a full check.

Each answer is plain data (hashes as hex) that ``sankao audit`` prints and the web
API returns; the proofs check with ``core.tree.merkle`` alone, which is the
standard-library verifier an auditor runs outside Sankao.
"""

from __future__ import annotations

import hashlib
import os
import struct
from contextlib import contextmanager
from dataclasses import dataclass, field

from core.tree import merkle
from core.audit.checks import Nodes, ReadModelCheck, Times, chunk_roots, decoder, fact_time, ops_of
from core.tree.writer import block_root, decomposition
from core.errors import NotFound
from core.record.state import stream_id
from core.messages import msg


def current_tree(app):
    """The store's tree (kept with every write: it is never grown after the fact, see ``core.tree.writer``)."""
    return app.tree.tree


def head(app) -> dict:
    """``sankao audit head``: the tree's size and root, to be published."""
    tree = current_tree(app)
    size = tree.size()
    return {"size": size, "root": tree.root(size).hex(), "log_size": app.recorder.last_position()}


def recorded_heads(app) -> list[dict]:
    """Every head recorded in the log (at month closes), oldest first."""
    return [{"size": e.size, "root": e.root, "label": e.label, "position": n.id,
             "recorded_at": e.timestamp.isoformat()}
            for n in app.recorder.select_events(stream_id("heads")) for e in [app.mapper.to_domain_event(n)]]


def _size(tree, size: int | None) -> int:
    current = tree.size()
    if size is None:
        return current
    if not 1 <= size <= current:
        raise NotFound(msg("audit.no_head", current=current, size=size))
    return size


def prove(app, position: int, size: int | None = None) -> dict:
    """``sankao audit prove``: the inclusion proof of the event at ``position`` in the tree of ``size``."""
    tree = current_tree(app)
    size = _size(tree, size)
    if not 1 <= position <= size:
        raise NotFound(msg("audit.not_in_tree", position=position, size=size))
    mth = tree.mth()
    leaf = mth(position - 1, position)
    return {"kind": "inclusion", "position": position, "leaf": leaf.hex(), "size": size, "root": mth(0, size).hex(),
            "path": [p.hex() for p in merkle.inclusion_path(mth, position - 1, size)]}


def consistency(app, old_size: int, old_root: str | None = None, size: int | None = None) -> dict:
    """``sankao audit consistency``: the proof that the log at ``old_size`` is a prefix of it now; with
    ``old_root``, whether that root (as published) is the one this log had then."""
    tree = current_tree(app)
    size = _size(tree, size)
    if old_size == 0:  # every log extends the empty one: nothing to prove, and any old root would pass (RFC 9162)
        raise NotFound(msg("audit.from_empty"))
    if not 0 < old_size <= size:
        raise NotFound(msg("audit.not_size", size=size, old_size=old_size))
    mth = tree.mth()
    proof = {"kind": "consistency", "old_size": old_size, "old_root": mth(0, old_size).hex(), "size": size,
             "root": mth(0, size).hex(), "proof": [p.hex() for p in merkle.consistency_proof(mth, old_size, size)]}
    if old_root is not None:
        proof["published_root_matches"] = old_root.lower() == proof["old_root"] and merkle.verify_consistency(
            old_size, size, bytes.fromhex(old_root), bytes.fromhex(proof["root"]),
            [bytes.fromhex(p) for p in proof["proof"]])
    return proof


@dataclass
class Verdict:
    """What ``audit verify`` found: the size and root recomputed from the events, and the problems."""

    size: int = 0
    root: str = ""
    heads: int = 0
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


BLOCK = 1 << 14  # leaves read, hashed and folded together


class _Fold:
    """The root of a growing list of leaf hashes, taken a block at a time, with the roots at given sizes."""

    def __init__(self, checkpoints, block: int = BLOCK):
        self.block_size = block
        self.frontier: list = []  # whole subtrees (level, hash), left to right
        self.size = 0  # leaves folded in (a multiple of BLOCK until the last block)
        self.checkpoints = sorted(checkpoints)
        self.roots: dict = {}

    def _subtrees(self, hashes: list, count: int) -> list:
        """The whole subtrees making up the first ``count`` of ``hashes`` (each a perfect tree: level by level)."""
        return [(level, block_root(hashes[start:start + (1 << level)])) for level, start in decomposition(count)]

    def whole(self, root: bytes) -> bool:
        """Fold in a whole block by its root, if no recorded size falls inside it (else False: give the leaves)."""
        end = self.size + self.block_size
        if any(self.size < c <= end for c in self.checkpoints):
            return False
        self._push(root)
        self.size = end
        return True

    def _push(self, root: bytes) -> None:
        self.frontier.append((self.block_size.bit_length() - 1, root))
        while len(self.frontier) > 1 and self.frontier[-1][0] == self.frontier[-2][0]:
            (lv, left), (_, right) = self.frontier[-2], self.frontier[-1]
            self.frontier[-2:] = [(lv + 1, merkle.node_hash(left, right))]

    def block(self, hashes: list) -> None:
        """Fold ``hashes`` in: BLOCK of them, or fewer for the last."""
        end = self.size + len(hashes)
        for c in self.checkpoints:
            if self.size < c <= end:
                self.roots[c] = _fold(self.frontier + self._subtrees(hashes, c - self.size))
        if len(hashes) < self.block_size:
            self.frontier += self._subtrees(hashes, len(hashes))
        else:
            self._push(block_root(hashes))
        self.size = end

    def root(self) -> bytes:
        return _fold(self.frontier)


def verify(app, progress=None, block: int = BLOCK, workers: int | None = None) -> Verdict:
    """``sankao audit verify``: recompute every leaf and the root from the stored events; compare with the
    stored tree (its leaves and its subtree nodes) and every recorded head; check that the facts' recorded
    times never go backwards and that the read models are what the log projects (``core.audit.checks``);
    name the first position that does not match, and how.

    The events are read and their leaves hashed a block (``block``, a power of two) at a time, by ``workers``
    processes beside this one (default: one per CPU for a log of more than four blocks, else none); this
    process folds the leaves into the tree in order. Nothing is written to the store."""
    recorder = app.recorder
    verdict = Verdict()
    schema = getattr(recorder, "schema_problem", None)  # opened in mode "audit": a wrong mark is ours to report
    if schema is not None:
        verdict.problems.append((0, "meta", schema))
    models = ReadModelCheck()
    try:
        models.copy_stored(recorder)  # first: the log read next reaches at least where the tables stand
        _verify(app, recorder, verdict, models, Nodes(), Times(), progress, block, workers)
    finally:
        models.close()
    _receipts(app, verdict)
    verdict.problems.sort(key=lambda p: p[0])
    return verdict


def _receipts(app, verdict: Verdict) -> None:
    """The outbox (operational state beside the log, docs/delivery.md) says a letter reached a receiver only
    where the log holds its receipt: a ``delivered`` row without its ``LetterDelivered``, or a job marked
    delivered that no receiver accepted, is named (an edited table would show a letter as delivered that was
    never sent)."""
    from events import DELIVERY_TOPICS
    recorder = app.recorder
    try:
        rows = recorder.fetch("SELECT job, receiver FROM outbox_targets WHERE state = 'delivered'")
        settled = recorder.fetch("SELECT key FROM outbox WHERE state = 'delivered'")
    except Exception:  # a store from before delivery, read as it is: nothing to compare
        return
    proved = {(e.job, e.receiver) for _, e in app.log(topics=DELIVERY_TOPICS)}
    for job, receiver in sorted(set(rows) - proved):
        verdict.problems.append((0, "outbox", msg("audit.outbox_unproved", job=job, receiver=receiver)))
    received = {job for job, _ in rows}
    for (job,) in settled:
        if job not in received:
            verdict.problems.append((0, "outbox", msg("audit.outbox_no_receiver", job=job)))


QUIET = ("changed", "reordered", "missing", "inserted", "tree", "unreadable")
"""Problems that explain what follows from them: a node over such a position, or a read-model row that such an
event wrote, is not named again."""


def _verify(app, recorder, verdict: Verdict, models, nodes, times, progress, block: int, workers) -> None:
    stored_size = app.tree.tree.size()
    heads = recorded_heads(app)
    fold = _Fold({h["size"] for h in heads} | {stored_size}, block)
    verdict.heads = len(heads)
    mismatched: dict = {}
    last = recorder.last_position()
    stored_nodes = {(level, idx): bytes(h) for level, idx, h in
                    recorder.fetch("SELECT level, idx, hash FROM merkle_nodes")}
    ranges = [(start, min(start + block, last + 1)) for start in range(1, last + 1, block)]
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(ranges) > 4 and not recorder.location.is_memory else 0
    pending: list = []
    folded = 0  # leaves taken into ``nodes``
    with _scanner(recorder, workers, app.mapper) as scan:
        for (start, _), part in zip(ranges, scan(ranges, stored_size, models.position)):
            blob, root = part["blob"], part["root"]
            verdict.problems += part["problems"]
            mismatched.update(part["changed"])
            times.take(part["times"], verdict.problems)
            models.apply(part["ops"])
            hashes = [blob[i:i + 32] for i in range(0, len(blob), 32)]
            chunks = part["chunks"]
            if chunks and folded == start - 1 and not nodes.buffer:
                nodes.roots(chunks)
                nodes.leaves(hashes[len(chunks) * 256:])
            else:
                nodes.leaves(hashes)
            folded += len(hashes)
            if root is not None and not pending and fold.whole(root):
                if progress:
                    progress(block)
                continue
            pending += hashes
            while len(pending) >= block:
                fold.block(pending[:block])
                pending = pending[block:]
            if progress:
                progress(len(hashes))
    fold.block(pending)
    verdict.size = fold.size
    verdict.root = fold.root().hex()
    roots = fold.roots
    for gone in range(last + 1, stored_size + 1):
        verdict.problems.append((gone, "missing", msg("audit.gone")))
    _classify(sorted(mismatched), mismatched, recorder, verdict)
    for h in heads:
        if h["size"] > verdict.size:
            verdict.problems.append((h["size"], "head", msg("audit.head_beyond", position=h["position"],
                                                            label=h["label"], size=h["size"], stored=verdict.size)))
        elif roots.get(h["size"], b"").hex() != h["root"]:
            verdict.problems.append((h["size"], "head", msg("audit.head_root", position=h["position"],
                                                            label=h["label"], root=h["root"])))
    if stored_size and stored_size <= verdict.size and app.tree.tree.root(stored_size) != roots.get(stored_size):
        verdict.problems.append((stored_size, "tree", msg("audit.tree_root")))
    quiet = {p for p, kind, _ in verdict.problems if kind in QUIET}
    deleted = [p for p, kind, _ in verdict.problems if kind == "missing"]
    # leaves after an event deleted stand one place early: nodes are compared up to it only
    nodes.compare(stored_nodes, min([stored_size, verdict.size] + [p - 1 for p in deleted]), quiet, verdict.problems)
    found: list = []
    if models.position > last:  # (said already when the log's last events were deleted)
        found.append((last + 1, "read_model", msg("audit.rm_ahead", position=models.position, last=last)))
    models.compare(found)
    verdict.problems += [p for p in found if p[0] not in quiet]


SCAN_SQL = ("SELECT e.position, e.stream, e.version, e.topic, e.state, m.hash FROM events e LEFT JOIN merkle_leaves m "
            "ON m.position = e.position WHERE e.position >= ? AND e.position < ? ORDER BY e.position")


def _scan(rows, start: int, stop: int, stored_size: int, models_at: int, mapper) -> dict:
    """What the events at positions [start, stop) give: their leaf hashes (``blob``, concatenated), the root of
    the range when it is a whole aligned subtree (``root``) and of its whole chunks of 256 leaves from the start
    (``chunks``), what is wrong with them that one range shows (``problems``: missing, inserted, a leaf the tree
    lacks, an event that cannot be read), those whose leaf differs from the tree's (``changed``), the recorded
    times of its facts (``times``, those of ``changed`` left out) and the read-model rows the events up to
    ``models_at`` write (``ops``, ``core.audit.checks.ops_of``)."""
    from eventsourcing.persistence import Notification

    from core.errors import StoreDamaged
    decode = decoder(mapper)
    sha, magic = hashlib.sha256, b"\x00" + merkle.MAGIC
    pack_qh, pack_i = struct.Struct(">QH").pack, struct.Struct(">I").pack
    topics: dict = {}
    leaves, problems, changed, times, ops = [], [], {}, [], []
    expected = start
    for position, stream, version, topic, state, stored in rows:
        for gone in range(expected, position):  # positions the log skips: events deleted
            problems.append((gone, "missing", msg("audit.deleted") if gone <= stored_size
                             else msg("audit.nothing_here")))
        if not isinstance(state, bytes):
            state = state.encode("utf-8") if isinstance(state, str) else bytes(state)
        encoded = topics.get(topic)
        if encoded is None:
            topic_b = topic.encode("utf-8")
            encoded = topics[topic] = (len(topic_b), topic_b)
        leaf = sha(b"".join((magic, pack_qh(position, len(stream)), stream.encode("utf-8"),
                             pack_qh(version, encoded[0]), encoded[1], pack_i(len(state)), state))).digest()
        if stored is None:
            problems.append((position, "inserted", msg("audit.inserted"))
                            if position > stored_size else
                            (position, "tree", msg("audit.tree_changed")))
        elif stored != leaf and bytes(stored) != leaf:
            changed[position] = (stream, version, topic, state)
        leaves.append(leaf)
        expected = position + 1
        try:
            event = decode(Notification(id=position, originator_id=stream, originator_version=version, topic=topic,
                                        state=state))
        except StoreDamaged as exc:
            problems.append((position, "unreadable", msg("audit.unreadable", error=exc)))
            continue
        at = fact_time(event)
        if at is not None and position not in changed:
            times.append((position, at))
        if position <= models_at:
            ops += ops_of(position, event, state)
    for gone in range(expected, stop):
        if gone <= stored_size:
            problems.append((gone, "missing", msg("audit.deleted")))
    whole = len(leaves) == stop - start and (start - 1) % len(leaves or [0]) == 0 and \
        len(leaves) & (len(leaves) - 1) == 0  # a whole aligned block of the tree: its root too
    root, chunks = None, []
    if whole and leaves:
        root, chunks = block_root(leaves, keep=True)
    elif (start - 1) % 256 == 0 and len(leaves) == stop - start:
        chunks = chunk_roots(leaves)
    return {"blob": b"".join(leaves), "root": root, "chunks": chunks, "problems": problems, "changed": changed,
            "times": times, "ops": ops}


_worker_recorder = None
_worker_mapper = None


def _scan_in_worker(url: str, start: int, stop: int, stored_size: int, models_at: int):
    global _worker_recorder, _worker_mapper
    if _worker_recorder is None:
        from core.store import StoreLocation, open_recorder
        from core.store.app import standalone_mapper
        _worker_recorder = open_recorder(StoreLocation(url), "audit").recorder
        # not a SankaoApplication's mapper: the application, thrown away, would close the recorder's pool on its
        # end (on PostgreSQL every worker then failed: "the pool 'sankao' is already closed")
        _worker_mapper = standalone_mapper()
    return _scan(_worker_recorder.fetch(SCAN_SQL, (start, stop)), start, stop, stored_size, models_at, _worker_mapper)


@contextmanager
def _scanner(recorder, workers: int, mapper):
    """``scan(ranges, stored_size, models_at)``: the ``_scan`` of each range, in order; by worker processes if
    any."""
    if workers <= 0:
        yield lambda ranges, stored_size, models_at: (
            _scan(recorder.fetch(SCAN_SQL, r), *r, stored_size, models_at, mapper) for r in ranges)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    url = recorder.location.url
    # fork where there is one: a worker needs nothing of this process but the store's URL (it opens its own
    # connection), and a script calling verify need not guard its main module as spawn would require
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        def scan(ranges, stored_size, models_at):
            # a few ranges ahead of the fold, not the whole log in memory at once
            ahead = workers * 2
            futures = [pool.submit(_scan_in_worker, url, *r, stored_size, models_at) for r in ranges[:ahead]]
            for i in range(len(ranges)):
                if i + ahead < len(ranges):
                    futures.append(pool.submit(_scan_in_worker, url, *ranges[i + ahead], stored_size, models_at))
                yield futures[i].result()
                futures[i] = None
        yield scan


def _fold(frontier: list) -> bytes:
    root = None
    for _, h in reversed(frontier):
        root = h if root is None else merkle.node_hash(h, root)
    return root if root is not None else merkle.EMPTY


def _classify(mismatched: list, contents: dict, recorder, verdict: Verdict) -> None:
    """Tell a changed event from two events that swapped places (each leaf names its position)."""
    if not mismatched:
        return
    stored = {p: bytes(h) for p, h in recorder.fetch(
        f"SELECT position, hash FROM merkle_leaves WHERE position IN ({', '.join('?' * len(mismatched))})",
        mismatched)} if len(mismatched) <= 500 else {}
    leaf = {p: (lambda c, at: merkle.leaf_hash(merkle.leaf_bytes(at, *c))) for p in mismatched}
    seen = set()
    for p in mismatched:
        if p in seen:
            continue
        partner = next((q for q in mismatched if q != p and q not in seen and stored
                        and leaf[p](contents[p], q) == stored.get(q) and leaf[q](contents[q], p) == stored.get(p)),
                       None)
        if partner is not None:
            seen |= {p, partner}
            verdict.problems.append((p, "reordered", msg("audit.swapped", p=p, q=partner)))
        else:
            seen.add(p)
            verdict.problems.append((p, "changed", msg("audit.changed")))
