"""What a scoring worker holds in memory (its ``Facts``), saved with the log position it reflects.

A snapshot is a cache, not a record: the log alone says what happened, and a
snapshot plus the rest of the log gives exactly what the whole log gives (a test
replays both). The newest two of each worker are kept.
"""

from __future__ import annotations

import zlib
from datetime import datetime

from core.clock import micros
from core.record.state import Facts, Person, Project, Rules, Targets, Unit
from core.record.supervision import Draw

KEEP = 2


def encode(facts: Facts, transcoder, extra: dict) -> bytes:
    state = {
        "units": [[u.id, u.name, u.category, u.version,
                   [[t.year, t.annual, t.quarterly, t.monthly, t.planned, t.landed, t.weights]
                    for t in u.targets.values()]] for u in facts.units.values()],
        "projects": [[p.id, p.unit, p.name, p.planned_on, p.version, p.signed_on, p.signed_amount, p.landed_on,
                      p.started_on, p.withdrawn_on] for p in facts.projects.values()],
        "dispatches": facts.dispatches, "closed": sorted(facts.closed), "office_version": facts.office_version,
        "log_version": facts.log_version, "position": facts.position, "last_recorded": facts.last_recorded,
        "rules": [[r.command_id, r.position, r.effective, r.plugins] for r in facts.rules],
        "years_closed": sorted(facts.years_closed),
        "people": [[p.id, p.unit, p.name, p.level] for p in facts.people.values()],
        "holders": [[project, levels] for project, levels in facts.holders.items()],
        "supervision": _supervision(facts.supervision),
        "extra": extra,
    }
    return zlib.compress(transcoder.encode(state), 6)


def decode(data: bytes, transcoder, facts: Facts) -> dict:
    """Fill the empty ``facts`` from a snapshot; returns the extra state saved with it."""
    state = transcoder.decode(zlib.decompress(data))
    for uid, name, category, version, targets in state["units"]:
        if not facts.holds(uid):
            continue
        unit = Unit(uid, name, category, version)
        for year, annual, quarterly, monthly, planned, landed, weights in targets:
            unit.targets[year] = Targets(year, annual, quarterly, monthly, planned, landed, weights)
        facts.units[uid] = unit
        facts.projects_by_unit.setdefault(uid, [])
    for pid, unit, name, planned_on, version, signed_on, amount, landed_on, started_on, withdrawn_on in \
            state["projects"]:
        if not facts.holds(unit):
            continue
        project = Project(pid, unit, name, planned_on, version, signed_on, amount, landed_on, started_on, withdrawn_on)
        facts.projects[pid] = project
        facts.projects_by_unit.setdefault(unit, []).append(project)
        if facts.buckets:
            from core.record.buckets import UnitBuckets
            facts.unit_buckets.setdefault(unit, UnitBuckets()).change(project, 1)
    if facts.buckets:
        from core.record.buckets import UnitBuckets
        for uid in facts.units:
            facts.unit_buckets.setdefault(uid, UnitBuckets())
    facts.dispatches = list(state["dispatches"])
    facts.closed = set(state["closed"])
    facts.office_version, facts.log_version = state["office_version"], state["log_version"]
    facts.position, facts.last_recorded = state["position"], state["last_recorded"]
    facts.rules = [Rules(c, p, e, plugins) for c, p, e, plugins in state["rules"]]
    facts.years_closed = set(state.get("years_closed", ()))  # snapshots from before docs/assessment.md §8 hold none
    facts.people = {pid: Person(pid, unit, name, level) for pid, unit, name, level in state.get("people", ())
                    if facts.holds(unit)}
    facts.holders = {project: dict(levels) for project, levels in state.get("holders", ()) if project in facts.projects}
    _restore_supervision(facts, state.get("supervision"))  # snapshots from before docs/assessment.md §9 hold none
    return state["extra"]


def _supervision(sv) -> dict:
    return {"required": sv.required,
            "self_checks": [[u, p, d] for (u, p), d in sv.self_checks.items()],
            "misreports": [[u, p, [list(f) for f in found]] for (u, p), found in sv.misreports.items()],
            "specials": [[u, p, [list(s) for s in found]] for (u, p), found in sv.specials.items()],
            "listings": [[u, [[d, listed] for d, listed in rows]] for u, rows in sv.listings.items()],
            "draws": [[d.id, d.period, d.size, d.seed, d.date, d.candidates, d.sample, d.version,
                       [[project, result, day] for project, (result, day) in d.findings.items()]]
                      for d in sv.draws.values()]}


def _restore_supervision(facts: Facts, state: dict | None) -> None:
    if not state:
        return
    sv = facts.supervision
    sv.required = list(state["required"])
    sv.self_checks = {(u, p): d for u, p, d in state["self_checks"] if facts.holds(u)}
    sv.misreports = {(u, p): [tuple(f) for f in found] for u, p, found in state["misreports"] if facts.holds(u)}
    sv.specials = {(u, p): [tuple(s) for s in found] for u, p, found in state["specials"] if facts.holds(u)}
    sv.listings = {u: [(d, listed) for d, listed in rows] for u, rows in state["listings"] if facts.holds(u)}
    for did, period, size, seed, day, candidates, sample, version, findings in state["draws"]:
        draw = Draw(did, period, size, seed, day, candidates, [tuple(s) for s in sample], version=version)
        draw.findings = {project: (result, d) for project, result, d in findings}
        sv.draws[did] = draw


def save(recorder, name: str, position: int, data: bytes, taken_at: datetime) -> None:
    with recorder.transaction() as cur:
        cur.execute(recorder.q("INSERT INTO snapshots (name, position, taken_at, data) VALUES (?, ?, ?, ?) "
                               "ON CONFLICT (name, position) DO NOTHING"), (name, position, micros(taken_at), data))
        cur.execute(recorder.q("SELECT position FROM snapshots WHERE name = ? ORDER BY position DESC"), (name,))
        stale = [r[0] for r in cur.fetchall()][KEEP:]
        for old in stale:
            cur.execute(recorder.q("DELETE FROM snapshots WHERE name = ? AND position = ?"), (name, old))


def latest(recorder, name: str, upto: int) -> tuple[int, bytes] | None:
    rows = recorder.fetch("SELECT position, data FROM snapshots WHERE name = ? AND position <= ? "
                          "ORDER BY position DESC LIMIT 1", (name, upto))
    return (rows[0][0], bytes(rows[0][1])) if rows else None
