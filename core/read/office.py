"""What the office's pages show, composed from the queries (``core.read.queries``): the visual progress list
(形象清单), a unit's year, the cases of the three letters and one sheet, quarterly monitoring.

Plain dicts of the same strings the queries answer; ``web.pages`` only renders them. Nothing here
decides a score: rank movements, open letters and rectification deadlines are read off the board
and the notices as they were known.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from core.clock import local_date, month_end, month_start, now, parse_period, period_name, previous_period, quarter
from core.errors import NotFound
from core.messages import msg
from core.report import stage_of

LEVELS = ("green", "orange", "red")
STAGES = ("planned", "signed", "landed", "started", "withdrawn")


def months(platform, known_at: datetime | None = None) -> list[str]:
    """The months that have a board as known at ``known_at``: every month of the years with targets, up to the
    current month."""
    today = local_date(known_at or now(), platform.tz)
    years = platform.queries.target_years()
    return [f"{y:04d}-{m:02d}" for y in years for m in range(1, 13) if month_start(y, m) <= today]


def default_month(platform, known_at: datetime | None = None) -> str | None:
    """The month an office opens: the current month when it has a board, else the last month that has one."""
    found = months(platform, known_at)
    return found[-1] if found else None


def _progress(indicators: list[dict], plugin: str) -> dict | None:
    found = next((i for i in indicators if i["plugin"] == plugin), None)
    if found is None:
        return None
    ratio = Decimal(found["ratio"])
    return {"value": found["value"], "target": found["target"], "ratio": found["ratio"],
            "percent": int(min(ratio, Decimal(1)) * 100), "over": ratio >= 1}


def cases(notices: list[dict], rectify_days: int | None = None, as_of: date | None = None) -> list[dict]:
    """The early-warning cases of ``notices`` (in recorded order), each with its letters, its current level,
    its rectification deadline (first letter + ``rectify_days``) and, once closed, its sheet; only what is
    dated on or before ``as_of`` when given."""
    found: dict[str, dict] = {}
    for notice in notices:
        day = date.fromisoformat(notice["date"])
        if as_of is not None and day > as_of:
            continue
        case = found.get(notice["case"])
        if case is None:
            case = found[notice["case"]] = {"case": notice["case"], "unit": notice["unit"], "letters": [],
                                            "level": None, "opened": notice["date"], "sheet": None, "deadline": None}
            if rectify_days is not None:
                case["deadline"] = (day + timedelta(days=rectify_days)).isoformat()
        if notice["level"] == "feedback":
            case["sheet"] = notice
        else:
            case["letters"].append(notice)
            case["level"] = notice["level"]
    for case in found.values():
        case["open"] = case["sheet"] is None
        case["escalated"] = len(case["letters"]) > 1
        case["points"] = case["sheet"]["points"] if case["sheet"] else case["letters"][-1]["points"] \
            if case["letters"] else "0.00"
    return list(found.values())


def rectify_days(platform) -> int | None:
    settings = (platform.rules_in_force().get("early_warning") or {}).get("settings") or {}
    value = settings.get("rectify_days")
    return None if value is None else int(value)


def board_view(platform, period: str, known_at: datetime | None = None) -> dict:
    """The visual progress list of ``period``: the board with each unit's name and kind, its rank's movement
    since the month before, its progress against the annual and the quarter's targets, and the colour of its
    open letter at the end of the month (or on the day asked, if earlier)."""
    q = platform.queries
    board = q.board(period, known_at)
    year, month = parse_period(period)
    found = previous_period(year, month)
    before = period_name(*found) if found else None
    ranks = {}
    if before is not None:
        try:
            ranks = {u["unit"]: u["rank"] for u in q.board(before, known_at)["units"]}
        except NotFound:
            pass
    indicators = q.board_indicators(period, known_at)
    units = {u["unit"]: u for u in q.units()}
    as_of = min(month_end(year, month), local_date(known_at or now(), platform.tz))
    open_level = {c["unit"]: c["level"] for c in cases(q.notices(None, known_at), None, as_of) if c["open"]}
    rows = []
    for line in board["units"]:
        unit = line["unit"]
        mine = indicators.get(unit, [])
        rows.append({**line, "name": units.get(unit, {}).get("name", unit),
                     "category": units.get(unit, {}).get("category", ""),
                     "movement": ranks[unit] - line["rank"] if unit in ranks else None,
                     "annual": _progress(mine, "annual_amount"), "quarter": _progress(mine, "quarterly_progress"),
                     "letter": open_level.get(unit)})
    return {**board, "rows": rows, "previous": before, "as_of": as_of.isoformat(),
            "quarter": quarter(month), "year": year}


def _as_of(project: dict, day: str) -> dict:
    """The project as its business dates put it on ``day``: what happened later left out."""
    return {k: (None if k.endswith("_on") and k != "planned_on" and v is not None and v > day else v)
            for k, v in project.items()}


def unit_view(platform, unit: str, period: str, known_at: datetime | None = None) -> dict:
    """A unit's page: its indicators in ``period``, its final score and rank month by month, its projects of
    that year planned by the end of the month and the stage their dates put them in then, its letters and
    sheets."""
    q = platform.queries
    units = {u["unit"]: u for u in q.units()}
    if unit not in units:
        raise NotFound(msg("read.unit_unknown", unit=unit))
    score = q.score(unit, period, known_at)
    year, month = parse_period(period)
    trend = []
    for month_ in months(platform, known_at):
        if not month_.startswith(f"{year:04d}-"):
            continue
        try:
            board = q.board(month_, known_at)
        except NotFound:
            continue
        line = next((u for u in board["units"] if u["unit"] == unit), None)
        if line is not None:
            trend.append({"period": month_, "final": line["final"], "rank": line["rank"], "of": len(board["units"]),
                          "frozen": board["frozen"]})
    as_of = min(month_end(year, month), local_date(known_at or now(), platform.tz)).isoformat()
    projects = [{**p, "stage": stage_of(_as_of(p, as_of))} for p in q.projects(unit)
                if p["planned_on"][:4] == f"{year:04d}" and p["planned_on"] <= as_of]
    by_stage = {stage: [p for p in projects if p["stage"] == stage] for stage in STAGES}
    notices = q.notices(unit, known_at)
    return {"unit": unit, "name": units[unit]["name"], "category": units[unit]["category"], "period": period,
            "projects_as_of": as_of,
            "score": score, "trend": trend, "projects": by_stage, "project_count": len(projects),
            "cases": cases(notices, rectify_days(platform)), "notices": notices}


def notices_view(platform, unit: str | None = None, known_at: datetime | None = None) -> dict:
    """The cases, open ones by level (red first), then the closed ones with their outcome."""
    q = platform.queries
    found = cases(q.notices(unit, known_at), rectify_days(platform))
    names = q.names()
    for case in found:
        case["name"] = names.get(case["unit"], case["unit"])
    today = local_date(known_at or now(), platform.tz).isoformat()
    for case in found:
        case["overdue"] = case["open"] and case["deadline"] is not None and case["deadline"] < today
    open_ = sorted((c for c in found if c["open"]), key=lambda c: (-LEVELS.index(c["level"]), c["opened"]))
    closed = [c for c in found if not c["open"]]
    year = max((c["opened"][:4] for c in found), default=today[:4])
    return {"open": open_, "closed": closed, "by_level": {level: sum(1 for c in open_ if c["level"] == level)
                                                          for level in LEVELS},
            "year": int(year), "escalations": sum(1 for c in found if c["escalated"] and c["opened"][:4] == year),
            "unit": unit}


def notice_document(platform, case_name: str, number: int, known_at: datetime | None = None) -> dict:
    """Letter or sheet ``number`` (1-based) of case ``case_name``, for printing."""
    unit = case_name.rsplit("-", 2)[0]
    found = next((c for c in cases(platform.queries.notices(unit, known_at), rectify_days(platform))
                  if c["case"] == case_name), None)
    if found is None:
        raise NotFound(msg("read.no_case", case=case_name))
    documents = found["letters"] + ([found["sheet"]] if found["sheet"] else [])
    if not 1 <= number <= len(documents):
        raise NotFound(msg("read.no_document", case=case_name, number=number, count=len(documents)))
    return {"case": found, "document": documents[number - 1], "number": number,
            "name": platform.queries.names().get(unit, unit)}


def people_names(platform, known_at: datetime | None = None) -> dict[str, str]:
    """Each registered person's name by id (``register_person``), as known at ``known_at``: the annual standing
    shows a person's name beside the id."""
    from eventsourcing.utils import get_topic

    from events import facts as ev
    names = {}
    for _, e in platform.app.log(topics=[get_topic(ev.PersonRegistered)], size=5000):
        if known_at is None or e.timestamp <= known_at:
            names.setdefault(e.person, e.name)
    return names


