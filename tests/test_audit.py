"""The auditor's tools on the shared year: explain adds up to score, history names the command and actor of
each change, whatif predicts what a hand calculation from docs/assessment.md predicts, replay agrees."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from conftest import ROOT, SCENARIO
from core.audit.explain import explain, history
from core.audit.whatif import whatif
from core.bootstrap import Config, Platform, scratch_platform

CENT, TEN_THOUSANDTH = Decimal("0.01"), Decimal("0.0001")
CORRECTION = "c00223"  # 2023-07-01 17:33 +08: P0128 (U02) signed_amount 200110000 -> 160088000, June over
CLERK = "clerk-u02"


def load_scenario(platform: Platform) -> None:
    """The shared year, recorded by the office except the late correction, recorded by a unit's clerk."""
    lines = list(enumerate((SCENARIO / "commands.jsonl").read_text().splitlines(), 1))
    at = next(i for i, (_, text) in enumerate(lines) if json.loads(text)["id"] == CORRECTION)
    platform.ledger.load(lines[:at], "office")
    platform.ledger.load(lines[at:at + 1], CLERK)
    platform.ledger.load(lines[at + 1:], "office")
    platform.scorer.run()


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    platform = Platform(Config(db=str(tmp_path_factory.mktemp("audit") / "year.db"),
                               plugins=str(ROOT / "plugins.toml")), "load")
    load_scenario(platform)
    yield platform
    platform.close()


def money(value: Decimal) -> str:
    return str(value.quantize(CENT, ROUND_HALF_UP))


def hand_figures(answer: dict, without: frozenset = frozenset()) -> dict:
    """docs/assessment.md §4 from explain's parts alone: each indicator's value is the sum of its projects' parts,
    the coefficient from its inputs, the deduction from the letters; nothing taken from explain's totals."""
    scores = weights = Decimal(0)
    for indicator in answer["indicators"]:
        if indicator["plugin"] in without:
            continue
        parts = sum((Decimal(p["part"]) for p in indicator["projects"]), Decimal(0))
        assert parts == Decimal(indicator["exact"]["value"]), indicator["plugin"]
        target, weight = Decimal(indicator["exact"]["target"]), Decimal(indicator["weight"])
        cap = Decimal(answer["rules"]["plugins"][indicator["plugin"]]["settings"].get("cap", "1"))
        scores += weight * min(parts / target, cap)
        weights += weight
    inputs = answer["coefficient_and_deduction"]["unit_coefficient"]["inputs"]
    annual, achieved = Decimal(inputs["annual"]), Decimal(inputs["A"])
    c_min, c_max = Decimal(inputs["c_min"]), Decimal(inputs["c_max"])
    coefficient = Decimal(1) if annual == 0 else c_min + (c_max - c_min) * min(achieved / annual, Decimal(1))
    deduction = Decimal(0)
    for case in answer["coefficient_and_deduction"]["early_warning"]["inputs"]["cases"]:
        last = case["letters"][-1]
        deduction += Decimal(0) if last["outcome"] == "restored" else Decimal(last["points"])
    base = scores * 100 / weights
    final = max(Decimal(0), base * coefficient - deduction)
    return {"final": final, "base": base, "coefficient": coefficient, "deduction": deduction, "A": achieved}


def adds_up(answer: dict, shown: dict) -> None:
    hand = hand_figures(answer)
    assert money(hand["final"]) == shown["final"] == answer["final"]
    assert money(hand["base"]) == shown["base"]
    assert str(hand["coefficient"].quantize(TEN_THOUSANDTH, ROUND_HALF_UP)) == shown["coefficient"]
    assert money(hand["deduction"]) == shown["deduction"]
    assert [(i["plugin"], i["value"], i["target"], i["score"]) for i in answer["indicators"]] == \
        [(i["plugin"], i["value"], i["target"], i["score"]) for i in shown["indicators"]]
    assert answer["checks"] == {"adds_up_to_score": True, "recomputed_equals_recorded": True,
                                "projects_add_up": True}


@pytest.mark.parametrize("period", ["2023-06", "2023-12"])
@pytest.mark.parametrize("restated", [False, True], ids=["frozen", "restated"])
def test_explain_adds_up_to_score_for_every_unit(year, period, restated):
    board = year.queries.board(period, restated=restated)
    assert board["frozen"] is not restated
    for row in board["units"]:
        answer = explain(year, row["unit"], period, restated=restated)
        shown = year.queries.score(row["unit"], period, restated=restated)
        adds_up(answer, shown)
        assert (answer["rank"], answer["frozen"]) == (row["rank"], not restated)
        assert answer["rules"]["plugins"]["annual_amount"]["version"]


