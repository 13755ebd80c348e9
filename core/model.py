"""The plugin API's values under their public name (``from core.model import Measure, IndicatorSpec``).

They live with the rest of the plugin machinery in ``core.rules.model``; this name stays so that every plugin
imports the API from one stable place (docs/plugins.md).
"""

from core.rules.model import *  # noqa: F401,F403

__all__ = [
    "BoardEntry", "DeliveryFailed", "IndicatorSpec", "Measure", "NoticeDecision", "Outgoing", "PersonStanding",
    "Receipt", "Standing", "SupervisionPoints", "UnitStanding"
]
