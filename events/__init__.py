"""The vocabulary of Sankao: every fact and every consequence is one of these events.

Events are immutable and stored for good. Their stored topic is ``module:Class``,
so renaming or moving a class is a data migration (see ``docs/events.md``).
"""

from events.assessment import BoardFrozen, HeadRecorded, NoticeIssued, ScoreChanged, StandingFrozen
from events.delivery import LetterDelivered
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
    PersonRegistered,
    ProjectAssigned,
    YearCloseRequested,
    SelfChecksRequired,
    SelfCheckFiled,
    SpotCheckDrawn,
    FindingRecorded,
    SpecialAssessed,
    UnitListed,
    UnitDelisted,
    TokenIssued,
    TokenRevoked,
    Recorded,
    RulesApplied,
    TargetsSet,
    UnitRegistered,
)

def _topics(*classes) -> tuple[str, ...]:
    from eventsourcing.utils import get_topic
    return tuple(get_topic(c) for c in classes)


FACT_TOPICS = _topics(UnitRegistered, TargetsSet, ProjectPlanned, ProjectSigned, ProjectLanded, ConstructionStarted,
                      ProjectWithdrawn, FactCorrected, DispatchHeld, MonthCloseRequested, RulesApplied, BatchRecorded,
                      PersonRegistered, ProjectAssigned, YearCloseRequested, TokenIssued, TokenRevoked,
                      SelfChecksRequired, SelfCheckFiled, SpotCheckDrawn, FindingRecorded, SpecialAssessed, UnitListed,
                      UnitDelisted)
"""The stored topics of every fact (what commands record)."""
DELIVERY_TOPICS = _topics(LetterDelivered)
"""The stored topics of the deliverer's receipts (docs/delivery.md)."""
CONSEQUENCE_TOPICS = _topics(ScoreChanged, NoticeIssued, BoardFrozen, HeadRecorded, StandingFrozen) + DELIVERY_TOPICS
"""The stored topics of what Sankao's processes record: the engine's consequences and the deliverer's
receipts. Readers of the facts take every event that is not one of these, so that an event whose topic was
damaged is reported, not silently passed over."""

__all__ = [
    "CONSEQUENCE_TOPICS",
    "DELIVERY_TOPICS",
    "LetterDelivered",
    "FACT_TOPICS",
    "HeadRecorded",
    "PersonRegistered",
    "ProjectAssigned",
    "StandingFrozen",
    "TokenIssued",
    "TokenRevoked",
    "YearCloseRequested",
    "SelfChecksRequired",
    "SelfCheckFiled",
    "SpotCheckDrawn",
    "FindingRecorded",
    "SpecialAssessed",
    "UnitListed",
    "UnitDelisted",
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
