"""Facts whose dates straddle years reach the later year's figures (docs/assessment.md §3)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from conftest import write_lines
from core.record.reach import months_moved

UNIT = [{"cmd": "register_unit", "unit": "U01", "name": "A", "category": "park", "at": "2022-11-01T09:00:00+08:00"},
        {"cmd": "set_targets", "unit": "U01", "year": 2023, "annual": "1200",
         "quarterly": ["300", "600", "900", "1200"], "monthly": "100", "planned": 1, "landed": 0,
         "at": "2022-11-01T10:00:00+08:00"}]


def _line(cmd: str, at: str, **fields) -> dict:
    return {"cmd": cmd, **fields, "at": at}


def _january(cli, url, tmp_path, lines) -> dict:
    cli(url, "load", str(write_lines(tmp_path / "year.jsonl", UNIT + lines)))
    units = json.loads(cli(url, "board", "2023-01", "--json").stdout)["units"]
    assert [u["unit"] for u in units] == ["U01"]
    return {k: units[0][k] for k in ("signed_amount", "base", "coefficient", "final")}


def test_a_withdrawal_dated_in_the_earlier_year_leaves_the_later_year(store_url, cli, tmp_path):
    """The issue's case, exactly: before the fix January showed 600.00, 62.50, 1.0000, 62.50."""
    lines = [_line("plan_project", "2023-01-03T11:00:00+08:00", project="P1", unit="U01", name="x",
                   planned_on="2022-12-01"),
             _line("sign_project", "2023-01-05T09:00:00+08:00", project="P1", signed_on="2023-01-05", amount="600"),
             _line("withdraw_project", "2023-01-06T09:00:00+08:00", project="P1", withdrawn_on="2022-12-15",
                   reason="x")]
    assert _january(cli, store_url, tmp_path, lines) == {
        "signed_amount": "0.00", "base": "0.00", "coefficient": "0.9000", "final": "0.00"}


def test_a_landing_in_the_later_year_goes_with_a_withdrawal_dated_in_the_earlier(sqlite_url, cli, tmp_path):
    targets = dict(UNIT[1], landed=1)
    lines = [targets,
             _line("plan_project", "2022-12-01T11:00:00+08:00", project="P1", unit="U01", name="x",
                   planned_on="2022-12-01"),
             _line("sign_project", "2022-12-20T09:00:00+08:00", project="P1", signed_on="2022-12-20", amount="600"),
             _line("land_project", "2023-01-10T09:00:00+08:00", project="P1", landed_on="2023-01-10")]
    cli(sqlite_url, "load", str(write_lines(tmp_path / "before.jsonl", UNIT + lines)))
    before = json.loads(cli(sqlite_url, "board", "2023-01", "--json").stdout)["units"][0]
    assert (before["base"], before["final"]) == ("20.00", "18.00")  # landed 1 of 1: weight 20 of 100, × 0.90
    withdrawal = _line("withdraw_project", "2023-01-12T09:00:00+08:00", project="P1", withdrawn_on="2022-12-25",
                       reason="x")
    cli(sqlite_url, "load", str(write_lines(tmp_path / "after.jsonl", [withdrawal])))
    after = json.loads(cli(sqlite_url, "board", "2023-01", "--json").stdout)["units"][0]
    assert (after["base"], after["final"]) == ("0.00", "0.00")


@pytest.mark.parametrize("correction,expected", [
    # planned in December, signed in January: the corrected plan date brings Nplan into January
    (("planned_on", "2022-12-20", "2023-01-02"), {"signed_amount": "600.00", "base": "81.25", "final": "81.25"}),
    # signed on 28 December, corrected into January: A(U01, 2023-01-31) becomes 600
    (("signed_on", "2022-12-28", "2023-01-03"), {"signed_amount": "600.00", "base": "62.50", "final": "62.50"}),
    # signed in January, corrected back into December: January loses it
    (("signed_on", "2023-01-05", "2022-12-30"), {"signed_amount": "0.00", "base": "0.00", "final": "0.00"}),
])
def test_corrections_across_the_year_boundary(sqlite_url, cli, tmp_path, correction, expected):
    field, old, new = correction
    planned_on = old if field == "planned_on" else "2022-12-01"
    signed_on = old if field == "signed_on" else "2023-01-05"
    lines = [_line("plan_project", f"{planned_on}T11:00:00+08:00", project="P1", unit="U01", name="x",
                   planned_on=planned_on),
             _line("sign_project", f"{signed_on}T12:00:00+08:00", project="P1", signed_on=signed_on, amount="600"),
             _line("correct", "2023-01-20T09:00:00+08:00", project="P1", field=field, value=new, reason="verified")]
    answer = _january(cli, sqlite_url, tmp_path, lines)
    assert {k: answer[k] for k in expected} == expected


def _project(**dates):
    state = dict.fromkeys(("planned_on", "signed_on", "signed_amount", "landed_on", "started_on",
                           "withdrawn_on"))
    state.update({k: date.fromisoformat(v) if isinstance(v, str) else v for k, v in dates.items()})
    return state


def test_the_months_a_change_moves():
    signed = _project(planned_on="2022-12-01", signed_on="2023-01-05", signed_amount=600)
    withdrawn = dict(signed, withdrawn_on=date(2022, 12, 15))
    assert months_moved(signed, withdrawn) == {2022: {12}, 2023: set(range(1, 13))}
    late = dict(signed, withdrawn_on=date(2023, 7, 3))
    assert months_moved(signed, late) == {2023: set(range(7, 13))}
    assert months_moved(None, _project(planned_on="2023-11-30")) == {2023: {11, 12}}
    assert months_moved(signed, dict(signed, signed_amount=700)) == {2023: set(range(1, 13))}
    assert months_moved(signed, dict(signed)) == {}


def _maybe_day():
    from hypothesis import strategies as st
    return st.one_of(st.none(), st.dates(date(2022, 6, 1), date(2024, 6, 30)))


def test_the_first_month_moved_is_the_first_of_the_months_moved():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from core.record.reach import first_months_moved

    state = st.fixed_dictionaries({
        "planned_on": st.dates(date(2022, 6, 1), date(2024, 6, 30)), "signed_on": _maybe_day(),
        "signed_amount": st.sampled_from([None, 100, 250]), "landed_on": _maybe_day(), "started_on": _maybe_day(),
        "withdrawn_on": _maybe_day()})

    @settings(max_examples=500, deadline=None)
    @given(st.one_of(st.none(), state), state)
    def check(before, after):
        expected = {year: min(months) for year, months in months_moved(before, after).items()}
        assert first_months_moved(before, after) == expected

    check()
