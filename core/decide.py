"""Write side: decide which events a command records, or reject it (SCORING.md §1-§2).

``decide`` is a pure function of the recorded facts and one command: it returns
the events to record, or raises ``CommandRejected`` naming the field and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.clock import local_date, month_end, parse_period, previous_period
from core.commands import Command
from core.errors import CommandRejected
from core.facts import Facts, Project, stream_id
from events import facts as ev


@dataclass(frozen=True)
class Stamp:
    """Who records a command, when, and under which command id."""

    command_id: str
    actor: str
    at: datetime  # UTC


def _event(cls, stream, version: int, stamp: Stamp, **data):
    return cls(originator_id=stream, originator_version=version, timestamp=stamp.at,
               command_id=stamp.command_id, actor=stamp.actor, **data)


def decide(facts: Facts, command: Command, stamp: Stamp, tz: ZoneInfo,
           indicators: frozenset[str]) -> list[ev.Recorded]:
    """The events ``command`` records on ``facts`` at ``stamp.at``, or ``CommandRejected``."""
    cmd, data = command.cmd, command.data

    def reject(reason: str):
        raise CommandRejected(cmd, command.subject, reason)

    today = local_date(stamp.at, tz)
    for name in ("planned_on", "signed_on", "landed_on", "started_on", "withdrawn_on", "date"):
        if name in data and data[name] > today:
            reject(f"{name} {data[name]} is after the local date {today} of the recorded time")

    if cmd == "register_unit":
        if data["unit"] in facts.units:
            reject(f"unit {data['unit']} is already registered")
        return [_event(ev.UnitRegistered, stream_id("unit", data["unit"]), 1, stamp, **data)]

    if cmd == "set_targets":
        unit = facts.units.get(data["unit"])
        if unit is None:
            reject(f"unit: {data['unit']} is not a registered unit")
        unknown = sorted(set(data["weights"]) - indicators)
        if unknown:
            reject(f"weights: {', '.join(unknown)} is not an indicator plugin "
                   f"(known: {', '.join(sorted(indicators))})")
        return [_event(ev.TargetsSet, stream_id("unit", unit.id), unit.version + 1, stamp, **data)]

    if cmd == "plan_project":
        if data["project"] in facts.projects:
            reject(f"project {data['project']} is already planned")
        if data["unit"] not in facts.units:
            reject(f"unit: {data['unit']} is not a registered unit")
        return [_event(ev.ProjectPlanned, stream_id("project", data["project"]), 1, stamp, **data)]

    if cmd in ("dispatch", "close_month", "close_year"):
        return [_decide_office(facts, command, stamp, today, reject)]

    if cmd == "register_person":
        if data["person"] in facts.people:
            reject(f"person {data['person']} is already registered")
        if data["unit"] not in facts.units:
            reject(f"unit: {data['unit']} is not a registered unit")
        return [_event(ev.PersonRegistered, stream_id("person", data["person"]), 1, stamp, **data)]

    if cmd == "assign_project":
        project = facts.projects.get(data["project"])
        if project is None:
            reject(f"project {data['project']} is not planned (unknown project)")
        person = facts.people.get(data["person"])
        if person is None:
            reject(f"person: {data['person']} is not a registered person")
        if project.withdrawn_on is not None:
            reject(f"project {project.id} is withdrawn")
        return [_event(ev.ProjectAssigned, stream_id("project", project.id), project.version + 1, stamp,
                       project=project.id, person=person.id, level=person.level)]

    project = facts.projects.get(data["project"])
    if project is None:
        reject(f"project {data['project']} is not planned (unknown project)")
    return [_decide_project(project, command, stamp, today, reject)]


def _decide_office(facts: Facts, command: Command, stamp: Stamp, today: date, reject):
    data, version = command.data, facts.office_version + 1
    if command.cmd == "dispatch":
        if facts.dispatches and data["date"] < facts.dispatches[-1]:
            reject(f"date {data['date']} is earlier than the last dispatch's {facts.dispatches[-1]}")
        return _event(ev.DispatchHeld, stream_id("office"), version, stamp, date=data["date"])
    if command.cmd == "close_year":
        year = data["year"]
        if year in facts.years_closed:
            reject(f"year {year} is already closed")
        if "%04d-12" % year not in facts.closed:
            reject(f"year: {year:04d}-12 is not closed yet (close_month {year:04d}-12 first)")
        return _event(ev.YearCloseRequested, stream_id("office"), version, stamp, year=year)
    period = data["period"]
    year, month = parse_period(period)
    if period in facts.closed:
        reject(f"period {period} is already closed")
    previous = previous_period(year, month)
    if previous and "%04d-%02d" % previous not in facts.closed:
        reject("period: the previous month %04d-%02d is not closed yet" % previous)
    end = month_end(year, month)
    if today <= end:
        reject(f"period {period} is not over: the local date of the recorded time is {today}, "
               f"the month ends {end}")
    return _event(ev.MonthCloseRequested, stream_id("office"), version, stamp, period=period)


def _order_problem(planned, signed, landed, started, withdrawn) -> str | None:
    pairs = [("signed_on", signed, "planned_on", planned),
             ("landed_on", landed, "signed_on", signed),
             ("started_on", started, "signed_on", signed),
             ("withdrawn_on", withdrawn, "planned_on", planned)]
    for late_name, late, early_name, early in pairs:
        if late is not None and early is not None and late < early:
            return f"{late_name} {late} is before {early_name} {early}"
    return None


def _decide_project(project: Project, command: Command, stamp: Stamp, today: date, reject):
    cmd, data = command.cmd, command.data
    stream, version = stream_id("project", project.id), project.version + 1
    p = project
    if cmd == "sign_project":
        if p.withdrawn_on is not None:
            reject(f"project {p.id} is withdrawn")
        if p.signed_on is not None:
            reject(f"project {p.id} is already signed (on {p.signed_on})")
        problem = _order_problem(p.planned_on, data["signed_on"], None, None, None)
        if problem:
            reject(problem)
        return _event(ev.ProjectSigned, stream, version, stamp, **data)
    if cmd == "land_project":
        if p.signed_on is None:
            reject(f"project {p.id} is not signed")
        if p.withdrawn_on is not None:
            reject(f"project {p.id} is withdrawn")
        if p.landed_on is not None:
            reject(f"project {p.id} is already landed (on {p.landed_on})")
        problem = _order_problem(None, p.signed_on, data["landed_on"], None, None)
        if problem:
            reject(problem)
        return _event(ev.ProjectLanded, stream, version, stamp, **data)
    if cmd == "start_construction":
        if p.signed_on is None:
            reject(f"project {p.id} is not signed")
        problem = _order_problem(None, p.signed_on, None, data["started_on"], None)
        if problem:
            reject(problem)
        return _event(ev.ConstructionStarted, stream, version, stamp, **data)
    if cmd == "withdraw_project":
        if p.withdrawn_on is not None:
            reject(f"project {p.id} is already withdrawn (on {p.withdrawn_on})")
        problem = _order_problem(p.planned_on, None, None, None, data["withdrawn_on"])
        if problem:
            reject(problem)
        return _event(ev.ProjectWithdrawn, stream, version, stamp, **data)
    # correct
    field, value = data["field"], data["value"]
    previous = getattr(p, field)
    if previous is None:
        reject(f"field: {field} of project {p.id} was never set")
    if isinstance(value, date) and value > today:
        reject(f"value {value} is after the local date {today} of the recorded time")
    fixed = {"planned_on": p.planned_on, "signed_on": p.signed_on, "signed_amount": p.signed_amount,
             "landed_on": p.landed_on, "started_on": p.started_on, "withdrawn_on": p.withdrawn_on}
    fixed[field] = value
    fixed.pop("signed_amount")
    problem = _order_problem(fixed["planned_on"], fixed["signed_on"], fixed["landed_on"],
                             fixed["started_on"], fixed["withdrawn_on"])
    if problem:
        reject(f"value: the corrected project would break an ordering rule: {problem}")
    return _event(ev.FactCorrected, stream, version, stamp, project=p.id, field=field,
                  value=value, previous=previous, reason=data["reason"])
