"""The import page (issue #21) in a real browser (as tests/test_browser.py: Playwright driving Debian's chromium, no
request to another host, no console error, a screenshot of every test in build/screenshots/), over the shared year:
an admin downloads the template, uploads a week's workbook, reads the preview (each line with its cell) and records
it; a unit's token uploads a workbook with mistakes and another unit's row and reads every problem by its cell, in
Chinese and in English, nothing recorded. Without chromium they skip."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest

from test_browser import SHOTS, SHOWN_TEXT, browser_context_args, browser_type_launch_args, log_in, page  # noqa: F401
from conftest import SCENARIO  # noqa: E402
from core.bootstrap import Config, Platform  # noqa: E402

HEADERS = ["项目编号", "单位编号", "项目名称", "谋划日期", "签约日期", "签约金额（万元）", "落地日期", "开工日期", "退出日期",
           "退出原因"]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The shared year served on a free port by waitress in this process, uploads kept in a folder of the test's;
    its tokens; the names a page shows as they are."""
    import json

    import waitress

    from web import create_app
    folder = tmp_path_factory.mktemp("browser-import")
    patch = pytest.MonkeyPatch()
    patch.setenv("SANKAO_UPLOADS", str(folder / "uploads"))
    db = str(folder / "year.db")
    lines = (SCENARIO / "commands.jsonl").read_text(encoding="utf-8").splitlines()
    platform = Platform(Config(db=db), "load")
    assert not platform.ledger.load(list(enumerate(lines, 1)), "office").rejected
    platform.catch_up()
    tokens = {role: platform.ledger.issue_token(f"t-{role.replace(':', '-')}", role, "test")
              for role in ("admin", "unit:U07")}
    platform.close()
    data = {json.loads(line).get("name") for line in lines} - {None}
    app = create_app(Config(db=db))
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield (f"http://127.0.0.1:{server.effective_port}", tokens, app, folder,
           data | {f"t-{r.replace(':', '-')}" for r in tokens} | {"office"})
    server.close()
    app.extensions["sankao"].close()
    patch.undo()


def _no_english(page, data) -> None:
    from core.glossary import variants_in
    from test_language_pages import english_words, times_without_zone
    text = page.evaluate(SHOWN_TEXT)
    assert not english_words(text, data), english_words(text, data)[:20]
    assert not variants_in(text) and not times_without_zone(text)


def _workbook(path, rows) -> str:
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "项目"
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return str(path)


def _row(p: dict, **changed) -> list:
    """A project of the record as a row of the 项目 sheet (amounts in 万元, exactly), ``changed`` applied."""
    from decimal import Decimal
    p = {**p, **changed}
    amount = p["signed_amount"]
    wan = format((Decimal(amount) / 10000).normalize(), "f") if amount is not None and "amount" not in changed \
        else p.get("amount")
    return [p["project"], p["unit"], p["name"], p["planned_on"], p["signed_on"], wan, p["landed_on"],
            p["started_on"], p["withdrawn_on"], None]


