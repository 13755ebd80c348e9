"""The workbook's interface: its sheets and their headers, in Chinese (the office's) and English (``--lang en``).
These names are what an office fills in: keep them exactly."""

from __future__ import annotations

from dataclasses import dataclass

from core.messages import Name


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    kind: str  # id, text, year, wan (an amount in 万元), count, date

    def header(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    @property
    def label(self) -> "ColumnLabel":
        """The column named in a message: its header in the reader's language (in Chinese without （万元）)."""
        return ColumnLabel(self.en, self.zh.replace("（万元）", ""))


class ColumnLabel(Name):
    def __new__(cls, en: str, zh: str):
        made = super().__new__(cls, en)
        made.zh = zh
        return made

    def render(self, lang: str) -> str:
        return self.zh if lang == "zh" else str(self)


@dataclass(frozen=True)
class Sheet:
    key: str
    zh: str
    en: str
    columns: tuple

    def title(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


UNITS = Sheet("units", "单位", "Units", (
    Column("unit", "单位编号", "Unit ID", "id"),
    Column("name", "单位名称", "Unit name", "text"),
    Column("category", "类别", "Category", "text"),
))
TARGETS = Sheet("targets", "目标", "Targets", (
    Column("unit", "单位编号", "Unit ID", "id"),
    Column("year", "年度", "Year", "year"),
    Column("annual", "年度目标（万元）", "Annual target (10k yuan)", "wan"),
    Column("q1", "一季度累计（万元）", "Q1 cumulative (10k yuan)", "wan"),
    Column("q2", "二季度累计（万元）", "Q2 cumulative (10k yuan)", "wan"),
    Column("q3", "三季度累计（万元）", "Q3 cumulative (10k yuan)", "wan"),
    Column("q4", "四季度累计（万元）", "Q4 cumulative (10k yuan)", "wan"),
    Column("monthly", "月度目标（万元）", "Monthly target (10k yuan)", "wan"),
    Column("planned", "谋划项目数", "Projects to plan", "count"),
    Column("landed", "落地项目数", "Projects to land", "count"),
))
PROJECTS = Sheet("projects", "项目", "Projects", (
    Column("project", "项目编号", "Project ID", "id"),
    Column("unit", "单位编号", "Unit ID", "id"),
    Column("name", "项目名称", "Project name", "text"),
    Column("planned_on", "谋划日期", "Planned on", "date"),
    Column("signed_on", "签约日期", "Signed on", "date"),
    Column("amount", "签约金额（万元）", "Signed amount (10k yuan)", "wan"),
    Column("landed_on", "落地日期", "Landed on", "date"),
    Column("started_on", "开工日期", "Construction started on", "date"),
    Column("withdrawn_on", "退出日期", "Withdrawn on", "date"),
    Column("reason", "退出原因", "Withdrawal reason", "text"),
))
SHEETS = (UNITS, TARGETS, PROJECTS)


def sheet_named(title: str) -> Sheet | None:
    """The sheet a workbook's sheet title names (in either language), or None."""
    title = (title or "").strip()
    return next((s for s in SHEETS if title in (s.zh, s.en)), None)


def sheet_of_headers(headers: list) -> Sheet | None:
    """The sheet whose headers (in either language) a header row holds, for a .csv of one sheet."""
    found = {str(h).strip() for h in headers if h is not None}
    for sheet in SHEETS:
        for lang in ("zh", "en"):
            if {c.header(lang) for c in sheet.columns} <= found:
                return sheet
    return None
