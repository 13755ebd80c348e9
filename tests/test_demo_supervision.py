"""The demo's supervision (docs/assessment.md §9, ``core.samples.demo_supervision``), on the demo of a fixed day
loaded into a real store: self-checks required from February of last year, most on time, a few late or missing;
a spot check of every month whose sample ``audit draw`` recomputes, with its findings and four misreports;
special assessments; a unit listed and delisted, another listed; and a login for the supervision department."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from cli import main
from core.bootstrap import Config, Platform
from core.samples.demo import demo_commands

DAY = date(2026, 11, 30)  # the demo as `sankao demo` loads it on that day: 2025 whole, 2026 up to 29 November
FIRST, THIS = 2025, 2026
PARTS = ("points_self_check", "points_misreport", "points_special")


def months(first: tuple[int, int], last: tuple[int, int]) -> list[str]:
    found, (y, m) = [], first
    while (y, m) <= last:
        found.append(f"{y}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    platform = Platform(Config(db=str(tmp_path_factory.mktemp("demo") / "demo.db")), "load")
    commands = demo_commands(DAY)
    report = platform.ledger.load([(n, json.dumps(c, ensure_ascii=False)) for n, c in enumerate(commands, 1)], "demo")
    assert not report.rejected
    platform.catch_up()
    answers = {p: platform.queries.supervision(p) for p in months((FIRST, 1), (THIS, 11))}
    yield platform, commands, answers
    platform.close()


def test_the_demo_is_generated_the_same_and_only_grows(demo):
    _, commands, _ = demo
    assert demo_commands(DAY) == commands
    earlier = demo_commands(date(2026, 6, 10))
    assert commands[:len(earlier)] == earlier
    first = next(c for c in commands if c["cmd"] == "require_self_checks")
    assert first["from"] == "2025-02" and first["at"].startswith("2025-01-")


def test_self_checks_most_on_time_a_few_late_or_missing(demo):
    _, _, answers = demo
    assert not answers["2025-01"]["self_checks_required"]
    on_time = late = missing = 0
    for period in months((FIRST, 2), (THIS, 10)):  # each self-check due by 5 November at the latest
        answer = answers[period]
        assert answer["self_checks_required"] and len(answer["units"]) == 20
        for unit in answer["units"]:
            on_time += unit["on_time"] is True
            late += unit["on_time"] is False
            missing += unit["self_check"] is None
    assert on_time / (on_time + late + missing) > 0.85 and late >= 10 and missing >= 5, (on_time, late, missing)
    # the board of the month after deducts 1.00 for each self-check not filed on time
    for period, after in zip(months((FIRST, 2), (THIS, 9)), months((FIRST, 3), (THIS, 10))):
        for unit, next_month in zip(answers[period]["units"], answers[after]["units"]):
            assert next_month["points_self_check"] == ("0.00" if unit["on_time"] else "1.00"), (period, unit)


def test_a_spot_check_every_month_recomputed_by_anyone(demo):
    from core.audit.draws import audit_draw
    platform, _, answers = demo
    misreported = []
    for period in months((FIRST, 1), (THIS, 10)):
        (draw,) = answers[period]["draws"]
        assert draw["draw"] == f"SC-{period}" and draw["size"] == (6 if int(period[5:]) % 3 == 0 else 5)
        assert len(draw["sample"]) == min(draw["size"], draw["candidates"]) and draw["candidates"] > 10
        assert all(s["result"] in ("confirmed", "misreported") for s in draw["sample"])  # every finding recorded
        misreported += [(s["unit"], s["result_date"][:7]) for s in draw["sample"] if s["result"] == "misreported"]
        checked = audit_draw(platform, draw["draw"])
        assert checked["matches"] and checked["proved"], checked["problems"]
    assert len(misreported) == 4
    for unit, month in misreported:  # each misreport costs its unit 3.00 in the month of the finding
        line = next(u for u in answers[month]["units"] if u["unit"] == unit)
        assert Decimal(line["points_misreport"]) >= 3, (unit, month)


def test_special_assessments_and_listed_supervision(demo):
    _, _, answers = demo

    def line(period, unit):
        return next(u for u in answers[period]["units"] if u["unit"] == unit)
    assert line("2025-08", "U17")["points_special"] == "2.00" and line("2026-05", "U09")["points_special"] == "1.50"
    assert sum(Decimal(u["points_special"]) for p in answers for u in answers[p]["units"]) == Decimal("3.50")
    assert [p for p in answers if line(p, "U12")["listed"]] == months((FIRST, 6), (FIRST, 10))
    assert [p for p in answers if line(p, "U05")["listed"]] == months((THIS, 4), (THIS, 11))


def test_the_boards_deduct_supervision_beside_the_letters(demo):
    platform, _, answers = demo
    for period in months((FIRST, 2), (THIS, 10)):  # frozen: the points are those its board deducted
        assert answers[period]["frozen"]
        deductions = {u["unit"]: Decimal(u["deduction"]) for u in platform.queries.board(period)["units"]}
        for unit in answers[period]["units"]:
            assert deductions[unit["unit"]] >= sum(Decimal(unit[k]) for k in PARTS), (period, unit)


def test_the_demo_prints_a_login_for_the_supervision_department(tmp_path):
    runner = CliRunner(env={"COLUMNS": "100000", "SANKAO_LANG": None})
    result = runner.invoke(main, ["--db", str(tmp_path / "demo.db"), "--lang", "zh", "demo", "--no-serve"],
                           prog_name="sankao")
    assert result.exit_code == 0, result.output
    assert re.search(r"^  督查部门 \(supervisor\) +sk_", result.stdout, re.M), result.stdout