def quarterly_view(platform, year: int, known_at: datetime | None = None) -> dict:
    """Quarterly monitoring (季监测): each unit's cumulative signed amount at the end of each quarter (or now,
    for the quarter under way) against its quarterly target."""
    q = platform.queries
    available = [m for m in months(platform, known_at) if m.startswith(f"{year:04d}-")]
    quarters = []
    for number in range(1, 5):
        inside = [m for m in available if quarter(int(m[5:])) == number]
        if not inside:
            continue
        period = inside[-1]
        try:
            board = q.board(period, known_at)
        except NotFound:
            continue
        indicators = q.board_indicators(period, known_at)
        quarters.append({"quarter": number, "period": period, "complete": period.endswith(f"{3 * number:02d}"),
                         "units": {u["unit"]: {"signed": u["signed_amount"],
                                               "progress": _progress(indicators.get(u["unit"], []),
                                                                     "quarterly_progress")}
                                   for u in board["units"]}})
    names = {u["unit"]: u for u in q.units()}
    units = sorted({u for done in quarters for u in done["units"]})
    return {"year": year, "quarters": quarters,
            "rows": [{"unit": u, "name": names.get(u, {}).get("name", u),
                      "category": names.get(u, {}).get("category", ""),
                      "cells": [done["units"].get(u) for done in quarters]} for u in units]}

