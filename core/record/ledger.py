"""The write side: recording commands as events, line by line, batch by batch.

The ``Ledger`` holds only what it needs to decide: the rules, the office stream
(dispatches and closes), the head of the log, and the units and projects the
commands of a batch touch, each loaded from its own stream when first needed
(``core.record.state.Facts`` in part). So starting a writer costs the same whatever the
length of the log. Before a batch it takes in what other writers recorded since
it last looked, then decides each command with ``core.record.decide`` and saves many
lines per transaction, ending with a ``BatchRecorded`` on the one log stream every
writer appends to. A line is atomic: its events are saved together or not at
all. A version conflict (another writer won the race) makes it look again and
decide the batch anew, so nothing is lost and nothing doubled.
"""

from __future__ import annotations

import random
from itertools import islice
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from core.record.access import forbidden, key_of
from core.record.cache import FactsCache
from core.record.check import LoadReport, check
from core.clock import now as utc_now
from core.record.commands import Command, digest_of, parse_line
from core.record.decide import Stamp, decide
from core.errors import CommandIdReused, CommandRejected, ConcurrentWrite
from core.messages import Name, msg, text_of
from core.record.state import Facts, stream_id
from core.record import tokens
from core.store.app import SankaoApplication
from events import CONSEQUENCE_TOPICS
from events import facts as ev

MAX_RETRIES = 30


def _back_off(attempt: int) -> None:
    """Sleep a random, growing while after a lost race, so that the loser gets its turn."""
    time.sleep(random.uniform(0, min(1.0, 0.005 * 2 ** attempt)))


def parse_numbered(lines: list) -> tuple[list, tuple | None]:
    """``[(line number, Command)]`` up to the first line that does not parse, and that line's error."""
    parsed = []
    for lineno, line in lines:
        try:
            parsed.append((lineno, line if isinstance(line, Command) else parse_line(line)))
        except CommandRejected as exc:
            return parsed, (lineno, exc)
    return parsed, None


def candidates(app, dated_projects, period: str, position: int) -> list[str]:
    """Every project that a spot check of ``period`` may draw by the record up to ``position`` (and maybe more: the
    draw decides on each project's own stream): from the read models when they stand there, else every project
    planned (docs/assessment.md §9)."""
    if dated_projects is not None:
        found = dated_projects(period, position)
        if found is not None:
            return found
    topic = get_topic(ev.ProjectPlanned)
    return [event.project for _, event in app.log(0, stop=position, topics=(topic,))]


