"""The supervision pages in a real browser (as tests/test_browser.py: Playwright driving Debian's chromium, no
request to another host, no console error, a screenshot of every test in build/screenshots/), over the shared year
with supervision (its six rejected lines left out): the supervision page, a unit filing its self-check, a
supervisor recording a misreport, the printable spot-check record on A4. Without chromium they skip."""

from __future__ import annotations

import re
import threading

import pytest

from test_browser import SHOTS, SHOWN_TEXT, browser_context_args, browser_type_launch_args, log_in, page  # noqa: F401
from conftest import SCENARIOS  # noqa: E402
from core.bootstrap import Config, Platform  # noqa: E402

YEAR = SCENARIOS / "year2023-supervision"
REJECTED = {73, 81, 121, 145, 414, 554}


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The shared year served on a free port by waitress in this process; its tokens; the names and reasons a
    page shows as they are."""
    import json

    import waitress

    from web import create_app
    db = str(tmp_path_factory.mktemp("browser-supervision") / "year.db")
    lines = (YEAR / "commands.jsonl").read_text(encoding="utf-8").splitlines()
    platform = Platform(Config(db=db), "load")
    assert not platform.ledger.load([(n, line) for n, line in enumerate(lines, 1) if n not in REJECTED],
                                    "office").rejected
    platform.catch_up()
    tokens = {role: platform.ledger.issue_token(f"t-{role.replace(':', '-')}", role, "test")
              for role in ("admin", "supervisor", "unit:U07")}
    platform.close()
    commands = [json.loads(line) for line in lines]
    data = {c.get(k) for c in commands for k in ("name", "reason", "note") if c.get(k)}
    app = create_app(Config(db=db))
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield (f"http://127.0.0.1:{server.effective_port}", tokens, app,
           data | {f"t-{r.replace(':', '-')}" for r in tokens} | {"office"})
    server.close()
    app.extensions["sankao"].close()


def _no_english(page, data) -> None:
    from core.glossary import variants_in
    from test_language_pages import english_words, times_without_zone
    text = page.evaluate(SHOWN_TEXT)
    assert not english_words(text, data), english_words(text, data)[:20]
    assert not variants_in(text) and not times_without_zone(text)


def test_the_supervision_page(page, office):
    base, tokens, app, data = office
    log_in(page, base, tokens["admin"])
    page.click("#nav-supervision")
    page.wait_for_selector("#sc-grid")
    assert page.locator("h1").inner_text() == "督查 · 2023-12"  # the latest month that has ended
    page.select_option("#month", "2023-07")
    page.wait_for_url(re.compile(r"month=2023-07"))
    assert page.locator("#sc-grid tbody tr").count() == 8
    assert page.locator("#sc-grid td.sc-missing").count() == 15 and page.locator("#sc-grid td.sc-late").count() == 12
    colours = {state: page.locator(f"#sc-grid td.sc-{state}").first.evaluate("e => getComputedStyle(e).backgroundColor")
               for state in ("on_time", "late", "missing", "not_owed")}
    assert len(set(colours.values())) == 4, colours  # each state its own colour
    assert page.locator("#sc-legend .key").count() == 5
    assert page.locator('#sc-grid tr[data-unit="U07"] .listed').inner_text() == "挂牌督战"
    draw = page.locator("#draw-SC-2023-07")
    assert "sankao audit draw SC-2023-07" in draw.inner_text() and draw.locator("tbody tr").count() == 7
    assert draw.locator("tr.finding-misreported").count() == 2
    page.screenshot(path=str(SHOTS / "zh-supervision.png"), full_page=True)
    _no_english(page, data)
    page.click('#sv-units tr[data-unit="U07"] td.unit a')  # the unit: its mark and its deduction taken apart
    page.wait_for_selector("#deduction-parts")
    assert page.locator("#listed").inner_text() == "挂牌督战"
    assert "2023-06 的自查未提交（截止 2023-07-05）" in page.locator("#deduction-parts").inner_text()
    page.screenshot(path=str(SHOTS / "zh-unit-deduction.png"), full_page=True)
    _no_english(page, data)
    page.click("#lang-en")
    page.wait_for_selector("text=Pre-deducted points taken apart")
    page.goto(base + "/supervision?month=2023-07")
    page.wait_for_selector("text=Self-checks · 2023")
    assert "Spot checks · 2023-07" in page.content()


def test_a_unit_files_its_self_check(page, office):
    base, tokens, app, data = office
    platform = app.extensions["sankao"]
    missing = next(m for m in (f"2023-{n:02d}" for n in range(2, 13))
                   if platform.queries.supervision(m)["units"][6]["self_check"] is None)
    log_in(page, base, tokens["unit:U07"])
    page.click("#nav-supervision")
    page.wait_for_selector("#sc-grid")
    assert page.locator("#sc-grid tbody tr").count() == 1  # its own line only
    page.click("#nav-self-check")
    page.wait_for_selector("#self-check-form")
    assert page.locator("#unit option").all_inner_texts() == ["U07 Unit U07"]
    page.select_option("#period", missing)
    page.fill("#date", "2023-01-15")  # not after the month: the record refuses it, said beside the date
    page.click("#self-check-form button[type=submit]")
    page.locator("#problem-date").wait_for()
    assert f"不晚于 {missing} 的月末" in page.locator("#problem-date").inner_text()
    page.fill("#date", "2026-01-02")
    page.fill("#note", "figures checked against the signed contracts")
    page.click("#self-check-form button[type=submit]")
    page.wait_for_selector("#recorded")
    assert f"已录入 U07 {missing} 的定期自查" in page.locator("#recorded").inner_text()
    cell = page.locator('#sc-grid tr[data-unit="U07"] td.sc').nth(int(missing[5:]) - 1)
    assert cell.get_attribute("data-state") == "late" and cell.inner_text() == "01-02"


def test_a_supervisor_records_a_misreport(page, office):
    base, tokens, app, data = office
    platform = app.extensions["sankao"]
    log_in(page, base, tokens["supervisor"])
    assert page.locator("#nav-record").count() == 0
    page.goto(base + "/supervision?month=2023-12")
    row = page.locator("#draw-SC-2023-12 tbody tr").first
    project = row.get_attribute("data-project")
    row.locator("a", has_text="录入").click()
    page.wait_for_selector("#finding-form")
    assert page.locator("#draw").input_value() == "SC-2023-12" and page.locator("#project").input_value() == project
    page.fill("#date", "2024-01-10")
    page.select_option("#result", "misreported")
    page.select_option("#field", "signed_amount")
    page.fill("#reason", "contract amount lower than reported")
    page.click("#finding-form button[type=submit]")
    page.locator("#problem-value").wait_for()  # a misreport without the verified value
    assert "更正值 (value)" in page.locator("#problem-value").inner_text()
    page.fill("#value", "8800")
    page.click("#finding-form button[type=submit]")
    page.wait_for_selector("#recorded")
    assert "虚报" in page.locator("#recorded").inner_text()
    done = page.locator(f'#draw-SC-2023-12 tr[data-project="{project}"]')
    assert "虚报" in done.inner_text() and "8,800.00 万元" in done.inner_text()
    assert next(p for p in platform.queries.projects() if p["project"] == project)["signed_amount"] == "88000000.00"
    _no_english(page, data | {"contract amount lower than reported"})


def test_the_printable_spot_check_record(page, office):
    base, tokens, app, data = office
    log_in(page, base, tokens["admin"])
    page.goto(base + "/supervision?month=2023-07")
    page.click("#draw-SC-2023-07 a.print-link")
    page.wait_for_selector("#spot-check")
    draw = app.extensions["sankao"].queries.supervision("2023-07")["draws"][0]
    assert page.locator("#seed").inner_text() == draw["seed"] and page.locator("#candidates").inner_text() == "19"
    assert page.locator("#sample tbody tr").count() == 7
    assert "sankao audit draw SC-2023-07" in page.locator("#recompute").inner_text()
    assert [c.strip() for c in page.locator("#signatures th").all_inner_texts()] == ["检查人", "日期",
                                                                                     "被检查单位负责人", "日期"]
    _no_english(page, data)
    page.emulate_media(media="print")  # as printed: no bar, no buttons, A4
    assert not page.locator("header.bar").is_visible() and not page.locator("button[data-print]").is_visible()
    page.screenshot(path=str(SHOTS / "zh-spot-check-print.png"), full_page=True)
    page.pdf(path=str(SHOTS / "zh-spot-check.pdf"), format="A4")
    page.emulate_media(media="screen")
