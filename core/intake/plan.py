"""Rows of the office's workbook against the record: the commands that record exactly what changed
(docs/intake.md).

A unit not registered is registered; a unit's targets for a year that differ from those recorded (or none)
are set; a project not planned is planned and its filled stages recorded (sign, land, start, withdraw); a
project imported before records only the difference: a stage newly filled as its command, a changed date or
amount as a ``correct`` whose reason names the file and the row. Everything the record cannot take (a name
changed, a stage emptied, a withdrawal moved) is a problem naming its cell. Commands carry ids made of what
they record and the state they change, so the same workbook imported twice, or twice at once, records once.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from decimal import Decimal

from core.intake import cells
from core.intake.reader import Read, Row
from core.messages import msg, render
from core.record.commands import Command

ZERO = Decimal(0)


@dataclass
class Line:
    """A command to record, where it comes from, and what it does (for the preview)."""

    command: dict
    ref: str
    what: str  # unit, targets, plan, stage, correct
    cells: dict = field(default_factory=dict)  # a rule of the record (its message key) -> the cell it comes from

    def where(self, reason) -> str:
        """The cell a refusal of this line names: the cell of the rule broken when it is not ``ref``."""
        inner = getattr(reason, "params", {}).get("reason")
        return self.cells.get(getattr(inner, "key", None), self.ref)


@dataclass
class Plan:
    lines: list = field(default_factory=list)
    problems: list = field(default_factory=list)  # (reference, Text)
    lang: str = "zh"  # the language a correction's recorded reason is written in (the importer's)

    @property
    def ok(self) -> bool:
        return not self.problems


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _key(command: dict, state) -> str:
    """A command's id: what it records and the version of what it changes (a later edit back and forth is a
    new command; the same edit sent twice is one)."""
    text = json.dumps([command, state], sort_keys=True, ensure_ascii=False, default=str)
    return "xl-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:40]


def typed(row: Row, plan: Plan) -> dict | None:
    """The row's cells read exactly, or None (its problems noted) when one cannot be."""
    values, bad = {}, False
    for column in row.sheet.columns:
        try:
            values[column.key] = cells.read(column.kind, row.cells.get(column.key))
        except cells.CellProblem as problem:
            plan.problems.append((row.ref(column.key), msg("xl.cell", field=column.label, problem=problem.args[0])))
            bad = True
    return None if bad else values


def _required(row: Row, values: dict, keys, plan: Plan) -> bool:
    missing = [k for k in keys if values.get(k) is None]
    for key in missing:
        column = next(c for c in row.sheet.columns if c.key == key)
        plan.problems.append((row.ref(key), msg("xl.cell", field=column.label, problem=msg("xl.required"))))
    return not missing


def make_plan(read: Read, facts, file_name: str, unit: str | None = None, lang: str = "zh") -> Plan:
    """The commands ``read`` records on ``facts`` (the ledger's, with every unit and project the rows name
    loaded), or its problems; ``unit``: only that unit's project rows may be imported (a unit's token)."""
    plan = Plan(problems=list(read.problems), lang=lang)
    seen: dict = {}
    for row in read.rows:
        values = typed(row, plan)
        if values is None:
            continue
        name = "project" if row.sheet.key == "projects" else "unit"  # a row is named by its id's cell
        key = (row.sheet.key, values.get(name), values.get("year"))
        if key in seen:
            plan.problems.append((row.ref(name), msg("xl.twice", other=seen[key])))
            continue
        seen[key] = row.ref(name)
        if unit is not None and (row.sheet.key != "projects" or values.get("unit") != unit):
            if row.sheet.key != "projects" and _as_recorded(row, values, facts, file_name):
                continue  # a unit or its targets as the record holds them (the 单位 sheet of an export): nothing
            plan.problems.append((row.ref("unit"), msg("xl.not_own", unit=unit, sheet=row.title)))
            continue
        {"units": _unit, "targets": _targets, "projects": _project}[row.sheet.key](row, values, facts, file_name, plan)
    order = {"unit": 0, "targets": 1}
    plan.lines.sort(key=lambda line: order.get(line.what, 2))  # a stable sort: rows keep their order
    return plan


