"""Excel in: ``sankao import`` of a 50,000-row 项目 sheet beside a bare read of the same file with the same
library, in the same run (issue #21).

A workbook (sheets 单位, 目标, 项目: 150 units, their targets, ``--rows`` projects planned through 2023, most
signed, many landed and started, a few withdrawn; dates mostly Excel dates and amounts in 万元 mostly numbers,
the rest text as offices type them) is written with XlsxWriter, then on SQLite:

- bare read: openpyxl in read-only mode iterating every cell value of every sheet (the baseline);
- check: ``core.intake.importer.prepare`` (``sankao import --check``: read, planned, every command judged),
  against an empty store;
- import: ``core.intake.importer.import_file`` (``sankao import``: read, planned, recorded in one
  transaction), into an empty store; scoring is not part of it (``bench/scoring.py``);
- load: the same facts as JSON command lines through ``platform.ledger.load`` into an empty store (the cost of
  recording itself), and ``platform.ledger.check`` of them (``sankao load --check``: the cost of judging them,
  beside the import's --check).

Prints each round and the medians (ms) with their ratios. The goal: the import within 3x the bare read plus
the load's own cost, that is (import - load) <= 3 x bare read.

    python bench/import.py [--rows 50000] [--rounds 3] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import xlsxwriter  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from core.bootstrap import Config, Platform  # noqa: E402
from core.intake.importer import import_file, prepare  # noqa: E402

UNITS = 150
WAN = Decimal(10000)
PROJECT_HEADERS = ["项目编号", "单位编号", "项目名称", "谋划日期", "签约日期", "签约金额（万元）", "落地日期", "开工日期",
                   "退出日期", "退出原因"]
TARGET_HEADERS = ["单位编号", "年度", "年度目标（万元）", "一季度累计（万元）", "二季度累计（万元）", "三季度累计（万元）",
                  "四季度累计（万元）", "月度目标（万元）", "谋划项目数", "落地项目数"]


def facts(rows: int, seed: int = 21) -> tuple[list, list, list]:
    """Units, targets (amounts in 万元 as Decimals) and projects (dates, amounts in 万元) of a year."""
    rng = random.Random(seed)
    units = [(f"U{n:03d}", f"单位{n:03d}", "department" if n % 3 else "platform") for n in range(1, UNITS + 1)]
    targets = []
    for unit, _, _ in units:
        annual = Decimal(rng.randrange(50_000, 500_000))
        quarters = [annual * k / 4 for k in (1, 2, 3, 4)]
        targets.append((unit, 2023, annual, quarters, (annual / 12).quantize(Decimal("0.01")), 300, 100))
    projects = []
    for n in range(1, rows + 1):
        planned = date(2023, 1, 1) + timedelta(days=rng.randrange(0, 300))
        p = {"project": f"P{n:06d}", "unit": units[n % UNITS][0], "name": f"项目{n:06d}", "planned_on": planned,
             "signed_on": None, "amount": None, "landed_on": None, "started_on": None, "withdrawn_on": None,
             "reason": None}
        if rng.random() < 0.7:
            p["signed_on"] = planned + timedelta(days=rng.randrange(0, 40))
            p["amount"] = Decimal(rng.randrange(1, 10**9)) / 10**4  # 万元 with up to 4 decimals: yuan to the cent
            if rng.random() < 0.5:
                p["landed_on"] = p["signed_on"] + timedelta(days=rng.randrange(0, 30))
                if rng.random() < 0.5:
                    p["started_on"] = p["signed_on"] + timedelta(days=rng.randrange(0, 40))
        if rng.random() < 0.03:
            p["withdrawn_on"] = planned + timedelta(days=rng.randrange(0, 60))
            p["reason"] = "投资方撤回"
        projects.append(p)
    return units, targets, projects


def write_workbook(path: Path, units, targets, projects) -> None:
    """The workbook as an office fills it in: mostly Excel dates and numbers, every 10th cell as text."""
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet("单位")
    sheet.write_row(0, 0, ["单位编号", "单位名称", "类别"])
    for r, row in enumerate(units, 1):
        sheet.write_row(r, 0, row)
    sheet = book.add_worksheet("目标")
    sheet.write_row(0, 0, TARGET_HEADERS)
    for r, (unit, year, annual, quarters, monthly, planned, landed) in enumerate(targets, 1):
        sheet.write_row(r, 0, [unit, year, float(annual), *(float(q) for q in quarters), float(monthly), planned,
                               landed])
    sheet = book.add_worksheet("项目")
    sheet.write_row(0, 0, PROJECT_HEADERS)
    for r, p in enumerate(projects, 1):
        as_text = r % 10 == 0
        sheet.write_row(r, 0, [p["project"], p["unit"], p["name"]])
        for c, key in ((3, "planned_on"), (4, "signed_on"), (6, "landed_on"), (7, "started_on"), (8, "withdrawn_on")):
            if p[key] is not None:
                if as_text:
                    sheet.write_string(r, c, f"{p[key].year}/{p[key].month}/{p[key].day}")
                else:
                    sheet.write_datetime(r, c, datetime.combine(p[key], datetime.min.time()), day)
        if p["amount"] is not None:
            if as_text:
                sheet.write_string(r, 5, format(p["amount"], "f"))
            else:
                sheet.write_number(r, 5, float(p["amount"]))
        if p["reason"]:
            sheet.write_string(r, 9, p["reason"])
    book.close()


def commands(units, targets, projects) -> list[str]:
    """The same facts as JSON command lines (amounts in yuan), each with an id as the import's have."""
    lines = [{"cmd": "register_unit", "unit": u, "name": name, "category": category} for u, name, category in units]
    lines += [{"cmd": "set_targets", "unit": u, "year": year, "annual": f"{annual * WAN:.2f}",
               "quarterly": [f"{q * WAN:.2f}" for q in quarters], "monthly": f"{monthly * WAN:.2f}",
               "planned": planned, "landed": landed} for u, year, annual, quarters, monthly, planned, landed in targets]
    for p in projects:
        pid = p["project"]
        lines.append({"cmd": "plan_project", "project": pid, "unit": p["unit"], "name": p["name"],
                      "planned_on": p["planned_on"].isoformat()})
        if p["signed_on"]:
            lines.append({"cmd": "sign_project", "project": pid, "signed_on": p["signed_on"].isoformat(),
                          "amount": f"{p['amount'] * WAN:.2f}"})
        if p["landed_on"]:
            lines.append({"cmd": "land_project", "project": pid, "landed_on": p["landed_on"].isoformat()})
        if p["started_on"]:
            lines.append({"cmd": "start_construction", "project": pid, "started_on": p["started_on"].isoformat()})
        if p["withdrawn_on"]:
            lines.append({"cmd": "withdraw_project", "project": pid, "withdrawn_on": p["withdrawn_on"].isoformat(),
                          "reason": p["reason"]})
    return [json.dumps({**line, "id": f"b-{n}"}, ensure_ascii=False) for n, line in enumerate(lines, 1)]


