"""Excel in (issue #21, docs/intake.md) on real stores: workbooks written here with openpyxl (never with Sankao's
own exporter, except where the export itself is the subject), imported with ``sankao import``.

- The shared year's facts as a workbook give the same ``projects`` and the same board of every month as the
  equivalent JSON commands loaded into another store.
- Every refusal names its cell (sheet!cell) and the rule, in Chinese and English; with any problem nothing is
  recorded (``sankao events`` unchanged) and the import says so (exit 1).
- A .csv of the 项目 sheet in GB18030 or UTF-8 with a BOM, and English headers, import the same.
- The same workbook twice records nothing the second time; an export imported back records nothing; an edited
  export records exactly the edits.
- The template: frozen headers, data validation, instructions, Chinese or English headers.
- Atomicity: a plan made invalid between prepare() and record() records nothing.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from conftest import SCENARIO, write_lines

# The interface (issue #21): these header names are what an office fills in; spelled out here, not imported.
HEADERS = {
    "zh": {"单位": ["单位编号", "单位名称", "类别"],
           "目标": ["单位编号", "年度", "年度目标（万元）", "一季度累计（万元）", "二季度累计（万元）", "三季度累计（万元）",
                  "四季度累计（万元）", "月度目标（万元）", "谋划项目数", "落地项目数"],
           "项目": ["项目编号", "单位编号", "项目名称", "谋划日期", "签约日期", "签约金额（万元）", "落地日期", "开工日期",
                  "退出日期", "退出原因"]},
    "en": {"Units": ["Unit ID", "Unit name", "Category"],
           "Targets": ["Unit ID", "Year", "Annual target (10k yuan)", "Q1 cumulative (10k yuan)",
                       "Q2 cumulative (10k yuan)", "Q3 cumulative (10k yuan)", "Q4 cumulative (10k yuan)",
                       "Monthly target (10k yuan)", "Projects to plan", "Projects to land"],
           "Projects": ["Project ID", "Unit ID", "Project name", "Planned on", "Signed on", "Signed amount (10k yuan)",
                        "Landed on", "Construction started on", "Withdrawn on", "Withdrawal reason"]},
}
TITLES = {"zh": ("单位", "目标", "项目"), "en": ("Units", "Targets", "Projects")}
WAN = Decimal(10000)
FACTS = {"UnitRegistered", "TargetsSet", "ProjectPlanned", "ProjectSigned", "ProjectLanded", "ConstructionStarted",
         "ProjectWithdrawn", "FactCorrected"}


# --- the shared year's facts, folded here from its commands ------------------------------------------------

def shared_facts():
    """The shared year as it stands at its end: units, each unit's last targets, each project's final state
    (corrections applied), folded from core/samples/public-years/year2023/commands.jsonl by this test."""
    units, targets, projects = {}, {}, {}
    for line in (SCENARIO / "commands.jsonl").read_text(encoding="utf-8").splitlines():
        c = json.loads(line)
        kind = c["cmd"]
        if kind == "register_unit":
            units[c["unit"]] = {k: c[k] for k in ("unit", "name", "category")}
        elif kind == "set_targets":
            targets[(c["unit"], c["year"])] = {k: c[k] for k in ("unit", "year", "annual", "quarterly", "monthly",
                                                                 "planned", "landed")}
        elif kind == "plan_project":
            projects[c["project"]] = {"project": c["project"], "unit": c["unit"], "name": c["name"],
                                      "planned_on": c["planned_on"], "signed_on": None, "amount": None,
                                      "landed_on": None, "started_on": None, "withdrawn_on": None, "reason": None}
        elif kind == "sign_project":
            projects[c["project"]].update(signed_on=c["signed_on"], amount=c["amount"])
        elif kind == "land_project":
            projects[c["project"]]["landed_on"] = c["landed_on"]
        elif kind == "start_construction":
            projects[c["project"]]["started_on"] = c["started_on"]
        elif kind == "withdraw_project":
            projects[c["project"]].update(withdrawn_on=c["withdrawn_on"], reason=c["reason"])
        elif kind == "correct":
            field = "amount" if c["field"] == "signed_amount" else c["field"]
            projects[c["project"]][field] = c["value"]
    return list(units.values()), list(targets.values()), list(projects.values())


def equivalent_commands(units, targets, projects) -> list:
    """The same facts as plain JSON commands (no dispatches, no closes, no weights: a workbook has none)."""
    lines = [{"cmd": "register_unit", **u} for u in units]
    lines += [{"cmd": "set_targets", **t} for t in targets]
    for p in projects:
        lines.append({"cmd": "plan_project", "project": p["project"], "unit": p["unit"], "name": p["name"],
                      "planned_on": p["planned_on"]})
        if p["signed_on"]:
            lines.append({"cmd": "sign_project", "project": p["project"], "signed_on": p["signed_on"],
                          "amount": p["amount"]})
        if p["landed_on"]:
            lines.append({"cmd": "land_project", "project": p["project"], "landed_on": p["landed_on"]})
        if p["started_on"]:
            lines.append({"cmd": "start_construction", "project": p["project"], "started_on": p["started_on"]})
        if p["withdrawn_on"]:
            lines.append({"cmd": "withdraw_project", "project": p["project"], "withdrawn_on": p["withdrawn_on"],
                          "reason": p["reason"]})
    return lines


# --- workbooks written with openpyxl ------------------------------------------------------------------------

def wan_cell(yuan: str | None, form: int):
    """An amount in yuan as a clerk types it in 万元: a number (float or int) or text (sometimes with commas)."""
    if yuan is None:
        return None
    amount = (Decimal(yuan) / WAN).normalize()
    text = format(amount, "f")
    if form % 3 == 0:
        return float(text)
    if form % 3 == 1:
        return int(amount) if amount == amount.to_integral_value() else float(text)
    return f"{amount:,f}" if form % 2 else text


def date_cell(iso: str | None, form: int):
    """A date in each of the four forms: an Excel date, 2023-06-15, 2023/6/15, 2023年6月15日."""
    if iso is None:
        return None
    d = date.fromisoformat(iso)
    return (d, iso, f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日")[form % 4]


def unit_rows(units):
    return [[u["unit"], u["name"], u["category"]] for u in units]


def target_rows(targets, form: int = 0):
    return [[t["unit"], t["year"], wan_cell(t["annual"], form + i), *(wan_cell(q, form + i + j)
                                                                      for j, q in enumerate(t["quarterly"])),
             wan_cell(t["monthly"], form + i), t["planned"], t["landed"]] for i, t in enumerate(targets)]


def project_rows(projects, form: int = 0):
    return [[p["project"], p["unit"], p["name"], date_cell(p["planned_on"], form + i),
             date_cell(p["signed_on"], form + i + 1), wan_cell(p["amount"], form + i),
             date_cell(p["landed_on"], form + i + 2), date_cell(p["started_on"], form + i + 3),
             date_cell(p["withdrawn_on"], form + i), p["reason"]] for i, p in enumerate(projects)]


def write_book(path: Path, sheets: dict, lang: str = "zh") -> Path:
    """A workbook of ``sheets`` ({title: rows}) under the headers of ``lang`` (a title not in HEADERS: rows as
    given, the first being its header)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        if title in HEADERS[lang]:
            ws.append(HEADERS[lang][title])
        for row in rows:
            ws.append(row)
    book.save(path)
    return path


