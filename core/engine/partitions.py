"""Scoring partitions: which worker scores which units, and the name each worker tracks its position by."""

from __future__ import annotations

import zlib


def partition_of(unit: str, count: int) -> int:
    """The partition (0-based) a unit belongs to among ``count``: stable across processes and versions."""
    return zlib.crc32(unit.encode("utf-8")) % count


def tracker_name(index: int, count: int) -> str:
    return "scorer" if count == 1 else f"scorer:{index + 1}/{count}"
