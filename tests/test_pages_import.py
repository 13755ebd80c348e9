"""The import page (web/import_pages.py, issue #21) with Flask's test client, on SQLite and PostgreSQL: a workbook
written here with openpyxl uploaded, previewed (new units, targets, new projects, new stages, corrections, each with
its cell) and recorded on confirmation; the same workbook again records nothing and says so; a refused workbook's
every problem by its cell, in Chinese and in English, nothing recorded; a unit's token imports its own rows only;
the confirmation records exactly what was previewed (a record changed in between is refused, the new preview
shown); CSRF; the size limit; who may open the page; the template and the export, and the export round trip."""

from __future__ import annotations

import io
import json
import os
import re
import zipfile
from html import unescape

import openpyxl
import pytest

from core.bootstrap import Config, Platform

from test_intake import HEADERS  # the interface (issue #21), spelled out there

COMMANDS = [
    {"cmd": "register_unit", "unit": "U01", "name": "一号园区", "category": "park"},
    {"cmd": "register_unit", "unit": "U02", "name": "二号部门", "category": "department"},
    {"cmd": "set_targets", "unit": "U01", "year": 2023, "annual": "50000000", "monthly": "4000000", "planned": 4,
     "landed": 2, "quarterly": ["10000000", "20000000", "30000000", "50000000"]},
    {"cmd": "plan_project", "project": "P0001", "unit": "U01", "name": "甲项目", "planned_on": "2023-02-01"},
    {"cmd": "sign_project", "project": "P0001", "signed_on": "2023-03-01", "amount": "10000000"},
    {"cmd": "plan_project", "project": "P0002", "unit": "U02", "name": "乙项目", "planned_on": "2023-02-10"},
]
ROLES = ("admin", "unit:U01", "viewer", "auditor", "supervisor")
FACTS = {"UnitRegistered", "TargetsSet", "ProjectPlanned", "ProjectSigned", "ProjectLanded", "ConstructionStarted",
         "ProjectWithdrawn", "FactCorrected"}
NAMES = {"一号园区", "二号部门", "三号平台", "甲项目", "乙项目", "丙项目", "丁项目", "戊项目", "己项目", "庚项目"}


def _office(db: str):
    from web import create_app
    platform = Platform(Config(db=db), "load")
    report = platform.ledger.load([(n, json.dumps(c, ensure_ascii=False)) for n, c in enumerate(COMMANDS, 1)], "t")
    assert not report.rejected, report.rejected
    platform.catch_up()
    tokens = {role: platform.ledger.issue_token(f"t-{role.replace(':', '-')}", role, "test") for role in ROLES}
    platform.close()
    return create_app(Config(db=db)), tokens


@pytest.fixture
def uploads(tmp_path, monkeypatch):
    folder = tmp_path / "uploads"
    monkeypatch.setenv("SANKAO_UPLOADS", str(folder))
    return folder


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def office(request, tmp_path, uploads):
    """A small record (two units, U01's targets, P0001 signed, P0002 planned) on each kind of store; a token
    per role."""
    from conftest import _drop_schema, _pg_schema_url
    from core.bootstrap import init_store
    if request.param == "sqlite":
        db = str(tmp_path / "office.db")
    else:
        db, schema = _pg_schema_url()
        init_store(Config(db=db)).close()
        request.addfinalizer(lambda: _drop_schema(schema))
    app, tokens = _office(db)
    yield app, tokens
    app.extensions["sankao"].close()


@pytest.fixture
def sqlite_office(tmp_path, uploads):
    app, tokens = _office(str(tmp_path / "office.db"))
    yield app, tokens
    app.extensions["sankao"].close()


# -- helpers --------------------------------------------------------------------------------------------------------

