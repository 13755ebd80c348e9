"""Write side: decide which events a command records, or reject it (docs/assessment.md §1-§2).

``decide`` is a pure function of the recorded facts and one command: it returns
the events to record, or raises ``CommandRejected`` naming the field and the rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.clock import local_date, month_end, parse_period, previous_period
from core.record.commands import Command
from core.errors import CommandRejected
from core.messages import Name, msg
from core.record.state import Facts, Project, stream_id
from core.record.decide_supervision import decide_supervision
from core.record.supervision import COMMANDS as SUPERVISION_COMMANDS
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

    def reject(reason):
        raise CommandRejected(cmd, command.subject, reason)

    today = local_date(stamp.at, tz)
    for name in ("planned_on", "signed_on", "landed_on", "started_on", "withdrawn_on", "date"):
        if name in data and data[name] > today:
            reject(msg("decide.after_today", field=Name(name), value=data[name], today=today))

    if cmd == "register_unit":
        if data["unit"] in facts.units:
            reject(msg("decide.unit_registered", unit=data["unit"]))
        return [_event(ev.UnitRegistered, stream_id("unit", data["unit"]), 1, stamp, **data)]

    if cmd == "set_targets":
        unit = facts.units.get(data["unit"])
        if unit is None:
            reject(msg("decide.unit_unknown", unit=data["unit"]))
        unknown = sorted(set(data["weights"]) - indicators)
        if unknown:
            reject(msg("decide.weights_unknown", unknown=unknown, known=sorted(indicators)))
        return [_event(ev.TargetsSet, stream_id("unit", unit.id), unit.version + 1, stamp, **data)]

    if cmd == "plan_project":
        if data["project"] in facts.projects:
            reject(msg("decide.project_planned", project=data["project"]))
        if data["unit"] not in facts.units:
            reject(msg("decide.unit_unknown", unit=data["unit"]))
        return [_event(ev.ProjectPlanned, stream_id("project", data["project"]), 1, stamp, **data)]

    if cmd in SUPERVISION_COMMANDS:  # docs/assessment.md §9
        def event(cls, stream, version, **fields):
            return _event(cls, stream, version, stamp, **fields)

        def correct(project, fix, refuse):
            return _decide_project(project, fix, stamp, today, refuse)
        return decide_supervision(facts, command, stamp, today, reject, event, correct)

    if cmd in ("dispatch", "close_month", "close_year"):
        return [_decide_office(facts, command, stamp, today, reject)]

    if cmd == "register_person":
        if data["person"] in facts.people:
            reject(msg("decide.person_registered", person=data["person"]))
        if data["unit"] not in facts.units:
            reject(msg("decide.unit_unknown", unit=data["unit"]))
        return [_event(ev.PersonRegistered, stream_id("person", data["person"]), 1, stamp, **data)]

    if cmd == "assign_project":
        project = facts.projects.get(data["project"])
        if project is None:
            reject(msg("decide.project_unknown", project=data["project"]))
        person = facts.people.get(data["person"])
        if person is None:
            reject(msg("decide.person_unknown", person=data["person"]))
        if project.withdrawn_on is not None:
            reject(msg("decide.withdrawn", project=project.id))
        return [_event(ev.ProjectAssigned, stream_id("project", project.id), project.version + 1, stamp,
                       project=project.id, person=person.id, level=person.level)]

    project = facts.projects.get(data["project"])
    if project is None:
        reject(msg("decide.project_unknown", project=data["project"]))
    return [_decide_project(project, command, stamp, today, reject)]


def _decide_office(facts: Facts, command: Command, stamp: Stamp, today: date, reject):
    data, version = command.data, facts.office_version + 1
    if command.cmd == "dispatch":
        if facts.dispatches and data["date"] < facts.dispatches[-1]:
            reject(msg("decide.dispatch_earlier", date=data["date"], last=facts.dispatches[-1]))
        return _event(ev.DispatchHeld, stream_id("office"), version, stamp, date=data["date"])
    if command.cmd == "close_year":
        year = data["year"]
        if year in facts.years_closed:
            reject(msg("decide.year_closed", year=year))
        if "%04d-12" % year not in facts.closed:
            reject(msg("decide.year_open", year=year))
        return _event(ev.YearCloseRequested, stream_id("office"), version, stamp, year=year)
    period = data["period"]
    year, month = parse_period(period)
    if period in facts.closed:
        reject(msg("decide.period_closed", period=period))
    previous = previous_period(year, month)
    if previous and "%04d-%02d" % previous not in facts.closed:
        reject(msg("decide.previous_open", previous="%04d-%02d" % previous))
    end = month_end(year, month)
    if today <= end:
        reject(msg("decide.not_over", period=period, today=today, end=end))
    return _event(ev.MonthCloseRequested, stream_id("office"), version, stamp, period=period)


def _order_problem(planned, signed, landed, started, withdrawn):
    pairs = [("signed_on", signed, "planned_on", planned),
             ("landed_on", landed, "signed_on", signed),
             ("started_on", started, "signed_on", signed),
             ("withdrawn_on", withdrawn, "planned_on", planned)]
    for late_name, late, early_name, early in pairs:
        if late is not None and early is not None and late < early:
            return msg("decide.order", late_name=Name(late_name), late=late, early_name=Name(early_name),
                       early=early)
    return None


def _decide_project(project: Project, command: Command, stamp: Stamp, today: date, reject):
    cmd, data = command.cmd, command.data
    stream, version = stream_id("project", project.id), project.version + 1
    p = project
    if cmd == "sign_project":
        if p.withdrawn_on is not None:
            reject(msg("decide.withdrawn", project=p.id))
        if p.signed_on is not None:
            reject(msg("decide.signed_already", project=p.id, day=p.signed_on))
        problem = _order_problem(p.planned_on, data["signed_on"], None, None, None)
        if problem:
            reject(problem)
        return _event(ev.ProjectSigned, stream, version, stamp, **data)
    if cmd == "land_project":
        if p.signed_on is None:
            reject(msg("decide.not_signed", project=p.id))
        if p.withdrawn_on is not None:
            reject(msg("decide.withdrawn", project=p.id))
        if p.landed_on is not None:
            reject(msg("decide.landed_already", project=p.id, day=p.landed_on))
        problem = _order_problem(None, p.signed_on, data["landed_on"], None, None)
        if problem:
            reject(problem)
        return _event(ev.ProjectLanded, stream, version, stamp, **data)
    if cmd == "start_construction":
        if p.signed_on is None:
            reject(msg("decide.not_signed", project=p.id))
        problem = _order_problem(None, p.signed_on, None, data["started_on"], None)
        if problem:
            reject(problem)
        return _event(ev.ConstructionStarted, stream, version, stamp, **data)
    if cmd == "withdraw_project":
        if p.withdrawn_on is not None:
            reject(msg("decide.withdrawn_already", project=p.id, day=p.withdrawn_on))
        problem = _order_problem(p.planned_on, None, None, None, data["withdrawn_on"])
        if problem:
            reject(problem)
        return _event(ev.ProjectWithdrawn, stream, version, stamp, **data)
    # correct
    field, value = data["field"], data["value"]
    previous = getattr(p, field)
    if previous is None:
        reject(msg("decide.never_set", field=Name(field), project=p.id))
    if isinstance(value, date) and value > today:
        reject(msg("decide.after_today", field=Name("value"), value=value, today=today))
    fixed = {"planned_on": p.planned_on, "signed_on": p.signed_on, "signed_amount": p.signed_amount,
             "landed_on": p.landed_on, "started_on": p.started_on, "withdrawn_on": p.withdrawn_on}
    fixed[field] = value
    fixed.pop("signed_amount")
    problem = _order_problem(fixed["planned_on"], fixed["signed_on"], fixed["landed_on"],
                             fixed["started_on"], fixed["withdrawn_on"])
    if problem:
        reject(msg("decide.correction_order", problem=problem))
    return _event(ev.FactCorrected, stream, version, stamp, project=p.id, field=field,
                  value=value, previous=previous, reason=data["reason"])
