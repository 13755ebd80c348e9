"""Monthly buckets give exactly what a scan over every project gives (docs/assessment.md §3), after any
sequence of facts and corrections, on any date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from core.record.state import Facts
from core.rules.view import FactsView
from events import facts as ev

START = date(2022, 10, 1)
DAYS = 500  # into 2024


def _event(cls, n, **data):
    return cls(originator_id=uuid4(), originator_version=n, timestamp=None, command_id=f"c{n}", actor="t", **data)


def _day(offset: int) -> date:
    return START + timedelta(days=offset)


steps = st.lists(st.tuples(st.sampled_from(["plan", "sign", "land", "start", "withdraw", "correct"]),
                           st.integers(0, 4), st.integers(0, DAYS), st.integers(1, 10_000),
                           st.sampled_from(["planned_on", "signed_on", "landed_on", "signed_amount"])),
                 min_size=15, max_size=60)


def naive(facts: Facts, name: str, day: date, amount: bool = False):
    total = Decimal(0) if amount else 0
    for p in facts.projects.values():
        dated = getattr(p, name)
        if dated is None or not (date(day.year, 1, 1) <= dated <= day):
            continue
        if p.withdrawn_on is not None and p.withdrawn_on <= day:
            continue
        total += p.signed_amount if amount else 1
    return total


@settings(max_examples=300, deadline=None)
@given(steps, st.lists(st.integers(0, DAYS), min_size=5, max_size=12))
def test_buckets_agree_with_a_scan(actions, probes):
    facts = Facts(buckets=True)
    facts.apply(_event(ev.UnitRegistered, 1, unit="U1", name="u", category="c"), 1)
    view = FactsView(facts)
    for n, (kind, which, offset, amount, corrected) in enumerate(actions, start=2):
        pid, day = f"P{which}", _day(offset)
        p = facts.projects.get(pid)
        if kind == "plan" and p is None:
            facts.apply(_event(ev.ProjectPlanned, n, project=pid, unit="U1", name=pid, planned_on=day), n)
        elif p is None:
            continue
        elif kind == "sign" and p.signed_on is None:
            facts.apply(_event(ev.ProjectSigned, n, project=pid, signed_on=day, amount=Decimal(amount)), n)
        elif kind == "land" and p.signed_on is not None:
            facts.apply(_event(ev.ProjectLanded, n, project=pid, landed_on=day), n)
        elif kind == "start" and p.signed_on is not None:
            facts.apply(_event(ev.ConstructionStarted, n, project=pid, started_on=day), n)
        elif kind == "withdraw" and p.withdrawn_on is None:
            facts.apply(_event(ev.ProjectWithdrawn, n, project=pid, withdrawn_on=day, reason="r"), n)
        elif kind == "correct" and getattr(p, corrected) is not None:
            value = Decimal(amount) if corrected == "signed_amount" else day
            facts.apply(_event(ev.FactCorrected, n, project=pid, field=corrected, value=value,
                               previous=getattr(p, corrected), reason="r"), n)
        for on in [_day(probe) for probe in probes] + [day, day - timedelta(days=1), _month_end(day)]:
            assert view.signed_amount("U1", on) == naive(facts, "signed_on", on, amount=True)
            assert view.planned_count("U1", on) == naive(facts, "planned_on", on)
            assert view.landed_count("U1", on) == naive(facts, "landed_on", on)
            assert view.count_dated("U1", "started_on", on) == naive(facts, "started_on", on)
            assert view.count_dated("U1", "signed_on", on) == naive(facts, "signed_on", on)
            period = f"{on.year:04d}-{on.month:02d}"
            month = sum((p.signed_amount for p in facts.projects.values()
                         if p.signed_on and (p.signed_on.year, p.signed_on.month) == (on.year, on.month)
                         and not (p.withdrawn_on and p.withdrawn_on <= _month_end(on))), Decimal(0))
            assert view.signed_in_month("U1", period) == month


def _month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)