def _as_recorded(row, values, facts, file_name) -> bool:
    """Whether a 单位 or 目标 row says what the record holds: it would record nothing and differs in nothing."""
    scratch = Plan()
    {"units": _unit, "targets": _targets}[row.sheet.key](row, values, facts, file_name, scratch)
    return not scratch.lines and not scratch.problems


def _unit(row, values, facts, file_name, plan) -> None:
    if not _required(row, values, ("unit", "name", "category"), plan):
        return
    found = facts.units.get(values["unit"])
    if found is None:
        command = {"cmd": "register_unit", "unit": values["unit"], "name": values["name"],
                   "category": values["category"]}
        plan.lines.append(Line({**command, "id": _key(command, None)}, row.ref("unit"), "unit"))
        return
    for key, held in (("name", found.name), ("category", found.category)):
        if values[key] != held:
            plan.problems.append((row.ref(key), msg("xl.unit_differs", field=_zh(row, key), held=held)))


def _targets(row, values, facts, file_name, plan) -> None:
    keys = ("unit", "year", "annual", "q1", "q2", "q3", "q4", "monthly", "planned", "landed")
    if not _required(row, values, keys, plan):
        return
    found = facts.units.get(values["unit"])
    held = found.targets.get(values["year"]) if found is not None else None
    quarterly = [values[q] for q in ("q1", "q2", "q3", "q4")]
    if held is not None and (held.annual, [Decimal(q) for q in held.quarterly], held.monthly, held.planned,
                             held.landed) == (values["annual"], quarterly, values["monthly"], values["planned"],
                                              values["landed"]):
        return
    command = {"cmd": "set_targets", "unit": values["unit"], "year": values["year"], "annual": _money(values["annual"]),
               "quarterly": [_money(q) for q in quarterly], "monthly": _money(values["monthly"]),
               "planned": values["planned"], "landed": values["landed"],
               "weights": {k: str(v) for k, v in (held.weights if held is not None else {}).items()}}
    steps = [(q, p) for q, p in zip(("q1", "q2", "q3", "q4"), [ZERO, *quarterly]) if values[q] < p]
    broken = steps[0][0] if steps else "q4" if values["q4"] != values["annual"] else "unit"
    plan.lines.append(Line({**command, "id": _key(command, found.version if found else None)}, row.ref(broken),
                           "targets", {"decide.unit_unknown": row.ref("unit")}))


STAGES = (("signed_on", "sign_project"), ("landed_on", "land_project"), ("started_on", "start_construction"),
          ("withdrawn_on", "withdraw_project"))


