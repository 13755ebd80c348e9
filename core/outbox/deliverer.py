"""The deliverer (``sankao deliver``, docs/delivery.md): claims due jobs, sends them, records each receipt.

A job is claimed in a write transaction (its ``lease`` and ``owner`` set; writes take the store's write lock, so
two deliverers never claim the same job), sent outside any transaction, one receiver at a time, and each
receiver's acceptance is recorded at once as a ``LetterDelivered`` (with its ``outbox_targets`` row, in one
transaction). A deliverer killed between a send and its receipt leaves a lease that runs out: the job is sent
again to that receiver only, under the same delivery key, which the receiver uses to drop the repeat.

A receiver that fails for now (SMTP 4xx, a connection refused, HTTP 5xx) is tried again with exponential
backoff (``backoff`` × 2ⁿ⁻¹, at most ``backoff_max``, with a little jitter) for ``give_up`` seconds from the
first attempt (a day), then the job is dead; one that refuses for good (SMTP 5xx, HTTP 4xx) is dead at once.
Dead jobs are listed by ``sankao deliveries --failed`` and sent again by ``--retry``.
"""

from __future__ import annotations

import os
import random
import re
import socket
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone

from eventsourcing.persistence import IntegrityError

from core.clock import local_date, month_before, now as clock_now, period_name
from core.errors import SankaoError, StoreBusy, StoreUnavailable
from core.messages import msg, text_of
from core.model import DeliveryFailed, Outgoing
from core.outbox.contacts import Contacts
from core.record.state import stream_id
from events.delivery import LetterDelivered


@dataclass
class Policy:
    """Timings in seconds (``sankao deliver`` options, ``SANKAO_DELIVERY_*``)."""

    lease: float = 300.0
    backoff: float = 30.0
    backoff_max: float = 3600.0
    give_up: float = 86400.0
    batch: int = 20

    def delay(self, attempts: int) -> float:
        base = min(self.backoff * 2 ** max(attempts - 1, 0), self.backoff_max)
        return base * (1 + random.random() * 0.1)


@dataclass
class Job:
    key: str
    position: int
    unit: str
    kind: str
    ref: str | None
    attempts: int
    first_try: float | None


@dataclass
class Counts:
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    skipped: int = 0
    jobs: int = 0
    errors: list = field(default_factory=list)


ADDRESS = re.compile(r"[^\s<>()\[\],;:\"']+@[^\s<>()\[\],;:\"']+")


def scrubbed(error: str, address: str) -> str:
    """An error as kept with its job: without the receiver's address, nor anything that looks like an e-mail
    address (an SMTP server's refusal usually quotes it): errors are shown where addresses may not be."""
    if address:
        error = error.replace(address, "<address>")
    return ADDRESS.sub("<address>", error)


def delivery_key(job: str, receiver: str) -> str:
    """The key sent with every attempt of a job to one receiver."""
    return f"{job}.{receiver}"


