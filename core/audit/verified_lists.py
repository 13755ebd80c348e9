"""Verified reads of the listings and the annual standing (docs/audit.md): letters and sheets, projects, a
year's standing and a person's answer, each proved against the Merkle tree and the head the reader trusts
(``core.audit.verified`` for the heads, the proofs, and the boards and scores)."""

from __future__ import annotations

from datetime import datetime

from core.audit.verified import Head, VerificationFailed, verified_events
from core.messages import msg
from core.record.state import stream_id


def _positions(app, head: Head, *topics: str) -> list[int]:
    """The positions, up to the verified head, of the log's events of ``topics``: read from the log itself (the
    events' own rows), never from a read model, so a row hidden from a read model is still proved."""
    return [row[0] for row in app.recorder.fetch(
        f"SELECT position FROM events WHERE topic IN ({', '.join('?' * len(topics))}) AND position <= ? "
        "ORDER BY position", (*topics, head.size))]


def check_notices(platform, answer: list[dict], head: Head, unit: str | None, known_at: datetime | None) -> dict:
    """Check ``sankao notices`` against the verified log: every letter and sheet the log holds (found by its
    topic in the log itself, not in the read model) is proved in the tree, and the answer must list exactly
    those recorded by ``known_at`` (of ``unit``), in the contract's order, each as its event says."""
    from core import report
    from core.read.tables import notice_phase
    from core.read.queries import NOTICE_TOPIC
    from core.clock import now
    app = platform.app
    positions = _positions(app, head, NOTICE_TOPIC)
    events = verified_events(app, head, positions)
    moment = known_at or now()
    expected = sorted(((e.position, notice_phase(e), e.unit, e.originator_version), position, report.notice(e))
                      for position, e in events.items() if e.timestamp <= moment and unit in (None, e.unit))
    for index in range(max(len(expected), len(answer))):
        said = answer[index] if index < len(answer) else None
        held = expected[index] if index < len(expected) else None
        if held is None:
            raise VerificationFailed(msg("verified.notice_added", index=index + 1, unit=said.get("unit"), case=said.get("case")))
        if said != held[2]:
            raise VerificationFailed(msg("verified.notice_altered", index=index + 1, position=held[1], unit=held[2]["unit"], case=held[2]["case"]), held[1])
    return {"events": len(expected), "positions": sorted(held[1] for held in expected)}


PROJECT_COLUMNS = ("project", "unit", "name", "planned_on", "signed_on", "signed_amount", "landed_on", "started_on",
                   "withdrawn_on")


def check_projects(platform, answer: list[dict], head: Head, unit: str | None) -> dict:
    """Check ``sankao projects`` against the verified log: every project planned in the log (found by its topic
    in the log itself, not in the read model) of ``unit`` (None: every unit), each project's whole stream
    proved in the tree and checked to run 1, 2, … without a gap, folded as the read model folds it
    (``core.read.tables.project``), and the answer must list exactly those projects, each field as the log
    says."""
    from eventsourcing.utils import get_topic

    from core.read.tables import STATEMENTS, project
    from events import facts as ev
    app = platform.app
    planned = _positions(app, head, get_topic(ev.ProjectPlanned))
    plans = verified_events(app, head, planned)
    wanted = sorted({e.project for e in plans.values() if unit in (None, e.unit)})
    stored = app.recorder.select_streams([stream_id("project", p) for p in wanted], upto=head.size)
    events = verified_events(app, head, [n.id for n in stored])
    versions: dict = {}
    rows: dict[str, dict] = {}
    for position in sorted(events):
        event = events[position]
        expected = versions.get(event.originator_id, 0) + 1
        if event.originator_version != expected:
            raise VerificationFailed(msg("verified.stream_gap", stream=getattr(event, "project", "?"),
                                         version=expected), position)
        versions[event.originator_id] = expected
        for key, params in project(position, event, b""):
            _kind, _table, columns, keys = STATEMENTS[key]
            if key == "plan":
                rows[params[0]] = {**dict.fromkeys(PROJECT_COLUMNS), **dict(zip(columns, params)), "at": position,
                                   "by": dict.fromkeys(PROJECT_COLUMNS, position)}
            elif keys == ("project",) and params[-1] in rows:
                rows[params[-1]].update(zip(columns, params[:-1]))
                rows[params[-1]]["by"].update(dict.fromkeys(columns, position))
    expected_rows = sorted(rows.values(), key=(lambda r: r["at"]) if unit else (lambda r: (r["unit"], r["project"])))
    for index in range(max(len(expected_rows), len(answer))):
        said = answer[index] if index < len(answer) else None
        held = expected_rows[index] if index < len(expected_rows) else None
        if held is None:
            raise VerificationFailed(msg("verified.project_added", project=said.get("project")))
        differs = [k for k in PROJECT_COLUMNS if (said or {}).get(k) != held[k]]
        if differs:  # named by the event that wrote the first field that differs
            position = held["by"][differs[0]]
            raise VerificationFailed(msg("verified.project_altered", index=index + 1, project=held["project"],
                                         field=differs[0], position=position), position)
    return {"events": len(planned) + len(events), "positions": sorted(set(planned) | set(events))}


