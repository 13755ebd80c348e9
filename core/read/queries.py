"""The queries of docs/assessment.md §7, answered from what was recorded, as known at any time.

As known now, answers come from the read model tables (``core.read.tables``):
the board of a live month is the month's row per unit, ranked by the ranking
plugin in force; a frozen month is its ``BoardFrozen``. As known at another time
(``--known-at``) and restated (``--restated``), answers come from the events:
the read models only say which events to read (each unit's latest
``ScoreChanged`` of the month recorded by then). Nothing is ever re-scored here.
When the read models lag behind the log (being rebuilt), every answer comes from
the events alone.
"""

from __future__ import annotations

from core.read.boards import Boards
from core.read.listings import Listings
from core.read.reading import ALL, NOTICE_TOPIC, SCORE_TOPIC, entry_dict
from core.read.standings import Standings
from core.read.supervision import SupervisionQueries

__all__ = ["ALL", "NOTICE_TOPIC", "SCORE_TOPIC", "Queries", "entry_dict"]


class Queries(Boards, Standings, Listings, SupervisionQueries):
    """Every query of the platform (``platform.queries``): boards and scores, annual standings and people,
    listings; each part in its own module over ``core.read.reading.Reading``."""
