"""The supervision pages (web/supervision_pages.py, issue #20) over the shared year with supervision
(core/samples/public-years/year2023-supervision, its six rejected lines left out): the year's grid of self-checks
with the README's counts, a month's spot checks and findings, the printable spot-check record, the 挂牌督战 mark on
the board and the unit page, a unit's deduction taken apart; who sees what (a unit's token its own line only);
the forms with CSRF, the API's rules and each message beside its field in both languages."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from conftest import SCENARIOS
from core.bootstrap import Config, Platform

YEAR = SCENARIOS / "year2023-supervision"
REJECTED = {73, 81, 121, 145, 414, 554}  # the README's six lines the contract rejects
ROLES = ("admin", "auditor", "viewer", "supervisor", "unit:U07", "unit:U02")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def office(request, tmp_path_factory):
    """The shared year with supervision, every line but the six rejected ones recorded; a token per role; the
    data a page shows as it is (names, reasons, notes)."""
    from conftest import _drop_schema, _pg_schema_url
    from core.bootstrap import init_store
    from web import create_app
    if request.param == "sqlite":
        db = str(tmp_path_factory.mktemp("supervision-pages") / "year.db")
    else:
        db, schema = _pg_schema_url()
        init_store(Config(db=db)).close()
        request.addfinalizer(lambda: _drop_schema(schema))
    lines = (YEAR / "commands.jsonl").read_text(encoding="utf-8").splitlines()
    platform = Platform(Config(db=db), "load")
    report = platform.ledger.load([(n, line) for n, line in enumerate(lines, 1) if n not in REJECTED], "office")
    assert not report.rejected, report.rejected
    platform.catch_up()
    tokens = {role: platform.ledger.issue_token(f"t-{role.replace(':', '-')}", role, "test") for role in ROLES}
    platform.close()
    app = create_app(Config(db=db))
    commands = [json.loads(line) for line in lines]
    data = {c.get(k) for c in commands for k in ("name", "reason", "note")} | {f"t-{r.replace(':', '-')}" for r in ROLES}
    yield app, tokens, {d for d in data if d} | {"office", "test"}
    app.extensions["sankao"].close()


def logged_in(app, token: str, lang: str | None = None):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    answer = client.post("/login", data={"token": token, "csrf_token": csrf_of(page)})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
    if lang:
        client.get(f"/lang/{lang}")
    return client


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)


def form_of(client, url: str) -> dict:
    """The hidden fields of the form at ``url`` (its CSRF token and its command's id)."""
    html = client.get(url).get_data(as_text=True)
    return {"csrf_token": csrf_of(html), "nonce": re.search(r'name="nonce" value="([^"]+)"', html).group(1)}


def problem(html: str, field: str) -> str | None:
    """The message beside ``field``, as read (its format literals' marks taken off)."""
    from html import unescape
    found = re.search(rf'<p class="problem" id="problem-{field}">(.*?)</p>', html, re.S)
    return found and unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def chinese(html: str, data) -> None:
    from test_language_pages import problems, times_without_zone, visible
    text, literals = visible(html)
    assert not problems(text, data, literals), problems(text, data, literals)[:20]
    assert not times_without_zone(text), times_without_zone(text)


# -- what the pages show -----------------------------------------------------------------------------------------

def test_the_grid_of_self_checks_counts_what_the_readme_says(office):
    """88 self-checks owed (8 units, February to December): 15 never sent, 12 late, the others on time; January
    not owed (U03 and U05 sent theirs anyway). Each state has its colour, the legend says them all."""
    app, tokens, data = office
    html = logged_in(app, tokens["admin"]).get("/supervision?month=2023-07").get_data(as_text=True)
    grid = html[html.index('id="sc-grid"'):html.index('id="sc-legend"')]
    assert Counter(re.findall(r'data-state="(\w+)"', grid)) == {"on_time": 61, "late": 12, "missing": 15,
                                                                 "not_owed": 8}
    assert len(re.findall(r'<tr data-unit="U\d\d">', grid)) == 8
    u03 = re.search(r'<tr data-unit="U03">(.*?)</tr>', grid, re.S).group(1)
    cells = re.findall(r'data-state="(\w+)"[^>]*>([^<]*)</td>', u03)
    assert cells[0] == ("not_owed", "02-03") and cells[6] == ("late", "08-10") and cells[1] == ("missing", "未报")
    u07 = re.search(r'<tr data-unit="U07">(.*?)</tr>', grid, re.S).group(1)
    assert re.findall(r'data-state="(\w+)"[^>]*>([^<]*)</td>', u07)[1] == ("on_time", "03-03")  # entered 2023-04-07
    assert "挂牌督战" in u07 and "挂牌督战" not in u03  # listed 2023-06-13 to 2023-09-24
    legend = html[html.index('id="sc-legend"'):]
    for state, word in [("on_time", "按时"), ("late", "逾期"), ("missing", "未报"), ("due", "未到期"),
                        ("not_owed", "无须自查")]:
        assert f'class="key sc-{state}"></span> {word}' in legend
    chinese(html, data)


def test_the_grid_as_known_on_a_day_says_which_self_checks_were_still_to_come(office):
    """As known at the end of 2023-04-05 (March's due day): U04's March self-check, dated that day but entered on
    the 7th, was not yet due; U07's February one, entered on 2023-04-07, was missing. A day later U04's is
    missing too; now both are on time (the date decides, whenever it was entered)."""
    app, tokens, _ = office
    admin = logged_in(app, tokens["admin"])

    def cells(day: str | None, unit: str) -> list[str]:
        html = admin.get("/supervision?month=2023-03" + (f"&known_at={day}" if day else "")).get_data(True)
        row = re.search(rf'<tr data-unit="{unit}">(.*?)</tr>', html, re.S).group(1)
        return re.findall(r'data-state="(\w+)"', row)

    assert cells("2023-04-05", "U04") == ["not_owed", "on_time", "due", "due"]  # 2023-01 to 2023-04 had begun
    assert cells("2023-04-05", "U07")[1] == "missing"
    assert cells("2023-04-06", "U04")[2] == "missing"
    assert cells(None, "U04")[2] == cells(None, "U07")[1] == "on_time"


def test_a_self_checks_state():
    from datetime import date

    from web.supervision_view import cell
    due = date(2023, 4, 5)
    line = {"self_check": None, "on_time": None}
    assert cell(line, True, due, date(2023, 4, 5))["state"] == "due"
    assert cell(line, True, due, date(2023, 4, 6))["state"] == "missing"
    assert cell(line, False, due, date(2023, 4, 6))["state"] == cell(None, True, due, due)["state"] == "not_owed"
    assert cell({"self_check": "2023-04-09", "on_time": False}, True, due, due)["state"] == "late"
    assert cell({"self_check": "2023-04-02", "on_time": True}, True, due, due) == {
        "state": "on_time", "date": "2023-04-02", "due": "2023-04-05"}


def test_a_months_spot_checks_their_seeds_samples_and_findings(office):
    app, tokens, data = office
    platform = app.extensions["sankao"]
    html = logged_in(app, tokens["auditor"]).get("/supervision?month=2023-07").get_data(as_text=True)
    answer = platform.queries.supervision("2023-07")
    (draw,) = answer["draws"]
    section = html[html.index('id="draw-SC-2023-07"'):]
    assert draw["seed"] in section and "sankao audit draw SC-2023-07" in section
    assert "从 19 个候选项目中抽中 7 个（样本量 7）" in section
    assert re.findall(r'<tr data-project="(P\d+)"', section) == [s["project"] for s in draw["sample"]]
    p0139 = re.search(r'<tr data-project="P0139".*?</tr>', section, re.S).group(0)
    assert "虚报" in p0139 and "落地日期 (landed_on) → 2023-08-26" in p0139 and "2023-08-25" in p0139
    assert "landing not yet complete on site" in p0139
    assert "核实无误" in re.search(r'<tr data-project="P0104".*?</tr>', section, re.S).group(0)
    assert "/supervision/draws/SC-2023-07" in section
    points = re.search(r'<tr id="unit-U02".*?</tr>', html, re.S).group(0)
    assert [x for x in re.findall(r'<td class="num">([\d.]+)', points)] == ["0.00", "3.00", "0.00"]
    august = logged_in(app, tokens["admin"]).get("/supervision?month=2023-08").get_data(as_text=True)
    u04 = re.search(r'<tr id="unit-U04".*?</tr>', august, re.S).group(0)
    assert "5.00" in u04 and "2023-08-19" in u04  # the special assessment, with its reason
    chinese(html, data)


def test_the_printable_spot_check_record(office):
    from core.record.supervision import draw_key
    app, tokens, data = office
    platform = app.extensions["sankao"]
    html = logged_in(app, tokens["supervisor"]).get("/supervision/draws/SC-2023-07").get_data(as_text=True)
    draw = platform.queries.supervision("2023-07")["draws"][0]
    assert 'class="a4" id="spot-check"' in html and "随机抽查记录" in html
    assert f'id="seed">{draw["seed"]}<' in html and '<td id="candidates">19</td>' in html
    assert "sankao audit draw SC-2023-07" in html and "sha256(seed|period|project)" in html
    for s in draw["sample"]:
        assert f'<code translate="no">{draw_key(draw["seed"], "2023-07", s["project"])[:12]}</code>' in html
    signatures = html[html.index('id="signatures"'):]
    assert all(word in signatures for word in ("检查人", "被检查单位负责人", "日期"))
    assert "data-print" in html
    chinese(html, data)
    english = logged_in(app, tokens["supervisor"], "en").get("/supervision/draws/SC-2023-07").get_data(True)
    assert "Spot-check record" in english and "Head of the unit inspected" in english
    assert logged_in(app, tokens["admin"]).get("/supervision/draws/SC-1999-01").status_code == 404


def test_the_board_and_the_unit_page_mark_a_listed_unit_and_take_the_deduction_apart(office):
    app, tokens, data = office
    platform = app.extensions["sankao"]
    viewer = logged_in(app, tokens["viewer"])
    july = viewer.get("/?month=2023-07").get_data(as_text=True)
    assert re.findall(r'id="listed-(U\d\d)"', july) == ["U07"]
    assert 'id="listed-' not in viewer.get("/?month=2023-09").get_data(as_text=True)  # delisted 2023-09-24
    admin = logged_in(app, tokens["admin"])
    u07 = admin.get("/units/U07?month=2023-07").get_data(as_text=True)
    assert 'id="listed"' in u07 and "自 2023-06-13 起" in u07
    parts = u07[u07.index('id="deduction-parts"'):u07.index("</table>", u07.index('id="deduction-parts"'))]
    assert "2023-06 的自查未提交（截止 2023-07-05）" in parts  # U07 sent no self-check of June
    assert f'id="deduction-total">{platform.queries.score("U07", "2023-07")["deduction"]}<' in parts
    case = re.search(r'<tr class="part-warning"><td>实时预警</td>\s*<td>案卷 U07-2023-2(.*?)</tr>', parts, re.S).group(1)
    assert "红色督办函 2023-04-03" in case and "结果反馈单 2023-05-08 · 扣分确认" in case and "2.00" in case
    u04 = admin.get("/units/U04?month=2023-08").get_data(as_text=True)
    special = re.search(r'<tr class="part-special">.*?</tr>', u04, re.S).group(0)
    assert "专项考核" in special and "2023-08-19" in special and "5.00" in special
    u02 = admin.get("/units/U02?month=2023-08").get_data(as_text=True)
    misreport = re.search(r'<tr class="part-misreport">.*?</tr>', u02, re.S).group(0)
    assert "SC-2023-07" in misreport and "P0102" in misreport and "落地日期 (landed_on) → 2023-08-03" in misreport
    assert "3.00" in misreport
    assert 'id="listed"' not in u02
    for html in (july, u07, u04, u02):
        chinese(html, data)


# -- who sees what -----------------------------------------------------------------------------------------------

def test_a_units_token_sees_its_own_line_only(office):
    app, tokens, _ = office
    unit = logged_in(app, tokens["unit:U07"])
    html = unit.get("/supervision?month=2023-07").get_data(as_text=True)
    assert set(re.findall(r'data-unit="(U\d\d)"', html)) == {"U07"}
    assert set(re.findall(r'<tr data-project="(P\d+)"', html)) == {"P0139", "P0104", "P0089", "P0107"}
    assert "P0102" not in html and "P0074" not in html  # U02's and U08's sampled projects
    record = unit.get("/supervision/draws/SC-2023-07").get_data(as_text=True)
    assert "P0102" not in record and "P0139" in record and "仅列出本单位被抽中的项目" in record
    other = logged_in(app, tokens["unit:U02"]).get("/supervision?month=2023-03").get_data(as_text=True)
    assert set(re.findall(r'data-unit="(U\d\d)"', other)) == {"U02"}
    assert unit.get("/units/U02?month=2023-07").status_code == 403
    assert 'id="nav-supervision"' in html and 'id="nav-self-check"' in html and 'id="nav-draw"' not in html
    for url in ("/supervision/draw", "/supervision/finding", "/supervision/special", "/supervision/listing"):
        assert unit.get(url).status_code == 403, url


def test_a_unit_cannot_file_another_units_self_check(office):
    app, tokens, _ = office
    platform = app.extensions["sankao"]
    unit = logged_in(app, tokens["unit:U07"])
    form = unit.get("/supervision/self-check").get_data(as_text=True)
    assert re.findall(r'<select id="unit" name="unit">\s*(.*?)</select>', form, re.S)[0].count("<option") == 1
    sent = unit.post("/supervision/self-check", data={**form_of(unit, "/supervision/self-check"), "unit": "U02",
                                                       "period": "2023-03", "date": "2026-01-01"})
    assert sent.status_code == 403 and "您的令牌无权为 U02 录入" in sent.get_data(as_text=True)
    assert platform.queries.supervision("2023-03")["units"][1]["self_check"] is None  # U02's March: still none


def test_roles_and_the_navigation(office):
    app, tokens, _ = office
    viewer = logged_in(app, tokens["viewer"])
    board = viewer.get("/?month=2023-07").get_data(as_text=True)
    assert 'id="nav-supervision"' not in board and viewer.get("/supervision").status_code == 403
    assert viewer.get("/supervision/draws/SC-2023-07").status_code == 403
    supervisor = logged_in(app, tokens["supervisor"])
    page = supervisor.get("/supervision").get_data(as_text=True)
    assert 'id="nav-supervision"' in page and 'id="nav-draw"' in page and 'id="nav-record"' not in page
    assert all(f'id="act-{a}"' in page for a in ("draw", "finding", "special", "listing"))
    assert 'id="act-self-check"' not in page and supervisor.get("/supervision/self-check").status_code == 403
    assert supervisor.get("/record").status_code == 403  # sign_project and land_project are not a supervisor's
    auditor = logged_in(app, tokens["auditor"])
    assert auditor.get("/supervision").status_code == 200
    assert all(auditor.get(url).status_code == 403 for url in ("/supervision/draw", "/supervision/self-check"))
    admin = logged_in(app, tokens["admin"]).get("/supervision").get_data(as_text=True)
    assert all(f'id="act-{a}"' in admin for a in ("self-check", "draw", "finding", "special", "listing"))


def test_a_supervisors_token_cannot_record_a_signing_through_the_record_form(office):
    app, tokens, _ = office
    supervisor = logged_in(app, tokens["supervisor"])
    csrf = csrf_of(supervisor.get("/supervision/special").get_data(as_text=True))
    sent = supervisor.post("/record", data={"csrf_token": csrf, "action": "sign_project", "project": "P0001",
                                            "day": "2026-01-02", "amount": "100"})
    assert sent.status_code == 403


def test_csrf(office):
    app, tokens, _ = office
    unit = logged_in(app, tokens["unit:U07"])
    sent = unit.post("/supervision/self-check", data={"unit": "U07", "period": "2023-06", "date": "2026-01-01"})
    assert sent.status_code == 400 and "表单不是从本站发出或已过期" in sent.get_data(as_text=True)
    supervisor = logged_in(app, tokens["supervisor"])
    assert supervisor.post("/supervision/special", data={"unit": "U01", "date": "2026-01-01", "points": "1",
                                                         "reason": "x", "csrf_token": "forged"}).status_code == 400
    assert app.extensions["sankao"].queries.supervision("2023-06")["units"][6]["self_check"] is None


# -- the forms: the API's rules, each message beside its field, in both languages -----------------------------

@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_self_check_forms_messages_sit_beside_their_fields(office, lang):
    app, tokens, data = office
    unit = logged_in(app, tokens["unit:U07"], lang)
    cases = [({"period": "2023-02", "date": "2023-03-03"}, "period",
              "已提交 2023-02 的自查" if lang == "zh" else "has filed its self-check of 2023-02 already"),
             ({"period": "2023-06", "date": "2023-06-20"}, "date",
              "不晚于 2023-06 的月末" if lang == "zh" else "is not after the end of 2023-06"),
             ({"period": "2023-06", "date": "2023-02-30"}, "date",
              "不是 YYYY-MM-DD 格式的日期" if lang == "zh" else "is not a date written YYYY-MM-DD"),
             ({"period": "2023-13", "date": ""}, "period",
              "不是 YYYY-MM 格式的月份" if lang == "zh" else "is not a month written YYYY-MM")]
    for given, field, said in cases:
        sent = unit.post("/supervision/self-check", data={**form_of(unit, "/supervision/self-check"), "unit": "U07",
                                                          **given})
        html = sent.get_data(as_text=True)
        assert sent.status_code == 200 and said in (problem(html, field) or ""), (given, problem(html, field))
        assert 'id="recorded"' not in html
        if lang == "zh":
            chinese(html, data | set(given.values()))
    if given["date"] == "":
        assert "必须填写" in problem(html, "date") if lang == "zh" else "is required" in problem(html, "date")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_supervisors_forms_messages_sit_beside_their_fields(office, lang):
    app, tokens, data = office
    supervisor = logged_in(app, tokens["supervisor"], lang)
    zh = lang == "zh"
    cases = [("/supervision/special", {"unit": "U02", "date": "2026-11-14", "points": "0.005", "reason": ""},
              {"points": "不是大于 0、不超过 100、至多两位小数" if zh else "is not a decimal string > 0 and <= 100",
               "reason": "必须填写" if zh else "is required"}),
             ("/supervision/special", {"unit": "U02", "date": "2023-11-14", "points": "1", "reason": "late figures"},
              {"date": "2023-11 已关账" if zh else "lies in 2023-11, which is closed"}),
             ("/supervision/finding", {"draw": "SC-2023-12", "project": "P9999", "date": "2024-01-10",
                                       "result": "confirmed"},
              {"project": "不在抽查 SC-2023-12 的样本中" if zh else "is not in the sample of draw SC-2023-12"}),
             ("/supervision/finding", {"draw": "SC-2023-12", "project": _sampled(app, "SC-2023-12")[0],
                                       "date": "2024-01-10", "result": "misreported", "field": "signed_amount"},
              {"value": "须写明" if zh else "a misreported finding needs value"}, {"correct"}),
             ("/supervision/finding", {"draw": "SC-2023-12", "project": _sampled(app, "SC-2023-12")[0],
                                       "date": "2024-01-10", "result": "misreported", "field": "signed_amount",
                                       "value": "-3", "reason": "lower"},
              {"value": "签约额须大于 0" if zh else "a signed amount is more than 0"}),
             ("/supervision/finding", {"draw": "SC-2023-12", "project": _sampled(app, "SC-2023-12")[0],
                                       "date": "2024-01-02", "result": "confirmed"},
              {"date": "早于抽查日期 2024-01-03" if zh else "is before the draw's date 2024-01-03"}),
             ("/supervision/listing", {"cmd": "delist_unit", "unit": "U06", "date": "2026-01-02", "reason": "done"},
              {"unit": "未挂牌督战" if zh else "is not listed"}),
             ("/supervision/draw", {"period": "2023-12", "size": "0", "seed": "x" * 129, "date": "2026-01-02"},
              {"size": "须不小于 1" if zh else "greater than or equal to 1",
               "seed": "长度须在 1 到 128 之间" if zh else "Length must be between 1 and 128"}),
             ("/supervision/draw", {"period": "2023-12", "size": "3", "date": "2023-12-20"},
              {"date": "不晚于 2023-12 的月末" if zh else "is not after the end of 2023-12"}),
             ("/supervision/draw", {"period": "2023-07", "size": "3", "draw": "SC-2023-07", "date": "2026-01-02"},
              {"draw": "已存在" if zh else "exists already"})]
    for url, given, expected, *core_english in cases:  # words core's Chinese message still says in English
        sent = supervisor.post(url, data={**form_of(supervisor, url), **given})
        html = sent.get_data(as_text=True)
        assert sent.status_code == 200 and 'id="recorded"' not in html, (url, given, sent.status_code)
        for field, said in expected.items():
            assert said in (problem(html, field) or ""), (url, given, field, problem(html, field), html[-3000:])
        if zh:
            chinese(html, data | set(given.values()) | set(*core_english))


def _sampled(app, draw: str) -> list[str]:
    platform = app.extensions["sankao"]
    period = draw[3:10]
    return [s["project"] for d in platform.queries.supervision(period)["draws"] if d["draw"] == draw
            for s in d["sample"]]


def test_a_unit_files_its_self_check_and_the_grid_shows_it_late(office):
    app, tokens, _ = office
    platform = app.extensions["sankao"]
    missing = next(m for m in (f"2023-{n:02d}" for n in range(2, 13))
                   if platform.queries.supervision(m)["units"][6]["self_check"] is None)
    unit = logged_in(app, tokens["unit:U07"])
    sent = unit.post("/supervision/self-check", data={**form_of(unit, "/supervision/self-check"), "unit": "U07",
                                                       "period": missing, "date": "2026-01-02",
                                                       "note": "figures checked again"}, follow_redirects=True)
    html = sent.get_data(as_text=True)
    assert sent.status_code == 200 and f"已录入 U07 {missing} 的定期自查，日期 2026-01-02" in html
    line = platform.queries.supervision(missing)["units"][6]
    assert line == {**line, "unit": "U07", "self_check": "2026-01-02", "on_time": False}
    cells = re.findall(r'data-state="(\w+)"[^>]*>([^<]*)</td>', html[html.index('<tr data-unit="U07">'):])
    assert cells[int(missing[5:]) - 1] == ("late", "01-02")


def test_a_supervisor_records_a_misreport_and_the_same_form_sent_twice_records_once(office):
    app, tokens, _ = office
    platform = app.extensions["sankao"]
    project = _sampled(app, "SC-2023-12")[1]
    supervisor = logged_in(app, tokens["supervisor"])
    page = supervisor.get(f"/supervision/finding?draw=SC-2023-12&project={project}").get_data(as_text=True)
    assert re.search(rf'<option value="{project}" selected>', page)
    hidden = form_of(supervisor, "/supervision/finding")
    given = {**hidden, "draw": "SC-2023-12", "project": project, "date": "2024-01-10", "result": "misreported",
             "field": "signed_amount", "value": "12345.67", "reason": "contract amount lower than reported"}
    sent = supervisor.post("/supervision/finding", data=given, follow_redirects=True)
    html = sent.get_data(as_text=True)
    assert sent.status_code == 200 and f"已录入抽查 SC-2023-12 中项目 {project} 的结论：虚报" in html
    row = re.search(rf'<tr data-project="{project}".*?</tr>', html, re.S).group(0)
    assert "虚报" in row and "签约额 (signed_amount) → 12,345.67 万元" in row
    assert next(p for p in platform.queries.projects() if p["project"] == project)["signed_amount"] == "123456700.00"
    again = supervisor.post("/supervision/finding", data=given)  # the same form, sent again: recorded once
    assert again.status_code == 302
    findings = [s for d in platform.queries.supervision("2023-12")["draws"] for s in d["sample"]
                if s["project"] == project]
    assert findings == [{"project": project, "unit": findings[0]["unit"], "result": "misreported",
                         "result_date": "2024-01-10"}]
    assert len(platform.app.recorder.select_events(_draw_stream("SC-2023-12"))) == 2


def _draw_stream(draw: str):
    from core.record.state import stream_id
    return stream_id("draw", draw)


def test_a_supervisor_draws_with_the_frozen_head_as_seed_and_anyone_can_check_it(office):
    from core.audit.draws import audit_draw
    app, tokens, _ = office
    platform = app.extensions["sankao"]
    head = platform.queries.head_of("close 2023-12")
    supervisor = logged_in(app, tokens["supervisor"])
    form = supervisor.get("/supervision/draw?month=2023-12").get_data(as_text=True)
    assert f'{head["size"]}:{head["root"]}' in form  # the seed it will take, said beside the field
    sent = supervisor.post("/supervision/draw", data={**form_of(supervisor, "/supervision/draw?month=2023-12"),
                                                      "period": "2023-12", "size": "4", "date": "2026-01-05"},
                           follow_redirects=True)
    html = sent.get_data(as_text=True)
    assert sent.status_code == 200 and "sankao audit draw SC-2023-12-2" in html and 'id="draw-SC-2023-12-2"' in html
    drawn = next(d for d in platform.queries.supervision("2023-12")["draws"] if d["draw"] == "SC-2023-12-2")
    assert drawn["seed"] == f'{head["size"]}:{head["root"]}' and len(drawn["sample"]) == 4
    checked = audit_draw(platform, "SC-2023-12-2")
    assert checked["matches"] and checked["seed_head"]["is_the_tree_root"], checked["problems"]


def test_special_assessment_and_listing_through_the_forms(office):
    app, tokens, _ = office
    platform = app.extensions["sankao"]
    admin = logged_in(app, tokens["admin"])  # an admin may do all the supervision department does
    sent = admin.post("/supervision/special", data={**form_of(admin, "/supervision/special"), "unit": "U03",
                                                    "date": "2026-01-06", "points": "2.5",
                                                    "reason": "serious delay in a key project"}, follow_redirects=True)
    assert sent.status_code == 200 and "已录入 U03 的专项考核：2026-01-06 扣 2.5 分" in sent.get_data(as_text=True)
    supervisor = logged_in(app, tokens["supervisor"], "en")
    sent = supervisor.post("/supervision/listing", data={**form_of(supervisor, "/supervision/listing"),
                                                         "cmd": "list_unit", "unit": "U06", "date": "2026-01-07",
                                                         "reason": "lagging far behind"}, follow_redirects=True)
    assert sent.status_code == 200 and "U06 put under listed supervision from 2026-01-07." in sent.get_data(True)
    events = [platform.app.mapper.to_domain_event(n) for n in platform.app.recorder.select_events(_unit("U06"))]
    assert [(type(e).__name__, e.actor) for e in events[-1:]] == [("UnitListed", "t-supervisor")]


def _unit(unit: str):
    from core.record.state import stream_id
    return stream_id("unit", unit)


def test_the_supervision_page_in_english(office):
    app, tokens, _ = office
    html = logged_in(app, tokens["admin"], "en").get("/supervision?month=2023-07").get_data(as_text=True)
    assert "Supervision · 2023-07" in html and "Self-checks · 2023" in html and "Spot checks · 2023-07" in html
    assert "listed supervision" in html and "督查" not in html.split("<main>")[1]
    assert "19 candidate projects" in html
