"""Merkle trees over the event log, as Certificate Transparency defines them (RFC 9162 §2.1).

Standard library only: this file is also the verifier an auditor runs outside
Sankao (``sankao audit export`` copies it into the bundle as ``verify.py``).

- A leaf is ``SHA-256(0x00 || leaf bytes)``, a node ``SHA-256(0x01 || left || right)``,
  the empty tree ``SHA-256()``.
- The tree of n leaves splits at k, the largest power of two below n: MTH(D[n]) =
  node(MTH(D[0:k]), MTH(D[k:n])).
- The leaf bytes of a Sankao event, byte by byte (``leaf_bytes``)::

      b"sankao/1"                        8 bytes, the encoding's name and version
      position                           8 bytes, unsigned big-endian (1, 2, 3, …)
      length of stream, stream           2 bytes big-endian, then the stream id as 32 lower-case hex
      version                            8 bytes, unsigned big-endian
      length of type, type               2 bytes big-endian, then the event type ("events.facts:ProjectSigned"), UTF-8
      length of state, state             4 bytes big-endian, then the event as stored: UTF-8 JSON holding
                                         its data, its actor (facts) and its recorded time ("timestamp")

Functions work on an ``mth(start, end)`` callable (the hash of leaves
[start, end)), so a store can answer from the subtrees it keeps and a list of
leaf hashes can answer for itself.

The checks refuse, with ``ProofError``, what RFC 9162 and its reference implementation
(transparency-dev/merkle) refuse: a consistency proof from the empty tree (size 0: every log
extends it, so nothing can be proved about it, and any "old root" would pass), an inclusion
proof whose index is not below the tree's size, and hashes (leaf, roots, path) that are not
32 bytes. A well-formed proof that does not hold is ``False``.
"""

from __future__ import annotations

import hashlib
import struct

EMPTY = hashlib.sha256(b"").digest()
MAGIC = b"sankao/1"
HASH_SIZE = 32


_FROM_EMPTY = ("a consistency proof from the empty tree (size 0) proves nothing, whatever its old root, and is refused "
               "(RFC 9162 §2.1.4; transparency-dev/merkle): give an old size of 1 or more")


class ProofError(ValueError):
    """A proof that cannot be checked as asked (see the module doc): what is wrong with it, in words."""


def _hash(what: str, value) -> bytes:
    if not isinstance(value, (bytes, bytearray)) or len(value) != HASH_SIZE:
        size = f"{len(value)} bytes" if isinstance(value, (bytes, bytearray)) else type(value).__name__
        raise ProofError(f"{what} must be a {HASH_SIZE}-byte SHA-256 hash, not {size}")
    return bytes(value)


def leaf_bytes(position: int, stream: str, version: int, topic: str, state: bytes) -> bytes:
    """The canonical bytes of one stored event (see the module doc)."""
    stream_b, topic_b = stream.encode("ascii"), topic.encode("utf-8")
    return b"".join((MAGIC, struct.pack(">QH", position, len(stream_b)), stream_b,
                     struct.pack(">QH", version, len(topic_b)), topic_b, struct.pack(">I", len(state)), state))


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def split(n: int) -> int:
    """The largest power of two smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(hashes: list[bytes]) -> bytes:
    """MTH of a list of leaf hashes."""
    return list_mth(hashes)(0, len(hashes))


def list_mth(hashes: list[bytes]):
    """An ``mth(start, end)`` over a list of leaf hashes (with the subtrees it computed kept)."""
    memo: dict = {}

    def mth(start: int, end: int) -> bytes:
        if end == start:
            return EMPTY
        if end - start == 1:
            return hashes[start]
        found = memo.get((start, end))
        if found is None:
            k = split(end - start)
            found = memo[(start, end)] = node_hash(mth(start, start + k), mth(start + k, end))
        return found
    return mth


def inclusion_path(mth, index: int, size: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 §2.1.3.1: the audit path of leaf ``index`` in the tree of ``size`` leaves."""
    return [mth(start, end) for start, end in path_ranges(index, size)]


def path_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The subtrees ``(start, end)`` whose hashes make the audit path of leaf ``index``, in the path's order."""
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of {size} leaves")
    out, start, end, m = [], 0, size, index
    while end - start > 1:
        k = split(end - start)
        if m < k:
            out.append((start + k, end))
            end = start + k
        else:
            out.append((start, start + k))
            start, m = start + k, m - k
    return out[::-1]


def whole_subtrees(start: int, end: int) -> list[tuple[int, int]]:
    """The whole subtrees (a power of two of leaves each) that MTH(D[start:end]) is made of, left to right."""
    out = []
    while end - start:
        n = end - start
        k = n if n & (n - 1) == 0 else split(n)
        out.append((start, start + k))
        start += k
    return out


def consistency_proof(mth, old: int, size: int) -> list[bytes]:
    """PROOF(m, D[n]) of RFC 9162 §2.1.4.1: that the tree of ``old`` leaves is a prefix of the tree of ``size``
    (0 < old <= size)."""
    if old == 0:
        raise ProofError(_FROM_EMPTY)
    if not 0 < old <= size:
        raise ProofError(f"a tree of {old} leaves cannot be a prefix of one of {size}")
    if old == size:
        return []

    def sub(m: int, start: int, end: int, whole: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if whole else [mth(start, end)]
        k = split(n)
        if m <= k:
            return sub(m, start, start + k, whole) + [mth(start + k, end)]
        return sub(m - k, start + k, end, False) + [mth(start, start + k)]
    return sub(old, 0, size, True)


def verify_inclusion(leaf: bytes, index: int, size: int, path: list[bytes], root: bytes) -> bool:
    """RFC 9162 §2.1.3.2: does ``path`` prove leaf hash ``leaf`` at ``index`` in the tree of ``size`` with ``root``?
    ``ProofError`` unless 0 <= index < size and every hash is 32 bytes."""
    if not 0 <= index < size:
        raise ProofError(f"leaf index {index} is not in a tree of {size} leaves (an inclusion proof needs "
                         "0 <= index < size)")
    leaf, root = _hash("the leaf hash", leaf), _hash("the root", root)
    path = [_hash(f"hash {i + 1} of the path", p) for i, p in enumerate(path)]
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and r == root


def verify_consistency(old: int, size: int, old_root: bytes, root: bytes, proof: list[bytes]) -> bool:
    """RFC 9162 §2.1.4.2: does ``proof`` show the tree of ``old`` leaves with ``old_root`` is a prefix of the tree
    of ``size`` leaves with ``root``? ``ProofError`` unless 0 < old <= size and every hash is 32 bytes."""
    if old == 0:
        raise ProofError(_FROM_EMPTY)
    if not 0 < old <= size:
        raise ProofError(f"a tree of {old} leaves cannot be a prefix of one of {size}")
    old_root, root = _hash("the old root", old_root), _hash("the root", root)
    proof = [_hash(f"hash {i + 1} of the proof", p) for i, p in enumerate(proof)]
    if old == size:
        return not proof and old_root == root
    if not proof:
        return False
    proof = list(proof)
    if old & (old - 1) == 0:  # a power of two: the old root is the first node of the path
        proof.insert(0, old_root)
    fn, sn = old - 1, size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and fr == old_root and sr == root
