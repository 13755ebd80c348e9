"""Why a score was what it was (``sankao explain``) and how it came to be (``sankao history``).

``explain`` takes the very figures ``sankao score`` shows (live, frozen, restated or
as known at a time), folds the unit's facts as they stood when those figures were
recorded, and asks the plugins of the rules then in force to compute them again and
to say what they were made of: the projects behind each indicator with the commands
that set every fact used (and every correction, before and after), the letters
behind the deduction, the coefficient's inputs. It checks that the parts add up to
the figures recorded, to the cent, and says so.
"""

from __future__ import annotations

from decimal import Decimal

from eventsourcing.utils import get_topic

from core import report
from core.engine.figures import Figures, compute, derive
from core.errors import NotFound
from core.messages import msg
from core.record.state import Facts, stream_id
from core.rules.view import CasesView, FactsView, supervision_view
from events import facts as ev

PROJECT_EVENTS = (ev.ProjectPlanned, ev.ProjectSigned, ev.ProjectLanded, ev.ConstructionStarted, ev.ProjectWithdrawn,
                  ev.FactCorrected)


def _fields(event) -> dict:
    return {k: report.plain_value(v) for k, v in vars(event).items()
            if k not in ("originator_id", "originator_version", "timestamp", "command_id", "actor", "project", "unit")}


def explain(platform, unit: str, period: str, known_at=None, restated: bool = False) -> dict:
    """``sankao explain UNIT PERIOD``: the score taken apart (see the module doc)."""
    queries, app = platform.queries, platform.app
    shown = queries.score(unit, period, known_at, restated)
    event, scored_at, frozen = queries.source(unit, period, known_at, restated)
    cause = event.position
    projects = [p["project"] for p in queries.projects(unit)]
    streams = [stream_id("unit", unit), stream_id("rules"), stream_id("office"), stream_id("supervision")] + \
        [stream_id("project", p) for p in projects]
    stored = sorted(app.recorder.select_streams(streams, upto=cause), key=lambda n: n.id)
    facts = Facts(partition=lambda u: u == unit)
    history: dict[str, list] = {}
    rules_events = {}
    for n in stored:
        fact = app.mapper.to_domain_event(n)
        facts.apply(fact, n.id)
        if isinstance(fact, PROJECT_EVENTS):
            history.setdefault(fact.project, []).append((n.id, fact))
        if isinstance(fact, ev.RulesApplied):
            rules_events[fact.command_id] = fact
    for _, finding in app.log(0, stop=cause, topics=(get_topic(ev.FindingRecorded),)):  # on the draws' streams
        if finding.unit == unit:
            facts.apply(finding, None)
    supervision = supervision_view(facts)
    cases = CasesView()
    for n in app.recorder.select_events(stream_id("notices", unit)):
        notice = app.mapper.to_domain_event(n)
        if notice.position <= cause:
            cases.apply(notice)
    rule = next((r for r in facts.rules if r.command_id == event.rules), None)
    if rule is None:
        raise NotFound(msg("audit.rules_missing", rules=event.rules))
    ps = platform.rulebook.manager(rule)
    view = FactsView(facts)
    recorded = Figures.from_event(event)
    again = compute(ps, unit, period, view, cases, supervision=supervision)
    parts = derive(recorded)
    contributions = {ps.supplies.get(plugin): answer for plugin, answer in
                     ps.each("sankao_contributions", unit=unit, period=period, facts=view) if answer is not None}
    indicators = []
    for row in parts.indicators:
        name = row["plugin"]
        shares = contributions.get(name)
        entry = {**report.indicator(row), "kind": row["kind"],
                 "exact": {"value": report.plain(row["value"]), "target": report.plain(row["target"])},
                 "projects": None, "adds_up": None}
        if shares is not None:
            entry["projects"] = [_project(pid, share, row["kind"], facts, history) for pid, share in shares.items()]
            entry["adds_up"] = sum(shares.values(), Decimal(0)) == row["value"]
        indicators.append(entry)
    policies = {plugin: answer for plugin, answer in
                ps.each("sankao_explain", unit=unit, period=period, facts=view, cases=cases,
                        supervision=supervision) if answer is not None}
    base = sum((r["score"] for r in parts.indicators), Decimal(0)) * 100 / sum(
        (r["weight"] for r in parts.indicators), Decimal(0)) if parts.indicators else Decimal(0)
    final = max(Decimal(0), base * parts.coefficient - parts.deduction)
    rules_event = rules_events.get(rule.command_id)
    return {
        "unit": unit, "period": period, "known_at": shown["known_at"], "frozen": shown["frozen"],
        "restated": restated, "rank": shown["rank"], "third": shown["third"],
        "final": report.money(final), "base": report.money(base), "coefficient": report.ratio(parts.coefficient),
        "deduction": report.money(parts.deduction), "signed_amount": report.money(parts.signed_amount),
        "formula": "final = max(0, base x coefficient - deduction); base = sum of scores x 100 / sum of weights; "
                   "score = weight x min(value / target, cap)",
        "indicators": indicators,
        "coefficient_and_deduction": policies,
        "recorded": {"position": scored_at, "command_id": event.command_id, "cause_position": cause,
                     "recorded_at": event.timestamp.isoformat(),
                     "frozen_board": None if frozen is None else {"recorded_at": frozen.timestamp.isoformat(),
                                                                  "close": frozen.close}},
        "rules": {"command_id": rule.command_id, "effective": rule.effective.isoformat() if rule.effective else None,
                  "recorded_at": rules_event.timestamp.isoformat() if rules_event else None,
                  "actor": rules_event.actor if rules_event else None,
                  "plugins": {name: {"version": cfg["version"], "settings": report.plain_value(cfg["settings"])}
                              for name, cfg in rule.plugins.items() if cfg["enabled"]}},
        "checks": {"adds_up_to_score": report.money(final) == shown["final"] and report.money(base) == shown["base"],
                   "recomputed_equals_recorded": again == recorded,
                   "projects_add_up": all(i["adds_up"] is not False for i in indicators)},
    }


