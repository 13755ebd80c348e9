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

__all__ = [
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
