"""The workbook to fill in (``sankao template``) and the projects as they stand in its layout (``sankao export
projects``), written with XlsxWriter: headers frozen, data validation (a unit drop-down, dates, amounts ≥ 0,
whole counts), an instructions sheet; headers in Chinese, or English with ``lang="en"``. Amounts in 万元 are
written as numbers Excel holds exactly (as text beyond 15 digits), dates as Excel dates."""

from __future__ import annotations

import io
from datetime import date, datetime, time
from decimal import Decimal

import xlsxwriter

from core.intake.columns import PROJECTS, SHEETS, TARGETS, UNITS
from core.intake.cells import WAN

LAST = 10_000  # rows the data validation covers

INSTRUCTIONS = {
    "zh": ["填写说明", "",
           "本工作簿是三考 (Sankao) 的录入表: 单位、目标、项目三张表, 表头不可更改。",
           "金额以万元计, 可写数值或文本, 小数点后至多 6 位 (即精确到分)。",
           "日期可写作 Excel 日期、2023-06-15、2023/6/15 或 2023年6月15日。",
           "项目表每行一个项目: 填了哪个环节的日期就录入哪个环节 (谋划、签约、落地、开工、退出)。",
           "已导入的行改动后再次导入, 只录入改动: 新填的环节, 或日期、金额的更正 (原因写明文件与行号)。",
           "检查而不录入: sankao import 文件.xlsx --check; 录入: sankao import 文件.xlsx。",
           "有任何问题时整份文件都不录入, 每个问题注明其单元格, 如 项目!F17：签约金额须大于 0。"],
    "en": ["How to fill this workbook in", "",
           "This is Sankao's workbook: sheets Units, Targets and Projects; keep the headers as they are.",
           "Amounts are in 10k yuan (万元), numbers or text, at most 6 digits after the point (to the fen).",
           "Dates as Excel dates, 2023-06-15, 2023/6/15 or 2023年6月15日.",
           "One project a row on Projects: each stage whose date is filled is recorded (plan, sign, land, start, "
           "withdraw).",
           "A row imported before and edited since records only the edit: a stage newly filled, or a correction "
           "of a date or an amount (its reason names the file and the row).",
           "Check without recording: sankao import FILE.xlsx --check; record: sankao import FILE.xlsx.",
           "With any problem nothing of the file is recorded; each problem names its cell (Projects!F17: ...)."],
}


def _wan(value) -> float | str | None:
    """Yuan as 万元: a number when a double holds it exactly (15 digits), else exact text."""
    if value is None:
        return None
    amount = (Decimal(value) / WAN).normalize()
    text = format(amount, "f")
    digits = len(text.replace(".", "").lstrip("0"))
    return float(text) if digits <= 15 else text


def workbook(lang: str = "zh", units: list | None = None, targets: list | None = None,
             projects: list | None = None) -> bytes:
    """The workbook, with ``units`` (dicts ``unit, name, category``), ``targets`` (``unit, year, annual,
    quarterly, monthly, planned, landed``, amounts in yuan) and ``projects`` (as ``sankao projects --json``)
    filled in when given."""
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                     "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    money = book.add_format({"num_format": "0.00####"})
    about = book.add_worksheet("说明" if lang != "en" else "Instructions")
    for r, line in enumerate(INSTRUCTIONS["en" if lang == "en" else "zh"]):
        about.write_string(r, 0, line, bold if r == 0 else None)
    about.set_column(0, 0, 110)
    rows = {UNITS.key: [[u["unit"], u["name"], u["category"]] for u in units or []],
            TARGETS.key: [[t["unit"], t["year"], _wan(t["annual"]), *(_wan(q) for q in t["quarterly"]),
                           _wan(t["monthly"]), t["planned"], t["landed"]] for t in targets or []],
            PROJECTS.key: [[p["project"], p["unit"], p["name"], p["planned_on"], p["signed_on"],
                            _wan(p["signed_amount"]), p["landed_on"], p["started_on"], p["withdrawn_on"],
                            p.get("reason")] for p in projects or []]}
    units_title = UNITS.title(lang)
    for sheet in SHEETS:
        ws = book.add_worksheet(sheet.title(lang))
        for c, column in enumerate(sheet.columns):
            ws.write_string(0, c, column.header(lang), bold)
            ws.set_column(c, c, 16 if column.kind != "text" else 24)
            _validate(ws, c, column.kind, units_title, column.key == "unit" and sheet is not UNITS)
        for r, values in enumerate(rows[sheet.key], start=1):
            for c, (column, value) in enumerate(zip(sheet.columns, values)):
                _write(ws, r, c, column.kind, value, day, money)
        ws.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def _write(ws, r, c, kind, value, day, money) -> None:
    if value is None or value == "":
        return
    if kind == "date":
        ws.write_datetime(r, c, datetime.combine(date.fromisoformat(str(value)), time()), day)
    elif kind == "wan" and isinstance(value, float):
        ws.write_number(r, c, value, money)
    elif kind in ("count", "year"):
        ws.write_number(r, c, int(value))
    else:
        ws.write_string(r, c, str(value))


def _validate(ws, c, kind, units_title, unit_list) -> None:
    if unit_list:
        ws.data_validation(1, c, LAST, c, {"validate": "list", "source": f"='{units_title}'!$A$2:$A${LAST}",
                                           "error_type": "warning"})
    elif kind == "date":
        ws.data_validation(1, c, LAST, c, {"validate": "date", "criteria": ">=", "value": date(1900, 1, 1)})
    elif kind == "wan":
        ws.data_validation(1, c, LAST, c, {"validate": "decimal", "criteria": ">=", "value": 0})
    elif kind == "count":
        ws.data_validation(1, c, LAST, c, {"validate": "integer", "criteria": ">=", "value": 0})
    elif kind == "year":
        ws.data_validation(1, c, LAST, c, {"validate": "integer", "criteria": "between", "minimum": 1900,
                                           "maximum": 9999})