class Ledger:
    """Records commands into the log, enforcing docs/assessment.md §1-§2."""

    def __init__(self, app: SankaoApplication, *, tz: ZoneInfo, indicators: frozenset[str],
                 initial_rules: Callable[[], dict], clock: Callable[[], datetime] = utc_now,
                 dated_projects: Callable[[str, int], list | None] | None = None):
        """``dated_projects(period, position)``: the ids of the projects signed or landed within ``period`` by the
        read models, or None when they do not stand at ``position`` yet (then the log is read instead)."""
        self.app = app
        self.dated_projects = dated_projects
        self.tz = tz
        self.indicators = indicators
        self.initial_rules = initial_rules
        self.clock = clock
        self.cache = FactsCache(app, self.notifications, self.candidate_ids)

    @property
    def facts(self) -> Facts | None:
        """The facts this ledger decides on (``core.record.cache``)."""
        return self.cache.facts

    def refresh(self) -> Facts:
        """Take in what other writers recorded since this ledger last looked."""
        return self.cache.refresh()

    # -- reading ---------------------------------------------------------------
    def notifications(self, after: int = 0, limit: int | None = None,
                      exclude: tuple[str, ...] = CONSEQUENCE_TOPICS) -> Iterator[tuple[int, ev.Recorded]]:
        """The log after position ``after``: ``(position, event)`` in recorded order, leaving out the
        topics ``exclude`` (by default the consequences: the record alone; ``()``: every event)."""
        found = self.app.log(after, exclude=exclude, size=2000 if limit is None else max(1, min(2000, limit)))
        return found if limit is None else islice(found, limit)

    def reused(self, command: Command, key: str, earlier: tuple) -> CommandIdReused:
        """The refusal of ``command`` sent under ``key``, recorded already for another command."""
        position, _digest, line = earlier
        if position is None:
            what = msg("ledger.id_in_batch", line=line)
        else:
            found = self.app.recorder.select_notifications(start=position, limit=1)
            event = self.app.mapper.to_domain_event(found[0])
            at = event.timestamp.astimezone(self.tz)
            what = msg("ledger.id_earlier", cmd=Name(type(event).__name__), actor=event.actor, position=position,
                       at=f"{at:%Y-%m-%d %H:%M:%S} ({self.tz.key})")
        return CommandIdReused(command.cmd, command.subject, msg("ledger.id_reused", id=command.id, earlier=what))

    def unit_of(self, command: Command) -> str | None:
        """The unit ``command`` concerns by the record's facts (its own ``unit``, or its project's); None for
        the office's commands and for a project nobody planned."""
        if command.cmd == "plan_project":
            return command.data["unit"]
        if command.data.get("project") is None:
            return None
        facts = self.refresh()
        self.cache.load([command])
        project = facts.projects.get(command.data["project"])
        return project.unit if project is not None else None

    def candidate_ids(self, period: str, position: int) -> list[str]:
        """Every project that a spot check of ``period`` may draw by the record up to ``position``
        (``candidates``)."""
        return candidates(self.app, self.dated_projects, period, position)

    # -- writing -------------------------------------------------------------
    def stamp(self, command: Command, actor: str, facts: Facts, key: str | None = None) -> Stamp:
        at = command.at or self.clock()
        if command.at is not None and command.at > self.clock():
            raise CommandRejected(command.cmd, command.subject,
                                  msg("ledger.later_than_now", at=command.at_text or command.at.isoformat()))
        if facts.last_recorded is not None and at < facts.last_recorded:
            raise CommandRejected(command.cmd, command.subject,  # the time as the line wrote it
                                  msg("ledger.earlier_than_latest", at=command.at_text or at.isoformat(),
                                      latest=facts.last_recorded.isoformat()))
        return Stamp(key or command.id or f"auto:{uuid4().hex}", actor, at)

    def _rules_event(self, facts: Facts, stamp: Stamp, plugins: dict, effective: date | None):
        return ev.RulesApplied(originator_id=stream_id("rules"),
                               originator_version=facts.rules_version + 1, timestamp=stamp.at,
                               command_id=stamp.command_id, actor=stamp.actor,
                               effective=effective, plugins=plugins)

    def decide_line(self, facts: Facts, command: Command, actor: str, key: str | None = None,
                     unit: str | None = None) -> list[ev.Recorded]:
        if unit is not None:
            refused = forbidden(facts, command, unit)
            if refused is not None:
                raise refused
        stamp = self.stamp(command, actor, facts, key)
        events = decide(facts, command, stamp, self.tz, self.indicators)
        if not facts.rules:
            genesis = Stamp(f"rules:initial:{stamp.command_id}", actor, stamp.at)
            events.insert(0, self._rules_event(facts, genesis, self.initial_rules(), None))
        return events

    def _save(self, events: list[ev.Recorded], digests: dict | None = None) -> None:
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
        digests = digests or {}
        positions = self.app.record(events, commands=[(c, i, digests.get(c)) for c, i in firsts.items()])
        # Our BatchRecorded took the log stream's next version, so no other writer recorded facts
        # since we looked: whatever lies between is the engine's output, which the cache does not hold.
        self.facts.position = positions[-1]

    def record_batch(self, lines: list[tuple[int, str | dict | Command]], actor: str,
                     report: LoadReport, unit: str | None = None,
                     atomic: bool = False) -> tuple[int, CommandRejected] | None:
        """Record ``(line number, line)`` pairs in one transaction, up to the first rejected line.

        Returns ``(line number, CommandRejected)`` of the rejected line, or None. Lines before it are saved.
        A line whose id is recorded already for the same command (the same canonical form) is skipped; for
        another command it is refused (``CommandIdReused``). With ``unit``, the lines are a unit's token's:
        its ids are its own (``key_of``) and a line about another unit is refused (``CommandForbidden``).
        With ``atomic``, a rejected line records nothing of the batch (the whole of it or nothing).
        """
        parsed, unparsed = parse_numbered(lines)
        for attempt in range(MAX_RETRIES):
            facts = self.refresh()
            recorded = skipped = 0
            events: list[ev.Recorded] = []
            rejected = unparsed
            try:
                self.cache.load([c for _, c in parsed])
                keyed = [(lineno, c, key_of(c.id, unit)) for lineno, c in parsed]
                known = {k: (*v, None) for k, v in self.cache.recorded([k for _, _, k in keyed if k]).items()}
                digests: dict = {}
                for lineno, command, key in keyed:
                    digest = digest_of(command) if key is not None else None
                    earlier = known.get(key) if key is not None else None
                    if earlier is not None:
                        if earlier[1] is None or earlier[1] == digest:  # the same command (or one from before
                            skipped += 1                                # digests were kept): sent again
                            continue
                        rejected = (lineno, self.reused(command, key, earlier))
                        break
                    try:
                        new = self.decide_line(facts, command, actor, key, unit)
                    except CommandRejected as exc:
                        rejected = (lineno, exc)
                        break
                    for event in new:
                        facts.apply(event, None)
                    events.extend(new)
                    if key is not None:
                        known[key] = (None, digest, lineno)
                        digests[key] = digest
                    recorded += 1
                if rejected is not None and atomic:
                    self.cache.forget()  # what was applied ahead is not saved
                    return rejected
                self._save(events, digests)
            except IntegrityError:
                self.cache.forget()  # another writer won a race: look again, decide again
                _back_off(attempt)
                continue
            except Exception:
                self.cache.forget()  # the batch was not saved: forget what we applied ahead
                raise
            report.recorded += recorded
            report.skipped += skipped
            return rejected
        raise ConcurrentWrite(msg("ledger.gave_up", n=MAX_RETRIES))

    def load(self, lines: Iterable[tuple[int, str]], actor: str, *, batch_size: int = 500,
             progress: Callable[[int], None] | None = None, report: LoadReport | None = None,
             unit: str | None = None, atomic: bool = False) -> LoadReport:
        """Record numbered lines in order, stopping at the first rejected one.

        ``report`` (a fresh one if not given) counts what was recorded as it goes,
        so that a caller still knows what was kept when the store fails mid-way.
        """
        report = report if report is not None else LoadReport()
        if atomic:  # one transaction: every line or none
            lines = list(lines)
            batch_size = max(1, len(lines))
        batch: list = []
        for item in lines:
            batch.append(item)
            if len(batch) >= batch_size:
                if self._record_chunk(batch, actor, report, progress, unit, atomic):
                    return report
                batch = []
        if batch:
            self._record_chunk(batch, actor, report, progress, unit, atomic)
        return report

    def _record_chunk(self, batch, actor, report, progress, unit=None, atomic=False) -> bool:
        rejected = self.record_batch(batch, actor, report, unit, atomic)
        if progress:
            progress(len(batch))
        if rejected:
            report.rejected.append((rejected[0], text_of(rejected[1])))
            report.refusal = rejected[1]
            return True
        return False

    def check(self, lines: Iterable[tuple[int, str]], actor: str, unit: str | None = None) -> LoadReport:
        """Report every line that would be rejected; record nothing (``core.record.check``)."""
        return check(self, lines, actor, unit)

    def record(self, line: str | dict | Command, actor: str, unit: str | None = None) -> None:
        """Record one command; raise ``CommandRejected`` if it breaks a rule."""
        report = LoadReport()
        rejected = self.record_batch([(1, line)], actor, report, unit)
        if rejected:
            raise rejected[1]

    def record_alone(self, decide, what):
        """Record the one event ``decide(facts)`` returns (it may reject), having taken in what other writers
        recorded; a lost race is decided again. Returns the event."""
        for attempt in range(MAX_RETRIES):
            facts = self.refresh()
            event = decide(facts)
            try:
                facts.apply(event, None)
                self._save([event])
                return event
            except IntegrityError:
                self.cache.forget()
                _back_off(attempt)
            except Exception:
                self.cache.forget()
                raise
        raise ConcurrentWrite(msg("ledger.gave_up_alone", what=what, n=MAX_RETRIES))

    def apply_rules(self, plugins: dict, effective: date | None, actor: str,
                    at: datetime | None = None) -> None:
        """Record which plugins and settings are in force from ``effective`` on."""
        def decide(facts):
            stamp = self.stamp(Command("plugins_apply", {}, None, at), actor, facts)
            return self._rules_event(facts, Stamp(f"rules:{uuid4().hex}", actor, stamp.at), plugins, effective)
        self.record_alone(decide, msg("ledger.what_rules"))

    # -- access tokens (core.record.tokens) ------------------------------------------------------
    def issue_token(self, name: str, role: str, actor: str) -> str:
        """Record a new token ``name`` with ``role``; returns the token (only its digest is recorded)."""
        return tokens.issue(self, name, role, actor)

    def revoke_token(self, name: str, actor: str) -> None:
        """Record that token ``name`` is revoked."""
        tokens.revoke(self, name, actor)