def bare_read(path: Path) -> int:
    """Every cell value of every sheet, openpyxl in read-only mode (as core.intake.reader opens it)."""
    book = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            for value in row:
                cells += value is not None
    book.close()
    return cells


def timed(run):
    start = time.perf_counter()
    result = run()
    return (time.perf_counter() - start) * 1000, result


def store(folder: str, name: str) -> Platform:
    return Platform(Config(db=str(Path(folder) / name)), "init")


def one_round(folder: str, n: int, path: Path, lines: list, profile=None) -> dict:
    """Each measure once, the three on fresh stores of their own."""
    bare_ms, _ = timed(lambda: bare_read(path))
    platform = store(folder, f"check{n}.db")
    check_ms, plan = timed(lambda: prepare(platform, path, "projects.xlsx"))
    platform.close()
    assert plan.ok and len(plan.lines) == len(lines), (plan.problems[:3], len(plan.lines), len(lines))
    platform = store(folder, f"import{n}.db")
    if profile:
        profile.enable()
    import_ms, (plan, report) = timed(lambda: import_file(platform, path, "projects.xlsx"))
    if profile:
        profile.disable()
    platform.close()
    assert plan.ok and report.recorded == len(lines), (plan.problems[:3], report)
    platform = store(folder, f"load{n}.db")
    load_ms, report = timed(lambda: platform.ledger.load(list(enumerate(lines, 1)), "bench"))
    platform.close()
    assert not report.rejected and report.recorded == len(lines), report
    platform = store(folder, f"judge{n}.db")
    judge_ms, report = timed(lambda: platform.ledger.check(list(enumerate(lines, 1)), "bench"))
    platform.close()
    assert not report.rejected and report.recorded == len(lines), report
    return {"bare": bare_ms, "check": check_ms, "import": import_ms, "load": load_ms, "load_check": judge_ms,
            "excess": import_ms - load_ms, "check_excess": check_ms - judge_ms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000, help="project rows (default 50000)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the four measures; medians (default 3)")
    parser.add_argument("--profile", action="store_true", help="profile the import (cProfile), top 30 functions")
    args = parser.parse_args()
    units, targets, projects = facts(args.rows)
    lines = commands(units, targets, projects)
    profile = cProfile.Profile() if args.profile else None
    rounds = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "projects.xlsx"
        write_workbook(path, units, targets, projects)
        cells = bare_read(path)  # a first read: openpyxl's imports and the file in the page cache
        print(f"{args.rows} project rows, {len(units)} units and their targets: {path.stat().st_size / 1e6:.1f} MB, "
              f"{cells} cells, {len(lines)} commands; SQLite, {args.rounds} round(s), medians")
        for n in range(args.rounds):
            rounds.append(one_round(folder, n, path, lines, profile))
            print("  round " + ", ".join(f"{k} {v:.0f} ms" for k, v in rounds[-1].items()), flush=True)
    m = {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}
    bare = m["bare"]
    for label, key in (("bare read (openpyxl read-only, every value)", "bare"),
                       ("sankao import --check (prepare)", "check"), ("sankao import (prepare + record)", "import"),
                       ("load of the same commands (ledger.load)", "load"), ("import - load", "excess"),
                       ("load --check of the same (ledger.check)", "load_check"),
                       ("import --check - load --check", "check_excess")):
        ratio = "" if key in ("bare", "load", "load_check") else f" = {m[key] / bare:.2f}x the bare read"
        print(f"{label:44s} {m[key]:8.0f} ms{ratio}{' (goal: at most 3x)' if key == 'excess' else ''}")
    print("goal " + ("met" if m["excess"] <= 3 * bare else "NOT met") +
          f": import {m['import']:.0f} ms, 3 x bare read + load = {3 * bare + m['load']:.0f} ms")
    if profile:
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())


if __name__ == "__main__":
    main()
