"""What the supervision pages show (督查, docs/assessment.md §9), gathered from the query ``queries.supervision``
and from the record's own supervision events (a draw's stream, a unit's stream): the year's grid of self-checks, a
month's draws with their findings, a unit's deduction taken apart, the units listed at a month's end.

No rule of the assessment here: whether a self-check was owed and on time is the query's answer; the only
thing added is whether a self-check not yet filed is still to come (its due day, the supervision plugin's
``self_check_day`` in force, not yet past) or missing.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from core.audit.draws import HEAD_SEED
from core.clock import local_date, month_end, now, parse_period
from core.errors import NotFound
from core.messages import msg
from core.read import office
from core.record.state import stream_id
from core.record.supervision import draw_key
from events import facts as ev

#: a self-check's state in the grid, each with its colour (sankao.css ``.sc-*``)
STATES = ("on_time", "late", "missing", "due", "not_owed")


def _events(platform, stream, known_at: datetime | None) -> list:
    """The events of ``stream`` recorded by ``known_at`` (all when None), in recorded order."""
    app = platform.app
    found = [app.mapper.to_domain_event(n) for n in app.recorder.select_events(stream)]
    return [e for e in found if known_at is None or e.timestamp <= known_at]


def answer(platform, period: str, known_at: datetime | None) -> dict | None:
    """``queries.supervision(period, known_at)``, or None when the month had not begun then."""
    try:
        return platform.queries.supervision(period, known_at)
    except NotFound:
        return None


def own_part(found: dict, unit: str) -> dict:
    """What a unit's token sees of an answer: its own line and its own sampled projects (as the API's)."""
    from web.api.supervision import own_part as api_own_part
    return api_own_part(found, unit)


def listed_units(platform, period: str, known_at: datetime | None) -> set[str]:
    """The units under listed supervision (挂牌督战) at the end of ``period``, as known at ``known_at``."""
    found = answer(platform, period, known_at)
    return {u["unit"] for u in found["units"] if u["listed"]} if found else set()


def listing(platform, unit: str, period: str, known_at: datetime | None) -> dict | None:
    """The listing in force at the end of ``period`` (by the dates of the unit's listings, in recorded order):
    ``{"since", "reason"}``, or None."""
    end, state = month_end(*parse_period(period)), None
    for event in _events(platform, stream_id("unit", unit), known_at):
        if isinstance(event, (ev.UnitListed, ev.UnitDelisted)) and event.date <= end:
            state = {"since": event.date.isoformat(), "reason": event.reason} \
                if isinstance(event, ev.UnitListed) else None
    return state


def cell(line: dict | None, required: bool, due: date, today: date) -> dict:
    """One unit's self-check of one month: its state (``STATES``), its date, its due date."""
    filed = line["self_check"] if line else None
    if line is None or not required:
        state = "not_owed"
    elif filed:
        state = "on_time" if line["on_time"] else "late"
    else:
        state = "missing" if today > due else "due"
    return {"state": state, "date": filed, "due": due.isoformat()}


def year_grid(platform, period: str, known_at: datetime | None, unit: str | None = None) -> dict:
    """The units × months grid of self-checks of ``period``'s year, for each month of it that had begun (one
    ``queries.supervision`` a month); only ``unit``'s row when given."""
    year = period[:4]
    months = [m for m in office.months(platform, known_at) if m.startswith(f"{year}-")]
    today = local_date(known_at or now(), platform.tz)
    answers = {m: a for m in months for a in [answer(platform, m, known_at)] if a is not None}
    lines = {m: {u["unit"]: u for u in a["units"]} for m, a in answers.items()}
    units = sorted({u for found in lines.values() for u in found})
    rows = []
    for u in units if unit is None else [x for x in units if x == unit]:
        cells = []
        for m in answers:
            due = platform.queries.self_check_due(m, known_at)
            cells.append(cell(lines[m].get(u), answers[m]["self_checks_required"], due, today))
        rows.append({"unit": u, "cells": cells})
    return {"year": year, "months": list(answers), "rows": rows}


def _value(value):
    return value.isoformat() if isinstance(value, date) else value


def draw_record(platform, draw: str, known_at: datetime | None, unit: str | None = None) -> dict:
    """A spot check as recorded: its seed (and the Merkle head it names), candidates count, sample in sample
    order (each project's key, name, unit, and its finding with the correction a misreport made); only
    ``unit``'s sampled projects when given. NotFound when no such draw was recorded by ``known_at``."""
    events = _events(platform, stream_id("draw", draw), known_at)
    if not events or not isinstance(events[0], ev.SpotCheckDrawn):
        raise NotFound(msg("sv.draw_unknown", draw=draw))
    drawn, findings = events[0], {e.project: e for e in events[1:] if isinstance(e, ev.FindingRecorded)}
    names = platform.queries.names()
    projects = {}
    for owner in {u for _, u in drawn.sample if unit is None or u == unit}:
        projects.update({p["project"]: p["name"] for p in platform.queries.projects(owner)})
    sample = []
    for number, (project, owner) in enumerate(drawn.sample, 1):
        if unit is not None and owner != unit:
            continue
        found = findings.get(project)
        sample.append({"number": number, "project": project, "name": projects.get(project, ""), "unit": owner,
                       "unit_name": names.get(owner, owner), "key": draw_key(drawn.seed, drawn.period, project),
                       "result": found.result if found else None,
                       "result_date": found.date.isoformat() if found else None,
                       "field": found.field if found else None,
                       "value": _value(found.value) if found else None,
                       "reason": found.reason if found else None,
                       "actor": found.actor if found else None})
    head = HEAD_SEED.fullmatch(drawn.seed)
    return {"draw": draw, "period": drawn.period, "date": drawn.date.isoformat(), "size": drawn.size,
            "seed": drawn.seed, "candidates": drawn.candidates, "drawn": len(drawn.sample),
            "head": {"size": int(head.group(1)), "root": head.group(2)} if head else None,
            "actor": drawn.actor, "recorded_at": drawn.timestamp.isoformat(), "command_id": drawn.command_id,
            "sample": sample, "pending": [s["project"] for s in sample if s["result"] is None]}


def specials(platform, unit: str, period: str, known_at: datetime | None) -> list[dict]:
    """The unit's special assessments dated in ``period``."""
    return [{"date": e.date.isoformat(), "points": str(e.points), "reason": e.reason}
            for e in _events(platform, stream_id("unit", unit), known_at)
            if isinstance(e, ev.SpecialAssessed) and f"{e.date:%Y-%m}" == period]


def unit_deduction(platform, unit: str, period: str, known_at: datetime | None) -> dict | None:
    """The deduction of the unit's score in ``period`` taken apart, from ``sankao explain`` (the plugins of the
    rules the score was computed under say what they took): the early warning's cases (which letter), the
    supervision plugin's self-check of the month before, misreported findings and special assessments dated in
    the month, each with what the record says of it (the correction a finding made, an assessment's reason).
    None when the score cannot be explained (not scored)."""
    from core.audit.explain import explain
    try:
        said = explain(platform, unit, period, known_at, False)
    except NotFound:
        return None
    parts = said["coefficient_and_deduction"]
    cases = []
    for case in (parts.get("early_warning") or {}).get("inputs", {}).get("cases", []):
        letters = case.get("letters") or []
        sent = [x for x in letters if x.get("level") != "feedback"]
        cases.append({**case, "letter": sent[-1] if sent else None,
                      "sheet": letters[-1] if letters and letters[-1].get("level") == "feedback" else None})
    supervision = (parts.get("supervision") or {}).get("inputs")
    findings, assessed = [], []
    if supervision:
        draws: dict = {}
        for found in supervision.get("misreports") or []:
            if found["draw"] not in draws:
                draws[found["draw"]] = draw_record(platform, found["draw"], known_at, unit)["sample"]
            sampled = next((s for s in draws[found["draw"]] if s["project"] == found["project"]), {})
            findings.append({**sampled, **found})
        reasons = specials(platform, unit, period, known_at)
        for found in supervision.get("special_assessments") or []:
            same = next((r for r in reasons if r["date"] == found["date"]
                         and Decimal(r["points"]) == Decimal(found["points"])), None)
            if same is not None:
                reasons.remove(same)
            assessed.append({**found, "reason": same["reason"] if same else ""})
    return {"deduction": said["deduction"], "frozen": said["frozen"], "cases": cases, "supervision": supervision,
            "findings": findings, "specials": assessed}
