"""Policy ``ranking_policy``: monthly ranking, thirds, commendation and accountability.

Rank by rounded final descending, then A(u, d) descending, then unit id; with
k = ⌊n/3⌋ the first k are ``top`` (commended at the close), the last k ``bottom``.
At the close a unit ``bottom`` in ``streak`` consecutive closed months meets the
accountability its streak names in ``accountability`` (2 → assessment,
3 → organizational, 4 or more → disciplinary, by default).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from marshmallow import RAISE, Schema, fields, validate

from core.clock import parse_period, period_name
from core.hookspecs import hookimpl

CENT = Decimal("0.01")


class Settings(Schema):
    class Meta:
        unknown = RAISE

    accountability = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^[1-9][0-9]*$", error="must be a streak length like \"2\"")),
        values=fields.String(validate=validate.Length(min=1)),
        load_default=lambda: {"2": "assessment", "3": "organizational", "4": "disciplinary"})


class RankingPolicy:
    version = "1.0"
    Settings = Settings

    def __init__(self, settings: dict):
        self.levels = sorted((int(k), v) for k, v in settings["accountability"].items())

    @hookimpl
    def sankao_rank(self, period, entries):
        ranked = sorted(entries, key=lambda e: (-e.final.quantize(CENT, ROUND_HALF_UP),
                                                -e.signed_amount, e.unit))
        n = len(ranked)
        k = n // 3
        for rank, entry in enumerate(ranked, start=1):
            entry.rank = rank
            entry.third = "top" if rank <= k else "bottom" if rank > n - k else "middle"
        return ranked

    def accountability_for(self, streak: int) -> str | None:
        found = None
        for length, level in self.levels:
            if streak >= length:
                found = level
        return found

    @hookimpl
    def sankao_close_month(self, period, board, closed):
        year, month = parse_period(period)
        out = {}
        for entry in board:
            streak = 0
            if entry.third == "bottom":
                streak = 1
                for earlier in range(month - 1, 0, -1):
                    frozen = closed.get(period_name(year, earlier))
                    row = next((r for r in frozen or () if r["unit"] == entry.unit), None)
                    if row is None or row["third"] != "bottom":
                        break
                    streak += 1
            out[entry.unit] = {"streak": streak, "accountability": self.accountability_for(streak),
                               "commended": entry.third == "top"}
        return out