def logged_in(app, token: str, lang: str | None = None):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert client.post("/login", data={"token": token, "csrf_token": csrf_of(page)}).status_code == 302
    if lang:
        client.get(f"/lang/{lang}")
    return client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def workbook(sheets: dict) -> bytes:
    """A workbook written with openpyxl: ``{title: [row, ...]}``, each sheet's headers first (HEADERS)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(HEADERS["en" if title == "Projects" else "zh"][title])
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, content: bytes, name: str = "周报.xlsx", csrf: bool = True):
    """POST /import with ``content`` as the file ``name`` (the body built here and its file closed: werkzeug's
    test client leaves a large body's temporary file open)."""
    from werkzeug.test import EnvironBuilder
    data = {"workbook": (io.BytesIO(content), name)}
    if csrf:
        data["csrf_token"] = csrf_of(client.get("/import").get_data(as_text=True))
    builder = EnvironBuilder(path="/import", method="POST", data=data, content_type="multipart/form-data")
    environ = builder.get_environ()
    try:
        return client.open(environ)
    finally:
        environ["wsgi.input"].close()
        builder.close()


def confirm(client, html: str, **changed):
    form = {"csrf_token": csrf_of(html), "upload": re.search(r'name="upload" value="([^"]+)"', html).group(1),
            "digest": re.search(r'name="digest" value="([^"]+)"', html).group(1), **changed}
    return client.post("/import/confirm", data={k: v for k, v in form.items() if v is not None})


def rows(html: str, table: str) -> list[tuple]:
    """The rows of the preview's table ``table``: its cells' texts, the first being the cell it comes from."""
    found = re.search(rf'<table id="{table}"[^>]*>(.*?)</table>', html, re.S)
    if not found:
        return []
    body = found.group(1).split("<tbody>")[1]
    return [tuple(unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", r, re.S))
            for r in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def facts(app) -> list[str]:
    platform = app.extensions["sankao"]
    return [type(e).__name__ for _, e in platform.app.log() if type(e).__name__ in FACTS]


def project(app, pid: str) -> dict | None:
    return next((p for p in app.extensions["sankao"].queries.projects() if p["project"] == pid), None)


def chinese(html: str, data=()) -> None:
    from test_language_pages import problems, times_without_zone, visible
    text, literals = visible(html)
    found = problems(text, NAMES | {"t-admin", "t-unit-U01", "t-viewer", "t-auditor", "t-supervisor"} | set(data),
                     literals)
    assert not found, found[:20]
    assert not times_without_zone(text)


THE_WEEK = {  # what an office sends in: a new unit with its targets, a landing, a corrected amount, a new project
    "单位": [["U03", "三号平台", "platform"]],
    "目标": [["U03", 2023, 5000, 1000, 2000, 3000, 5000, 400, 5, 2]],
    "项目": [["P0001", "U01", "甲项目", "2023-02-01", "2023-03-01", 1200, "2023-04-01", None, None, None],
           ["P0003", "U03", "丙项目", "2023/5/6", "2023年6月1日", "88.5", None, None, None, None],
           ["P0002", "U02", "乙项目", "2023-02-10", None, None, None, None, None, None]],
}


# -- upload, preview, confirm ------------------------------------------------------------------------------------------

def test_upload_preview_and_confirm_record_the_workbook(office):
    app, tokens = office
    admin = logged_in(app, tokens["admin"])
    before = facts(app)
    answer = upload(admin, workbook(THE_WEEK))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200, html[:500]
    assert rows(html, "new-units") == [("单位!A2", "U03", "三号平台", "平台公司")]
    assert rows(html, "new-targets") == [("目标!A2", "U03", "2023", "5,000.00", "1,000.00 / 2,000.00 / 3,000.00 / "
                                          "5,000.00", "400.00", "5", "2")]
    assert rows(html, "new-projects") == [("项目!A3", "P0003", "U03", "丙项目", "2023-05-06")]
    assert rows(html, "new-stages") == [("项目!G2", "P0001", "落地", "2023-04-01", ""),
                                        ("项目!E3", "P0003", "签约", "2023-06-01", "88.50")]
    assert rows(html, "corrections") == [("项目!F2", "P0001", "签约金额", "1,000.00", "1,200.00")]
    assert "将一次录入：新单位 1 个、目标 1 条、新项目 1 个、新环节 2 个、更正 1 条。" in html
    chinese(html, {"周报"})
    assert facts(app) == before and project(app, "P0003") is None  # a preview records nothing
    assert len(os.listdir(os.environ["SANKAO_UPLOADS"])) == 1  # the upload is kept for the confirmation

    done = confirm(admin, html)
    assert done.status_code == 302 and done.headers["Location"].endswith("/import")
    page = admin.get("/import").get_data(as_text=True)
    said = unescape(re.sub(r"<[^>]+>", "", re.search(r'id="recorded">(.*?)</p>', page).group(1)))
    assert said == "已从 周报.xlsx 录入 6 条指令（0 条此前已录入）：新单位 1 个、目标 1 条、新项目 1 个、新环节 2 个、更正 1 条。"
    assert facts(app)[len(before):] == ["UnitRegistered", "TargetsSet", "FactCorrected", "ProjectLanded",
                                        "ProjectPlanned", "ProjectSigned"]
    p1, p3 = project(app, "P0001"), project(app, "P0003")
    assert (p1["signed_amount"], p1["landed_on"]) == ("12000000.00", "2023-04-01")
    assert (p3["unit"], p3["planned_on"], p3["signed_on"], p3["signed_amount"]) == ("U03", "2023-05-06", "2023-06-01",
                                                                                   "885000.00")
    corrected = [e for _, e in app.extensions["sankao"].app.log() if type(e).__name__ == "FactCorrected"]
    assert "周报.xlsx" in corrected[0].reason and "2" in corrected[0].reason  # the file and the row
    assert os.listdir(os.environ["SANKAO_UPLOADS"]) == []  # recorded: the upload is gone

    again = upload(admin, workbook(THE_WEEK))  # the same workbook again: nothing to record, and the page says so
    html = again.get_data(as_text=True)
    assert again.status_code == 200 and 'id="nothing"' in html and 'id="confirm-form"' not in html
    assert "无需录入：该工作簿的内容均已录入。" in html
    assert facts(app) == before + ["UnitRegistered", "TargetsSet", "FactCorrected", "ProjectLanded",
                                   "ProjectPlanned", "ProjectSigned"]
    assert os.listdir(os.environ["SANKAO_UPLOADS"]) == []


def test_a_confirmation_sent_twice_records_once(sqlite_office):
    app, tokens = sqlite_office
    admin = logged_in(app, tokens["admin"])
    html = upload(admin, workbook({"项目": THE_WEEK["项目"][:1]})).get_data(as_text=True)
    before = facts(app)
    assert confirm(admin, html).status_code == 302
    twice = confirm(admin, html)
    assert twice.status_code == 409 and "此预览已不再保留" in twice.get_data(as_text=True)
    assert facts(app) == before + ["FactCorrected", "ProjectLanded"]


def test_a_record_changed_between_preview_and_confirmation_is_refused_and_the_new_preview_shown(office):
    """P0002 signed on 2023-04-01 by the workbook; meanwhile someone records its signing on 2023-03-20: the
    confirmation records nothing and shows what the workbook records now (a correction of the date)."""
    app, tokens = office
    admin = logged_in(app, tokens["admin"])
    sheet = {"项目": [["P0002", "U02", "乙项目", "2023-02-10", "2023-04-01", 300, None, None, None, None]]}
    html = upload(admin, workbook(sheet)).get_data(as_text=True)
    assert rows(html, "new-stages") == [("项目!E2", "P0002", "签约", "2023-04-01", "300.00")]
    platform = app.extensions["sankao"]
    platform.ledger.record({"cmd": "sign_project", "project": "P0002", "signed_on": "2023-03-20",
                            "amount": "3000000"}, "someone")
    platform.catch_up()
    before = facts(app)
    refused = confirm(admin, html)
    again = refused.get_data(as_text=True)
    assert refused.status_code == 409 and 'id="changed"' in again
    assert "预览之后记录已有变化：未录入任何内容。" in again
    assert facts(app) == before and project(app, "P0002")["signed_on"] == "2023-03-20"
    assert rows(again, "corrections") == [("项目!E2", "P0002", "签约日期", "2023-03-20", "2023-04-01")]
    assert rows(again, "new-stages") == []
    chinese(again, {"周报"})
    assert confirm(admin, again).status_code == 302  # the new preview, confirmed, records
    assert project(app, "P0002")["signed_on"] == "2023-04-01" and facts(app) == before + ["FactCorrected"]


def test_previews_in_two_tabs_each_record_their_own_workbook(sqlite_office, uploads):
    """Each preview's confirmation records its own upload; beyond three waiting, the oldest is let go."""
    from web.import_view import PENDING
    app, tokens = sqlite_office
    admin = logged_in(app, tokens["admin"])
    first = upload(admin, workbook({"项目": [["P0012", "U01", "丁项目", "2023-05-01"] + [None] * 6]})).get_data(True)
    second = upload(admin, workbook({"项目": [["P0013", "U01", "戊项目", "2023-05-02"] + [None] * 6]})).get_data(True)
    assert len(os.listdir(uploads)) == 2
    assert confirm(admin, first).status_code == 302
    assert project(app, "P0012") is not None and project(app, "P0013") is None
    assert confirm(admin, second).status_code == 302 and project(app, "P0013") is not None
    pages = [upload(admin, workbook({"项目": [[f"P002{n}", "U01", "己项目", "2023-05-03"] + [None] * 6]})).get_data(True)
             for n in range(PENDING + 1)]
    assert len(os.listdir(uploads)) == PENDING
    assert confirm(admin, pages[0]).status_code == 409 and project(app, "P0020") is None
    assert confirm(admin, pages[-1]).status_code == 302 and project(app, f"P002{PENDING}") is not None


def test_a_tampered_or_foreign_confirmation_records_nothing(sqlite_office):
    app, tokens = sqlite_office
    admin, unit = logged_in(app, tokens["admin"]), logged_in(app, tokens["unit:U01"])
    html = upload(admin, workbook({"项目": THE_WEEK["项目"][:1]})).get_data(as_text=True)
    before = facts(app)
    other = unit.get("/import").get_data(as_text=True)  # another session holds no such upload
    answer = confirm(unit, html, csrf_token=csrf_of(other))
    assert answer.status_code == 409 and 'id="problem-form"' in answer.get_data(as_text=True)
    answer = confirm(admin, html, digest="0" * 64)  # not the plan previewed
    assert answer.status_code == 409 and 'id="changed"' in answer.get_data(as_text=True)
    answer = confirm(admin, html, upload="../../etc/passwd")
    assert answer.status_code == 409
    assert facts(app) == before


# -- a refused workbook ------------------------------------------------------------------------------------------------

REFUSED = {"项目": [
    ["P0004", "U01", "丁项目", "2023-03-01", "2023-03-05", -5, None, None, None, None],
    ["P0005", "U01", "戊项目", "2023-13-01", None, None, None, None, None, None],
    ["P0006", "U01", None, "2023-03-01", None, None, None, None, None, None],
    ["P0007", "U01", "己项目", "2023-03-01", "2023-03-05", 1.2345678, None, None, None, None],
    ["P0008", "U01", "庚项目", "2023-03-01", None, None, None, None, None, None],  # good, but not recorded either
]}


def test_a_refused_workbooks_problems_by_cell_in_both_languages_and_nothing_recorded(office, uploads):
    app, tokens = office
    before = facts(app)
    zh = logged_in(app, tokens["admin"])
    answer = upload(zh, workbook(REFUSED), "第三周.xlsx")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert rows(html, "problems") == [
        ("项目!F2", "签约金额-5 为负数: 金额须不小于 0"),
        ("项目!D3", "谋划日期'2023-13-01' 不是日期 (可写作 2023-06-15、2023/6/15、2023年6月15日, 或 Excel 日期)"),
        ("项目!C4", "项目名称须填写"),
        ("项目!F5", "签约金额数值 1.2345678 小数点后超过 6 位: 以万元计已不足一分; 请以文本输入, 或取整到分")]
    assert "共 4 个问题：整份文件都不会录入。" in html and 'id="confirm-form"' not in html
    chinese(html, {"第三周"})
    en = logged_in(app, tokens["admin"], "en")
    html = upload(en, workbook(REFUSED), "week3.xlsx").get_data(as_text=True)
    assert rows(html, "problems") == [
        ("项目!F2", "Signed amount (10k yuan): -5 is negative: amounts are at least 0"),
        ("项目!D3", "Planned on: '2023-13-01' is not a date (2023-06-15, 2023/6/15, 2023年6月15日 or an Excel date)"),
        ("项目!C4", "Project name: is required"),
        ("项目!F5", "Signed amount (10k yuan): the number 1.2345678 has more than 6 digits after the point: in 10k "
                   "yuan that is less than a fen; type it as text, or round it")]
    assert "4 problem(s): nothing of the file will be recorded." in html
    assert facts(app) == before and project(app, "P0008") is None
    assert os.listdir(uploads) == []  # nothing kept for a workbook that cannot be confirmed


def test_an_english_workbook_and_a_csv_import_the_same(sqlite_office):
    app, tokens = sqlite_office
    admin = logged_in(app, tokens["admin"], "en")
    sheet = [["P0009", "U01", "戊项目", "2023-04-01", None, None, None, None, None, None]]
    html = upload(admin, workbook({"Projects": sheet}), "week.xlsx").get_data(as_text=True)
    assert rows(html, "new-projects") == [("Projects!A2", "P0009", "U01", "戊项目", "2023-04-01")]
    assert "It would record 0 new unit(s), 0 target(s), 1 new project(s), 0 new stage(s) and 0 correction(s)" in html
    text = "\n".join(",".join(map(str, r)) for r in [HEADERS["zh"]["项目"],
                                                     ["P0010", "U01", "己项目", "2023-04-02", "", "", "", "", "", ""]])
    html = upload(admin, text.encode("gb18030"), "week.csv").get_data(as_text=True)
    assert rows(html, "new-projects") == [("week.csv!A2", "P0010", "U01", "己项目", "2023-04-02")]
    assert confirm(admin, html).status_code == 302 and project(app, "P0010")["name"] == "己项目"


def test_what_is_not_a_workbook_is_said_beside_the_field(sqlite_office, uploads):
    app, tokens = sqlite_office
    admin = logged_in(app, tokens["admin"])
    for name, problem in [("周报.xls", "不是三考能读取的工作簿"), ("周报.pdf", "不是三考能读取的工作簿"),
                          ("", "请选择要导入的工作簿")]:
        html = upload(admin, b"PK\x03\x04 nothing", name).get_data(as_text=True)
        said = unescape(re.sub(r"<[^>]+>", "", re.search(r'id="problem-workbook">(.*?)</p>', html, re.S).group(1)))
        assert problem in said, said
        chinese(html, {"周报.xls", "周报.pdf", "周报"})
    html = upload(admin, b"not a zip", "周报.xlsx").get_data(as_text=True)  # the reader's refusal, by the file
    assert rows(html, "problems")[0][0] == "周报.xlsx" and "不是可读取的工作簿" in rows(html, "problems")[0][1]
    damaged = io.BytesIO()  # a sheet cut short: openpyxl opens the file but cannot read its rows
    with zipfile.ZipFile(io.BytesIO(workbook(THE_WEEK))) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, data[:len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    answer = upload(admin, damaged.getvalue(), "周报.xlsx")
    assert answer.status_code == 200 and rows(answer.get_data(as_text=True), "problems")[0][0] == "周报.xlsx"
    assert os.listdir(uploads) == []


# -- a unit's token ---------------------------------------------------------------------------------------------------

def test_a_units_token_imports_its_own_rows_only(office, uploads):
    app, tokens = office
    unit = logged_in(app, tokens["unit:U01"])
    before = facts(app)
    mixed = {"单位": [["U04", "四号园区", "park"]],
             "项目": [["P0011", "U01", "丁项目", "2023-05-01", None, None, None, None, None, None],
                    ["P0002", "U02", "乙项目", "2023-02-10", "2023-05-02", 10, None, None, None, None]]}
    html = upload(unit, workbook(mixed)).get_data(as_text=True)
    assert rows(html, "problems") == [("单位!A2", "此处只能导入单位 U01 自己的项目行 (此为 单位)"),
                                      ("项目!B3", "此处只能导入单位 U01 自己的项目行 (此为 项目)")]
    assert 'id="confirm-form"' not in html
    chinese(html, {"四号园区", "周报"})
    assert facts(app) == before and project(app, "P0011") is None and project(app, "P0002")["signed_on"] is None

    own = {"项目": [["P0011", "U01", "丁项目", "2023-05-01", "2023-05-03", 20, None, None, None, None]]}
    html = upload(unit, workbook(own)).get_data(as_text=True)
    assert rows(html, "new-projects") == [("项目!A2", "P0011", "U01", "丁项目", "2023-05-01")]
    assert confirm(unit, html).status_code == 302
    assert project(app, "P0011")["signed_amount"] == "200000.00"
    recorded_by = [e for _, e in app.extensions["sankao"].app.log() if getattr(e, "project", None) == "P0011"]
    assert recorded_by  # recorded under the token's name
    assert os.listdir(uploads) == []


def test_a_units_export_has_its_own_projects_and_imports_back_as_nothing_then_as_its_edits(office):
    app, tokens = office
    unit = logged_in(app, tokens["unit:U01"])
    answer = unit.get("/import/projects.xlsx")
    assert answer.status_code == 200 and answer.headers["Content-Disposition"].startswith("attachment")
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    assert book.sheetnames == ["说明", "单位", "目标", "项目"]
    assert [r[0] for r in book["项目"].iter_rows(min_row=2, values_only=True)] == ["P0001"]  # its own only
    assert list(book["单位"].iter_rows(min_row=2, values_only=True)) == [("U01", "一号园区", "park")]
    html = upload(unit, answer.data, "导出.xlsx").get_data(as_text=True)
    assert 'id="nothing"' in html, rows(html, "problems")
    book["项目"]["G2"] = "2023-06-30"  # the landing, filled in
    edited = io.BytesIO()
    book.save(edited)
    before = facts(app)
    html = upload(unit, edited.getvalue(), "导出.xlsx").get_data(as_text=True)
    assert rows(html, "new-stages") == [("项目!G2", "P0001", "落地", "2023-06-30", "")]
    assert rows(html, "corrections") == rows(html, "new-projects") == []
    assert confirm(unit, html).status_code == 302 and facts(app) == before + ["ProjectLanded"]


def test_the_template_in_the_pages_language(sqlite_office):
    app, tokens = sqlite_office
    for token, lang, titles, units in [
            ("admin", None, ["说明", "单位", "目标", "项目"], [("U01", "一号园区", "park"), ("U02", "二号部门", "department")]),
            ("admin", "en", ["Instructions", "Units", "Targets", "Projects"], None),
            ("unit:U01", None, ["说明", "单位", "目标", "项目"], [("U01", "一号园区", "park")])]:
        client = logged_in(app, tokens[token], lang)
        page = client.get("/import").get_data(as_text=True)
        assert 'id="download-template"' in page and 'id="download-projects"' in page
        answer = client.get("/import/template.xlsx")
        assert answer.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(answer.data))
        assert book.sheetnames == titles
        header = next(book[titles[3]].iter_rows(max_row=1, values_only=True))
        assert list(header) == (HEADERS["en"]["Projects"] if lang else HEADERS["zh"]["项目"])
        if units:
            assert list(book[titles[1]].iter_rows(min_row=2, values_only=True)) == units
        assert list(book[titles[3]].iter_rows(min_row=2, values_only=True)) == []
    admin = logged_in(app, tokens["admin"])
    book = openpyxl.load_workbook(io.BytesIO(admin.get("/import/projects.xlsx").data))
    assert [r[0] for r in book["项目"].iter_rows(min_row=2, values_only=True)] == ["P0001", "P0002"]


# -- who, CSRF, the size limit ----------------------------------------------------------------------------------------

def test_who_may_import(sqlite_office):
    app, tokens = sqlite_office
    for role in ("admin", "unit:U01"):
        client = logged_in(app, tokens[role])
        assert 'id="nav-import"' in client.get("/").get_data(as_text=True)
        assert client.get("/import").status_code == 200
    for role in ("viewer", "auditor", "supervisor"):
        client = logged_in(app, tokens[role])
        assert 'id="nav-import"' not in client.get("/").get_data(as_text=True)
        page = client.get("/import").get_data(as_text=True)
        for url in ("/import", "/import/template.xlsx", "/import/projects.xlsx"):
            answer = client.get(url)
            assert answer.status_code == 403, (role, url)
            assert f"您的令牌（t-{role}，" in answer.get_data(as_text=True)  # who it is, and that it may not
            assert "无权打开此页面" in answer.get_data(as_text=True)
        csrf = csrf_of(page)
        answer = client.post("/import", data={"csrf_token": csrf, "workbook": (io.BytesIO(workbook(THE_WEEK)),
                                                                                "w.xlsx")},
                             content_type="multipart/form-data")
        assert answer.status_code == 403, role
    assert app.test_client().get("/import").status_code == 302  # no session: to the log-in


def test_csrf_is_refused(sqlite_office, uploads):
    app, tokens = sqlite_office
    admin = logged_in(app, tokens["admin"])
    answer = upload(admin, workbook(THE_WEEK), csrf=False)
    assert answer.status_code == 400 and (not uploads.exists() or os.listdir(uploads) == [])
    html = upload(admin, workbook(THE_WEEK)).get_data(as_text=True)
    before = facts(app)
    answer = confirm(admin, html, csrf_token=None)
    assert answer.status_code == 400 and "表单不是从本站发出或已过期" in answer.get_data(as_text=True)
    assert facts(app) == before
    assert confirm(admin, html).status_code == 302  # the preview is still kept: with its token it records
    assert len(facts(app)) > len(before)


def test_the_size_limit(sqlite_office, uploads):
    from web.import_view import LIMIT
    app, tokens = sqlite_office
    admin = logged_in(app, tokens["admin"])
    answer = upload(admin, b"x" * (LIMIT + 1024 * 1024), "大.xlsx")
    html = answer.get_data(as_text=True)
    assert answer.status_code == 413
    said = unescape(re.sub(r"<[^>]+>", "", re.search(r'id="problem-workbook">(.*?)</p>', html, re.S).group(1)))
    assert said == "文件超过 20MB：未读取，也未录入任何内容。请导入不超过 20MB 的工作簿（较大的可按单位拆分）。"
    chinese(html)
    assert not uploads.exists() or os.listdir(uploads) == []
    en = logged_in(app, tokens["admin"], "en")
    assert "The file is larger than 20 MB" in upload(en, b"x" * (LIMIT + 1), "big.csv").get_data(as_text=True)
    # more than the API's 8 MB but within the workbook's limit: read (and refused as what it is, not a workbook)
    answer = upload(admin, b"PK" + b"\0" * (9 * 1024 * 1024), "九兆.xlsx")
    assert answer.status_code == 200 and rows(answer.get_data(as_text=True), "problems")[0][0] == "九兆.xlsx"
    assert os.listdir(uploads) == []


def test_an_uploads_folder_others_may_open_is_refused(sqlite_office, uploads):
    app, tokens = sqlite_office
    uploads.mkdir(mode=0o777)
    os.chmod(uploads, 0o777)
    admin = logged_in(app, tokens["admin"])
    answer = upload(admin, workbook(THE_WEEK))
    assert answer.status_code == 500 and "SANKAO_UPLOADS" in answer.get_data(as_text=True)
    assert os.listdir(uploads) == []


def test_a_read_only_store_shows_no_upload_form(tmp_path, uploads):
    from web import create_app
    app, tokens = _office(str(tmp_path / "office.db"))
    app.extensions["sankao"].close()
    app = create_app(Config(db=str(tmp_path / "office.db")), read_only=True)
    try:
        admin = logged_in(app, tokens["admin"])
        page = admin.get("/import").get_data(as_text=True)
        assert 'id="read-only"' in page and 'id="import-form"' not in page
        answer = admin.post("/import", data={"csrf_token": csrf_of(page),
                                             "workbook": (io.BytesIO(workbook(THE_WEEK)), "w.xlsx")},
                            content_type="multipart/form-data")
        assert answer.status_code == 403
        assert admin.get("/import/projects.xlsx").status_code == 200
    finally:
        app.extensions["sankao"].close()
