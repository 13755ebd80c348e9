"""``sankao import``: a workbook read, planned against the record, checked line by line as the record would
judge it, and recorded whole or not at all (docs/intake.md)."""

from __future__ import annotations

import json
from pathlib import Path

from core.intake.plan import Plan, commands_to_load, make_plan
from core.intake.reader import read_file
from core.record.check import LoadReport


def prepare(platform, path: str | Path, name: str | None = None, unit: str | None = None,
            actor: str = "import", judge: bool = True, lang: str = "zh") -> Plan:
    """What importing the file at ``path`` would record on the record as it stands, or every problem at once
    (each with its cell; a correction's reason in ``lang``): the cells read, the rows against the record, then (``judge``) every command judged
    by the record's own rules in order (``sankao load --check``), a refusal named by the cell it comes from."""
    name = name or Path(path).name
    read = read_file(path, name)
    ledger = platform.ledger
    ledger.refresh()
    ledger.cache.load(commands_to_load(read))
    plan = make_plan(read, ledger.facts, name, unit, lang)
    if judge:
        judged(platform, plan, actor, unit)
    return plan


def judged(platform, plan: Plan, actor: str, unit: str | None = None) -> Plan:
    """The plan with every command the record's own rules reject added to its problems, by its cell."""
    if plan.lines:
        report = platform.ledger.check(_numbered(plan), actor, unit)
        for number, reason in report.rejected:
            plan.problems.append((plan.lines[number - 1].where(reason), reason))
    return plan


def import_file(platform, path: str | Path, name: str | None = None, unit: str | None = None,
                actor: str = "import", lang: str = "zh") -> tuple[Plan, LoadReport | None]:
    """Import the file: recorded whole when nothing is wrong, else nothing and every problem by its cell. The
    commands are judged once, as they are recorded; only a refused file is judged line by line to name every
    problem (``judged``)."""
    plan = prepare(platform, path, name, unit, actor, judge=False, lang=lang)
    if plan.problems:
        return judged(platform, plan, actor, unit), None
    report = record(platform, plan, actor, unit)
    if report.rejected:
        return judged(platform, plan, actor, unit), report
    return plan, report


def _numbered(plan: Plan) -> list:
    return [(n, json.dumps(line.command, ensure_ascii=False)) for n, line in enumerate(plan.lines, 1)]


def record(platform, plan: Plan, actor: str, unit: str | None = None) -> LoadReport:
    """Record a plan without problems in one transaction: every command or none (a line another writer made
    invalid since ``prepare`` records nothing and is reported)."""
    numbered = _numbered(plan)
    report = LoadReport()
    if numbered:
        platform.ledger.load(numbered, actor, report=report, unit=unit, atomic=True)
    return report