def test_explain_known_at_before_and_after_a_late_correction(year):
    before_at = datetime.fromisoformat("2023-07-01T17:00:00+08:00")
    after_at = datetime.fromisoformat("2023-07-01T18:00:00+08:00")
    before = explain(year, "U02", "2023-06", known_at=before_at)
    after = explain(year, "U02", "2023-06", known_at=after_at)
    adds_up(before, year.queries.score("U02", "2023-06", before_at))
    adds_up(after, year.queries.score("U02", "2023-06", after_at))
    assert not before["frozen"] and not after["frozen"]  # June closed on 5 July
    assert Decimal(before["signed_amount"]) - Decimal(after["signed_amount"]) == Decimal("40022000")
    assert before["final"] != after["final"]

    def p0128(answer):
        annual = next(i for i in answer["indicators"] if i["plugin"] == "annual_amount")
        return next(p for p in annual["projects"] if p["project"] == "P0128")
    assert (p0128(before)["part"], p0128(before)["corrections"]) == ("200110000", [])
    [correction] = p0128(after)["corrections"]
    assert correction == {"field": "signed_amount", "before": "200110000", "after": "160088000",
                          "reason": "contract amount verified", "command_id": CORRECTION, "actor": CLERK,
                          "recorded_at": "2023-07-01T09:33:00+00:00"}
    assert p0128(after)["part"] == "160088000"
    assert [c["actor"] for c in p0128(after)["commands"]] == ["office", "office", CLERK]


def test_history_shows_the_late_correction_with_its_actor_and_the_freeze(year):
    answer = history(year, "U02", "2023-06")
    caused = [c for c in answer["changes"] if c["cause"]["command_id"] == CORRECTION]
    assert len(caused) == 1
    change = caused[0]
    assert (change["cause"]["actor"], change["cause"]["what"]) == (CLERK, "FactCorrected")
    signed = change["changed"]["signed_amount"]
    assert Decimal(signed["from"]) - Decimal(signed["to"]) == Decimal("40022000")
    assert "final" in change["changed"]
    # the changes follow one another: each starts where the previous ended
    last = {}
    for c in answer["changes"]:
        for key, moved in c["changed"].items():
            if key in last:
                assert moved["from"] == last[key], (c["version"], key)
            last[key] = moved["to"]
    frozen = answer["frozen"]
    assert frozen["rank"] == year.queries.board("2023-06")["units"][[u["unit"] for u in year.queries.board(
        "2023-06")["units"]].index("U02")]["rank"]
    assert frozen["head"]["size"] > 0 and len(frozen["head"]["root"]) == 64
    assert last["final"] == year.queries.score("U02", "2023-06", restated=True)["final"]


def test_explain_and_history_through_the_cli(sqlite_url, cli, loaded_copy):
    loaded_copy(sqlite_url, str(SCENARIO / "commands.jsonl"), "--actor", "office")
    text = cli(sqlite_url, "explain", "U03", "2023-06").stdout
    assert "final 86.17 = max(0, base 78.33 × coefficient 1.1000 − deducted 0.00)" in text
    assert "checks: adds up to score: yes, recomputed equals recorded: yes, projects add up: yes" in text
    as_json = json.loads(cli(sqlite_url, "explain", "U03", "2023-06", "--json").stdout)
    assert as_json["final"] == json.loads(cli(sqlite_url, "score", "U03", "2023-06", "--json").stdout)["final"]
    table = cli(sqlite_url, "history", "U02", "2023-06").stdout
    assert "c00223" in table and "FactCorrected" in table and "frozen at the close" in table
    missing = cli(sqlite_url, "history", "U99", "2023-06", expect=1)
    assert "no figures of U99 for 2023-06 were ever recorded" in missing.stderr


def test_sankao_contributions_of_the_built_in_indicators_add_up_to_their_values(year):
    """Every built-in indicator says which projects make up its value, for every unit and month."""
    for period in ("2023-03", "2023-09"):
        for row in year.queries.board(period, restated=True)["units"]:
            answer = explain(year, row["unit"], period, restated=True)
            assert {"annual_amount", "quarterly_progress", "planned_projects"} <= {
                i["plugin"] for i in answer["indicators"]}  # (a target of 0 leaves an indicator out)
            for indicator in answer["indicators"]:
                assert indicator["adds_up"] is True, (period, row["unit"], indicator["plugin"])


def test_sankao_explain_of_the_policies_gives_their_inputs(year):
    answer = explain(year, "U01", "2023-06")
    coefficient = answer["coefficient_and_deduction"]["unit_coefficient"]
    assert coefficient["inputs"]["annual"] == "8000000000"
    warning = answer["coefficient_and_deduction"]["early_warning"]["inputs"]["cases"]
    assert warning == [{"case": "U01-2023-1", "deducts": "2.0", "letters": [
        {"date": "2023-02-06", "level": "red", "points": "2.0", "outcome": None}]}]