def _project(row, values, facts, file_name, plan) -> None:
    if not _required(row, values, ("project", "unit", "name", "planned_on"), plan):
        return
    if (values["signed_on"] is None) != (values["amount"] is None):
        missing = "amount" if values["amount"] is None else "signed_on"
        plan.problems.append((row.ref(missing), msg("xl.sign_pair")))
        return
    if values["amount"] is not None and values["amount"] <= 0:
        plan.problems.append((row.ref("amount"), msg("xl.cell", field=_zh(row, "amount"), problem=msg("xl.positive"))))
        return
    if values["amount"] is not None and values["amount"] != values["amount"].quantize(Decimal("0.01")):
        plan.problems.append((row.ref("amount"), msg("xl.cell", field=_zh(row, "amount"), problem=msg("xl.cents"))))
        return
    pid = values["project"]
    held = facts.projects.get(pid)
    state = {} if held is None else held.state()
    version = None if held is None else held.version
    new: list = []
    if held is None:
        new.append(("plan", {"cmd": "plan_project", "project": pid, "unit": values["unit"], "name": values["name"],
                             "planned_on": values["planned_on"].isoformat()}, "project"))
    else:
        for key, now in (("unit", held.unit), ("name", held.name)):
            if values[key] != now:
                plan.problems.append((row.ref(key), msg("xl.project_differs", field=_zh(row, key), held=now)))
                return
    fixes = []
    if held is not None and values["planned_on"] != held.planned_on:
        fixes.append(("planned_on", values["planned_on"], held.planned_on))
    for field_name, cmd in STAGES:
        wanted, recorded = values[field_name], state.get(field_name)
        if wanted is None and recorded is not None:
            plan.problems.append((row.ref(field_name), msg("xl.emptied", field=_zh(row, field_name), held=recorded)))
            return
        if wanted is None or wanted == recorded:
            continue
        if recorded is None:
            command = {"cmd": cmd, "project": pid, field_name: wanted.isoformat()}
            if cmd == "sign_project":
                command["amount"] = _money(values["amount"])
            if cmd == "withdraw_project":
                if not values["reason"]:  # a withdrawal newly recorded says why
                    plan.problems.append((row.ref("reason"), msg("xl.cell", field=_zh(row, "reason"),
                                                                 problem=msg("xl.required"))))
                    return
                command["reason"] = values["reason"]
            new.append(("stage", command, field_name))
        elif field_name == "withdrawn_on":
            plan.problems.append((row.ref(field_name), msg("xl.withdrawal_moved", held=recorded)))
            return
        else:
            fixes.append((field_name, wanted, recorded))
    if held is not None and held.signed_amount is not None and values["amount"] != held.signed_amount:
        fixes.append(("signed_amount", values["amount"], held.signed_amount))
    reason = None
    if fixes:  # the reason a correction records, made only for a row that corrects something
        reason = render(msg("xl.correct_reason", file=file_name, row=row.number, sheet=row.title), plan.lang)
    earlier = [f for f in fixes if f[0] != "signed_amount" and f[1] < f[2]]
    later = [f for f in fixes if f[0] != "signed_amount" and f[1] > f[2]][::-1]  # the latest date moves first
    for field_name, wanted, _ in earlier + later + [f for f in fixes if f[0] == "signed_amount"]:
        if field_name == "started_on":  # a second start replaces its date (§2), in its place among the moves
            command = {"cmd": "start_construction", "project": pid, "started_on": wanted.isoformat()}
            plan.lines.append(Line({**command, "id": _key(command, version)}, row.ref(field_name), "stage"))
            continue
        value = _money(wanted) if field_name == "signed_amount" else wanted.isoformat()
        command = {"cmd": "correct", "project": pid, "field": field_name, "value": value, "reason": str(reason)}
        plan.lines.append(Line({**command, "id": _key(command, version)}, row.ref(_column(field_name)), "correct"))
    plan_cells = {"decide.after_today": row.ref("planned_on"), "decide.project_planned": row.ref("project"),
                  "decide.unit_unknown": row.ref("unit")}
    for what, command, key in new:
        plan.lines.append(Line({**command, "id": _key(command, version)}, row.ref(key), what,
                               plan_cells if what == "plan" else {}))


def _column(field_name: str) -> str:
    return "amount" if field_name == "signed_amount" else field_name


def _zh(row: Row, key: str):
    """The column ``key`` named in a message (``columns.Column.label``)."""
    return next(c.label for c in row.sheet.columns if c.key == key)


def commands_to_load(read: Read) -> list[Command]:
    """Minimal commands naming every unit and project of the rows: what the ledger loads from their streams."""
    found = []
    for row in read.rows:
        unit, project = row.cells.get("unit"), row.cells.get("project")
        data = {k: str(v).strip() for k, v in (("unit", unit), ("project", project)) if isinstance(v, (str, int))}
        if data:
            found.append(Command("plan_project", data, None, None))
    return found
