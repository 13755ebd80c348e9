"""The eventsourcing ``Application`` over Sankao's recorder, and how events are encoded.

Events are encoded by eventsourcing's ``JSONTranscoder`` (compact JSON, UTF-8,
keys in field order) with its transcodings for ``UUID``, ``Decimal`` and
``datetime`` and ours for ``date``. Reading a stored event that does not decode,
names an unknown class or lacks a field of its class raises ``StoreDamaged``
naming its position, never a traceback from deep inside the library.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from functools import lru_cache
from typing import Iterator

from eventsourcing.application import Application
from eventsourcing.persistence import (DatetimeAsISO, DecimalAsStr, JSONTranscoder, Mapper, Transcoding,
                                       UUIDAsHex)
from eventsourcing.utils import Environment, resolve_topic

from core.errors import StoreDamaged
from core.messages import msg
from core.store.recorder import Recorder


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


@lru_cache(maxsize=256)
def required_fields(topic: str) -> tuple[type, frozenset[str]]:
    cls = resolve_topic(topic)
    names = frozenset(f.name for f in dataclasses.fields(cls)) - {"originator_id", "originator_version"}
    return cls, names


class CheckedMapper(Mapper):
    """eventsourcing's mapper, turning an undecodable stored event into ``StoreDamaged``."""

    def to_domain_event(self, stored_event):
        position = getattr(stored_event, "id", None)
        where = (msg("store.position", position=position) if position is not None
                 else f"stream {stored_event.originator_id} version {stored_event.originator_version}")
        try:
            _cls, names = required_fields(stored_event.topic)
        except Exception as exc:
            raise StoreDamaged(msg("store.unknown_type", where=where, topic=stored_event.topic,
                                   kind=type(exc).__name__), position) from None
        try:
            event = super().to_domain_event(stored_event)
        except Exception as exc:
            raise StoreDamaged(msg("store.undecodable", where=where, topic=stored_event.topic,
                                   error=(str(exc).splitlines() or [""])[0][:200]), position) from None
        missing = names - event.__dict__.keys()
        if missing:
            raise StoreDamaged(msg("store.lacks", where=where, topic=stored_event.topic, missing=sorted(missing)),
                               position)
        return event


def standalone_mapper() -> "CheckedMapper":
    """The mapper of ``SankaoApplication`` without an application (whose end would close the recorder): the same
    transcodings, eventsourcing's and ours."""
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO(), DateAsISO()):
        transcoder.register(transcoding)
    return CheckedMapper(transcoder=transcoder)


class SankaoApplication(Application):
    """Saves and reads Sankao's events through a ``core.store`` recorder."""

    name = "Sankao"

    def __init__(self, recorder: Recorder):
        self._given_recorder = recorder
        super().__init__()
        # what is written with each batch of events, in its transaction (``project(cur, triples)``): the
        # read models' projector, set by the wiring (``core.bootstrap.wire``) with ``read_models`` and ``tree``
        self.projectors: list = []
        self.recent: dict[int, object] = {}  # facts this process recorded lately, by position

    RECENT = 50_000

    def decode(self, notification):
        """The domain event of a stored one; facts this process recorded itself are not decoded again."""
        event = self.recent.pop(notification.id, None)
        return event if event is not None else self.mapper.to_domain_event(notification)

    def record(self, events: list, also=None, **kwargs) -> list[int]:
        """Save ``events`` in one transaction, with the read model rows they project (and what ``also(cur)``
        writes beside them); returns their log positions. ``kwargs`` go to ``Recorder.insert_events`` (tracking,
        command ids)."""
        def after(cur, rows):
            self.project(cur, [(row[0], event, row[4]) for row, event in zip(rows, events)])
            if also is not None:
                also(cur)
        recordings = self.events.put(events, after=after, **kwargs)
        positions = [r.notification.id for r in recordings]
        if kwargs.get("commands"):  # facts: the scoring process of this same process will read them next
            if len(self.recent) > self.RECENT:
                self.recent.clear()
            self.recent.update(zip(positions, events))
        return positions

    def log(self, after: int = 0, *, stop: int | None = None, topics=(), exclude=(),
            size: int = 2000) -> Iterator[tuple[int, object]]:
        """The log after position ``after`` as ``(position, event)``, decoded, in position order
        (``Recorder.pages``)."""
        for batch in self.recorder.pages(after + 1, stop=stop, topics=topics, exclude=exclude, size=size):
            for notification in batch:
                yield notification.id, self.mapper.to_domain_event(notification)

    def project(self, cur, triples: list[tuple[int, object, bytes]]) -> None:
        """Write what follows from events ``(position, event, stored state)`` beside them, in ``cur``'s
        transaction: every projector the wiring registered."""
        for projector in self.projectors:
            projector(cur, triples)

    def construct_env(self, name, env=None) -> Environment:
        # Only what we set: a stray CIPHER_KEY or COMPRESSOR_TOPIC in the shell must not change the encoding.
        return Environment(name, {"PERSISTENCE_MODULE": "eventsourcing.popo"})

    def construct_mapper(self) -> Mapper:
        return CheckedMapper(transcoder=self.construct_transcoder())

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def construct_recorder(self) -> Recorder:
        return self._given_recorder

    def close(self) -> None:
        self.recorder.close()
        super().close()