class Deliverer:
    """Delivers the outbox of ``platform`` through ``channels`` (``core.outbox.channels.Channels``); ``render(job,
    lang)`` says what a job's message is: a dict with ``subject``, ``text``, ``html``, ``data``, ``unit_name``."""

    def __init__(self, platform, channels, render, policy: Policy | None = None, name: str | None = None,
                 clock=time.time):
        self.platform, self.channels, self.render = platform, channels, render
        self.recorder = platform.app.recorder
        self.contacts = Contacts(self.recorder)
        self.policy = policy or Policy()
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{random.getrandbits(32):08x}"
        self.clock = clock
        self._swept = 0.0

    # -- claiming ----------------------------------------------------------------------------------------------
    def claim(self, limit: int | None = None, due_by: float | None = None) -> list[Job]:
        """Take up to ``limit`` jobs due by ``due_by`` (now; oldest due first) for ``lease`` seconds."""
        now, q = self.clock(), self.recorder.q
        with self.recorder.transaction() as cur:
            cur.execute(q("SELECT key FROM outbox WHERE state = 'pending' AND due <= ? AND (lease IS NULL OR "
                          "lease < ?) ORDER BY due, position, key LIMIT ?"),
                        (now if due_by is None else min(due_by, now), now, limit or self.policy.batch))
            keys = [r[0] for r in cur.fetchall()]
            if not keys:
                return []
            marks = ", ".join("?" * len(keys))
            cur.execute(q(f"UPDATE outbox SET lease = ?, owner = ? WHERE key IN ({marks})"),
                        (now + self.policy.lease, self.name, *keys))
            cur.execute(q(f"SELECT key, position, unit, kind, ref, attempts, first_try FROM outbox WHERE key IN "
                          f"({marks}) ORDER BY due, position, key"), keys)
            return [Job(*r) for r in cur.fetchall()]

    # -- one job -----------------------------------------------------------------------------------------------
    def attempt(self, job: Job, counts: Counts, known: tuple[dict, dict] | None = None) -> None:
        """Send ``job`` to each of its receivers that has not accepted it yet; ``known``: the contacts by unit and
        the receivers done by job, read for a whole claim at once (else read here)."""
        contacts, done_by_job = known or self.known([job])
        done = done_by_job.get(job.key, {})
        receivers = [c for c in contacts.get(job.unit, []) if c.receives(job.kind)]
        todo = [c for c in receivers if c.id not in done]
        temporary, dead, rendered = [], [], {}
        if not receivers and not done:
            if contacts.get(job.unit):  # the unit's contacts take other kinds: an office's choice, not a failure
                self.skip(job, str(msg("outbox.not_subscribed", unit=job.unit, kind=job.kind)))
                counts.skipped += 1
                return
            temporary.append(str(msg("outbox.no_contact", unit=job.unit, kind=job.kind)))
        for contact in todo:
            key = delivery_key(job.key, contact.id)
            try:
                if contact.lang not in rendered:
                    rendered[contact.lang] = self.render(job, contact.lang)
                body = rendered[contact.lang]
                message = Outgoing(key=key, kind=job.kind, unit=job.unit, unit_name=body["unit_name"],
                                   role=contact.role, subject=body["subject"], text=body["text"], html=body["html"],
                                   data={**body["data"], "key": key, "role": contact.role}, lang=contact.lang)
                receipt = self.channels.deliver(contact.channel, message, contact.address, contact.secret)
            except DeliveryFailed as failed:
                where = f"{contact.role} {contact.channel}: {scrubbed(str(failed), contact.address)}"
                if failed.permanent:
                    dead.append((contact, where))
                else:
                    temporary.append(where)
                continue
            except SankaoError as exc:  # rendering found the store unreadable: try later
                temporary.append(f"{contact.role} {contact.channel}: {text_of(exc)}")
                continue
            except Exception as exc:  # a defect in rendering: named, tried later, never the deliverer's end
                temporary.append(f"{contact.role} {contact.channel}: "
                                 f"{scrubbed(f'{type(exc).__name__}: {exc}', contact.address)}")
                continue
            last = contact is todo[-1] and not temporary and not dead and not any(v == "dead" for v in done.values())
            recorded = self.record(job, contact, key, receipt.answer, settle=last)
            if recorded:
                counts.delivered += 1
            if last and recorded:  # the job is delivered: settled in its last receipt's transaction
                return
        self.finish(job, temporary, dead, counts)

    def known(self, jobs: list[Job]) -> tuple[dict, dict]:
        """The contacts of the jobs' units, by unit, and the receivers that accepted or refused each job."""
        contacts: dict[str, list] = {}
        for contact in self.contacts.of_units({j.unit for j in jobs}):
            contacts.setdefault(contact.unit, []).append(contact)
        keys = [j.key for j in jobs]
        done: dict[str, dict] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            for key, receiver, state in self.recorder.fetch(
                    f"SELECT job, receiver, state FROM outbox_targets WHERE job IN ({', '.join('?' * len(chunk))})",
                    chunk):
                done.setdefault(key, {})[receiver] = state
        return contacts, done

    def record(self, job: Job, contact, key: str, answer: str, settle: bool = False) -> bool:
        """Record the receipt (a ``LetterDelivered`` on the job's stream, its ``outbox_targets`` row in the same
        transaction; with ``settle``, the job delivered too, if this deliverer still holds it); False when this
        receiver's receipt was recorded already (by another deliverer)."""
        def delivered(cur):
            cur.execute(self.recorder.q("UPDATE outbox SET state = 'delivered', attempts = ?, first_try = ?, "
                                        "error = NULL, lease = NULL, owner = NULL, done = ? WHERE key = ? AND owner = ?"),
                        (job.attempts + 1, job.first_try or now, now, job.key, self.name))
        stream = stream_id("delivery", job.key)
        for _ in range(5):
            last = self.recorder.select_last(stream, upto=2 ** 62)
            event = LetterDelivered(originator_id=stream, originator_version=(last.originator_version if last else 0) + 1,
                                    timestamp=datetime.fromtimestamp(self.clock(), timezone.utc), job=job.key,
                                    cause=job.position, unit=job.unit, kind=job.kind, channel=contact.channel,
                                    role=contact.role, receiver=contact.id, key=key,
                                    answer=scrubbed(answer, contact.address)[:500],  # the log never holds an address
                                    attempts=job.attempts + 1)
            now = self.clock()
            try:
                self.platform.app.record([event], also=delivered if settle else None)
                return True
            except IntegrityError:
                if self.recorder.fetch("SELECT 1 FROM outbox_targets WHERE job = ? AND receiver = ?",
                                       (job.key, contact.id)):
                    return False
        raise IntegrityError(f"delivery {key}: the job's stream kept moving")

    def skip(self, job: Job, why: str) -> None:
        """Settle a job no contact of its unit subscribes to (``skipped``; sent if one does by ``--retry``)."""
        now, q = self.clock(), self.recorder.q
        with self.recorder.transaction() as cur:
            cur.execute(q("UPDATE outbox SET state = 'skipped', attempts = ?, first_try = ?, error = ?, lease = NULL, "
                          "owner = NULL, done = ? WHERE key = ? AND owner = ?"),
                        (job.attempts + 1, job.first_try or now, why, now, job.key, self.name))

    def finish(self, job: Job, temporary: list[str], dead: list, counts: Counts) -> None:
        """The job's state after an attempt, if this deliverer still holds it."""
        now, q = self.clock(), self.recorder.q
        with self.recorder.transaction() as cur:
            for contact, error in dead:
                cur.execute(q("INSERT INTO outbox_targets (job, receiver, channel, role, state, at, answer) VALUES "
                              "(?, ?, ?, ?, 'dead', ?, ?) ON CONFLICT (job, receiver) DO NOTHING"),
                            (job.key, contact.id, contact.channel, contact.role, now, error[:500]))
            if temporary:
                attempts, first = job.attempts + 1, job.first_try or now
                error = "; ".join(temporary)[:1000]
                if now - first >= self.policy.give_up:
                    cur.execute(q("UPDATE outbox SET state = 'dead', attempts = ?, first_try = ?, error = ?, "
                                  "lease = NULL, owner = NULL, done = ? WHERE key = ? AND owner = ?"),
                                (attempts, first, error, now, job.key, self.name))
                    counts.dead += 1
                else:
                    cur.execute(q("UPDATE outbox SET attempts = ?, first_try = ?, error = ?, due = ?, lease = NULL, "
                                  "owner = NULL WHERE key = ? AND owner = ?"),
                                (attempts, first, error, now + self.policy.delay(attempts), job.key, self.name))
                    counts.failed += 1
                counts.errors.append(f"{job.key}: {error}")
                return
            cur.execute(q("SELECT count(*) FROM outbox_targets WHERE job = ? AND state = 'dead'"), (job.key,))
            state = "dead" if cur.fetchone()[0] else "delivered"
            error = "; ".join(e for _, e in dead)[:1000] or None
            cur.execute(q("UPDATE outbox SET state = ?, attempts = ?, first_try = ?, error = ?, lease = NULL, "
                          "owner = NULL, done = ? WHERE key = ? AND owner = ?"),
                        (state, job.attempts + 1, job.first_try or now, error, now, job.key, self.name))
            if state == "dead":
                counts.dead += 1
                counts.errors.append(f"{job.key}: {error}")

    # -- the loop ------------------------------------------------------------------------------------------------
    def sweep(self) -> int:
        """Make the jobs of missed self-check deadlines (docs/assessment.md §9) whose day after has begun: for
        the two months before this one, each unit that owed a self-check and has none on time. Once a minute."""
        if self.clock() - self._swept < 60:
            return 0
        self._swept = self.clock()
        queries, tz = self.platform.queries, self.platform.tz
        today = local_date(clock_now(), tz)
        current = period_name(today.year, today.month)
        made = []
        for period in (month_before(current), month_before(month_before(current))):
            if today <= queries.self_check_due(period):
                continue
            try:
                answer = queries.supervision(period)
            except SankaoError:
                continue
            if not answer["self_checks_required"]:
                continue
            for line in answer["units"]:
                if not (line["self_check"] and line["on_time"]):
                    made.append((f"selfcheck.{period}.{line['unit']}", 0, line["unit"], "self_check", period))
        if not made:
            return 0
        now = self.clock()
        with self.recorder.transaction() as cur:
            cur.executemany(self.recorder.q(
                "INSERT INTO outbox (key, position, unit, kind, ref, created, state, due) VALUES "
                "(?, ?, ?, ?, ?, ?, 'pending', ?) ON CONFLICT (key) DO NOTHING"), [(*m, now, now) for m in made])
        return len(made)

    def run_once(self, stop=lambda: False) -> Counts:
        """Try every job due when it starts once (one put off meanwhile waits for the next run), then return;
        ``stop()`` is asked between jobs (the jobs claimed and not tried are released)."""
        counts = Counts()
        self.sweep()
        start = self.clock()
        while not stop():
            claimed = self.clock()
            jobs = self.claim(due_by=start)
            if not jobs:
                break
            known = self.known(jobs)
            for job in jobs:
                if stop():
                    break
                if self.clock() - claimed > self.policy.lease / 2:  # a slow batch: hold each job afresh
                    if not self.renew(job):
                        continue  # its lease ran out and another deliverer has it
                    known = self.known(jobs)  # and look again at who has it
                counts.jobs += 1
                self.attempt(job, counts, known)
        self.release()
        return counts

    def renew(self, job: Job) -> bool:
        """Hold ``job`` for another ``lease`` seconds from now; False when this deliverer no longer holds it."""
        with self.recorder.transaction() as cur:
            cur.execute(self.recorder.q("UPDATE outbox SET lease = ? WHERE key = ? AND owner = ? AND state = "
                                        "'pending'"), (self.clock() + self.policy.lease, job.key, self.name))
            return cur.rowcount == 1

    def release(self) -> None:
        """Give back the jobs this deliverer holds and has not tried (stopping): they are due again at once."""
        with self.recorder.transaction() as cur:
            cur.execute(self.recorder.q("UPDATE outbox SET lease = NULL, owner = NULL WHERE owner = ? AND "
                                        "state = 'pending'"), (self.name,))

    def run(self, stop=lambda: False, poll: float = 1.0, report=None, trouble=None) -> None:
        """Deliver until ``stop()``: whatever is due, then wait ``poll`` seconds for more. A store that fails
        (PostgreSQL restarting, a lock held too long) is said (``trouble(exc)``) and tried again after a pause;
        what was sent and not yet recorded is sent again, under the same keys, when its lease runs out."""
        pause = poll
        while not stop():
            try:
                counts = self.run_once(stop)
            except (StoreUnavailable, StoreBusy) as exc:
                if trouble:
                    trouble(exc)
                time.sleep(pause)
                pause = min(pause * 2, 30.0)
                continue
            pause = poll
            if report and counts.jobs:
                report(counts)
            if not counts.jobs:
                time.sleep(poll)
