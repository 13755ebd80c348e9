"""The scoring process: follows the record and records what follows from it.

For the units of its partition (all units with one worker), a ``Scorer`` reads
the facts in log order and hands them to a ``core.engine.scoring.Scoring``, which
works out what they make follow:

- a ``ScoreChanged`` for every (unit, month) whose figures a fact changed, for the
  months that have begun only: a month's figures are first recorded when it
  begins (docs/assessment.md §7: a board exists from the month's first day), at the first
  fact recorded on or after that day or when the worker looks at the clock;
- the letters and sheets (``NoticeIssued``) of every dispatch.

The ``Scorer`` is the runner: it loads what the scoring holds (a snapshot plus the
facts since, and what it recorded so far from the read models), feeds it the facts
in chunks and records its output. The output of a chunk of facts is saved in one
transaction with the position reached and the read model rows, so a crash neither
loses nor doubles anything, and two workers of the same partition cannot both record
a chunk. Month closes are frozen by ``core.engine.closer`` once every partition is past
them. Restarting costs a snapshot plus the facts since, not the whole log.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from eventsourcing.persistence import IntegrityError

from core.clock import local_date, now
from core.engine import snapshot
from core.engine.closer import Closer
from core.engine.figures import Figures
from core.engine.partitions import partition_of, tracker_name
from core.engine.scoring import Latest, Scoring
from core.record.state import Facts
from core.rules.book import RulesBook
from core.store.app import SankaoApplication
from core.rules.view import CasesView
from events import CONSEQUENCE_TOPICS


class Scorer:
    """Catches the assessment of one partition up with the record."""

    chunk = 1000
    snapshot_every = 50_000

    def __init__(self, app: SankaoApplication, rulebook: RulesBook, tz: ZoneInfo, *, partition: tuple = (0, 1),
                 clock=now):
        """``clock`` says when a month has begun; None: only when a fact on or after its first day arrives
        (a year replayed from its record opens its months as they came, never all at once)."""
        self.app, self.rulebook, self.tz, self.clock = app, rulebook, tz, clock
        self.index, self.count = partition
        self.name = tracker_name(self.index, self.count)
        self.closer = Closer(app, rulebook)
        self._state_at: int | None = None
        self._closes_seen = False

    def holds(self, unit: str) -> bool:
        return self.count == 1 or partition_of(unit, self.count) == self.index

    def done(self) -> int:
        """The position of the last fact scored."""
        return self.app.recorder.tracking(self.name)[0]

    def behind(self) -> int:
        """How many facts are recorded but not scored yet (by this partition)."""
        done = self.done()
        if self.app.recorder.last_position(CONSEQUENCE_TOPICS) <= done:
            return 0
        return self.app.recorder.count_after(done, CONSEQUENCE_TOPICS)

    # -- state -----------------------------------------------------------------
    def state(self) -> Scoring:
        """The scoring as of the last fact scored (loaded from the store when that moved)."""
        self._load_state()
        return self.scoring

    def _load_state(self) -> None:
        done, data = self.app.recorder.tracking(self.name)
        if self._state_at == done:
            return
        self.app.read_models.catch_up()
        self.facts = Facts(partition=self.holds if self.count > 1 else None, buckets=True)
        found = snapshot.latest(self.app.recorder, self.name, done)
        if found is not None:
            snapshot.decode(found[1], self.app.mapper.transcoder, self.facts)
        self._snapshot_at = self.facts.position
        if self.facts.position < done:
            for position, event in self.app.log(self.facts.position, stop=done, exclude=CONSEQUENCE_TOPICS,
                                                size=5000):
                self.facts.apply(event, position)
        self.facts.position = done
        latest, notice_versions, cases = self._load_derived()
        kept = json.loads(data) if data else {}
        opened = date.fromisoformat(kept["opened"]) if kept.get("opened") else None
        self.scoring = Scoring(self.rulebook, self.tz, self.facts, latest=latest, notice_versions=notice_versions,
                               cases=cases, opened=opened)
        self._state_at = done

    def _load_derived(self) -> tuple[dict[tuple[str, str], Latest], dict[str, int], CasesView]:
        """What this partition recorded so far, from the read models (current with the tracking)."""
        latest: dict[tuple[str, str], Latest] = {}
        for period, unit, version, data in self.app.read_models.latest_figures():
            if self.holds(unit):
                row = json.loads(data)
                latest[(unit, period)] = Latest(version, Figures.from_data(row), row["rules"])
        notice_versions: dict[str, int] = {}
        cases = CasesView()
        for unit, version, data in self.app.read_models.notices_in_order():
            if self.holds(unit):
                row = json.loads(data)
                cases.apply(SimpleNamespace(unit=unit, case=row["case"], level=row["level"],
                                            date=date.fromisoformat(row["date"]), points=Decimal(row["points"]),
                                            outcome=row["outcome"]))
                notice_versions[unit] = version
        return latest, notice_versions, cases

    # -- running ---------------------------------------------------------------
    def run(self, progress=None) -> int:
        """Score every fact not scored yet, open the months that have begun, freeze what can be frozen.

        Returns how many facts it scored.
        """
        total = 0
        while True:
            self._load_state()
            start = self._state_at
            batch = self.app.recorder.select_notifications(start=start + 1, limit=self.chunk,
                                                           exclude=CONSEQUENCE_TOPICS)
            try:
                if batch:
                    self._score(batch)
                    reached = batch[-1].id
                else:  # caught up: the clock may have moved into a month not begun before
                    if self.clock is not None:
                        self.scoring.open_until(local_date(self.clock(), self.tz))
                    reached = start
                produced = self.scoring.take()
                if batch or produced:
                    self.app.record(produced, track=(self.name, start, reached, self._kept()))
            except IntegrityError:
                self._state_at = None  # another worker of this partition got there first: reload, go on
                continue
            except BaseException:
                self._state_at = None  # nothing of this chunk was recorded; forget it
                raise
            self._state_at = reached
            since = reached - self._snapshot_at
            if since >= self.snapshot_every and (not batch or since >= 10 * self.snapshot_every):
                self.take_snapshot()  # when caught up (a snapshot costs as much as the facts held), or seldom
            if self._closes_seen or not batch:  # a close to freeze, here or (when caught up) by another worker
                self.closer.run()
                self._closes_seen = False
            if not batch:
                return total
            total += len(batch)
            if progress:
                progress(len(batch))

    def _score(self, batch) -> None:
        """Feed a chunk of facts to the scoring; a close seen is kept for the closer even when scoring fails."""
        try:
            for n in batch:
                self.scoring.apply(self.app.decode(n), n.id)
            self.scoring.rescore_pending()
        finally:
            self._closes_seen = self._closes_seen or self.scoring.closes_seen
            self.scoring.closes_seen = False

    def _kept(self) -> str:
        opened = self.scoring.opened
        return json.dumps({"opened": opened.isoformat() if opened else None})

    def take_snapshot(self) -> None:
        """Save what this worker holds, at the position it has reached."""
        data = snapshot.encode(self.facts, self.app.mapper.transcoder, {})
        snapshot.save(self.app.recorder, self.name, self.facts.position, data, now())
        self._snapshot_at = self.facts.position