def shared_book(path: Path, lang: str = "zh", form: int = 0) -> Path:
    units, targets, projects = shared_facts()
    u, t, p = TITLES[lang]
    return write_book(path, {u: unit_rows(units), t: target_rows(targets, form),
                             p: project_rows(projects, form)}, lang)


def listing(cli, url: str) -> list:
    """``sankao projects --json`` with amounts compared by value (the listing shows the stored string)."""
    found = json.loads(cli(url, "projects", "--json").stdout)
    return [{**p, "signed_amount": None if p["signed_amount"] is None else Decimal(p["signed_amount"])}
            for p in found]


def unit_list(cli, url: str) -> list:
    found = json.loads(cli(url, "units", "--json").stdout)
    return [{**u, "annual": u["annual"] and Decimal(u["annual"])} for u in found]


def boards(cli, url: str, year: int = 2023) -> dict:
    found = {}
    for month in range(1, 13):
        board = json.loads(cli(url, "board", f"{year}-{month:02d}", "--json").stdout)
        board.pop("known_at")
        found[month] = board
    return found


def events(cli, url: str) -> list:
    return json.loads(cli(url, "events", "--json").stdout)


# --- the shared year ----------------------------------------------------------------------------------------

def test_the_shared_year_as_a_workbook_is_the_shared_year(cli, store_url, tmp_path):
    """The shared year's facts as they stand at its end (corrections applied, U05's revised targets), dates in
    the four forms and amounts as floats, integers and text, imported into an empty store: the same projects,
    units and board of every month as known now as the same facts loaded as JSON commands."""
    units, targets, projects = shared_facts()
    assert len(units) == 8 and len(targets) == 8 and len(projects) == 160
    assert sum(1 for p in projects if p["withdrawn_on"]) == 7 and sum(1 for p in projects if p["started_on"]) == 37
    cells = [cell for row in project_rows(projects) for cell in row[3:9] if cell is not None]
    assert {type(c) for c in cells} == {date, str, float, int}
    assert {c[4] for c in cells if isinstance(c, str) and len(c) > 4} >= {"-", "/", "年"}
    book = shared_book(tmp_path / "year2023.xlsx")
    checked = cli(store_url, "import", str(book), "--check")
    assert "160 new project(s)" in checked.stderr and "nothing recorded" in checked.stderr, checked.stderr
    done = cli(store_url, "import", str(book))
    commands = equivalent_commands(units, targets, projects)
    assert f"recorded {len(commands)} command(s)" in done.stderr, done.stderr
    reference = tmp_path / "reference"
    reference.mkdir()
    cli(str(reference / "sankao.db"), "load", str(write_lines(tmp_path / "same.jsonl", commands)))
    other = str(reference / "sankao.db")
    found = listing(cli, store_url)
    assert found == listing(cli, other)
    assert next(p for p in found if p["project"] == "P0027")["signed_amount"] == Decimal("126237500")
    assert next(p for p in found if p["project"] == "P0119")["signed_on"] == "2023-11-02"
    months = boards(cli, store_url)
    assert months == boards(cli, other)
    assert all(len(board["units"]) == 8 and not board["frozen"] for board in months.values())
    assert unit_list(cli, store_url) == unit_list(cli, other)


def test_english_headers_import_the_same(cli, sqlite_url, tmp_path):
    """The shared year under English sheet names and headers (template --lang en's) records what the Chinese
    workbook records."""
    english = tmp_path / "english"
    english.mkdir()
    cli(sqlite_url, "import", str(shared_book(tmp_path / "zh.xlsx")))
    cli(str(english / "sankao.db"), "import", str(shared_book(tmp_path / "en.xlsx", "en", form=1)))
    assert listing(cli, sqlite_url) == listing(cli, str(english / "sankao.db"))
    assert unit_list(cli, sqlite_url) == unit_list(cli, str(english / "sankao.db"))