def check_annual(platform, answer: dict, head: Head, year: int, known_at: datetime | None) -> dict:
    """Check ``sankao annual YEAR`` against the verified log. Whether the year is closed is read from the
    proved close (not the read model). A closed year answers from its ``StandingFrozen``: that event is proved
    and the answer must say what it says. A provisional standing is computed from the facts themselves:
    every fact a standing reads and the year's frozen boards are proved in the tree (an altered or swapped
    event fails naming its position; a fact deleted from the log is found by ``audit verify``)."""
    from core.engine import annual
    app = platform.app
    positions, closed, frozen = _standing_sources(app, head, year, known_at, answer, provisional=False)
    if frozen is not None:
        position, event = frozen
        expected = {"year": year, "closed": True, "through": event.through,
                    "units": [annual.unit_json(u) for u in annual.rows(event, "units")],
                    "people": annual.frozen_people_json(event)}
        if {k: answer.get(k) for k in expected} != expected:
            raise VerificationFailed(msg("verified.annual_altered", year=year, position=position), position)
    return {"events": len(positions), "positions": positions}


def check_person(platform, answer: dict, head: Head, known_at: datetime | None, year: int | None = None) -> dict:
    """Check ``sankao person PERSON [YEAR]`` against the verified log: the answer is made from the facts a
    standing reads, the year's frozen boards and (a closed year) its ``StandingFrozen``, read from the log
    itself; all of them are proved, and whether the year is closed is read from the proved close. Without
    ``year`` asked, the year answered must be the latest with a month closed in the proved log."""
    from eventsourcing.utils import get_topic

    from core.clock import local_date, now
    from events import facts as ev
    app, moment = platform.app, known_at or now()
    proved = []
    if year is None:
        proved = _positions(app, head, get_topic(ev.MonthCloseRequested))
        periods = [e.period for e in verified_events(app, head, proved).values() if e.timestamp <= moment]
        latest = int(max(periods)[:4]) if periods else local_date(moment, platform.tz).year
        if latest != answer["year"]:
            raise VerificationFailed(msg("verified.person_year", said=answer["year"], held=latest))
    positions, _closed, _frozen = _standing_sources(app, head, answer["year"], known_at, answer, provisional=True)
    return {"events": len(set(positions) | set(proved)), "positions": sorted(set(positions) | set(proved))}


def _standing_sources(app, head: Head, year: int, known_at: datetime | None, answer: dict, provisional: bool):
    """Prove what a year's standing is made of: ``(positions proved, closed, (position, StandingFrozen) or
    None)``. The year's close is read from the proved log and must agree with ``answer["closed"]``; with the
    year closed and frozen, its ``StandingFrozen`` is proved (and, for ``provisional``, the facts too: a person's
    projects are read from them); otherwise every fact a standing reads and the year's frozen boards are."""
    from eventsourcing.utils import get_topic

    from core.clock import now
    from core.engine import annual
    from events import facts as ev
    moment = known_at or now()
    closes = _positions(app, head, get_topic(ev.YearCloseRequested))
    closing = [p for p, e in verified_events(app, head, closes).items() if e.year == year and e.timestamp <= moment]
    closed = bool(closing)
    if answer.get("closed") and not closed:
        raise VerificationFailed(msg("verified.open_said_closed", year=year))
    if closed and not answer.get("closed"):
        raise VerificationFailed(msg("verified.closed_said_open", year=year, position=closing[0]), closing[0])
    stored = app.recorder.select_events(stream_id("standing", f"{year:04d}"), limit=1)
    frozen = None
    proved = set(closes)
    if closed and stored:
        frozen = (stored[0].id, verified_events(app, head, [stored[0].id])[stored[0].id])
        proved.add(stored[0].id)
        if not provisional:
            return sorted(proved), closed, frozen
    proved.update(_positions(app, head, *annual.STANDING_TOPICS))
    proved.update(n.id for month in range(1, 13)
                  for n in app.recorder.select_events(stream_id("board", f"{year:04d}-{month:02d}"), limit=1))
    verified_events(app, head, sorted(proved))
    return sorted(proved), closed, frozen
