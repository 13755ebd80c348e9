"""The built-in plugins hook by hook, on facts folded from plain lists of events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import uuid4

import pytest

from core.record.state import Facts
from core.rules.model import BoardEntry, IndicatorSpec, Measure
from core.rules.view import CasesView, FactsView
from events import assessment as out
from events import facts as ev
from plugins.annual_amount import AnnualAmount
from plugins.early_warning import EarlyWarning
from plugins.landed_projects import LandedProjects
from plugins.monthly_increment import MonthlyIncrement
from plugins.planned_projects import PlannedProjects
from plugins.quarterly_progress import QuarterlyProgress
from plugins.ranking_policy import RankingPolicy
from plugins.unit_coefficient import UnitCoefficient

D = Decimal


def fold(*events) -> FactsView:
    facts = Facts()
    for n, (cls, data) in enumerate(events, 1):
        facts.apply(cls(originator_id=uuid4(), originator_version=1, timestamp=None, command_id=f"c{n}",
                        actor="t", **data), n)
    return FactsView(facts)


UNIT = (ev.UnitRegistered, {"unit": "U1", "name": "u", "category": "c"})
TARGETS = (ev.TargetsSet, {"unit": "U1", "year": 2023, "annual": D(1000), "quarterly": [D(100), D(300), D(600), D(1000)],
                           "monthly": D(100), "planned": 4, "landed": 2, "weights": {}})


def plan(p, on):
    return ev.ProjectPlanned, {"project": p, "unit": "U1", "name": p, "planned_on": date.fromisoformat(on)}


def sign(p, on, amount):
    return ev.ProjectSigned, {"project": p, "signed_on": date.fromisoformat(on), "amount": D(amount)}


YEAR = fold(UNIT, TARGETS, plan("P1", "2023-01-05"), sign("P1", "2023-01-20", "150"),
            plan("P2", "2023-02-01"), sign("P2", "2023-04-02", "200"),
            (ev.ProjectLanded, {"project": "P1", "landed_on": date(2023, 4, 1)}),
            plan("P3", "2023-02-03"), sign("P3", "2023-02-10", "500"),
            (ev.ProjectWithdrawn, {"project": "P3", "withdrawn_on": date(2023, 4, 15), "reason": "r"}),
            plan("P0", "2022-12-30"),
            (ev.FactCorrected, {"project": "P2", "field": "signed_amount", "value": D("250"), "previous": D(200),
                                "reason": "r"}))

SETTINGS = {"weight": D(30), "cap": D(1)}


def test_sankao_indicator_declares_name_weight_kind():
    signings = frozenset({"signed_on", "signed_amount", "withdrawn_on", "targets"})
    assert AnnualAmount(SETTINGS).sankao_indicator() == IndicatorSpec("annual_amount", D(30), "amount", D(1), signings)
    planned = PlannedProjects({"weight": D(15), "cap": D("1.2")}).sankao_indicator()
    assert planned.kind == "count" and planned.inputs == {"planned_on", "withdrawn_on", "targets"}


@pytest.mark.parametrize("plugin,period,value,target", [
    (AnnualAmount, "2023-03", "650", "1000"),  # P1 150 + P3 500
    (AnnualAmount, "2023-04", "400", "1000"),  # P3 withdrawn 04-15; P2 corrected to 250
    (QuarterlyProgress, "2023-03", "650", "100"),
    (QuarterlyProgress, "2023-04", "400", "300"),
    (MonthlyIncrement, "2023-02", "500", "100"),
    (MonthlyIncrement, "2023-04", "250", "100"),
    (PlannedProjects, "2023-02", "3", "4"),  # P0 planned in 2022 does not count
    (PlannedProjects, "2023-04", "2", "4"),
    (LandedProjects, "2023-03", "0", "2"),
    (LandedProjects, "2023-04", "1", "2"),
])
def test_sankao_measure_follows_the_counting_rules(plugin, period, value, target):
    measure = plugin(SETTINGS).sankao_measure(unit="U1", period=period, facts=YEAR)
    assert measure == Measure(plugin.name if hasattr(plugin, "name") else "", D(value), D(target))


def test_sankao_measure_without_targets_answers_none():
    assert AnnualAmount(SETTINGS).sankao_measure(unit="U1", period="2024-01", facts=YEAR) is None


def test_sankao_coefficient_rises_with_results():
    coefficient = UnitCoefficient({"c_min": D("0.9"), "c_max": D("1.1")})
    assert coefficient.sankao_coefficient(unit="U1", period="2023-03", facts=YEAR) == D("0.9") + D("0.2") * D("0.65")
    assert coefficient.sankao_coefficient(unit="U1", period="2024-03", facts=YEAR) == 1
    rich = fold(UNIT, TARGETS, plan("P1", "2023-01-05"), sign("P1", "2023-01-20", "5000"))
    assert coefficient.sankao_coefficient(unit="U1", period="2023-01", facts=rich) == D("1.1")


def notice(unit, case, level, on, points, outcome=None):
    return out.NoticeIssued(originator_id=uuid4(), originator_version=1, timestamp=None, command_id="x",
                            position=1, unit=unit, case=case, level=level, date=date.fromisoformat(on),
                            lag=None, points=D(points), outcome=outcome, policy="early_warning")


def cases_of(*notices) -> CasesView:
    cases = CasesView()
    for n in notices:
        cases.apply(n)
    return cases


WARNING = EarlyWarning({"grace_days": 31, "rectify_days": 30,
                        "thresholds": {"green": D("0.1"), "orange": D("0.2"), "red": D("0.3")},
                        "points": {"green": D(0), "orange": D(1), "red": D(2)}})


def test_sankao_deduction_counts_open_and_confirmed_cases_as_of_the_month_end():
    cases = cases_of(notice("U1", "U1-2023-1", "orange", "2023-02-06", "1"),
                     notice("U1", "U1-2023-1", "red", "2023-03-06", "2"),
                     notice("U1", "U1-2023-1", "feedback", "2023-04-03", "2", "confirmed"),
                     notice("U1", "U1-2023-2", "red", "2023-05-08", "2"),
                     notice("U1", "U1-2023-2", "feedback", "2023-05-29", "0", "restored"))
    expected = {"2023-01": 0, "2023-02": 1, "2023-03": 2, "2023-04": 2, "2023-05": 2, "2023-06": 2}
    for period, points in expected.items():
        assert WARNING.sankao_deduction(unit="U1", period=period, cases=cases) == points, period


def test_sankao_dispatch_issues_letters_escalates_and_closes_cases():
    view = fold(UNIT, TARGETS, plan("P1", "2023-01-05"))
    assert WARNING.sankao_dispatch(date=date(2023, 1, 30), facts=view, cases=CasesView()) == []  # grace period
    first = WARNING.sankao_dispatch(date=date(2023, 2, 6), facts=view, cases=CasesView())
    assert [(n.case, n.level, n.points) for n in first] == [("U1-2023-1", "red", D(2))]
    cases = cases_of(notice("U1", "U1-2023-1", "green", "2023-02-06", "0"))
    escalated = WARNING.sankao_dispatch(date=date(2023, 2, 13), facts=view, cases=cases)
    assert [(n.case, n.level) for n in escalated] == [("U1-2023-1", "red")]
    caught_up = fold(UNIT, TARGETS, plan("P1", "2023-01-05"), sign("P1", "2023-01-20", "900"))
    sheet = WARNING.sankao_dispatch(date=date(2023, 2, 13), facts=caught_up, cases=cases)
    assert [(n.level, n.outcome, n.points) for n in sheet] == [("feedback", "restored", D(0))]
    late = WARNING.sankao_dispatch(date=date(2023, 3, 20), facts=caught_up, cases=cases)
    assert [(n.level, n.outcome, n.points) for n in late] == [("feedback", "confirmed", D(0))]


def test_sankao_dispatch_closes_last_years_cases_first():
    cases = cases_of(notice("U1", "U1-2022-3", "orange", "2022-12-05", "1"))
    notices = WARNING.sankao_dispatch(date=date(2023, 1, 9), facts=fold(UNIT, TARGETS), cases=cases)
    assert [(n.case, n.level, n.lag, n.points, n.outcome) for n in notices] == [
        ("U1-2022-3", "feedback", None, D(1), "confirmed")]


def entry(unit, final, signed="0"):
    return BoardEntry(unit, D(final), D(1), D(0), D(final), D(signed))


def test_sankao_rank_orders_by_rounded_final_then_amount_then_unit():
    ranked = RankingPolicy({"accountability": {"2": "assessment"}}).sankao_rank(
        period="2023-03", entries=[entry("U3", "50.004", "1"), entry("U1", "50.001", "2"), entry("U2", "70"),
                                   entry("U4", "10"), entry("U5", "50.00", "2"), entry("U6", "5")])
    assert [(e.unit, e.rank, e.third) for e in ranked] == [
        ("U2", 1, "top"), ("U1", 2, "top"), ("U5", 3, "middle"), ("U3", 4, "middle"),
        ("U4", 5, "bottom"), ("U6", 6, "bottom")]


def test_sankao_close_month_counts_bottom_streaks():
    policy = RankingPolicy({"accountability": {"2": "assessment", "3": "organizational", "4": "disciplinary"}})
    board = policy.sankao_rank(period="2023-05", entries=[entry("U1", "90"), entry("U2", "50"), entry("U3", "10")])
    closed = {f"2023-0{m}": [{"unit": "U3", "third": "bottom"}, {"unit": "U1", "third": "top"}] for m in (2, 3, 4)}
    closed["2023-01"] = [{"unit": "U3", "third": "middle"}]
    result = policy.sankao_close_month(period="2023-05", board=board, closed=closed)
    assert result == {"U1": {"streak": 0, "accountability": None, "commended": True},
                      "U2": {"streak": 0, "accountability": None, "commended": False},
                      "U3": {"streak": 4, "accountability": "disciplinary", "commended": False}}
    assert policy.accountability_for(2) == "assessment" and policy.accountability_for(1) is None


def test_sankao_annual_standing_ranks_shares_grades_and_thirds():
    from core.record.state import Facts
    from core.rules.view import PeopleView
    from plugins.annual_evaluation import AnnualEvaluation
    facts = Facts()
    events = [(ev.UnitRegistered, {"unit": u, "name": u, "category": "c"}) for u in ("A", "B", "C")]
    events += [(ev.ProjectPlanned, {"project": f"P{u}", "unit": u, "name": "p", "planned_on": date(2023, 1, 2)})
               for u in ("A", "B", "C")]
    events += [(ev.ProjectSigned, {"project": "PA", "signed_on": date(2023, 1, 5), "amount": D(100)}),
               (ev.ProjectLanded, {"project": "PA", "landed_on": date(2023, 2, 1)}),
               (ev.ProjectWithdrawn, {"project": "PC", "withdrawn_on": date(2023, 2, 1), "reason": "r"})]
    people = [("A", f"A{i:02d}", "officer") for i in range(10)] + [("C", f"C{i:02d}", "officer") for i in range(10)]
    events += [(ev.PersonRegistered, {"person": p, "unit": u, "name": p, "level": lv}) for u, p, lv in people]
    events += [(ev.PersonRegistered, {"person": "B-L", "unit": "B", "name": "b", "level": "leader"})]
    events += [(ev.ProjectAssigned, {"project": "PA", "person": "A03", "level": "officer"}),
               (ev.ProjectAssigned, {"project": "PC", "person": "C05", "level": "officer"}),
               (ev.ProjectAssigned, {"project": "PC", "person": "C06", "level": "officer"})]  # C06 replaces C05
    for n, (cls, data) in enumerate(events, 1):
        facts.apply(cls(originator_id=uuid4(), originator_version=1, timestamp=None, command_id=f"c{n}",
                        actor="t", **data), n)
    boards = {"2023-01": [{"unit": "A", "final": D("80.00")}, {"unit": "B", "final": D("60.00")},
                          {"unit": "C", "final": D("40.00")}],
              "2023-02": [{"unit": "A", "final": D("70.01")}, {"unit": "C", "final": D("40.00")}]}
    plugin = AnnualEvaluation(AnnualEvaluation.Settings().load({"poor_share": 5}))
    standing = plugin.sankao_annual_standing(year=2023, through="2023-02", boards=boards, facts=FactsView(facts),
                                             people=PeopleView(facts))
    assert [(u.unit, u.rank, u.third, u.score, u.months) for u in standing.units] == [
        ("A", 1, "top", D("75.005"), 2), ("B", 2, "middle", D(60), 1), ("C", 3, "bottom", D(40), 2)]
    assert [(u.excellent_share, u.poor_share) for u in standing.units] == [(D(30), D(0)), (D(20), D(5)),
                                                                         (D(10), D(15))]
    by = {p.person: p for p in standing.people}
    assert by["A03"].score == D("76.005") and by["A03"].landed == 1
    assert [p.person for p in standing.people if p.grade == "excellent" and p.unit == "A"] == ["A03", "A00", "A01"]
    assert not [p for p in standing.people if p.unit == "A" and p.grade == "poor"]  # max(0, 5 - 10) %
    assert by["C06"].withdrawn == 1 and by["C06"].score == D(39) and by["C05"].withdrawn == 0  # C06 replaced C05
    assert [p.person for p in standing.people if p.unit == "C" and p.grade == "poor"] == ["C06"]  # ⌊10 × 15 %⌋
    assert [p.person for p in standing.people if p.unit == "C" and p.grade == "excellent"] == ["C00"]
    assert by["B-L"].grade == "competent"  # one person: ⌊1 × 20 %⌋ = 0 excellent
    assert (by["B-L"].level_rank, by["B-L"].level_third) == (1, "middle")  # the only leader: k = ⌊1/3⌋ = 0
    assert (by["A03"].level_rank, by["A03"].level_third) == (1, "top")
    assert (by["C06"].level_rank, by["C06"].level_third) == (20, "bottom")
    assert [p.person for p in standing.people][:3] == ["A03", "A00", "A01"]  # units by id, then score, then id
    assert [p.unit for p in standing.people] == ["A"] * 10 + ["B"] + ["C"] * 10