def test_an_admin_imports_a_weeks_workbook(page, office):
    base, tokens, app, folder, data = office
    platform = app.extensions["sankao"]
    projects = platform.queries.projects()
    landing = next(p for p in projects if p["signed_on"] and not p["landed_on"] and not p["withdrawn_on"])
    landed_on = (date.fromisoformat(landing["signed_on"]) + timedelta(days=12)).isoformat()
    amended = next(p for p in projects if p["signed_on"] and p["project"] != landing["project"])
    path = _workbook(folder / "第48周.xlsx", [
        _row(landing, landed_on=landed_on),
        _row(amended, amount="123.45"),
        ["P9001", "U03", "新材料产业园项目", "2023-11-20", "2023-11-28", "6500", None, None, None, None]])
    log_in(page, base, tokens["admin"])
    page.click("#nav-import")
    page.wait_for_selector("#import-form")
    assert page.locator("h1").inner_text() == "导入工作簿"
    with page.expect_download() as download:
        page.click("#download-template")
    assert download.value.suggested_filename == "sankao-template-zh.xlsx"
    page.set_input_files("#workbook", path)
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#preview")
    assert page.locator("#summary").inner_text() == "将一次录入：新单位 0 个、目标 0 条、新项目 1 个、新环节 2 个、更正 1 条。"
    assert page.locator("#new-projects tbody tr").all_inner_texts() == ["项目!A4\tP9001\tU03\t新材料产业园项目\t2023-11-20"]
    stages = page.locator("#new-stages tbody tr").all_inner_texts()
    assert stages == [f"项目!G2\t{landing['project']}\t落地\t{landed_on}\t", "项目!E4\tP9001\t签约\t2023-11-28\t6,500.00"]
    (correction,) = page.locator("#corrections tbody tr").all_inner_texts()
    assert correction.startswith(f"项目!F3\t{amended['project']}\t签约金额\t") and correction.endswith("\t123.45")
    page.screenshot(path=str(SHOTS / "zh-import-preview.png"), full_page=True)
    _no_english(page, data | {"新材料产业园项目", "第48周"})
    assert not any(p["project"] == "P9001" for p in platform.queries.projects())  # nothing recorded yet
    page.click("#confirm-form button[type=submit]")
    page.wait_for_selector("#recorded")
    assert page.locator("#recorded").inner_text() == ("已从 第48周.xlsx 录入 4 条指令（0 条此前已录入）：新单位 0 个、目标 0 条、"
                                                      "新项目 1 个、新环节 2 个、更正 1 条。")
    page.screenshot(path=str(SHOTS / "zh-import-recorded.png"), full_page=True)
    found = {p["project"]: p for p in platform.queries.projects()}
    assert found["P9001"]["signed_amount"] == "65000000.00" and found[landing["project"]]["landed_on"] == landed_on
    assert found[amended["project"]]["signed_amount"] == "1234500.00"
    page.set_input_files("#workbook", path)  # the same workbook again: nothing to record
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#nothing")
    assert page.locator("#confirm-form").count() == 0


def test_a_unit_reads_a_refused_workbooks_problems_by_cell(page, office):
    base, tokens, app, folder, data = office
    platform = app.extensions["sankao"]
    before = len(platform.queries.projects())
    path = _workbook(folder / "U07周报.xlsx", [
        ["P9101", "U07", "智能装备项目", "2023-11-02", "2023-11-05", -20, None, None, None, None],
        ["P9102", "U07", "冷链物流项目", "2023-11-31", None, None, None, None, None, None],
        ["P9103", "U01", "他人项目", "2023-11-03", None, None, None, None, None, None],
        ["P9104", "U07", None, "2023-11-03", None, None, None, None, None, None]])
    log_in(page, base, tokens["unit:U07"])
    page.click("#nav-import")
    page.wait_for_selector("#import-form")
    assert "您的令牌只能导入单位 U07 自己的项目行。" in page.locator("#import").inner_text()
    from web.import_view import LIMIT
    large = folder / "太大.csv"
    large.write_bytes(b"x" * (LIMIT + 1))
    page.set_input_files("#workbook", str(large))  # larger than the limit: said beside the field, nothing read
    page.click("#import-form button[type=submit]")
    page.locator("#problem-workbook").wait_for()
    assert page.locator("#problem-workbook").inner_text().startswith("文件超过 20MB：未读取，也未录入任何内容。")
    page.console_errors[:] = [e for e in page.console_errors if "413" not in e]  # the answer's status, on purpose
    page.set_input_files("#workbook", path)
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#problems")
    assert page.locator("#refused").inner_text().startswith("共 4 个问题：整份文件都不会录入。")
    assert page.locator("#problems tbody tr").all_inner_texts() == [
        "项目!F2\t签约金额-20 为负数: 金额须不小于 0",
        "项目!D3\t谋划日期'2023-11-31' 不是日期 (可写作 2023-06-15、2023/6/15、2023年6月15日, 或 Excel 日期)",
        "项目!B4\t此处只能导入单位 U07 自己的项目行 (此为 项目)",
        "项目!C5\t项目名称须填写"]
    assert page.locator("#confirm-form").count() == 0
    page.screenshot(path=str(SHOTS / "zh-import-refused.png"), full_page=True)
    _no_english(page, data | {"智能装备项目", "冷链物流项目", "他人项目", "U07周报"})
    page.click("#lang-en")
    page.wait_for_selector("#import-form")
    page.set_input_files("#workbook", path)
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#problems")
    assert page.locator("#problems tbody tr").all_inner_texts()[2:] == [
        "项目!B4\tonly unit U07's project rows may be imported here (this is 项目)", "项目!C5\tProject name: is required"]
    page.screenshot(path=str(SHOTS / "en-import-refused.png"), full_page=True)
    assert len(platform.queries.projects()) == before
