"""What rides along with the log: tables written beside it in the same transaction, by their owners.

The store knows one log (``events``, with its head, command ids, tracking and snapshots) and how to write
beside it in the transaction that appends to it. It does not know what is written there: the wiring
(``core.bootstrap``) hands ``open_recorder`` the riders, each bringing its own tables and, when a store of an
older schema is opened for writing, its own upgrade (the Merkle tree takes in a log from before it once).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Rider:
    """A rider's tables (``tables(blob_type, bigint_type)``: ``CREATE … IF NOT EXISTS`` statements, in either
    dialect) and what it does once when the store is brought up to this schema (``upgrade(recorder)``)."""

    name: str
    tables: Callable[[str, str], list[str]]
    upgrade: Callable[[object], None] | None = None
