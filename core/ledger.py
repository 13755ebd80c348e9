"""The write side: recording commands as events, line by line, batch by batch.

The ``Ledger`` keeps the facts in memory (``core.facts``), follows the record log
so that what other writers recorded is seen, decides each command with
``core.decide`` and saves many lines per transaction. A line is atomic: its
events are saved together or not at all. A version conflict (another writer won
the race for the same project, unit or office stream) re-reads the log and
re-decides the batch, so nothing is lost and nothing doubled.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

from eventsourcing.persistence import IntegrityError

from core.clock import now as utc_now
from core.commands import Command, parse_line
from core.decide import Stamp, decide
from core.errors import CommandRejected, ConcurrentWrite
from core.facts import Facts, stream_id
from core.store.app import SankaoApplication
from events import CONSEQUENCE_TOPICS
from events import facts as ev

MAX_RETRIES = 30


def _back_off(attempt: int) -> None:
    """Sleep a random, growing while after a lost race, so that the loser gets its turn."""
    time.sleep(random.uniform(0, min(1.0, 0.005 * 2 ** attempt)))


@dataclass
class LoadReport:
    """What a ``load`` did: counts and the rejected lines (``(line number, message)``)."""

    recorded: int = 0
    skipped: int = 0
    rejected: list = field(default_factory=list)


class Ledger:
    """Records commands into the record application, enforcing SCORING.md §1-§2."""

    def __init__(self, app: SankaoApplication, *, tz: ZoneInfo, indicators: frozenset[str],
                 initial_rules: Callable[[], dict], clock: Callable[[], datetime] = utc_now):
        self.app = app
        self.tz = tz
        self.indicators = indicators
        self.initial_rules = initial_rules
        self.clock = clock
        self.facts = Facts()
        self._ahead: set[int] = set()  # positions of our own saves applied before the log reached them

    # -- reading -------------------------------------------------------------
    def notifications(self, after: int = 0, limit: int | None = None,
                      exclude: tuple[str, ...] = CONSEQUENCE_TOPICS) -> Iterator[tuple[int, ev.Recorded]]:
        """The log after position ``after``: ``(position, event)`` in recorded order, leaving out the
        topics ``exclude`` (by default the consequences: the record alone; ``()``: every event)."""
        start, left = after + 1, limit
        while left is None or left > 0:
            size = 2000 if left is None else min(2000, left)
            batch = self.app.recorder.select_notifications(start=start, limit=size, exclude=exclude)
            for notification in batch:
                yield notification.id, self.app.mapper.to_domain_event(notification)
            if len(batch) < size:
                return
            start = batch[-1].id + 1
            if left is not None:
                left -= len(batch)

    def refresh(self) -> Facts:
        """Fold into the facts every event recorded since we last looked."""
        for position, event in self.notifications(self.facts.position):
            if position in self._ahead:
                self._ahead.discard(position)
            else:
                self.facts.apply(event, None)
            self.facts.position = position
        return self.facts

    def _reset(self) -> None:
        self.facts, self._ahead = Facts(), set()
        self.refresh()

    # -- writing -------------------------------------------------------------
    def _stamp(self, command: Command, actor: str, facts: Facts) -> Stamp:
        at = command.at or self.clock()
        if command.at is not None and command.at > self.clock():
            raise CommandRejected(command.cmd, command.subject,
                                  f"at {command.at.isoformat()} is later than now")
        if facts.last_recorded is not None and at < facts.last_recorded:
            raise CommandRejected(command.cmd, command.subject,
                                  f"at {at.isoformat()} is earlier than the latest recorded time "
                                  f"{facts.last_recorded.isoformat()} in the store")
        return Stamp(command.id or f"auto:{uuid4().hex}", actor, at)

    def _rules_event(self, facts: Facts, stamp: Stamp, plugins: dict, effective: date | None):
        return ev.RulesApplied(originator_id=stream_id("rules"),
                               originator_version=facts.rules_version + 1, timestamp=stamp.at,
                               command_id=stamp.command_id, actor=stamp.actor,
                               effective=effective, plugins=plugins)

    def _decide_line(self, facts: Facts, command: Command, actor: str) -> list[ev.Recorded]:
        stamp = self._stamp(command, actor, facts)
        events = decide(facts, command, stamp, self.tz, self.indicators)
        if not facts.rules:
            genesis = Stamp(f"rules:initial:{stamp.command_id}", actor, stamp.at)
            events.insert(0, self._rules_event(facts, genesis, self.initial_rules(), None))
        return events

    def _save(self, events: list[ev.Recorded]) -> None:
        if not events:
            return
        commands = [e for e in events if not isinstance(e, ev.RulesApplied)] or events
        head = ev.BatchRecorded(originator_id=stream_id("log"), originator_version=self.facts.log_version + 1,
                                timestamp=max(e.timestamp for e in events), command_id=f"batch:{uuid4().hex}",
                                actor=events[-1].actor, lines=len({e.command_id for e in commands}),
                                first_command=commands[0].command_id, last_command=commands[-1].command_id)
        self.facts.apply(head, None)
        events = [*events, head]
        firsts = {}
        for index, event in enumerate(events):
            firsts.setdefault(event.command_id, index)
        recordings = self.app.events.put(events, commands=list(firsts.items()))  # one transaction, in order
        positions = [r.notification.id for r in recordings]
        if positions == list(range(self.facts.position + 1, self.facts.position + 1 + len(positions))):
            self.facts.position = positions[-1]  # nobody wrote in between: no need to read our own events back
        else:
            self._ahead.update(positions)
            self.refresh()

    def record_batch(self, lines: list[tuple[int, str | dict | Command]], actor: str,
                     report: LoadReport) -> tuple[int, str] | None:
        """Record ``(line number, line)`` pairs in one transaction, up to the first rejected line.

        Returns ``(line number, CommandRejected)`` of the rejected line, or None. Lines
        before it are saved; lines whose id is already recorded are skipped.
        """
        for attempt in range(MAX_RETRIES):
            self.refresh()
            recorded = skipped = 0
            events: list[ev.Recorded] = []
            rejected = None
            try:
                for lineno, line in lines:
                    try:
                        command = line if isinstance(line, Command) else parse_line(line)
                        if command.id is not None and command.id in self.facts.command_ids:
                            skipped += 1
                            continue
                        new = self._decide_line(self.facts, command, actor)
                    except CommandRejected as exc:
                        rejected = (lineno, exc)
                        break
                    for event in new:
                        self.facts.apply(event, None)
                    events.extend(new)
                    recorded += 1
                self._save(events)
            except IntegrityError:
                self._reset()  # another writer won a race: re-read everything, decide again
                _back_off(attempt)
                continue
            except Exception:
                self._reset()  # the batch was not saved: forget what we applied ahead
                raise
            report.recorded += recorded
            report.skipped += skipped
            return rejected
        raise ConcurrentWrite(f"gave up after {MAX_RETRIES} version conflicts in a row; "
                              "nothing of this batch was recorded, run the command again")

    def load(self, lines: Iterable[tuple[int, str]], actor: str, *, batch_size: int = 500,
             progress: Callable[[int], None] | None = None, report: LoadReport | None = None) -> LoadReport:
        """Record numbered lines in order, stopping at the first rejected one.

        ``report`` (a fresh one if not given) counts what was recorded as it goes,
        so that a caller still knows what was kept when the store fails mid-way.
        """
        report = report if report is not None else LoadReport()
        batch: list = []
        for item in lines:
            batch.append(item)
            if len(batch) >= batch_size:
                if self._flush(batch, actor, report, progress):
                    return report
                batch = []
        if batch:
            self._flush(batch, actor, report, progress)
        return report

    def _flush(self, batch, actor, report, progress) -> bool:
        rejected = self.record_batch(batch, actor, report)
        if progress:
            progress(len(batch))
        if rejected:
            report.rejected.append((rejected[0], str(rejected[1])))
            return True
        return False

    def check(self, lines: Iterable[tuple[int, str]], actor: str) -> LoadReport:
        """Report every line that would be rejected; record nothing."""
        self.refresh()
        facts = copy.deepcopy(self.facts)
        report = LoadReport()
        for lineno, line in lines:
            try:
                command = parse_line(line)
                if command.id is not None and command.id in facts.command_ids:
                    report.skipped += 1
                    continue
                for event in self._decide_line(facts, command, actor):
                    facts.apply(event, None)
                report.recorded += 1
            except CommandRejected as exc:
                report.rejected.append((lineno, str(exc)))
        return report

    def record(self, line: str | dict | Command, actor: str) -> None:
        """Record one command; raise ``CommandRejected`` if it breaks a rule."""
        report = LoadReport()
        rejected = self.record_batch([(1, line)], actor, report)
        if rejected:
            raise rejected[1]

    def apply_rules(self, plugins: dict, effective: date | None, actor: str,
                    at: datetime | None = None) -> None:
        """Record which plugins and settings are in force from ``effective`` on."""
        for attempt in range(MAX_RETRIES):
            facts = self.refresh()
            command = Command("plugins_apply", {}, None, at)
            stamp = self._stamp(command, actor, facts)
            event = self._rules_event(facts, Stamp(f"rules:{uuid4().hex}", actor, stamp.at),
                                      plugins, effective)
            try:
                facts.apply(event, None)
                self._save([event])
                return
            except IntegrityError:
                self._reset()
                _back_off(attempt)
            except Exception:
                self._reset()
                raise
        raise ConcurrentWrite("gave up recording the rules after repeated version conflicts")
