"""The month close (docs/assessment.md §5): freezing a month's board once every partition is past it.

A ``close_month`` recorded at log position c freezes the board the commands
recorded before it gave: for each unit, the latest ``ScoreChanged`` of the month
whose figures take in only facts before c. Scoring workers score their own units
at their own pace; the closer waits until every partition's worker has passed c,
then ranks the board with the rules in force for the month as recorded before c,
asks the ranking policy for streaks, accountability and commendations (against
the boards frozen earlier in the year) and records one ``BoardFrozen``. Its stream
takes version 1 only once, so two closers at once freeze a month once.
"""

from __future__ import annotations

from eventsourcing.persistence import IntegrityError

from core.clock import month_start, parse_period
from core.engine.figures import Figures
from core.engine.partitions import tracker_name
from core.engine.ranking import board_entry, first_answer, rank_board
from core.record.state import Rules, stream_id
from events import assessment as out


def rules_before(app, position: int) -> list[Rules]:
    """The rules recorded before log position ``position``, oldest first."""
    found = []
    for n in app.recorder.select_events(stream_id("rules")):
        if n.id < position:
            event = app.mapper.to_domain_event(n)
            found.append(Rules(event.command_id, n.id, event.effective, event.plugins))
    return found


class Closer:
    """Freezes the boards of the months closed, in order, once every partition has scored past them."""

    def __init__(self, app, rulebook):
        self.app, self.rulebook = app, rulebook

    def partitions(self) -> int:
        return int(self.app.recorder.meta("partitions") or 1)

    def scored_up_to(self) -> int:
        """The position every partition's worker has reached."""
        count = self.partitions()
        return min(self.app.recorder.tracking(tracker_name(i, count))[0] for i in range(count))

    def pending(self) -> list[tuple[str, int]]:
        return self.app.read_models.pending_closes()

    def run(self) -> int:
        """Freeze every month closed that every partition has scored past; returns how many."""
        waiting = self.pending()
        if not waiting:
            return 0
        floor, frozen = self.scored_up_to(), 0
        for period, position in waiting:
            if position > floor:
                break
            try:
                frozen_now = self.freeze_year(int(period), position) if len(period) == 4 else \
                    self.freeze(period, position)
                self.app.record([frozen_now, self.head(f"close {period}", frozen_now)])
            except IntegrityError:
                pass  # another closer froze it meanwhile
            frozen += 1
        return frozen

    def head(self, label: str, cause) -> out.HeadRecorded:
        """The head of the log's tree as it stands (all recorded so far), to record beside ``cause``."""
        tree = self.app.tree
        size = tree.tree.size()
        last = self.app.recorder.select_last(stream_id("heads"), upto=10 ** 18)
        return out.HeadRecorded(originator_id=stream_id("heads"),
                                originator_version=(last.originator_version if last else 0) + 1,
                                timestamp=cause.timestamp, command_id=cause.command_id, position=cause.position,
                                size=size, root=tree.tree.root(size).hex(), label=label)

    def freeze_year(self, year: int, close: int) -> out.StandingFrozen:
        """The annual standing of ``year`` frozen at the ``close_year`` at log position ``close`` (docs/assessment.md §8):
        from the facts recorded before it and the year's boards frozen before it."""
        from core.engine import annual
        request = self.app.mapper.to_domain_event(self.app.recorder.select_positions([close])[0])
        inputs = annual.gather(self.app, year, before=close)
        standing, policy = annual.evaluate(self.rulebook, inputs)
        return annual.frozen_event(year, request, close, standing, policy, inputs.through)

    def freeze(self, period: str, close: int) -> out.BoardFrozen:
        """The frozen board of ``period`` closed at log position ``close``."""
        year, month = parse_period(period)
        request = self.app.mapper.to_domain_event(self.app.recorder.select_positions([close])[0])
        scored = [(unit, position) for unit, _, position in
                  self.app.read_models.figure_versions(period, before=close)]
        events = {n.id: self.app.mapper.to_domain_event(n)
                  for n in self.app.recorder.select_positions([p for _, p in scored])}
        entries, at = [], {}
        for unit, position in sorted(scored):
            event = events[position]
            if event.assessed:
                entries.append(board_entry(unit, Figures.from_event(event)))
                at[unit] = (position, Figures.from_event(event))
        rules = rules_before(self.app, close)
        ps = self.rulebook.manager(self.rulebook.in_force(rules, month_start(year, month)))
        ranked, policy = rank_board(ps, period, entries) if entries else ([], None)
        earlier = {}
        for p, position in self.app.read_models.frozen_between(f"{year:04d}-01", period):
            earlier[p] = self.app.mapper.to_domain_event(self.app.recorder.select_positions([position])[0]).entries
        consequences, decided_by = first_answer(ps, "sankao_close_month", period=period, board=ranked,
                                                closed=earlier) if ranked else (None, None)
        rows = []
        for entry in ranked:
            extra = (consequences or {}).get(entry.unit, {})
            position, figures = at[entry.unit]
            rows.append({"unit": entry.unit, "rank": entry.rank, "third": entry.third,
                         "streak": extra.get("streak", 0), "accountability": extra.get("accountability"),
                         "commended": bool(extra.get("commended", False)), "figures": figures.as_event_data(),
                         "scored": position})
        return out.BoardFrozen(originator_id=stream_id("board", period), originator_version=1,
                               timestamp=request.timestamp, command_id=request.command_id, position=close,
                               period=period, entries=rows, policy=policy or decided_by or "", close=close)
