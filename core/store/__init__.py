"""The store: one event log (facts and consequences) with the tables written beside it.

Opening a store says what the caller may do with it:

- ``init``: create the store (SQLite file or PostgreSQL tables) if it is missing;
- ``load``: like ``init`` for a SQLite file whose directory exists (the first
  ``sankao load`` makes the file); PostgreSQL must have been initialised;
- ``write``: it must exist already;
- ``read``: it must exist; opened read-only when this process may not write it.

Nothing else ever creates a file, a directory or a table.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import StoreNotReady, StoreReadOnly
from core.messages import msg
from core.store.location import StoreLocation
from core.store.recorder import Recorder

MODES = ("init", "load", "write", "read")


@dataclass
class Opened:
    recorder: Recorder
    created: bool


def open_recorder(location: StoreLocation, mode: str, *, pool_size: int = 4) -> Opened:
    """Open the store ``location`` names for ``mode`` (see the module doc)."""
    if mode not in MODES:
        raise ValueError(mode)
    if location.is_postgres:
        from core.store.postgres import PostgresRecorder
        recorder = PostgresRecorder(location, pool_size=pool_size)
        try:
            if mode == "init":
                made = recorder.create()
                recorder.upgrade()
                return Opened(recorder, made)
            recorder.check()
            recorder.upgrade()
        except BaseException:
            recorder.close()
            raise
        return Opened(recorder, False)

    from core.store.sqlite import SQLiteRecorder, writable
    if location.is_memory:
        recorder = SQLiteRecorder(location)
        made = recorder.create()
        recorder.upgrade()
        return Opened(recorder, made)
    if mode in ("init", "load"):
        recorder = SQLiteRecorder(location)
        if mode == "init" and location.path.exists() and not writable(location.path):
            SQLiteRecorder(location, read_only=True).check()
            raise StoreReadOnly(msg("store.exists_read_only", where=location.describe()))
        if location.path.exists() and not writable(location.path):
            raise StoreReadOnly(msg("store.not_writable", where=location.describe()))
        try:
            made = recorder.create()
            recorder.upgrade()
            return Opened(recorder, made)
        except BaseException:
            recorder.close()
            raise
    if not location.exists():
        raise StoreNotReady(msg("store.no_store", path=location.path))
    read_only = not writable(location.path)
    if mode == "write" and read_only:
        raise StoreReadOnly(msg("store.not_writable", where=location.describe()))
    recorder = SQLiteRecorder(location, read_only=read_only)
    try:
        recorder.check()
        recorder.upgrade()
    except BaseException:
        recorder.close()
        raise
    return Opened(recorder, False)


__all__ = ["MODES", "Opened", "StoreLocation", "open_recorder"]
