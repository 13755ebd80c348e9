"""The office's pages in a real browser (Playwright driving Debian's chromium): the board, a month switched, a unit,
the language, a unit's form, a viewer kept out, the pages under zh with no English word; and the README's first
command serving the demo.

Every test saves a screenshot of its page in build/screenshots/; any request to another host and any console
error fails it. Without chromium the tests skip, saying how to install it (CI installs it and sets
SANKAO_REQUIRE_BROWSER=1, which makes a missing browser a failure).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytest.importorskip("playwright", reason="pip install -e '.[test]' installs playwright")

from conftest import ROOT  # noqa: E402
from core.bootstrap import Config, Platform  # noqa: E402
from core.clock import local_date, now  # noqa: E402
from core.samples.demo import demo_commands  # noqa: E402

# SANKAO_CHROMIUM names the browser to drive; "none" behaves as a machine without one (.ci/run's clone
# with nothing beside it checks that the tests then skip, saying how to enable them)
CHROMIUM = (None if os.environ.get("SANKAO_CHROMIUM") == "none"
            else os.environ.get("SANKAO_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser"))
SHOTS = ROOT / "build" / "screenshots"
if not CHROMIUM:
    message = "no chromium to drive: apt-get install chromium fonts-noto-cjk (.ci/run does)"
    if os.environ.get("SANKAO_REQUIRE_BROWSER") == "1":
        raise RuntimeError(message + "; SANKAO_REQUIRE_BROWSER=1 says the browser tests must run here")
    pytest.skip(message, allow_module_level=True)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A Chinese browser, as an office's is (its date fields say 年/月/日)."""
    return {**browser_context_args, "locale": "zh-CN"}


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    """The demo of today served on a free port by waitress in this process; its tokens."""
    import waitress

    from web import create_app
    db = str(tmp_path_factory.mktemp("browser") / "demo.db")
    platform = Platform(Config(db=db), "load")
    commands = demo_commands(local_date(now(), platform.tz), tz=platform.tz)
    assert not platform.ledger.load([(n, json.dumps(c, ensure_ascii=False)) for n, c in enumerate(commands, 1)],
                                    "demo").rejected
    platform.catch_up()
    tokens = {role: platform.ledger.issue_token(role.replace(":", "-"), role, "test")
              for role in ("admin", "viewer", "unit:U05")}
    platform.close()
    app = create_app(Config(db=db))
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}", tokens, app
    server.close()
    app.extensions["sankao"].close()


