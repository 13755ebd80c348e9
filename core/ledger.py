"""The write side: recording commands as events, line by line, batch by batch.

The ``Ledger`` holds only what it needs to decide: the rules, the office stream
(dispatches and closes), the head of the log, and the units and projects the
commands of a batch touch, each loaded from its own stream when first needed
(``core.facts.Facts`` in part). So starting a writer costs the same whatever the
length of the log. Before a batch it takes in what other writers recorded since
it last looked, then decides each command with ``core.decide`` and saves many
lines per transaction, ending with a ``BatchRecorded`` on the one log stream every
writer appends to. A line is atomic: its events are saved together or not at
all. A version conflict (another writer won the race) makes it look again and
decide the batch anew, so nothing is lost and nothing doubled.
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
from core.commands import Command, digest_of, parse_line
from core.decide import Stamp, decide
from core.errors import CommandForbidden, CommandIdReused, CommandRejected, ConcurrentWrite
from core.messages import Name, msg, text_of
from core.facts import Facts, stream_id
from core.store.app import SankaoApplication
from events import CONSEQUENCE_TOPICS
from events import facts as ev

MAX_RETRIES = 30
FOLLOW_LIMIT = 20_000  # past this many new facts by others, forget the cache rather than fold them in


def _back_off(attempt: int) -> None:
    """Sleep a random, growing while after a lost race, so that the loser gets its turn."""
    time.sleep(random.uniform(0, min(1.0, 0.005 * 2 ** attempt)))


@dataclass
class LoadReport:
    """What a ``load`` did: counts and the rejected lines (``(line number, message)``)."""

    recorded: int = 0
    skipped: int = 0
    rejected: list = field(default_factory=list)
    refusal: CommandRejected | None = None  # the exception of the first rejected line (its kind: 403, 409, 422)


class Ledger:
    """Records commands into the log, enforcing docs/assessment.md §1-§2."""

    def __init__(self, app: SankaoApplication, *, tz: ZoneInfo, indicators: frozenset[str],
                 initial_rules: Callable[[], dict], clock: Callable[[], datetime] = utc_now):
        self.app = app
        self.tz = tz
        self.indicators = indicators
        self.initial_rules = initial_rules
        self.clock = clock
        self.facts: Facts | None = None
        self._loaded: set = set()  # stream ids folded into the cache (or known to be empty)

    # -- reading ---------------------------------------------------------------
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

    def _start(self) -> Facts:
        """A fresh cache: the rules, the office and the head of the log, nothing else."""
        recorder = self.app.recorder
        head = recorder.max_notification_id()
        facts = Facts(buckets=False)
        streams = [stream_id("rules"), stream_id("office"), stream_id("tokens")]
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
            return self._start()
        head = self.app.recorder.max_notification_id()
        if head == self.facts.position:
            return self.facts
        taken = 0  # facts of other writers (the engine's output in between is passed over by the query)
        for position, event in self.notifications(self.facts.position):
            if position > head:
                break
            taken += 1
            if taken > FOLLOW_LIMIT:  # a lot happened elsewhere: start afresh rather than fold it all in
                return self._start()
            self.facts.apply(event, position)  # new units and projects come whole: they stay loaded
        self.facts.position = head
        return self.facts

    def _load(self, commands: list[Command]) -> None:
        """Fold into the cache the units and projects these commands touch, from their streams."""
        wanted = []
        held = {"unit": self.facts.units, "project": self.facts.projects, "person": self.facts.people}
        for command in commands:
            for kind in ("unit", "project", "person"):
                key = command.data.get(kind)
                if isinstance(key, str) and key not in held[kind]:  # what the cache holds is current
                    stream = stream_id(kind, key)
                    if stream not in self._loaded:
                        wanted.append(stream)
        wanted = list(dict.fromkeys(wanted))
        if not wanted:
            return
        for n in self.app.recorder.select_streams(wanted, upto=self.facts.position):
            self.facts.apply(self.app.mapper.to_domain_event(n), None)
        self._loaded.update(wanted)

    @staticmethod
    def key_of(command_id: str | None, unit: str | None) -> str | None:
        """The id a command is recorded under: the office's ids as they are; a unit's token records in the
        unit's own namespace (``unit/U01/c00482``), so a unit can neither take, block nor probe the office's
        ids or another unit's (ids cannot contain ``/``)."""
        if command_id is None or unit is None:
            return command_id
        return f"unit/{unit}/{command_id}"

    def _recorded(self, keys: list[str]) -> dict[str, tuple]:
        """``{key: (position, digest)}`` of the keys recorded by the cache's snapshot of the log (what was
        recorded after it is found by the conflict and the retry)."""
        found = self.app.recorder.recorded_commands(keys, upto=self.facts.position) if keys else {}
        self.facts.command_ids.update(found)
        return found

    def _reused(self, command: Command, key: str, earlier: tuple) -> CommandIdReused:
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

    @staticmethod
    def forbidden(facts: Facts, command: Command, unit: str) -> CommandForbidden | None:
        """Why a token of ``unit`` may not record ``command`` (None: it may). Decided on the record's own facts
        (the aggregates folded from the log), never on a read model."""
        cmd, data = command.cmd, command.data
        if cmd == "plan_project":
            owner, what = data["unit"], data["project"]
        elif cmd in ("sign_project", "land_project", "start_construction", "withdraw_project", "correct",
                     "assign_project"):
            project = facts.projects.get(data["project"])
            if project is None:
                return None  # not planned: the record's own rule names it
            owner, what = project.unit, project.id
            person = facts.people.get(data.get("person")) if cmd == "assign_project" else None
            if owner == unit and person is not None and person.unit != unit:
                owner, what = person.unit, person.id
        else:
            return CommandForbidden(cmd, command.subject, msg("ledger.unit_office_command", own=unit, cmd=Name(cmd)))
        if owner != unit:
            return CommandForbidden(cmd, command.subject, msg("ledger.unit_not_own", own=unit, what=what,
                                                              unit=owner))
        return None

    def unit_of(self, command: Command) -> str | None:
        """The unit ``command`` concerns by the record's facts (its own ``unit``, or its project's); None for
        the office's commands and for a project nobody planned."""
        if command.cmd == "plan_project":
            return command.data["unit"]
        if command.data.get("project") is None:
            return None
        facts = self.refresh()
        self._load([command])
        project = facts.projects.get(command.data["project"])
        return project.unit if project is not None else None

    # -- writing -------------------------------------------------------------
    def _stamp(self, command: Command, actor: str, facts: Facts, key: str | None = None) -> Stamp:
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

    def _decide_line(self, facts: Facts, command: Command, actor: str, key: str | None = None,
                     unit: str | None = None) -> list[ev.Recorded]:
        if unit is not None:
            refused = self.forbidden(facts, command, unit)
            if refused is not None:
                raise refused
        stamp = self._stamp(command, actor, facts, key)
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

    @staticmethod
    def _parse(lines: list) -> tuple[list, tuple | None]:
        """``[(line number, Command)]`` up to the first line that does not parse, and that line's error."""
        parsed = []
        for lineno, line in lines:
            try:
                parsed.append((lineno, line if isinstance(line, Command) else parse_line(line)))
            except CommandRejected as exc:
                return parsed, (lineno, exc)
        return parsed, None

    def record_batch(self, lines: list[tuple[int, str | dict | Command]], actor: str,
                     report: LoadReport, unit: str | None = None) -> tuple[int, CommandRejected] | None:
        """Record ``(line number, line)`` pairs in one transaction, up to the first rejected line.

        Returns ``(line number, CommandRejected)`` of the rejected line, or None. Lines before it are saved.
        A line whose id is recorded already for the same command (the same canonical form) is skipped; for
        another command it is refused (``CommandIdReused``). With ``unit``, the lines are a unit's token's:
        its ids are its own (``key_of``) and a line about another unit is refused (``CommandForbidden``).
        """
        parsed, unparsed = self._parse(lines)
        for attempt in range(MAX_RETRIES):
            facts = self.refresh()
            recorded = skipped = 0
            events: list[ev.Recorded] = []
            rejected = unparsed
            try:
                self._load([c for _, c in parsed])
                keyed = [(lineno, c, self.key_of(c.id, unit)) for lineno, c in parsed]
                known = {k: (*v, None) for k, v in self._recorded([k for _, _, k in keyed if k]).items()}
                digests: dict = {}
                for lineno, command, key in keyed:
                    digest = digest_of(command) if key is not None else None
                    earlier = known.get(key) if key is not None else None
                    if earlier is not None:
                        if earlier[1] is None or earlier[1] == digest:  # the same command (or one from before
                            skipped += 1                                # digests were kept): sent again
                            continue
                        rejected = (lineno, self._reused(command, key, earlier))
                        break
                    try:
                        new = self._decide_line(facts, command, actor, key, unit)
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
                self._save(events, digests)
            except IntegrityError:
                self.facts = None  # another writer won a race: look again, decide again
                _back_off(attempt)
                continue
            except Exception:
                self.facts = None  # the batch was not saved: forget what we applied ahead
                raise
            report.recorded += recorded
            report.skipped += skipped
            return rejected
        raise ConcurrentWrite(msg("ledger.gave_up", n=MAX_RETRIES))

    def load(self, lines: Iterable[tuple[int, str]], actor: str, *, batch_size: int = 500,
             progress: Callable[[int], None] | None = None, report: LoadReport | None = None,
             unit: str | None = None) -> LoadReport:
        """Record numbered lines in order, stopping at the first rejected one.

        ``report`` (a fresh one if not given) counts what was recorded as it goes,
        so that a caller still knows what was kept when the store fails mid-way.
        """
        report = report if report is not None else LoadReport()
        batch: list = []
        for item in lines:
            batch.append(item)
            if len(batch) >= batch_size:
                if self._flush(batch, actor, report, progress, unit):
                    return report
                batch = []
        if batch:
            self._flush(batch, actor, report, progress, unit)
        return report

    def _flush(self, batch, actor, report, progress, unit=None) -> bool:
        rejected = self.record_batch(batch, actor, report, unit)
        if progress:
            progress(len(batch))
        if rejected:
            report.rejected.append((rejected[0], text_of(rejected[1])))
            report.refusal = rejected[1]
            return True
        return False

    def check(self, lines: Iterable[tuple[int, str]], actor: str, unit: str | None = None) -> LoadReport:
        """Report every line that would be rejected; record nothing."""
        self.refresh()
        numbered = list(lines)
        parsed, report = [], LoadReport()
        for lineno, line in numbered:
            try:
                parsed.append((lineno, parse_line(line)))
            except CommandRejected as exc:
                parsed.append((lineno, exc))
        commands = [c for _, c in parsed if isinstance(c, Command)]
        self._load(commands)
        known = {k: (*v, None) for k, v in self._recorded(
            [self.key_of(c.id, unit) for c in commands if c.id is not None]).items()}
        facts = copy.deepcopy(self.facts)
        for lineno, command in parsed:
            if isinstance(command, CommandRejected):
                report.rejected.append((lineno, text_of(command)))
                continue
            key = self.key_of(command.id, unit)
            digest = digest_of(command) if key is not None else None
            earlier = known.get(key) if key is not None else None
            if earlier is not None:
                if earlier[1] is None or earlier[1] == digest:
                    report.skipped += 1
                else:
                    report.rejected.append((lineno, text_of(self._reused(command, key, earlier))))
                continue
            try:
                for event in self._decide_line(facts, command, actor, key, unit):
                    facts.apply(event, None)
                report.recorded += 1
                if key is not None:
                    known[key] = (None, digest, lineno)
            except CommandRejected as exc:
                report.rejected.append((lineno, text_of(exc)))
        return report

    def record(self, line: str | dict | Command, actor: str, unit: str | None = None) -> None:
        """Record one command; raise ``CommandRejected`` if it breaks a rule."""
        report = LoadReport()
        rejected = self.record_batch([(1, line)], actor, report, unit)
        if rejected:
            raise rejected[1]

    def _record_alone(self, decide, what):
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
                self.facts = None
                _back_off(attempt)
            except Exception:
                self.facts = None
                raise
        raise ConcurrentWrite(msg("ledger.gave_up_alone", what=what, n=MAX_RETRIES))

    def apply_rules(self, plugins: dict, effective: date | None, actor: str,
                    at: datetime | None = None) -> None:
        """Record which plugins and settings are in force from ``effective`` on."""
        def decide(facts):
            stamp = self._stamp(Command("plugins_apply", {}, None, at), actor, facts)
            return self._rules_event(facts, Stamp(f"rules:{uuid4().hex}", actor, stamp.at), plugins, effective)
        self._record_alone(decide, msg("ledger.what_rules"))

    # -- access tokens (core.access) ------------------------------------------------------
    def issue_token(self, name: str, role: str, actor: str) -> str:
        """Record a new token ``name`` with ``role``; returns the token (only its digest is recorded)."""
        from core import access
        token = access.new_token()

        def decide(facts):
            problem = access.name_problem(name) or access.role_problem(role, self._unit_ids())
            if problem is None and name in facts.tokens:
                problem = msg("ledger.token_taken_revoked" if facts.tokens[name][1] else "ledger.token_taken",
                              name=name)
            if problem:
                raise CommandRejected("token create", name, problem)
            stamp = self._stamp(Command("token", {}, None, None), actor, facts)
            return ev.TokenIssued(originator_id=stream_id("tokens"), originator_version=facts.tokens_version + 1,
                                  timestamp=stamp.at, command_id=f"token:{uuid4().hex}", actor=actor, name=name,
                                  role=role, digest=access.digest(token))
        self._record_alone(decide, msg("ledger.what_token"))
        return token

    def revoke_token(self, name: str, actor: str) -> None:
        """Record that token ``name`` is revoked."""
        def decide(facts):
            found = facts.tokens.get(name)
            if found is None:
                raise CommandRejected("token revoke", name, msg("ledger.no_token", name=name))
            if found[1]:
                raise CommandRejected("token revoke", name, msg("ledger.token_revoked", name=name))
            stamp = self._stamp(Command("token", {}, None, None), actor, facts)
            return ev.TokenRevoked(originator_id=stream_id("tokens"), originator_version=facts.tokens_version + 1,
                                   timestamp=stamp.at, command_id=f"token:{uuid4().hex}", actor=actor, name=name)
        self._record_alone(decide, msg("ledger.what_revocation"))

    def _unit_ids(self) -> set:
        return self.app.read_models.unit_ids()
