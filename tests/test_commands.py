"""Every rejection rule of docs/assessment.md §1-§2: the error names the field and the rule,
and nothing is recorded."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from conftest import ROOT
from core.bootstrap import Config, Platform
from core.record.commands import parse_line
from core.record.decide import Stamp, decide
from core.errors import CommandRejected
from core.record.state import Facts
from core.rules.plugins import indicator_names, installed_plugins

BASE = [
    {"cmd": "register_unit", "unit": "U1", "name": "Unit 1", "category": "department", "at": "2023-01-03T09:00:00+08:00"},
    {"cmd": "set_targets", "unit": "U1", "year": 2023, "annual": "1000", "quarterly": ["100", "200", "600", "1000"],
     "monthly": "80", "planned": 3, "landed": 1, "at": "2023-01-03T09:01:00+08:00"},
    {"cmd": "plan_project", "project": "P1", "unit": "U1", "name": "one", "planned_on": "2023-01-05",
     "at": "2023-01-05T10:00:00+08:00"},
    {"cmd": "plan_project", "project": "P2", "unit": "U1", "name": "two", "planned_on": "2023-01-05",
     "at": "2023-01-05T10:01:00+08:00"},
    {"cmd": "sign_project", "project": "P2", "signed_on": "2023-01-10", "amount": "300",
     "at": "2023-01-10T10:00:00+08:00"},
    {"cmd": "plan_project", "project": "P3", "unit": "U1", "name": "three", "planned_on": "2023-01-06",
     "at": "2023-01-10T10:01:00+08:00"},
    {"cmd": "withdraw_project", "project": "P3", "withdrawn_on": "2023-01-10", "reason": "gone",
     "at": "2023-01-10T10:02:00+08:00"},
    {"cmd": "dispatch", "date": "2023-02-06", "at": "2023-02-06T08:00:00+08:00"},
    {"cmd": "close_month", "period": "2023-01", "at": "2023-02-06T09:00:00+08:00"},
]
AT = "2023-02-10T10:00:00+08:00"

CASES = [
    # (command, expected message fragment)
    ({"cmd": "fly"}, "cmd: 'fly' is not one of"),
    ({"cmd": "register_unit", "unit": "U1", "name": "again", "category": "x"}, "register_unit U1: unit U1 is already registered"),
    ({"cmd": "register_unit", "unit": "bad id!", "name": "n", "category": "x"}, "unit: must match"),
    ({"cmd": "register_unit", "unit": "U9", "name": "n"}, "category: is required"),
    ({"cmd": "register_unit", "unit": "U9", "name": "n", "category": "x", "colour": "red"}, "colour: unknown field"),
    ({"cmd": "set_targets", "unit": "U9", "year": 2023, "annual": "1", "quarterly": ["0", "0", "0", "1"],
      "monthly": "0", "planned": 0, "landed": 0}, "unit: U9 is not a registered unit"),
    ({"cmd": "set_targets", "unit": "U1", "year": 2023, "annual": "1000", "quarterly": ["300", "200", "600", "1000"],
      "monthly": "0", "planned": 0, "landed": 0}, "quarterly: the 4 cumulative amounts must not decrease"),
    ({"cmd": "set_targets", "unit": "U1", "year": 2023, "annual": "1000", "quarterly": ["100", "200", "600", "900"],
      "monthly": "0", "planned": 0, "landed": 0}, "quarterly: the 4th amount 900 must equal annual 1000"),
    ({"cmd": "set_targets", "unit": "U1", "year": 2023, "annual": "1000", "quarterly": ["100", "200", "600", "1000"],
      "monthly": "0", "planned": 0, "landed": 0, "weights": {"happiness": 5}},
     "weights: happiness is not an indicator plugin"),
    ({"cmd": "set_targets", "unit": "U1", "year": 2023, "annual": "-5", "quarterly": ["0", "0", "0", "-5"],
      "monthly": "0", "planned": 0, "landed": 0}, "annual: '-5' is not a decimal string >= 0"),
    ({"cmd": "set_targets", "unit": "U1", "year": 2023, "annual": "10", "quarterly": ["0", "0", "0", "10"],
      "monthly": "0", "planned": -1, "landed": 0}, "planned: Must be greater than or equal to 0"),
    ({"cmd": "plan_project", "project": "P1", "unit": "U1", "name": "x", "planned_on": "2023-01-05"},
     "plan_project P1: project P1 is already planned"),
    ({"cmd": "plan_project", "project": "P9", "unit": "U9", "name": "x", "planned_on": "2023-01-05"},
     "plan_project P9: unit: U9 is not a registered unit"),
    ({"cmd": "plan_project", "project": "P9", "unit": "U1", "name": "x", "planned_on": "2023-02-11"},
     "planned_on 2023-02-11 is after the local date 2023-02-10 of the recorded time"),
    ({"cmd": "plan_project", "project": "P9", "unit": "U1", "name": "x", "planned_on": "2023-2-1"},
     "planned_on: '2023-2-1' is not a date written YYYY-MM-DD"),
    ({"cmd": "sign_project", "project": "P9", "signed_on": "2023-01-10", "amount": "1"},
     "sign_project P9: project P9 is not planned (unknown project)"),
    ({"cmd": "sign_project", "project": "P3", "signed_on": "2023-01-10", "amount": "1"},
     "sign_project P3: project P3 is withdrawn"),
    ({"cmd": "sign_project", "project": "P2", "signed_on": "2023-01-10", "amount": "1"},
     "sign_project P2: project P2 is already signed"),
    ({"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-02", "amount": "1"},
     "sign_project P1: signed_on 2023-01-02 is before planned_on 2023-01-05"),
    ({"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-09", "amount": "1.234"},
     "amount: '1.234' is not a decimal string > 0 with at most 2 decimals"),
    ({"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-09", "amount": "0"},
     "amount: '0' is not a decimal string > 0"),
    ({"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-09", "amount": 5},
     "amount: 5 is not a decimal string > 0"),
    ({"cmd": "land_project", "project": "P9", "landed_on": "2023-01-10"}, "project P9 is not planned"),
    ({"cmd": "land_project", "project": "P1", "landed_on": "2023-01-10"}, "land_project P1: project P1 is not signed"),
    ({"cmd": "land_project", "project": "P2", "landed_on": "2023-01-09"},
     "land_project P2: landed_on 2023-01-09 is before signed_on 2023-01-10"),
    ({"cmd": "start_construction", "project": "P1", "started_on": "2023-01-10"}, "project P1 is not signed"),
    ({"cmd": "start_construction", "project": "P9", "started_on": "2023-01-10"}, "project P9 is not planned"),
    ({"cmd": "start_construction", "project": "P2", "started_on": "2023-01-09"},
     "started_on 2023-01-09 is before signed_on 2023-01-10"),
    ({"cmd": "withdraw_project", "project": "P9", "withdrawn_on": "2023-01-10", "reason": "r"}, "project P9 is not planned"),
    ({"cmd": "withdraw_project", "project": "P3", "withdrawn_on": "2023-01-11", "reason": "r"},
     "withdraw_project P3: project P3 is already withdrawn"),
    ({"cmd": "withdraw_project", "project": "P1", "withdrawn_on": "2023-01-04", "reason": "r"},
     "withdrawn_on 2023-01-04 is before planned_on 2023-01-05"),
    ({"cmd": "correct", "project": "P9", "field": "planned_on", "value": "2023-01-05", "reason": "r"}, "project P9 is not planned"),
    ({"cmd": "correct", "project": "P1", "field": "signed_on", "value": "2023-01-06", "reason": "r"},
     "correct P1: field: signed_on of project P1 was never set"),
    ({"cmd": "correct", "project": "P1", "field": "colour", "value": "red", "reason": "r"}, "field: Must be one of"),
    ({"cmd": "correct", "project": "P2", "field": "planned_on", "value": "2023-01-11", "reason": "r"},
     "value: the corrected project would break an ordering rule: signed_on 2023-01-10 is before planned_on 2023-01-11"),
    ({"cmd": "correct", "project": "P2", "field": "signed_on", "value": "2023-02-11", "reason": "r"},
     "value 2023-02-11 is after the local date 2023-02-10 of the recorded time"),
    ({"cmd": "correct", "project": "P2", "field": "signed_amount", "value": "-3", "reason": "r"},
     "value: '-3' is not a decimal string > 0"),
    ({"cmd": "correct", "project": "P2", "field": "signed_on", "value": "soon", "reason": "r"},
     "value: 'soon' is not a date written YYYY-MM-DD"),
    ({"cmd": "dispatch", "date": "2023-02-01"}, "dispatch 2023-02-01: date 2023-02-01 is earlier than the last dispatch's 2023-02-06"),
    ({"cmd": "close_month", "period": "2023-01"}, "close_month 2023-01: period 2023-01 is already closed"),
    ({"cmd": "close_month", "period": "2023-03"}, "period: the previous month 2023-02 is not closed yet"),
    ({"cmd": "close_month", "period": "2023-13"}, "period: '2023-13' is not a month written YYYY-MM"),
    ({"cmd": "register_unit", "unit": "U9", "name": "n", "category": "x", "at": "2023-02-06T08:00:00+08:00"},
     "is earlier than the latest recorded time"),
    ({"cmd": "register_unit", "unit": "U9", "name": "n", "category": "x", "at": "2999-01-01T00:00:00+08:00"},
     "at 2999-01-01T00:00:00+08:00 is later than now"),
    ({"cmd": "register_unit", "unit": "U9", "name": "n", "category": "x", "at": "2023-03-01T10:00:00"},
     "at: '2023-03-01T10:00:00' has no UTC offset"),
    ("{not json", "not valid JSON: Expecting property name enclosed in double quotes at column 2"),
    ('{"cmd": "dispatch", "date": "2023-02-06", "date": "2023-02-07"}', "the key 'date' appears twice"),
    ({"cmd": "plan_project", "project": "P9", "unit": "U1", "name": "x", "planned_on": "0001-01-01"},
     "planned_on: '0001-01-01' is before 1900"),
    ({"cmd": "set_targets", "unit": "U1", "year": 1899, "annual": "0", "quarterly": ["0", "0", "0", "0"],
      "monthly": "0", "planned": 0, "landed": 0}, "year: Must be greater than or equal to 1900"),
    ({"cmd": "close_month", "period": "1899-12"}, "period: '1899-12' is not a month written YYYY-MM"),
    ("[" * 100000 + "]" * 100000, "nested too deeply"),
    ({"cmd": "close_month", "period": "2023-+1"}, "period: '2023-+1' is not a month written YYYY-MM"),
    ({"cmd": "close_month", "period": "2023- 2"}, "period: '2023- 2' is not a month written YYYY-MM"),
    ({"cmd": "close_month", "period": "0000-01"}, "period: '0000-01' is not a month written YYYY-MM"),
    ({"cmd": "close_month", "period": "2023-1"}, "period: '2023-1' is not a month written YYYY-MM"),
    ({"cmd": "register_unit", "unit": "U9\n", "name": "n", "category": "x"}, "unit: must match"),
    ({"cmd": "register_unit", "unit": "U9", "name": "n", "category": "x", "id": "rules:initial:base1"},
     "id: must match"),
    ({"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-09", "amount": "50\n"}, "amount: '50\\n' is not"),
    ({"cmd": "sign_project", "project": "P1", "signed_on": "2023-01-09", "amount": "\uff11\uff10\uff10"},
     "is not a decimal string > 0"),
    ({"cmd": "plan_project", "project": "P9", "unit": "U1", "name": "x", "planned_on": "2023-W01-1"},
     "planned_on: '2023-W01-1' is not a date written YYYY-MM-DD"),
    ({"cmd": "set_targets", "unit": "U1", "year": 2023, "annual": "1000", "quarterly": ["100", "200", "600", "1000"],
      "monthly": "0", "planned": 0, "landed": 0, "weights": {"annual_amount": "1e5000"}},
     "weights.annual_amount: '1e5000' is not a number from 0 to 1000000"),
    ({"cmd": "register_unit", "unit": "U9", "name": "n", "category": "x", "at": "0001-01-01T00:00:00+08:00"},
     "at: '0001-01-01T00:00:00+08:00' is out of range"),
    ({"cmd": "register_unit", "unit": "U9", "name": "n", "category": "x", "at": "0001-01-02T00:00:00+08:00"},
     "at: '0001-01-02T00:00:00+08:00' is before 1900"),
]


def last_fact(platform):
    """The last event recorded for a command (each transaction ends with a BatchRecorded)."""
    events = [e for _, e in platform.ledger.notifications()]
    assert type(events[-1]).__name__ == "BatchRecorded"
    return events[-2]


def seed(platform):
    for n, command in enumerate(BASE, 1):
        platform.ledger.record({**command, "id": f"base{n}"}, "tester")
    return platform


@pytest.fixture
def seeded(store_url, make_platform):
    return seed(make_platform(store_url))


@pytest.fixture(scope="module")
def seeded_once(module_store_url):
    """One seeded store (and writer) per kind of store for every rejection: each must leave it as it was, and
    each test checks that it did."""
    platform = seed(Platform(Config(db=module_store_url, plugins=str(ROOT / "plugins.toml")), "load"))
    yield platform
    platform.close()


@pytest.mark.parametrize("command,message", CASES, ids=[str(i) for i in range(len(CASES))])
def test_rejected_command_names_field_and_rule_and_records_nothing(seeded_once, command, message):
    before = list(seeded_once.ledger.notifications())
    assert len(before) == 2 * len(BASE) + 1  # each command and its batch, and the rules the first put in force
    if isinstance(command, dict):
        command = {"at": AT, **command}
    with pytest.raises(CommandRejected) as caught:
        seeded_once.ledger.record(command, "tester")
    assert message in str(caught.value)
    assert list(seeded_once.ledger.notifications()) == before


# -- decide() alone: a pure function of the facts and one command, no store ------------------------------------

TZ = ZoneInfo("Asia/Shanghai")
# rejected by the ledger, which stamps a line against the clock and the latest recorded time, not by decide()
BY_THE_LEDGER = ("is earlier than the latest recorded time", "is later than now")


def decided(lines: list, facts: Facts | None = None) -> Facts:
    """The facts after deciding and applying each line in turn (as the ledger would, without recording)."""
    facts = Facts() if facts is None else facts
    for n, line in enumerate(lines, 1):
        for event in decide_line(facts, {**line, "id": f"base{n}"}):
            facts.apply(event, None)
    return facts


def decide_line(facts: Facts, line: dict | str) -> list:
    command = parse_line(line)
    return decide(facts, command, Stamp(command.id or "x", "tester", command.at), TZ,
                  indicator_names(installed_plugins()))


@pytest.mark.parametrize("command,message", [c for c in CASES if not any(m in c[1] for m in BY_THE_LEDGER)])
def test_decide_alone_rejects_naming_field_and_rule(command, message):
    facts = decided(BASE)
    if isinstance(command, dict):
        command = {"at": AT, **command}
    with pytest.raises(CommandRejected) as caught:
        decide_line(facts, command)
    assert message in str(caught.value)


def test_month_not_over_is_rejected():
    facts = decided(BASE)
    with pytest.raises(CommandRejected, match="period 2023-02 is not over: the local date of the recorded time "
                                              "is 2023-02-28, the month ends 2023-02-28"):
        decide_line(facts, {"cmd": "close_month", "period": "2023-02", "at": "2023-02-28T23:00:00+08:00"})
    [closed] = decide_line(facts, {"cmd": "close_month", "period": "2023-02", "at": "2023-03-01T00:00:00+08:00"})
    assert (type(closed).__name__, closed.period) == ("MonthCloseRequested", "2023-02")


def test_business_date_is_local_to_the_assessment_time_zone():
    # 2023-02-28T17:00Z is already 2023-03-01 in Shanghai: a March date is fine then, not before.
    facts = decided(BASE)
    with pytest.raises(CommandRejected, match="after the local date 2023-03-01"):
        decide_line(facts, {"cmd": "dispatch", "date": "2023-03-02", "at": "2023-02-28T17:00:00+00:00"})
    [held] = decide_line(facts, {"cmd": "dispatch", "date": "2023-03-01", "at": "2023-02-28T17:00:00+00:00"})
    assert (type(held).__name__, str(held.date)) == ("DispatchHeld", "2023-03-01")


def test_accepted_commands_are_recorded_with_actor_time_and_id(seeded):
    seeded.ledger.record({"cmd": "land_project", "project": "P2", "landed_on": "2023-02-09", "id": "x-1",
                          "at": AT}, "alice")
    event = last_fact(seeded)
    assert type(event).__name__ == "ProjectLanded"
    assert (event.actor, event.command_id, event.timestamp.isoformat()) == ("alice", "x-1", "2023-02-10T02:00:00+00:00")
    assert str(event.landed_on) == "2023-02-09"


def test_correction_replaces_the_value_and_keeps_the_old_one(seeded):
    seeded.ledger.record({"cmd": "correct", "project": "P2", "field": "signed_amount", "value": "450.50",
                          "reason": "contract verified", "at": AT}, "bob")
    event = last_fact(seeded)
    assert (str(event.previous), str(event.value)) == ("300", "450.50")
    assert str(seeded.ledger.refresh().projects["P2"].signed_amount) == "450.50"


def test_two_writers_cannot_record_time_backwards(store_url, make_platform):
    """A writer that read the log before another one saved must not save an earlier time after it."""
    from datetime import datetime

    first, second = make_platform(store_url), make_platform(store_url)
    first.ledger.record({"cmd": "register_unit", "unit": "U1", "name": "u", "category": "c",
                         "at": "2023-01-03T09:00:00+08:00"}, "t")
    ten, eleven = (datetime.fromisoformat(f"2023-01-04T{h}:00:00+08:00") for h in (10, 11))
    calls = []

    def slow_clock():  # the second writer saves while the first is deciding its line
        calls.append(1)
        if len(calls) == 1:
            second.ledger.record({"cmd": "register_unit", "unit": "U2", "name": "u", "category": "c",
                                  "at": eleven.isoformat()}, "t")
        return ten

    first.ledger.clock = slow_clock
    with pytest.raises(CommandRejected, match="is earlier than the latest recorded time 2023-01-04T03:00:00"):
        first.ledger.record({"cmd": "register_unit", "unit": "U3", "name": "u", "category": "c"}, "t")
    times = [e.timestamp for _, e in make_platform(store_url).ledger.notifications()]
    assert times == sorted(times)
    assert len(calls) >= 2, "the first writer must have decided again after losing the race"