def csv_text(rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow(["" if v is None else v.isoformat() if isinstance(v, date) else repr(v)
                         if isinstance(v, float) else str(v) for v in row])
    return out.getvalue()


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig"])
def test_a_csv_of_the_projects_sheet_imports(cli, store_url, tmp_path, encoding):
    """The 项目 sheet as a .csv (GB18030, as Chinese offices' tools write it, or UTF-8 with a BOM) after a
    workbook of units and targets records what the whole workbook records."""
    units, targets, projects = shared_facts()
    cli(store_url, "import", str(write_book(tmp_path / "units.xlsx", {"单位": unit_rows(units),
                                                                      "目标": target_rows(targets)})))
    data = csv_text([HEADERS["zh"]["项目"], *project_rows(projects, form=2)]).encode(encoding)
    assert encoding != "gb18030" or b"\xe9\xa1\xb9" not in data  # not UTF-8 (项 is e9 a1 b9 in UTF-8)
    (tmp_path / "projects.csv").write_bytes(data)
    done = cli(store_url, "--lang", "zh", "import", str(tmp_path / "projects.csv"))
    assert "新项目 160 个" in done.stderr, done.stderr
    whole = tmp_path / "whole"
    whole.mkdir()
    cli(str(whole / "sankao.db"), "import", str(shared_book(tmp_path / "year.xlsx")))
    assert listing(cli, store_url) == listing(cli, str(whole / "sankao.db"))
    again = cli(store_url, "import", str(tmp_path / "projects.csv"))
    assert "recorded 0 command(s)" in again.stderr


def test_the_same_workbook_twice_records_nothing_the_second_time(cli, store_url, tmp_path):
    book = shared_book(tmp_path / "year.xlsx", form=3)
    cli(store_url, "import", str(book))
    before = events(cli, store_url)
    again = cli(store_url, "import", str(book))
    assert "recorded 0 command(s) (0 skipped): 0 unit(s), 0 target(s), 0 new project(s), 0 new stage(s), " \
           "0 correction(s)" in again.stderr, again.stderr
    assert "would record 0 unit(s)" in cli(store_url, "import", str(book), "--check").stderr
    assert events(cli, store_url) == before


def test_an_export_imported_back_records_nothing_and_its_edits_exactly(cli, store_url, loaded_copy, tmp_path):
    """The shared year recorded (dispatches and closes too), exported, imported back: nothing; edited (a date
    moved, an amount changed, a stage newly filled) and imported: those three edits, the corrections' reasons
    naming the file and the row, the new stage as its own command."""
    loaded_copy(store_url, str(SCENARIO / "commands.jsonl"))
    export = tmp_path / "projects.xlsx"
    cli(store_url, "export", "projects", str(export))
    before = events(cli, store_url)
    assert "recorded 0 command(s)" in cli(store_url, "import", str(export)).stderr
    assert events(cli, store_url) == before
    book = openpyxl.load_workbook(export)
    ws = book["项目"]
    assert [c.value for c in ws[1]] == HEADERS["zh"]["项目"]
    rows = {row[0].value: row for row in ws.iter_rows(min_row=2)}
    held = {p["project"]: p for p in json.loads(cli(store_url, "projects", "--json").stdout)}
    moved = next(p for p in held.values() if p["stage"] == "started" and p["landed_on"] and p["started_on"]
                 and p["landed_on"] < p["started_on"])
    changed = next(p for p in held.values() if p["stage"] == "landed" and p["project"] != moved["project"])
    signed = next(p for p in held.values() if p["stage"] == "signed")
    new_landing = max(date.fromisoformat(signed["signed_on"]), date(2023, 12, 1))
    rows[moved["project"]][6].value = date.fromisoformat(moved["landed_on"]) + (
        date.fromisoformat(moved["started_on"]) - date.fromisoformat(moved["landed_on"])) / 2
    rows[changed["project"]][5].value = 4321.09
    rows[signed["project"]][6].value = new_landing
    book.save(tmp_path / "edited.xlsx")
    done = cli(store_url, "import", str(tmp_path / "edited.xlsx"))
    assert "recorded 3 command(s) (0 skipped): 0 unit(s), 0 target(s), 0 new project(s), 1 new stage(s), " \
           "2 correction(s)" in done.stderr, done.stderr
    new = [e for e in events(cli, store_url)[len(before):] if e["type"] in FACTS]
    landed_on = rows[moved["project"]][6].value.isoformat()
    assert sorted(([e["type"], e["data"]] for e in new), key=json.dumps) == sorted([
        ["FactCorrected", {"project": moved["project"], "field": "landed_on", "value": landed_on,
                           "previous": moved["landed_on"],
                           "reason": f"imported from edited.xlsx, sheet 项目, row {rows[moved['project']][0].row}"}],
        ["FactCorrected", {"project": changed["project"], "field": "signed_amount", "value": "43210900.00",
                           "previous": changed["signed_amount"],
                           "reason": f"imported from edited.xlsx, sheet 项目, row {rows[changed['project']][0].row}"}],
        ["ProjectLanded", {"project": signed["project"], "landed_on": new_landing.isoformat()}],
    ], key=json.dumps)
    assert "recorded 0 command(s)" in cli(store_url, "import", str(tmp_path / "edited.xlsx")).stderr


# --- refusals: each named by its cell and its rule, in Chinese and English; nothing recorded ------------------

BASE = {"单位": [["U1", "一号单位", "department"], ["U2", "二号单位", "platform"]],
        "目标": [["U1", 2023, 1000, 250, 500, 750, 1000, 80, 5, 2]],
        "项目": [["P1", "U1", "甲项目", date(2023, 2, 1), date(2023, 3, 1), 120.5, date(2023, 4, 1), date(2023, 5, 1),
                None, None],
               ["P2", "U1", "乙项目", date(2023, 2, 10), None, None, None, None, date(2023, 3, 15), "投资方撤回"],
               ["P3", "U2", "丙项目", date(2023, 3, 1), None, None, None, None, None, None]]}
# a valid new row in every refused workbook: what would be recorded, and is not
VALID = ["P5", "U1", "戊项目", date(2023, 5, 1), date(2023, 6, 1), 88, None, None, None, None]
COLUMNS = ("project", "unit", "name", "planned_on", "signed_on", "amount", "landed_on", "started_on", "withdrawn_on",
           "reason")


@pytest.fixture(scope="module")
def base(module_store_url, tmp_path_factory):
    """A store holding BASE imported (U1, U2; U1's targets; P1 started, P2 withdrawn, P3 planned): every test
    using it must leave it as it was, which each refusal test checks."""
    from conftest import run_cli
    book = write_book(tmp_path_factory.mktemp("base") / "base.xlsx", BASE)
    assert "recorded 10 command(s)" in run_cli(module_store_url, "import", str(book)).stderr
    return module_store_url


def p4(**cells) -> list:
    """A new project row (P4 of U1, planned 2023-02-01) with ``cells`` changed."""
    row = ["P4", "U1", "丁项目", date(2023, 2, 1), None, None, None, None, None, None]
    for key, value in cells.items():
        row[COLUMNS.index(key)] = value
    return row


def add(**cells):
    return lambda book: book["项目"].append(p4(**cells))


def change(sheet: str, index: int, column: int, value):
    return lambda book: book[sheet][index].__setitem__(column, value)


SIGNED = {"signed_on": date(2023, 3, 1)}
DATE_HINT_EN = " is not a date (2023-06-15, 2023/6/15, 2023年6月15日 or an Excel date)"
DATE_HINT_ZH = " 不是日期 (可写作 2023-06-15、2023/6/15、2023年6月15日, 或 Excel 日期)"
NOT_ID_EN = " is not an id (letters, digits, _ . -, starting with a letter or digit, at most 64)"
NOT_ID_ZH = " 不是编号 (以字母或数字开头, 至多 64 个字母、数字或 _ . -)"
REFUSED = [  # (id, a change of BASE, the lines --check prints in English, in Chinese)
    ("float-7-decimals", add(**SIGNED, amount=1.2345678),
     "项目!F5: Signed amount (10k yuan): the number 1.2345678 has more than 6 digits after the point: in 10k yuan "
     "that is less than a fen; type it as text, or round it",
     "项目!F5：签约金额数值 1.2345678 小数点后超过 6 位: 以万元计已不足一分; 请以文本输入, 或取整到分"),
    ("text-7-decimals", add(**SIGNED, amount="1.2345678"),
     "项目!F5: Signed amount (10k yuan): '1.2345678' is not an amount in 10k yuan (a decimal number, at most 6 "
     "digits after the point)",
     "项目!F5：签约金额'1.2345678' 不是以万元计的金额 (十进制数, 小数点后至多 6 位)"),
    ("negative", add(**SIGNED, amount=-5),
     "项目!F5: Signed amount (10k yuan): -5 is negative: amounts are at least 0",
     "项目!F5：签约金额-5 为负数: 金额须不小于 0"),
    ("negative-target", change("目标", 0, 7, "-80"),
     "目标!H2: Monthly target (10k yuan): -80 is negative: amounts are at least 0",
     "目标!H2：月度目标-80 为负数: 金额须不小于 0"),
    ("zero-signed", add(**SIGNED, amount=0),
     "项目!F5: Signed amount (10k yuan): must be greater than 0", "项目!F5：签约金额须大于 0"),
    ("zero-signed-text", add(**SIGNED, amount="0.000000"),
     "项目!F5: Signed amount (10k yuan): must be greater than 0", "项目!F5：签约金额须大于 0"),
    ("bad-date-dashes", add(planned_on="2023-02-30"),
     "项目!D5: Planned on: '2023-02-30'" + DATE_HINT_EN, "项目!D5：谋划日期'2023-02-30'" + DATE_HINT_ZH),
    ("bad-date-slashes", add(planned_on="2023/2/30"),
     "项目!D5: Planned on: '2023/2/30'" + DATE_HINT_EN, "项目!D5：谋划日期'2023/2/30'" + DATE_HINT_ZH),
    ("bad-date-chinese", add(planned_on="2023年2月30日"),
     "项目!D5: Planned on: '2023年2月30日'" + DATE_HINT_EN, "项目!D5：谋划日期'2023年2月30日'" + DATE_HINT_ZH),
    ("bad-date-form", add(planned_on="2023.02.01"),
     "项目!D5: Planned on: '2023.02.01'" + DATE_HINT_EN, "项目!D5：谋划日期'2023.02.01'" + DATE_HINT_ZH),
    ("date-with-time", add(planned_on=datetime(2023, 2, 1, 9, 30)),
     "项目!D5: Planned on: 2023-02-01 09:30:00 has a time of day: a business date is a day",
     "项目!D5：谋划日期2023-02-01 09:30:00 带有时刻: 业务日期只写日期"),
    ("number-in-date-column", add(planned_on=45000),
     "项目!D5: Planned on: 45000 is a number, not a date: format the cell as a date, or write 2023-06-15",
     "项目!D5：谋划日期45000 是数值而不是日期: 请把单元格设为日期格式, 或写作 2023-06-15"),
    ("missing-name", add(name=None), "项目!C5: Project name: is required", "项目!C5：项目名称须填写"),
    ("missing-planned-on", add(planned_on="  "), "项目!D5: Planned on: is required", "项目!D5：谋划日期须填写"),
    ("missing-category", lambda book: book["单位"].append(["U3", "三号单位", None]),
     "单位!C4: Category: is required", "单位!C4：类别须填写"),
    ("missing-target", change("目标", 0, 9, None), "目标!J2: Projects to land: is required", "目标!J2：落地项目数须填写"),
    ("signing-date-without-amount", add(**SIGNED),
     "项目!F5: a signing needs both its date and its amount",
     "项目!F5：签约须同时填写签约日期与签约金额"),
    ("amount-without-signing-date", add(amount=12),
     "项目!E5: a signing needs both its date and its amount", "项目!E5：签约须同时填写签约日期与签约金额"),
    ("id-pattern", add(project="P 4"),
     "项目!A5: Project ID: 'P 4'" + NOT_ID_EN, "项目!A5：项目编号'P 4'" + NOT_ID_ZH),
    ("unit-id-pattern", add(unit="一号"),
     "项目!B5: Unit ID: '一号'" + NOT_ID_EN, "项目!B5：单位编号'一号'" + NOT_ID_ZH),
    ("duplicate-row", lambda book: book["项目"].append(list(book["项目"][0])),
     "项目!A5: the same row as 项目!A2", "项目!A5：与 项目!A2 重复"),
    ("duplicate-id-of-another-unit", add(project="P3"),
     "项目!A5: the same row as 项目!A4", "项目!A5：与 项目!A4 重复"),
    ("unit-renamed", change("单位", 0, 1, "一号"),
     "单位!B2: Unit name differs from the registered '一号单位': an import does not rename a unit",
     "单位!B2：单位名称 与已登记的 '一号单位' 不同: 导入不能更改单位"),
    ("project-moved", change("项目", 0, 1, "U2"),
     "项目!B2: Unit ID differs from the recorded 'U1': an import does not move or rename a project",
     "项目!B2：单位编号 与已录入的 'U1' 不同: 导入不能更改项目的单位或名称"),
    ("project-renamed", change("项目", 0, 2, "甲"),
     "项目!C2: Project name differs from the recorded '甲项目': an import does not move or rename a project",
     "项目!C2：项目名称 与已录入的 '甲项目' 不同: 导入不能更改项目的单位或名称"),
    ("stage-emptied", change("项目", 0, 6, None),
     "项目!G2: Landed on is empty but 2023-04-01 is recorded: a recorded stage is not taken back by emptying a cell",
     "项目!G2：落地日期 为空, 但已录入 2023-04-01: 已录入的环节不能靠清空单元格取消"),
    ("withdrawal-moved", change("项目", 1, 8, date(2023, 3, 20)),
     "项目!I3: the withdrawal is recorded on 2023-03-15: its date is not corrected by an import",
     "项目!I3：已于 2023-03-15 录入退出: 退出日期不能通过导入更正"),
    ("withdrawal-without-reason", change("项目", 2, 8, date(2023, 4, 1)),
     "项目!J4: Withdrawal reason: is required", "项目!J4：退出原因须填写"),
    ("signed-before-planned", add(signed_on=date(2023, 1, 5), amount=10),
     "项目!E5: sign_project P4: signed_on 2023-01-05 is before planned_on 2023-02-01",
     "项目!E5：项目签约 (sign_project) P4: 签约日期 (signed_on) 2023-01-05 早于 谋划日期 (planned_on) 2023-02-01"),
    ("landed-before-signed", add(signed_on=date(2023, 3, 5), amount=10, landed_on=date(2023, 3, 1)),
     "项目!G5: land_project P4: landed_on 2023-03-01 is before signed_on 2023-03-05",
     "项目!G5：项目落地 (land_project) P4: 落地日期 (landed_on) 2023-03-01 早于 签约日期 (signed_on) 2023-03-05"),
    ("correction-breaks-order", change("项目", 0, 3, date(2023, 3, 15)),
     "项目!D2: correct P1: value: the corrected project would break an ordering rule: signed_on 2023-03-01 is "
     "before planned_on 2023-03-15",
     "项目!D2：更正 (correct) P1: 更正值 (value): 更正后的项目会违反日期先后规则: 签约日期 (signed_on) 2023-03-01 早于 "
     "谋划日期 (planned_on) 2023-03-15"),
    ("unknown-unit", add(unit="U9"),
     "项目!B5: plan_project P4: unit: U9 is not a registered unit",
     "项目!B5：谋划项目 (plan_project) P4: 单位 (unit): U9 不是已登记的单位"),
    ("quarters-not-annual", change("目标", 0, 6, 999),
     "目标!G2: set_targets U1: quarterly: the 4th amount 9990000.00 must equal annual 10000000.00",
     "目标!G2：下达目标 (set_targets) U1: 季度累计目标 (quarterly): 第 4 个季度累计目标 9990000.00 须等于年度目标 (annual) "
     "10000000.00"),
    ("quarters-decrease", change("目标", 0, 4, "200"),
     "目标!E2: set_targets U1: quarterly: the 4 cumulative amounts must not decrease",
     "目标!E2：下达目标 (set_targets) U1: 季度累计目标 (quarterly): 4 个季度累计目标不得递减"),
]


def refused_book(path: Path, mutate) -> Path:
    book = {title: [list(row) for row in rows] for title, rows in BASE.items()}
    mutate(book)
    book["项目"].append(list(VALID))
    return write_book(path, book)


def assert_refused(cli, url: str, path: Path, english: list, chinese: list, *args: str) -> None:
    """``--check`` in English and Chinese prints exactly these lines; the import itself says so too, exits 1 and
    records nothing."""
    before = events(cli, url)
    for lang, lines in (("en", english), ("zh", chinese)):
        checked = cli(url, "--lang", lang, "import", str(path), "--check", *args, expect=1)
        assert checked.stdout.splitlines() == lines, (lang, checked.stdout)
    done = cli(url, "import", str(path), *args, expect=1)
    assert done.stdout.splitlines() == english
    assert done.stderr.strip() == f"{len(english)} problem(s): nothing of the file was recorded"
    zh = cli(url, "import", str(path), "--lang", "zh", *args, expect=1)
    assert zh.stderr.strip() == f"共 {len(chinese)} 个问题: 整份文件都未录入"
    assert events(cli, url) == before


@pytest.mark.parametrize("name, mutate, english, chinese", REFUSED, ids=[case[0] for case in REFUSED])
def test_each_refusal_names_its_cell_and_rule(cli, base, tmp_path, name, mutate, english, chinese):
    assert_refused(cli, base, refused_book(tmp_path / f"{name}.xlsx", mutate), [english], [chinese])


def test_a_date_after_today_is_named_by_its_cell(cli, base, tmp_path):
    later = date.today().replace(year=date.today().year + 2)
    path = refused_book(tmp_path / "later.xlsx", add(planned_on=later))
    checked = cli(base, "import", str(path), "--check", expect=1)
    assert checked.stdout.startswith(f"项目!D5: plan_project P4: planned_on {later} is after the local date "), \
        checked.stdout
    zh = cli(base, "--lang", "zh", "import", str(path), "--check", expect=1)
    assert zh.stdout.startswith(f"项目!D5：谋划项目 (plan_project) P4: 谋划日期 (planned_on) {later} 晚于录入时间的当地日期 ")
    assert_refused(cli, base, path, checked.stdout.splitlines(), zh.stdout.splitlines())


def test_with_unit_a_row_of_another_unit_is_refused(cli, base, tmp_path):
    """--unit U1 (a unit's own import): P3 is U2's, U3 would be registered; the rows as the record holds them
    (U1's and U2's units, U1's targets) are not problems."""
    path = refused_book(tmp_path / "u1.xlsx", lambda book: book["单位"].append(["U3", "三号单位", "platform"]))
    assert_refused(cli, base, path,
                   ["单位!A4: only unit U1's project rows may be imported here (this is 单位)",
                    "项目!B4: only unit U1's project rows may be imported here (this is 项目)"],
                   ["单位!A4：此处只能导入单位 U1 自己的项目行 (此为 单位)",
                    "项目!B4：此处只能导入单位 U1 自己的项目行 (此为 项目)"], "--unit", "U1")
    own = write_book(tmp_path / "own.xlsx", {"项目": [BASE["项目"][0], VALID]})
    assert "1 new project(s), 1 new stage(s)" in cli(base, "import", str(own), "--check", "--unit", "U1").stderr


def test_every_problem_at_once(cli, base, tmp_path):
    """--check lists every problem of the file, sheet by sheet and row by row, before any rule of the record."""
    def several(book):
        book["单位"][0][1] = "一号"
        book["项目"].append(p4(amount=1.2345678, signed_on="2023-02-30"))
        book["项目"].append(p4(project="P6", landed_on=date(2023, 1, 1)))
    assert_refused(cli, base, refused_book(tmp_path / "several.xlsx", several), [
        "单位!B2: Unit name differs from the registered '一号单位': an import does not rename a unit",
        "项目!E5: Signed on: '2023-02-30'" + DATE_HINT_EN,
        "项目!F5: Signed amount (10k yuan): the number 1.2345678 has more than 6 digits after the point: in 10k yuan "
        "that is less than a fen; type it as text, or round it",
        "项目!G6: land_project P6: project P6 is not signed",
    ], [
        "单位!B2：单位名称 与已登记的 '一号单位' 不同: 导入不能更改单位",
        "项目!E5：签约日期'2023-02-30'" + DATE_HINT_ZH,
        "项目!F5：签约金额数值 1.2345678 小数点后超过 6 位: 以万元计已不足一分; 请以文本输入, 或取整到分",
        "项目!G6：项目落地 (land_project) P6: 项目 P6 尚未签约",
    ])


def test_a_missing_header_is_named_by_its_row(cli, base, tmp_path):
    headers = ["项目编号", "单位编号", "项目名", *HEADERS["zh"]["项目"][3:]]
    path = write_book(tmp_path / "header.xlsx", {"单位": BASE["单位"], "项目x": [headers, VALID]})
    book = openpyxl.load_workbook(path)
    book["项目x"].title = "项目"
    book.save(path)
    assert_refused(cli, base, path, ["项目!1:1: the header '项目名称' (Project name) is missing"],
                   ["项目!1:1：缺少表头 '项目名称' (Project name)"])


def test_an_unknown_set_of_sheets_is_refused(cli, base, tmp_path):
    path = write_book(tmp_path / "sheets.xlsx", {"Sheet1": [HEADERS["zh"]["项目"], VALID], "项目表": [VALID]})
    assert_refused(cli, base, path, ["sheets.xlsx: no sheet named 单位 (Units), 目标 (Targets), 项目 (Projects)"],
                   ["sheets.xlsx：没有名为 单位 (Units), 目标 (Targets), 项目 (Projects) 的工作表"])


@pytest.mark.parametrize("data", [b"not a workbook", b"PK\x03\x04 a broken zip"])
def test_a_file_that_is_not_a_workbook_is_refused(cli, base, tmp_path, data):
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    checked = cli(base, "import", str(path), "--check", expect=1)
    assert checked.stdout.startswith("book.xlsx: not a workbook Sankao reads (.xlsx): "), checked.stdout
    zh = cli(base, "--lang", "zh", "import", str(path), "--check", expect=1)
    assert zh.stdout.startswith("book.xlsx：不是可读取的工作簿 (.xlsx): "), zh.stdout
    assert_refused(cli, base, path, checked.stdout.splitlines(), zh.stdout.splitlines())


def test_full_width_digits_are_read_and_other_digits_refused(cli, base, tmp_path):
    """A Chinese input method's full-width digits (１２３．５, ２０２３／６／１) are read as the number or the date they
    spell, in amounts, dates and counts alike; a digit of no number here (², ٣) is refused by its cell (was: a
    count of '²' stopped the import with a ValueError)."""
    wide = write_book(tmp_path / "wide.xlsx", {
        "目标": [["U2", "２０２３", "１，０００", "２５０", "５００．５", "７５０．５", "１０００", "８０", "５", "２"]],
        "项目": [p4(planned_on="２０２３／２／１", signed_on="２０２３-０３-０１", amount="１２３．５")]})
    checked = cli(base, "import", str(wide), "--check")
    assert "1 target(s), 1 new project(s), 1 new stage(s)" in checked.stderr, checked.stderr
    odd = write_book(tmp_path / "odd.xlsx", {"目标": [["U2", 2023, 1000, 250, 500, 750, 1000, 80, "²", "٣"]]})
    out = cli(base, "import", str(odd), "--check", expect=1).stdout.splitlines()
    assert [line.split(":")[0] for line in out] == ["目标!I2", "目标!J2"], out


def test_every_row_is_read_when_the_saved_used_range_understates_the_sheet(cli, base, tmp_path):
    """Some tools save a sheet's <dimension> (its used range) as A1 or as the header row only: every row below is
    still read (openpyxl's read-only mode would stop at the saved range and import nothing)."""
    import re
    import zipfile
    path = write_book(tmp_path / "built.xlsx", {"项目": [VALID]})
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    for name, data in parts.items():
        if name.startswith("xl/worksheets/"):
            parts[name] = re.sub(rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1"/>', data)
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(stale, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    assert b'<dimension ref="A1"/>' in zipfile.ZipFile(stale).read("xl/worksheets/sheet1.xml")
    checked = cli(base, "import", str(stale), "--check")
    assert "1 new project(s), 1 new stage(s)" in checked.stderr, checked.stderr


def test_a_csv_may_open_with_a_title_above_its_header(cli, base, tmp_path):
    """As a workbook's sheet may: a title row (and a blank one) above the header of a .csv of one sheet."""
    rows = [["2023年 项目台账"], [], HEADERS["zh"]["项目"], VALID]
    (tmp_path / "titled.csv").write_text(csv_text(rows), encoding="utf-8-sig")
    checked = cli(base, "import", str(tmp_path / "titled.csv"), "--check")
    assert "1 new project(s), 1 new stage(s)" in checked.stderr, checked.stderr


def test_a_csv_neither_utf8_nor_gb18030_or_of_no_sheet_is_refused(cli, base, tmp_path):
    (tmp_path / "latin.csv").write_bytes(csv_text([HEADERS["zh"]["项目"][:1] + ["\x80"]]).encode("utf-8")[:-3]
                                         + b"\xff\xff\n")
    assert_refused(cli, base, tmp_path / "latin.csv", ["latin.csv: the .csv is neither UTF-8 nor GB18030: save it as CSV UTF-8, or import the .xlsx"],
                   ["latin.csv：.csv 既不是 UTF-8 也不是 GB18030 编码: 请另存为 CSV UTF-8, 或直接导入 .xlsx"])
    (tmp_path / "other.csv").write_text(csv_text([["编号", "名称"], ["P5", "戊项目"]]), encoding="utf-8")
    assert_refused(cli, base, tmp_path / "other.csv",
                   ["other.csv!1:1: the .csv's first row is not the header of a sheet (单位 (Units), 目标 (Targets), 项目 (Projects))"],
                   ["other.csv!1:1：.csv 的第一行不是任何一张表的表头 (单位 (Units), 目标 (Targets), 项目 (Projects))"])


# --- atomicity -------------------------------------------------------------------------------------------------

def test_a_plan_made_invalid_before_it_is_recorded_records_nothing(cli, store_url, tmp_path, make_platform):
    """prepare() finds nothing wrong; another writer then signs P3 before record(): the plan's last line (P3's
    signing) is refused by the record, and none of its lines is recorded (a new unit, P5 planned and signed)."""
    from core.intake.importer import prepare, record
    cli(store_url, "import", str(write_book(tmp_path / "base.xlsx", BASE)))
    book = {title: [list(row) for row in rows] for title, rows in BASE.items()}
    book["单位"].append(["U3", "三号单位", "platform"])
    book["项目"].insert(0, list(VALID))
    book["项目"][-1][4:6] = [date(2023, 4, 1), "66.5"]  # P3 (U2) signed: the plan's last line
    path = write_book(tmp_path / "later.xlsx", book)
    importer = make_platform(store_url)
    plan = prepare(importer, path, "later.xlsx", None, "clerk")
    assert plan.ok, plan.problems
    assert [(line.what, line.command["cmd"], line.ref) for line in plan.lines] == [
        ("unit", "register_unit", "单位!A4"), ("plan", "plan_project", "项目!A2"), ("stage", "sign_project", "项目!E2"),
        ("stage", "sign_project", "项目!E5")]
    other = make_platform(store_url)
    other.ledger.load([(1, json.dumps({"cmd": "sign_project", "project": "P3", "signed_on": "2023-04-02",
                                       "amount": "1"}))], "another writer")
    before = events(cli, store_url)
    report = record(importer, plan, "clerk")
    assert report.recorded == 0 and len(report.rejected) == 1, report
    number, reason = report.rejected[0]
    assert plan.lines[number - 1].where(reason) == "项目!E5"
    assert "project P3 is already signed (on 2023-04-02)" in str(reason)
    assert events(cli, store_url) == before
    assert [p["project"] for p in listing(cli, store_url)] == ["P1", "P2", "P3"]
    assert "U3" not in [u["unit"] for u in unit_list(cli, store_url)]
    # planned again against the record as it stands now, P3's signing is a difference: two corrections
    checked = cli(store_url, "import", str(path), "--check")
    assert "would record 1 unit(s), 0 target(s), 1 new project(s), 1 new stage(s), 2 correction(s)" in checked.stderr


# --- the template ----------------------------------------------------------------------------------------------

def validations(ws) -> dict:
    """{column letter: (type, operator, formula1, formula2)} of the sheet's data validations (operator None: between,
    the default)."""
    found = {}
    for rule in ws.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            assert cells.min_row == 2 and cells.max_row >= 10_000, cells.coord
            found[cells.coord.split(":")[0].rstrip("0123456789")] = (rule.type, rule.operator, rule.formula1,
                                                                     rule.formula2)
    return found


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_template(cli, sqlite_url, tmp_path, lang):
    """Chinese headers by default (English with --lang en, or the global --lang en), frozen under the header, data
    validation on every column but the free text ones (a drop-down of the 单位 sheet's ids, dates, amounts ≥ 0,
    whole counts), the instructions sheet first; the registered units already on 单位."""
    cli(sqlite_url, "import", str(write_book(tmp_path / "base.xlsx", BASE)))
    path = tmp_path / "template.xlsx"
    cli(sqlite_url, "template", str(path), *(("--lang", "en") if lang == "en" else ()))
    book = openpyxl.load_workbook(path)
    instructions, units, targets, projects = ("说明", *TITLES["zh"]) if lang == "zh" else ("Instructions",
                                                                                           *TITLES["en"])
    assert book.sheetnames == [instructions, units, targets, projects]
    assert book[instructions]["A1"].value == ("填写说明" if lang == "zh" else "How to fill this workbook in")
    assert any("sankao import" in (row[0].value or "") for row in book[instructions].iter_rows())
    for title in (units, targets, projects):
        ws = book[title]
        assert [c.value for c in ws[1]] == HEADERS[lang][title]
        assert ws.freeze_panes == "A2"
    assert [[c.value for c in row] for row in book[units].iter_rows(min_row=2)] == BASE["单位"]
    assert book[projects].max_row == 1 and book[targets].max_row == 1
    unit_list_formula = f"'{units}'!$A$2:$A$10000"
    date_rule = ("date", "greaterThanOrEqual", "1", None)  # 1900-01-01, as a serial
    amount = ("decimal", "greaterThanOrEqual", "0", None)
    assert validations(book[projects]) == {"B": ("list", None, unit_list_formula, None), "D": date_rule,
                                           "E": date_rule, "F": amount, "G": date_rule, "H": date_rule,
                                           "I": date_rule}
    count = ("whole", "greaterThanOrEqual", "0", None)
    assert validations(book[targets]) == {"A": ("list", None, unit_list_formula, None),
                                          "B": ("whole", None, "1900", "9999"), "C": amount, "D": amount,
                                          "E": amount, "F": amount, "G": amount, "H": amount, "I": count, "J": count}
    if lang == "en":
        again = tmp_path / "global.xlsx"
        cli(sqlite_url, "--lang", "en", "template", str(again))
        assert openpyxl.load_workbook(again).sheetnames == book.sheetnames


def test_a_filled_in_template_imports(cli, sqlite_url, tmp_path):
    """The template of each language filled in with openpyxl (as an office would in Excel) imports, the same."""
    recorded = {}
    for lang in ("zh", "en"):
        url = str(tmp_path / f"{lang}.db")
        path = tmp_path / f"{lang}.xlsx"
        cli(url, "template", str(path), "--lang", lang)
        book = openpyxl.load_workbook(path)
        units, targets, projects = TITLES[lang]
        for title, rows in ((units, BASE["单位"]), (targets, BASE["目标"]), (projects, BASE["项目"] + [VALID])):
            for row in rows:
                book[title].append(row)
        book.save(path)
        assert "recorded 12 command(s)" in cli(url, "import", str(path)).stderr
        recorded[lang] = listing(cli, url), unit_list(cli, url)
    assert recorded["zh"] == recorded["en"]


@pytest.mark.parametrize("moved", [
    {"signed_on": date(2023, 5, 10), "landed_on": date(2023, 5, 15), "started_on": date(2023, 5, 20)},
    {"planned_on": date(2023, 1, 5), "signed_on": date(2023, 1, 10), "landed_on": date(2023, 1, 20),
     "started_on": date(2023, 1, 15)},
    {"planned_on": date(2023, 6, 1), "signed_on": date(2023, 6, 2), "landed_on": date(2023, 6, 3),
     "started_on": date(2023, 6, 4)},
    {"signed_on": date(2023, 2, 15), "started_on": date(2023, 2, 20)},
    {"planned_on": date(2023, 2, 20), "signed_on": date(2023, 2, 25)},
], ids=["signing-past-the-start", "all-earlier", "all-later", "start-before-the-old-signing", "planned-and-signed"])
def test_dates_moved_together_are_recorded_in_an_order_the_record_takes(cli, sqlite_url, tmp_path, moved):
    """P1 (planned 02-01, signed 03-01, landed 04-01, started 05-01) edited so that a date passes another's old
    value: every move is recorded (corrections, and a start again for 开工日期), whatever their order in the row."""
    cli(sqlite_url, "import", str(write_book(tmp_path / "base.xlsx", BASE)))
    book = {title: [list(row) for row in rows] for title, rows in BASE.items()}
    for key, value in moved.items():
        book["项目"][0][COLUMNS.index(key)] = value
    done = cli(sqlite_url, "import", str(write_book(tmp_path / "moved.xlsx", book)))
    corrections = len(moved) - ("started_on" in moved)
    assert f"{int('started_on' in moved)} new stage(s), {corrections} correction(s)" in done.stderr, done.stderr
    p1 = next(p for p in listing(cli, sqlite_url) if p["project"] == "P1")
    assert {key: p1[key] for key in moved} == {key: value.isoformat() for key, value in moved.items()}


def test_a_file_of_more_rows_than_an_import_takes_is_refused_before_anything_is_planned(tmp_path, monkeypatch):
    """A small upload may unpack into millions of rows: past reader.MAX_ROWS the file is refused, naming the
    limit, and no row is kept (nothing is planned)."""
    from core.intake import reader
    monkeypatch.setattr(reader, "MAX_ROWS", 5)
    lines = ["项目编号,单位编号,项目名称,谋划日期,签约日期,签约金额（万元）,落地日期,开工日期,退出日期,退出原因"]
    lines += [f"P{i},U1,项目{i},2023-01-0{1 + i % 9},,,,,," for i in range(8)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    found = reader.read_file(path)
    assert found.rows == [] and found.full
    assert [str(p) for _, p in found.problems] == ["more than 5 rows: split the workbook (an import is recorded in one "
                                                  "transaction)"]
