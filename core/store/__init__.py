"""The store: one event log (facts and consequences) with the tables written beside it.

Opening a store says what the caller may do with it:

- ``init``: create the store (SQLite file or PostgreSQL tables) if it is missing;
- ``load``: like ``init`` for a SQLite file whose directory exists (the first
  ``sankao load`` makes the file); PostgreSQL must have been initialised;
- ``write``: it must exist already;
- ``read``: it must exist; opened read-only when this process may not write it;
- ``audit``: as ``read``, for ``sankao audit verify``, which reports a wrong schema mark itself.

Nothing else ever creates a file, a directory or a table. Only ``init``, ``load`` and ``write``
bring a store of an older schema up to this one (``Recorder.upgrade``, which hashes a log that
has no Merkle tree yet). ``read`` and ``audit`` never write: a store whose schema mark (``meta``
``schema``) is missing or not this version's is refused by ``read`` (``StoreDamaged``, saying
so) and kept on the recorder as ``schema_problem`` by ``audit``, never upgraded. A store that
holds a log but no mark at all is refused by every mode, ``init``, ``load`` and ``write``
included (``Recorder._unmarked``): a deleted mark must not make any command hash rows written
around Sankao into the tree. Only a store that holds nothing yet (its creation stopped before
the mark) is finished by the next writer.

The store is the ground floor: it knows one log (``recorder``, with ``sqlite`` and ``postgres``), its schema
(``schema``), the command ids beside it (``command_ids``), bulk rows (``rows``), the eventsourcing application
that encodes events (``app``) and what rides along with the log (``riders``); it never names the read models or
the tree, which the wiring registers. May import: the base (``core.errors``, ``core.messages``, ``core.clock``).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from core.errors import StoreDamaged, StoreNotReady, StoreReadOnly
from core.messages import msg
from core.store.location import StoreLocation
from core.store.recorder import Recorder
from core.store.schema import SCHEMA

MODES = ("init", "load", "write", "read", "audit")


@dataclass
class Opened:
    recorder: Recorder
    created: bool


def open_recorder(location: StoreLocation, mode: str, *, riders=(), pool_size: int = 4) -> Opened:
    """Open the store ``location`` names for ``mode`` (see the module doc), with what rides along with its log
    (``core.store.riders``: their tables are made with the log's, their upgrades run with its)."""
    if mode not in MODES:
        raise ValueError(mode)
    if location.is_postgres:
        from core.store.postgres import PostgresRecorder
        recorder = _riding(PostgresRecorder(location, pool_size=pool_size), riders)
        with _closed_on_error(recorder):
            if mode == "init":
                made = recorder.create()
                recorder.upgrade()
                return Opened(recorder, made)
            recorder.check()
            _ready(recorder, mode)
        return Opened(recorder, False)

    from core.store.sqlite import SQLiteRecorder, writable
    if location.is_memory:
        recorder = _riding(SQLiteRecorder(location), riders)
        made = recorder.create()
        recorder.upgrade()
        return Opened(recorder, made)
    if mode in ("init", "load"):
        recorder = _riding(SQLiteRecorder(location), riders)
        if mode == "init" and location.path.exists() and not writable(location.path):
            SQLiteRecorder(location, read_only=True).check()
            raise StoreReadOnly(msg("store.exists_read_only", where=location.describe()))
        if location.path.exists() and not writable(location.path):
            raise StoreReadOnly(msg("store.not_writable", where=location.describe()))
        with _closed_on_error(recorder):
            made = recorder.create()
            recorder.upgrade()
            return Opened(recorder, made)
    if not location.exists():
        raise StoreNotReady(msg("store.no_store", path=location.path))
    read_only = not writable(location.path)
    if mode == "write" and read_only:
        raise StoreReadOnly(msg("store.not_writable", where=location.describe()))
    recorder = _riding(SQLiteRecorder(location, read_only=read_only), riders)
    with _closed_on_error(recorder):
        recorder.check()
        _ready(recorder, mode)
    return Opened(recorder, False)


def _riding(recorder: Recorder, riders) -> Recorder:
    recorder.riders = tuple(riders)
    return recorder


@contextmanager
def _closed_on_error(recorder: Recorder):
    """The recorder closed if opening it fails half-way (its connections, its file)."""
    try:
        yield
    except BaseException:
        recorder.close()
        raise


def schema_problem(recorder: Recorder):
    """None when the store is marked with this version's schema, else what is wrong with the mark (a ``Text``)."""
    found = recorder.fetch("SELECT value FROM meta WHERE key = 'schema'")
    if found and found[0][0] == SCHEMA:
        return None
    where = recorder.location.describe()
    if not found:
        return recorder.unmarked() or msg("store.schema_missing", where=where)
    return msg("store.schema_other", where=where, found=found[0][0], wanted=SCHEMA)


def _ready(recorder: Recorder, mode: str) -> None:
    """An existing store, checked: upgraded when ``mode`` may write; else its schema mark checked, nothing written."""
    recorder.schema_problem = None
    if mode not in ("read", "audit"):
        recorder.upgrade()
        return
    recorder.schema_problem = schema_problem(recorder)
    if recorder.schema_problem is not None and mode == "read" and not _readable_as_is(recorder):
        raise StoreDamaged(recorder.schema_problem)


READABLE_SINCE = 4  # a store marked with this schema or a later one up to today's is read as it is (schema 5
# only added the digests of command ids, which reading does not need); an older one needs `sankao init`


def _readable_as_is(recorder: Recorder) -> bool:
    found = recorder.fetch("SELECT value FROM meta WHERE key = 'schema'")
    return bool(found) and found[0][0].isdigit() and READABLE_SINCE <= int(found[0][0]) <= int(SCHEMA)


__all__ = ["MODES", "Opened", "StoreLocation", "open_recorder", "schema_problem"]