def _project(pid: str, share: Decimal, kind: str, facts: Facts, history: dict) -> dict:
    project = facts.projects[pid]
    commands, corrections = [], []
    for position, fact in history.get(pid, []):
        commands.append({"position": position, "command_id": fact.command_id, "actor": fact.actor,
                         "recorded_at": fact.timestamp.isoformat(), "type": type(fact).__name__,
                         "set": _fields(fact)})
        if isinstance(fact, ev.FactCorrected):
            corrections.append({"field": fact.field, "before": report.plain_value(fact.previous),
                                "after": report.plain_value(fact.value), "reason": fact.reason,
                                "command_id": fact.command_id, "actor": fact.actor,
                                "recorded_at": fact.timestamp.isoformat()})
    return {"project": pid, "name": project.name, "part": report.plain(share),
            "planned_on": report.plain_value(project.planned_on), "signed_on": report.plain_value(project.signed_on),
            "signed_amount": report.plain_value(project.signed_amount),
            "landed_on": report.plain_value(project.landed_on), "withdrawn_on": report.plain_value(project.withdrawn_on),
            "commands": commands, "corrections": corrections}


FIGURE_KEYS = ("final", "base", "coefficient", "deduction", "signed_amount")


def history(platform, unit: str, period: str) -> dict:
    """``sankao history UNIT PERIOD``: every change of the unit's figures for the month over recorded time."""
    app = platform.app
    changes, previous = [], None
    stored = app.recorder.select_events(stream_id("figures", f"{unit}/{period}"))
    if not stored:
        raise NotFound(msg("audit.no_history", unit=unit, period=period))
    causes = {n.id: app.mapper.to_domain_event(n) for n in app.recorder.select_positions(
        sorted({app.mapper.to_domain_event(n).position for n in stored}))}
    for n in stored:
        event = app.mapper.to_domain_event(n)
        figures = derive(Figures.from_event(event))
        now = {"final": report.money(figures.final), "base": report.money(figures.base),
               "coefficient": report.ratio(figures.coefficient), "deduction": report.money(figures.deduction),
               "signed_amount": report.money(figures.signed_amount),
               "indicators": {r["plugin"]: report.indicator(r) for r in figures.indicators}}
        cause = causes.get(event.position)
        opened = event.command_id.startswith("open:")
        change = {"version": event.originator_version, "position": n.id, "recorded_at": event.timestamp.isoformat(),
                  "cause": {"command_id": event.command_id,
                            "what": "the month began" if opened else type(cause).__name__ if cause else None,
                            "actor": None if opened or cause is None else getattr(cause, "actor", None),
                            "position": event.position},
                  "changed": {}}
        for key in FIGURE_KEYS:
            if previous is None or previous[key] != now[key]:
                change["changed"][key] = {"from": None if previous is None else previous[key], "to": now[key]}
        for plugin in dict.fromkeys([*(previous or {}).get("indicators", {}), *now["indicators"]]):
            before = (previous or {}).get("indicators", {}).get(plugin)
            after = now["indicators"].get(plugin)
            if before != after:
                change["changed"][plugin] = {"from": before and before["value"], "to": after and after["value"]}
        if not event.assessed:
            change["changed"]["assessed"] = {"from": previous is not None, "to": False}
        changes.append(change)
        previous = now
    answer = {"unit": unit, "period": period, "changes": changes, "frozen": None}
    frozen = platform.queries._frozen(period, None)
    if frozen is not None:
        row = next((r for r in frozen.entries if r["unit"] == unit), None)
        answer["frozen"] = {"recorded_at": frozen.timestamp.isoformat(), "command_id": frozen.command_id,
                            "close_position": frozen.close, "rank": row and row["rank"], "third": row and row["third"],
                            "streak": row and row["streak"], "accountability": row and row["accountability"],
                            "commended": row and row["commended"], "scored": row and row["scored"],
                            "head": platform.queries.head_of(f"close {period}")}
    return answer