@pytest.fixture
def page(page, request):
    """Playwright's page, kept on this machine: a request to another host is refused and fails the test, and so
    does a console error; a screenshot of the page is saved whatever the outcome."""
    foreign, errors = [], []

    def route(r):
        host = urlparse(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            r.continue_()
        else:
            foreign.append(r.request.url)
            r.abort()
    page.route("**/*", route)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors  # a test that loads an error page on purpose takes its message out
    yield page
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', request.node.name)}.png"), full_page=True)
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not errors, f"console errors: {errors}"


def log_in(page, base: str, token: str) -> None:
    page.goto(base + "/")
    assert "/login" in page.url
    page.fill("#token", token)
    page.click("button[type=submit]")
    page.wait_for_selector("#board")


def test_the_board_and_another_month(page, office):
    base, tokens, app = office
    log_in(page, base, tokens["admin"])
    rows = page.locator("#board tbody tr")
    assert rows.count() == 20
    assert page.locator("h1").inner_text().startswith("招商引资形象清单")
    months = page.locator("#month option").all_inner_texts()
    earlier = months[-2]
    page.select_option("#month", earlier)
    page.wait_for_url(re.compile(rf"month={earlier}"))
    assert earlier in page.locator("h1").inner_text()
    board = app.extensions["sankao"].queries.board(earlier)
    assert page.locator("#board tbody tr").first.get_attribute("data-unit") == board["units"][0]["unit"]
    assert ("月度结账后已冻结" if board["frozen"] else "实时") in page.locator("#board-state").inner_text()


def test_a_unit_in_both_languages(page, office):
    base, tokens, _ = office
    log_in(page, base, tokens["admin"])
    page.locator("#board tbody tr td.unit a").first.click()
    page.wait_for_selector("#unit-name")
    assert page.locator("#indicators tbody tr").count() >= 4 and page.locator("svg.trend").count() == 1
    page.click("#lang-en")
    page.wait_for_selector("text=Indicators")
    assert "Final score and rank, month by month" in page.content()
    page.click("#lang-zh")
    page.wait_for_selector("text=考核指标")


def _signed(page, unit: str) -> Decimal:
    cells = page.locator(f'#board tbody tr[data-unit="{unit}"] td.num').all_inner_texts()
    return Decimal(cells[1].replace(",", ""))


def test_a_unit_records_a_signing_and_the_board_changes(page, office):
    base, tokens, app = office
    platform = app.extensions["sankao"]
    today = local_date(now(), platform.tz)
    if f"{today:%Y-%m}" not in [m for m in _months(platform)]:
        pytest.skip(f"{today:%Y-%m} has no board yet (the demo's targets for {today.year} are set on 3 January)")
    log_in(page, base, tokens["unit:U05"])
    before = _signed(page, "U05")
    project = next(p for p in platform.queries.projects("U05") if p["signed_on"] is None
                   and p["withdrawn_on"] is None and p["planned_on"] <= today.isoformat())
    page.click("#nav-record")
    page.select_option("#action", "sign_project")
    page.select_option("#project", project["project"])
    page.fill("#day", today.isoformat())
    page.fill("#amount", "25000")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector("#recorded")
    page.goto(base + "/")
    assert _signed(page, "U05") == before + Decimal("2.50")  # 25000 万元 = 2.50 亿元


def test_a_rejected_form_names_the_field(page, office):
    base, tokens, app = office
    platform = app.extensions["sankao"]
    project = next(p for p in platform.queries.projects("U05") if p["signed_on"] is None and p["withdrawn_on"] is None)
    log_in(page, base, tokens["unit:U05"])
    page.click("#nav-record")
    page.select_option("#project", project["project"])
    page.fill("#day", "2001-01-01")
    page.fill("#amount", "100")
    page.click("#record-form button[type=submit]")
    problem = page.locator("#problem-day")
    problem.wait_for()
    assert "signed_on" in problem.inner_text() and "planned_on" in problem.inner_text()


def test_a_viewer_cannot_reach_the_form(page, office):
    base, tokens, _ = office
    log_in(page, base, tokens["viewer"])
    assert page.locator("#nav-record").count() == 0
    answer = page.goto(base + "/record")
    assert answer.status == 403 and "无权" in page.content()
    assert page.console_errors == ["Failed to load resource: the server responded with a status of 403 (FORBIDDEN)"]
    page.console_errors.clear()  # the one error this test asked for


# a page's text as its reader sees it, without the literals it marks (translate="no": an id, a key, a command to
# type) and the words marked as another language (the switch to English)
SHOWN_TEXT = """() => {
  const skip = '[translate="no"], [lang]:not([lang^="zh"]), script, style';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [document.title];
  while (walker.nextNode()) {
    if (!walker.currentNode.parentElement.closest(skip)) parts.push(walker.currentNode.textContent);
  }
  return parts.join(" ");
}"""


def test_chinese_pages_say_nothing_in_english(page, office):
    """Under zh (the default) the board, a unit, a printable letter and the annual standing show no English word
    but data and no word the glossary replaced, and every time says its zone; each saved as
    build/screenshots/zh-*.png."""
    from core.glossary import variants_in
    from core.read.office import people_names
    from test_language_pages import english_words, times_without_zone
    base, tokens, app = office
    platform = app.extensions["sankao"]
    data = {*platform.queries.names().values(), *(p["name"] for p in platform.queries.projects()),
            *people_names(platform).values(), "admin", "demo"}
    log_in(page, base, tokens["admin"])
    year = local_date(now(), platform.tz).year - 1
    page.goto(base + "/notices?unit=U05")
    letter = page.locator('a[href^="/notices/U05-"]').first.get_attribute("href")
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, path, ready in [("board", "/", "#board"), ("unit", "/units/U05", "#indicators"),
                              ("letter", letter, "#letter"), ("annual", f"/annual/{year}", "#annual-people")]:
        page.goto(base + path)
        page.wait_for_selector(ready)
        page.screenshot(path=str(SHOTS / f"zh-{name}.png"), full_page=True)
        text = page.evaluate(SHOWN_TEXT)
        assert not english_words(text, data), (name, english_words(text, data)[:20])
        assert not variants_in(text), (name, variants_in(text))
        assert not times_without_zone(text), (name, times_without_zone(text))
    assert page.locator("#annual-people tbody td.person").first.inner_text().split()[-1].startswith("U")


def test_the_readmes_first_command_serves_the_demo(page, tmp_path):
    """`sankao demo` as the README runs it, in an empty folder: it loads, prints the logins, serves the pages."""
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sankao = Path(sys.executable).parent / "sankao"
    server = subprocess.Popen([str(sankao), "demo", "--port", str(port)], cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              env={k: v for k, v in os.environ.items() if not k.startswith("SANKAO_")})
    drain = None
    try:
        token = None
        for line in server.stdout:
            if line.strip().startswith("admin "):
                token = line.split()[-1]
                break
        assert token and token.startswith("sk_"), "the demo printed no admin login"
        for line in server.stderr:  # the banner comes once the server listens
            if "serving the demo on" in line:
                break
        drain = threading.Thread(target=server.stderr.read, daemon=True)  # whatever it says next
        drain.start()
        log_in(page, f"http://127.0.0.1:{port}", token)
        assert page.locator("#board tbody tr").count() == 20
        assert "石化产业园" in page.content()
        assert (tmp_path / "sankao-demo.db").exists()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
        if drain is not None:
            drain.join(10)
        server.stdout.close()
        server.stderr.close()


def _months(platform):
    from core.read.office import months
    return months(platform)
