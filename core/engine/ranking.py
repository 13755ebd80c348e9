"""Ranking a board: the ranking plugin in force orders the month's lines (docs/assessment.md §5)."""

from __future__ import annotations

from decimal import Decimal

from core.engine.figures import Figures, derive
from core.errors import PluginError
from core.messages import msg
from core.rules.model import BoardEntry


def rank_board(ps, period: str, entries: list[BoardEntry]) -> tuple[list[BoardEntry], str]:
    """The entries in rank order and the plugin that ranked them; no ranking plugin is an error."""
    ranked, policy = first_answer(ps, "sankao_rank", period=period, entries=entries)
    if ranked is None:
        raise PluginError(msg("plugins.no_rank", period=period))
    return ranked, policy


def first_answer(ps, hook, **kwargs):
    for plugin, value in ps.each(hook, **kwargs):
        if value is not None:
            return value, plugin
    return None, None


def board_entry(unit: str, figures: Figures, with_indicators: bool = False) -> BoardEntry:
    """A board line of recorded figures; each indicator's ratio and score only when asked for."""
    indicators = derive(figures).indicators if with_indicators else []
    return BoardEntry(unit, Decimal(figures.base), Decimal(figures.coefficient), Decimal(figures.deduction),
                      Decimal(figures.final), Decimal(figures.signed_amount), indicators)