# -- whatif ------------------------------------------------------------------------------------------------

def test_whatif_with_the_recorded_settings_changes_nothing(year):
    for period in ("2023-06", "2023-12"):
        answer = whatif(year, period, ROOT / "plugins.toml")
        assert answer["changed"] == 0
        assert all(u["final_change"] == "0.00" and u["rank_change"] == 0 for u in answer["units"])
        assert answer["recorded_spread"] == answer["whatif_spread"]


@pytest.mark.parametrize("period", ["2023-06", "2023-11"])
def test_whatif_without_monthly_increment_is_what_scoring_md_predicts(year, tmp_path, period):
    """By hand (§4, §5): each unit's base without the monthly indicator, the same coefficient and deduction;
    ranked by rounded final, then A, then unit id."""
    off = tmp_path / "off.toml"
    off.write_text("[plugins.monthly_increment]\nenabled = false\n")
    answer = whatif(year, period, off)
    predicted = []
    for row in year.queries.board(period)["units"]:
        hand = hand_figures(explain(year, row["unit"], period), without=frozenset({"monthly_increment"}))
        predicted.append((row["unit"], Decimal(money(hand["final"])), hand["A"], row))
    predicted.sort(key=lambda p: (-p[1], -p[2], p[0]))
    got = {u["unit"]: u for u in answer["units"]}
    for rank, (unit, final, _, row) in enumerate(predicted, 1):
        assert got[unit]["whatif"]["final"] == str(final), unit
        assert got[unit]["whatif"]["rank"] == rank, unit
        assert got[unit]["final_change"] == str(final - Decimal(row["final"])), unit
        assert got[unit]["rank_change"] == row["rank"] - rank
    assert answer["changed"] > 0


def test_whatif_writes_nothing(year, tmp_path, cli):
    before = year.app.recorder.max_notification_id()
    off = tmp_path / "off.toml"
    off.write_text("[plugins.monthly_increment]\nenabled = false\n")
    whatif(year, "2023-06", off)
    assert year.app.recorder.max_notification_id() == before


def test_whatif_through_the_cli(sqlite_url, cli, tmp_path, loaded_copy):
    loaded_copy(sqlite_url, str(SCENARIO / "commands.jsonl"))
    off = tmp_path / "off.toml"
    off.write_text("[plugins.monthly_increment]\nenabled = false\n")
    text = cli(sqlite_url, "whatif", "2023-06", "--plugins", str(off)).stdout
    assert "unit(s) change" in text
    typo = tmp_path / "typo.toml"
    typo.write_text("[plugins.monthly_incremnt]\nenabled = false\n")
    bad = cli(sqlite_url, "whatif", "2023-06", "--plugins", str(typo), expect=1)
    assert "monthly_incremnt" in bad.stderr


def test_replay_of_the_exported_year_agrees_everywhere(year, tmp_path):
    from core.audit.bundle import export, replay
    from core.rules.plugins import installed_plugins
    manifest = export(year.app, tmp_path / "bundle")
    result = replay(tmp_path / "bundle", installed_plugins(), scratch_platform)
    assert result.disagreements == []
    assert result.agreed == sum(result.compared.values())
    assert set(result.compared) == {"ScoreChanged", "NoticeIssued", "BoardFrozen", "HeadRecorded"}
    assert result.compared["BoardFrozen"] == 12 and result.compared["HeadRecorded"] == 12
    assert manifest["size"] == year.app.recorder.max_notification_id()


def test_replay_names_a_recorded_consequence_the_rules_do_not_give(year, tmp_path):
    """A bundle whose recorded frozen board was changed (and so its hashes too) is caught by the replay."""
    from core.audit.bundle import export, replay
    from core.rules.plugins import installed_plugins
    export(year.app, tmp_path / "bundle")
    events = (tmp_path / "bundle" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    i = next(i for i, line in enumerate(events)
             if "BoardFrozen" in line and json.loads(json.loads(line)["state"])["period"] == "2023-06")
    event = json.loads(events[i])
    state = json.loads(event["state"])
    first, second = state["entries"][:2]
    first["unit"], second["unit"] = second["unit"], first["unit"]  # the first two units change places
    event["state"] = json.dumps(state, separators=(",", ":"))
    events[i] = json.dumps(event, ensure_ascii=False)
    (tmp_path / "bundle" / "events.jsonl").write_text("\n".join(events) + "\n", encoding="utf-8")
    result = replay(tmp_path / "bundle", installed_plugins(), scratch_platform)
    assert any("the frozen board of 2023-06" in d for d in result.disagreements)
    assert any("the head close 2023-" in d for d in result.disagreements)  # heads after it no longer match
