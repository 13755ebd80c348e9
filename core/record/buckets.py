"""A unit's projects in monthly buckets, so that docs/assessment.md §3's sums cost the same whatever
the number of projects.

For each dated field (``planned_on``, ``signed_on``, ``landed_on``, ``started_on``)
and year, a project adds itself (1, or its amount for ``signed_on``) at the month
of its date and takes itself away at the month a withdrawal stops it
(``core.record.reach``): the count or amount at the end of month m is the sum of
the first m buckets. A date inside a month adds the projects dated in that month
up to it and takes away those withdrawn in it up to it, from short per-month sets.
A change to a project is its contributions taken away, then added again.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.record.reach import DATED, cut_month

ZERO = Decimal(0)


class UnitBuckets:
    """The monthly buckets of one unit's projects (all years)."""

    __slots__ = ("counts", "amounts", "monthly", "dated_in", "withdrawn_in", "_sums")

    def __init__(self):
        self.counts: dict[tuple[str, int], list[int]] = {}
        self.amounts: dict[int, list[Decimal]] = {}  # signed amounts, by year
        self.monthly: dict[int, list[Decimal]] = {}  # M(u, P): signed within P, standing at P's end
        self.dated_in: dict[tuple[str, int, int], set[str]] = {}
        self.withdrawn_in: dict[tuple[int, int], set[str]] = {}
        self._sums: dict = {}

    def change(self, project, sign: int) -> None:
        """Add (``sign`` 1) or take away (-1) the contributions of ``project`` as it stands now."""
        withdrawn = project.withdrawn_on
        for name in DATED:
            day = getattr(project, name)
            if day is None:
                continue
            year, month = day.year, day.month
            cut = cut_month(year, withdrawn)
            _member(self.dated_in, (name, year, month), project.id, sign)
            if cut <= month:
                continue
            counts = self.counts.get((name, year))
            if counts is None:
                counts = self.counts[(name, year)] = [0] * 14
            counts[month] += sign
            counts[cut] -= sign
            self._sums.pop((name, year), None)
            if name == "signed_on":
                amount = project.signed_amount * sign
                amounts = self.amounts.get(year)
                if amounts is None:
                    amounts = self.amounts[year] = [ZERO] * 14
                    self.monthly[year] = [ZERO] * 14
                amounts[month] += amount
                amounts[cut] -= amount
                self.monthly[year][month] += amount
                self._sums.pop(("amount", year), None)
        if withdrawn is not None:
            _member(self.withdrawn_in, (withdrawn.year, withdrawn.month), project.id, sign)

    def _cumulative(self, key, deltas: list | None) -> list:
        found = self._sums.get(key)
        if found is None:
            total, found = (ZERO if key[0] == "amount" else 0), []
            for delta in deltas or [0] * 14:
                total += delta
                found.append(total)
            self._sums[key] = found
        return found

    def at_month_end(self, name: str, year: int, month: int, amount: bool = False):
        """The count (or, for ``signed_on`` with ``amount``, the sum) at the end of ``month``."""
        if month < 1:
            return ZERO if amount else 0
        if amount:
            return self._cumulative(("amount", year), self.amounts.get(year))[month]
        return self._cumulative((name, year), self.counts.get((name, year)))[month]

    def at(self, name: str, day: date, projects: dict, amount: bool = False, month_end: bool = False):
        """The count (or amount) of projects with ``name`` in [1 January, ``day``], not withdrawn by ``day``."""
        year, month = day.year, day.month
        if month_end:
            return self.at_month_end(name, year, month, amount)
        total = self.at_month_end(name, year, month - 1, amount)
        for pid in self.dated_in.get((name, year, month), ()):
            p = projects[pid]
            if getattr(p, name) <= day and not (p.withdrawn_on is not None and p.withdrawn_on <= day):
                total += p.signed_amount if amount else 1
        for pid in self.withdrawn_in.get((year, month), ()):
            p = projects[pid]
            dated = getattr(p, name)
            if p.withdrawn_on <= day and dated is not None and dated.year == year and dated.month < month:
                total -= p.signed_amount if amount else 1
        return total

    def signed_in_month(self, year: int, month: int) -> Decimal:
        found = self.monthly.get(year)
        return found[month] if found else ZERO


def _member(index: dict, key, pid: str, sign: int) -> None:
    if sign > 0:
        index.setdefault(key, set()).add(pid)
    else:
        members = index.get(key)
        if members is not None:
            members.discard(pid)
            if not members:
                del index[key]
