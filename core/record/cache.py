"""The write side's cache of the record (``core.record.state.Facts`` in part): what a ledger needs to decide.

It holds the rules, the office stream (dispatches and closes), the tokens, the head of the log, and the units,
projects and people the commands of a batch touch, each loaded from its own stream when first needed; so
starting a writer costs the same whatever the length of the log. ``refresh`` takes in what other writers
recorded since it last looked (or starts afresh when that is a lot).
"""

from __future__ import annotations

from core.record.commands import Command
from core.record.state import Facts, stream_id

FOLLOW_LIMIT = 20_000  # past this many new facts by others, forget the cache rather than fold them in


class FactsCache:
    """The facts a ledger decides on, kept current with the log."""

    def __init__(self, app, notifications, candidates=None):
        """``notifications(after)``: the record after a position, ``(position, event)`` (the ledger's);
        ``candidates(period, position)``: the ids of every project that may be drawn from ``period`` by the
        record up to ``position`` (a spot check's draw loads them all, docs/assessment.md §9)."""
        self.app, self.notifications, self.candidates = app, notifications, candidates
        self.facts: Facts | None = None
        self._loaded: set = set()  # stream ids folded into the cache (or known to be empty)

    def forget(self) -> None:
        """Drop the cache (a lost race, a batch not saved): the next ``refresh`` starts afresh."""
        self.facts = None

    def start(self) -> Facts:
        """A fresh cache: the rules, the office and the head of the log, nothing else."""
        recorder = self.app.recorder
        head = recorder.max_notification_id()
        facts = Facts(buckets=False)
        streams = [stream_id("rules"), stream_id("office"), stream_id("tokens"), stream_id("supervision")]
        for n in recorder.select_streams(streams, upto=head):
            facts.apply(self.app.mapper.to_domain_event(n), None)
        last = recorder.select_last(stream_id("log"), upto=head)
        if last is not None:
            facts.apply(self.app.mapper.to_domain_event(last), None)
        facts.position = head
        self.facts, self._loaded = facts, set(streams)
        return facts

    def refresh(self) -> Facts:
        """Take in what other writers recorded since this ledger last looked."""
        if self.facts is None:
            return self.start()
        head = self.app.recorder.max_notification_id()
        if head == self.facts.position:
            return self.facts
        taken = 0  # facts of other writers (the engine's output in between is passed over by the query)
        for position, event in self.notifications(self.facts.position):
            if position > head:
                break
            taken += 1
            if taken > FOLLOW_LIMIT:  # a lot happened elsewhere: start afresh rather than fold it all in
                return self.start()
            self.facts.apply(event, position)  # new units and projects come whole: they stay loaded
        self.facts.position = head
        return self.facts

    def load(self, commands: list[Command]) -> None:
        """Fold into the cache the units and projects these commands touch, from their streams."""
        wanted = []
        held = {"unit": self.facts.units, "project": self.facts.projects, "person": self.facts.people,
                "draw": self.facts.supervision.draws}
        for command in commands:
            for kind in ("unit", "project", "person", "draw"):
                key = command.data.get(kind)
                if isinstance(key, str) and key not in held[kind]:  # what the cache holds is current
                    stream = stream_id(kind, key)
                    if stream not in self._loaded:
                        wanted.append(stream)
            if command.cmd == "draw_spot_check" and self.candidates is not None:
                for project in self.candidates(command.data["period"], self.facts.position):
                    if project not in held["project"] and stream_id("project", project) not in self._loaded:
                        wanted.append(stream_id("project", project))
        self._load_streams(wanted)

    def _load_streams(self, wanted: list) -> None:
        wanted = list(dict.fromkeys(wanted))
        if not wanted:
            return
        for n in self.app.recorder.select_streams(wanted, upto=self.facts.position):
            self.facts.apply(self.app.mapper.to_domain_event(n), None)
        self._loaded.update(wanted)

    def recorded(self, keys: list[str]) -> dict[str, tuple]:
        """``{key: (position, digest)}`` of the keys recorded by the cache's snapshot of the log (what was
        recorded after it is found by the conflict and the retry)."""
        found = self.app.recorder.recorded_commands(keys, upto=self.facts.position) if keys else {}
        self.facts.command_ids.update(found)
        return found
