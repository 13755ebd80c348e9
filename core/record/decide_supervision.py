"""Write side of supervision (docs/assessment.md §9): the events a supervision command records, or its
rejection. A pure function of the record's facts, like ``core.record.decide`` (which hands these commands
here)."""

from __future__ import annotations

from datetime import date

from core.clock import month_end, parse_period, period_name
from core.messages import Name, msg
from core.record.commands import Command
from core.record.state import Facts, stream_id
from core.record.supervision import draw_sample, is_candidate
from events import facts as ev


def decide_supervision(facts: Facts, command: Command, stamp, today: date, reject, event, correct) -> list:
    """The events of one supervision command. ``event(cls, stream, version, **data)`` makes an event with the
    command's stamp; ``correct(project, command)`` decides a ``correct`` (a misreported finding makes one)."""
    cmd, data = command.cmd, command.data
    sv = facts.supervision
    if cmd == "require_self_checks":
        month = period_name(today.year, today.month)
        if data["first"] < month:
            reject(msg("sv.from_past", first=data["first"], month=month))
        return [event(ev.SelfChecksRequired, stream_id("supervision"), len(sv.required) + 1, first=data["first"])]
    if cmd == "draw_spot_check":
        found = sv.draws.get(data["draw"])
        if found is not None:
            reject(msg("sv.draw_exists", draw=found.id, period=found.period, date=found.date))
        _after_period(data, "sv.what_draw", reject)
        candidates = [(p.id, p.unit) for p in facts.projects.values()
                      if is_candidate(data["period"], p.signed_on, p.landed_on, p.withdrawn_on)]
        sample = [list(c) for c in draw_sample(data["seed"], data["period"], candidates, data["size"])]
        return [event(ev.SpotCheckDrawn, stream_id("draw", data["draw"]), 1, candidates=len(candidates),
                      sample=sample, **data)]
    if cmd == "record_finding":
        return _finding(facts, command, today, reject, event, correct)
    unit = facts.units.get(data["unit"])
    if unit is None:
        reject(msg("decide.unit_unknown", unit=data["unit"]))
    stream, version = stream_id("unit", unit.id), unit.version + 1
    if cmd == "self_check":
        _after_period(data, "sv.what_self_check", reject)
        found = sv.self_checks.get((unit.id, data["period"]))
        if found is not None:
            reject(msg("sv.self_check_exists", unit=unit.id, period=data["period"], date=found))
        return [event(ev.SelfCheckFiled, stream, version, **data)]
    if cmd == "special_assessment":
        _month_open(facts, data["date"], reject)
        return [event(ev.SpecialAssessed, stream, version, **data)]
    listings = sv.listings.get(unit.id, ())
    if cmd == "list_unit" and sv.listed(unit.id):
        reject(msg("sv.listed_already", unit=unit.id, date=listings[-1][0]))
    if cmd == "delist_unit" and not sv.listed(unit.id):
        reject(msg("sv.not_listed", unit=unit.id))
    if listings and data["date"] < listings[-1][0]:
        reject(msg("sv.listing_earlier", date=data["date"], last=listings[-1][0]))
    return [event(ev.UnitListed if cmd == "list_unit" else ev.UnitDelisted, stream, version, **data)]


def _after_period(data: dict, what: str, reject) -> None:
    end = month_end(*parse_period(data["period"]))
    if data["date"] <= end:
        reject(msg("sv.not_after_period", date=data["date"], period=data["period"], end=end, what=msg(what)))


def _month_open(facts: Facts, day: date, reject) -> None:
    period = period_name(day.year, day.month)
    if period in facts.closed:
        reject(msg("sv.month_closed", date=day, period=period))


def _finding(facts: Facts, command: Command, today: date, reject, event, correct) -> list:
    data = command.data
    draw = facts.supervision.draws.get(data["draw"])
    if draw is None:
        reject(msg("sv.draw_unknown", draw=data["draw"]))
    units = dict(draw.sample)
    if data["project"] not in units:
        reject(msg("sv.not_sampled", project=data["project"], draw=draw.id,
                   sample=[p for p, _ in draw.sample] or "-"))
    found = draw.findings.get(data["project"])
    if found is not None:
        reject(msg("sv.finding_exists", draw=draw.id, project=data["project"], result=Name(found[0]), date=found[1]))
    if data["date"] < draw.date:
        reject(msg("sv.before_draw", date=data["date"], drawn=draw.date))
    _month_open(facts, data["date"], reject)
    events = []
    if data["result"] == "misreported":
        fix = Command("correct", {"project": data["project"], "field": data["field"], "value": data["value"],
                                  "reason": data["reason"]}, command.id, command.at)
        project = facts.projects.get(data["project"])
        if project is None:  # sampled, so planned: only a ledger that did not load it gets here
            reject(msg("decide.project_unknown", project=data["project"]))

        def refuse(reason):
            reject(msg("sv.misreport_rejected", reason=reason))
        events.append(correct(project, fix, refuse))
    events.insert(0, event(ev.FindingRecorded, stream_id("draw", draw.id), draw.version + 1,
                           draw=draw.id, project=data["project"], unit=units[data["project"]], date=data["date"],
                           result=data["result"], field=data.get("field"), value=data.get("value"),
                           reason=data.get("reason")))
    return events
