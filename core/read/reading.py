"""What every query reads: the platform's parts, the rules as known, frozen boards and heads, the caches."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.errors import NotFound
from core.record.state import Rules, stream_id
from core.messages import msg
from core.rules.book import RulesBook
from core.store.app import SankaoApplication
from events import assessment as out
from eventsourcing.utils import get_topic

SCORE_TOPIC, NOTICE_TOPIC = get_topic(out.ScoreChanged), get_topic(out.NoticeIssued)

ALL = "*every unit*"  # ``indicators_of``: the indicators of every line


def entry_dict(entry, **extra) -> dict:
    """A board line (a ranked ``BoardEntry``) as ``core.report.entry`` writes it out."""
    return {"unit": entry.unit, "rank": entry.rank, "third": entry.third, "base": entry.base,
            "coefficient": entry.coefficient, "deduction": entry.deduction, "final": entry.final,
            "signed_amount": entry.signed_amount, "indicators": entry.indicators,
            "streak": None, "accountability": None, "commended": None, **extra}

class Reading:
    """The base of the queries (``core.read.queries.Queries``): what they share."""

    def __init__(self, app: SankaoApplication, rulebook: RulesBook, tz: ZoneInfo, lag=lambda: 0):
        """``lag()`` says how many facts the scoring has not taken in yet (named when an answer is missing)."""
        self.app, self.rulebook, self.tz, self.lag = app, rulebook, tz, lag
        self._boards: dict[str, tuple] = {}  # live boards worked out, by month, with the stamp they are of
        self._frozen_events: dict[str, object] = {}  # frozen boards read, by month
        self._frozen_units: dict[str, list] = {}  # and written out
        self._annual_answers: dict[int, dict] = {}  # frozen annual standings, written out
        self._standings: dict[int, object] = {}  # and read
        self._heads: dict[str, tuple] = {}  # Merkle heads recorded at closes, by label

    @property
    def recorder(self):
        return self.app.recorder

    def _at(self, moment: datetime) -> str:
        """An instant as the office reads it: local time to the second, with the zone's offset."""
        return moment.astimezone(self.tz).isoformat(timespec="seconds")

    def _behind(self, query: str) -> None:
        """When an answer is missing because the scores lag behind the record, say that, not something else."""
        behind = self.lag()
        if behind:
            raise NotFound(msg("read.not_scored", query=query, behind=behind))

    def _current(self) -> bool:
        return self.app.read_models.behind() == 0

    def _rules(self, known_at: datetime | None) -> list[Rules]:
        found = []
        for n in self.recorder.select_events(stream_id("rules")):
            event = self.app.mapper.to_domain_event(n)
            if known_at is None or event.timestamp <= known_at:
                found.append(Rules(event.command_id, n.id, event.effective, event.plugins))
        return found

    def _unit(self, unit: str, known_at: datetime) -> list:
        """The unit's recorded events as known at ``known_at`` (empty: not registered then)."""
        return [e for e in self.app.events.get(stream_id("unit", unit)) if e.timestamp <= known_at]

    # -- a month's figures, as known -------------------------------------------------------------
    def is_frozen(self, period: str) -> bool:
        """Whether the month's board was frozen at its close (as known now)."""
        return self._frozen(period, None) is not None

    def _frozen(self, period: str, known_at: datetime | None):
        """The month's ``BoardFrozen`` if it was recorded by ``known_at``; kept once read (it never changes)."""
        event = self._frozen_events.get(period)
        if event is None:
            stored = self.recorder.select_events(stream_id("board", period), limit=1)
            if not stored:
                return None
            event = self._frozen_events[period] = self.app.mapper.to_domain_event(stored[0])
        return event if known_at is None or event.timestamp <= known_at else None

    def head_of(self, label: str, known_at: datetime | None = None) -> dict | None:
        """The Merkle head recorded for ``label`` (``close 2023-06``): ``{"size", "root"}``, or None. A head
        found is kept (it never changes)."""
        found = self._heads.get(label)
        if found is None:
            for n in self.recorder.select_events(stream_id("heads")):
                event = self.app.mapper.to_domain_event(n)
                if event.label == label:
                    found = self._heads[label] = (event.timestamp, {"size": event.size, "root": event.root})
                    break
        if found is None or known_at is not None and found[0] > known_at:
            return None
        return dict(found[1])
