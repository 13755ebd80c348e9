"""The vocabulary of Sankao: every fact and every consequence is one of these events.

Events are immutable and stored for good. Their stored topic is ``module:Class``,
so renaming or moving a class is a data migration (see ``docs/events.md``).
"""

from events.assessment import BoardFrozen, NoticeIssued, ScoreChanged
from events.facts import (
    BatchRecorded,
    ConstructionStarted,
    DispatchHeld,
    FactCorrected,
    MonthCloseRequested,
    ProjectLanded,
    ProjectPlanned,
    ProjectSigned,
    ProjectWithdrawn,
    Recorded,
    RulesApplied,
    TargetsSet,
    UnitRegistered,
)

def _topics(*classes) -> tuple[str, ...]:
    from eventsourcing.utils import get_topic
    return tuple(get_topic(c) for c in classes)


FACT_TOPICS = _topics(UnitRegistered, TargetsSet, ProjectPlanned, ProjectSigned, ProjectLanded, ConstructionStarted,
                      ProjectWithdrawn, FactCorrected, DispatchHeld, MonthCloseRequested, RulesApplied, BatchRecorded)
"""The stored topics of every fact (what commands record); the rest of the log is consequences."""

__all__ = [
    "FACT_TOPICS",
    "BatchRecorded",
    "BoardFrozen",
    "ConstructionStarted",
    "DispatchHeld",
    "FactCorrected",
    "MonthCloseRequested",
    "NoticeIssued",
    "ProjectLanded",
    "ProjectPlanned",
    "ProjectSigned",
    "ProjectWithdrawn",
    "Recorded",
    "RulesApplied",
    "ScoreChanged",
    "TargetsSet",
    "UnitRegistered",
]
