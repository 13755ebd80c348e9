"""``sankao import``: a workbook read, planned against the record, checked line by line as the record would
judge it, and recorded whole or not at all (docs/intake.md)."""

from __future__ import annotations

import json
from pathlib import Path

from core.intake.plan import Plan, commands_to_load, make_plan
from core.intake.reader import read_file
from core.record.check import LoadReport


def prepare(platform, path: str | Path, name: str | None = None, unit: str | None = None,
            actor: str = "import") -> Plan:
    """What importing the file at ``path`` would record on the record as it stands, or every problem at once
    (each with its cell): the cells read, the rows against the record, then every command judged by the
    record's own rules in order (``sankao load --check``), a refusal named by the cell it comes from."""
    name = name or Path(path).name
    read = read_file(path, name)
    ledger = platform.ledger
    ledger.refresh()
    ledger.cache.load(commands_to_load(read))
    plan = make_plan(read, ledger.facts, name, unit)
    if plan.lines:
        numbered = [(n, json.dumps(line.command, ensure_ascii=False)) for n, line in enumerate(plan.lines, 1)]
        report = ledger.check(numbered, actor, unit)
        for number, reason in report.rejected:
            plan.problems.append((plan.lines[number - 1].ref, reason))
    return plan


def record(platform, plan: Plan, actor: str, unit: str | None = None) -> LoadReport:
    """Record a plan without problems in one transaction: every command or none (a line another writer made
    invalid since ``prepare`` records nothing and is reported)."""
    numbered = [(n, json.dumps(line.command, ensure_ascii=False)) for n, line in enumerate(plan.lines, 1)]
    report = LoadReport()
    if numbered:
        platform.ledger.load(numbered, actor, report=report, unit=unit, atomic=True)
    return report
