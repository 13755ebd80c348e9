"""Plugins: plugins.toml validation, rules in force as history, a third-party plugin,
and plugins that misbehave."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import ROOT, SCENARIO, SCENARIOS
from core.bootstrap import Config, Platform
from core.errors import ConfigError, PluginError
from core.rules.plugins import installed_plugins, load_config
from events import CONSEQUENCE_TOPICS

SAMPLE = ROOT / "tests" / "sample_plugin"


@pytest.fixture(scope="session")
def sample_plugin():
    """pip-install the sample third-party plugin package, as a user would."""
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", str(SAMPLE)]
    subprocess.run(pip, check=True, capture_output=True)
    importlib.invalidate_caches()
    yield
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "--quiet", "-y", "sankao-construction-starts"],
                   check=True, capture_output=True)
    importlib.invalidate_caches()


def toml_with(tmp_path: Path, extra: str = "", replace: dict | None = None) -> Path:
    text = (ROOT / "plugins.toml").read_text()
    for old, new in (replace or {}).items():
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / "plugins.toml"
    path.write_text(text + extra)
    return path


def test_every_problem_in_plugins_toml_is_reported_at_once(tmp_path):
    bad = toml_with(tmp_path, '\n[plugins.no_such_plugin]\nweight = 3\n', {
        "weight = 30": 'weight = "heavy"', "c_min = 0.90": "c_min = 0.90\nc_mid = 1"})
    with pytest.raises(ConfigError) as caught:
        load_config(bad, installed_plugins())
    message = str(caught.value)
    assert "[plugins.annual_amount] weight: Not a valid number." in message
    assert "[plugins.unit_coefficient] c_mid: unknown key" in message
    assert "[plugins.no_such_plugin]: unknown plugin (installed: " in message


def test_checks_across_keys_are_reported_beside_field_errors(tmp_path):
    bad = toml_with(tmp_path, replace={
        "grace_days = 31": "grace_days = -4",
        "thresholds = { green = 0.10, orange = 0.20, red = 0.30 }": "thresholds = { green = 0.3, orange = 0.2, red = 0.1 }",
        "points = { green = 0, orange = 1.00, red = 2.00 }": 'points = { green = 0, orange = "one", red = 2.00 }',
        '"2" = "assessment"': 'two = "assessment"'})
    with pytest.raises(ConfigError) as caught:
        load_config(bad, installed_plugins())
    lines = str(caught.value).splitlines()
    assert any("[plugins.early_warning] grace_days: Must be greater than or equal to 0" in line for line in lines)
    assert any("[plugins.early_warning] thresholds: must not decrease from green to orange to red" in line
               for line in lines)
    assert any("[plugins.early_warning] points.orange: Not a valid number." in line for line in lines)
    assert any('[plugins.ranking_policy] accountability.two.key: must be a streak length like "2"' in line
               for line in lines)
    assert not any("{" in line for line in lines), "no Python dicts in messages"


def test_weights_that_add_up_to_nothing_are_refused(tmp_path):
    path = toml_with(tmp_path, replace={f"weight = {w}": "weight = 0" for w in (30, 20, 15, 20)})
    with pytest.raises(ConfigError, match="the enabled indicators' weights add up to 0"):
        load_config(path, installed_plugins())


def test_settings_that_contradict_themselves_are_refused(tmp_path):
    path = toml_with(tmp_path, replace={"c_min = 0.90": "c_min = 1.5"})
    with pytest.raises(ConfigError, match=r"\[plugins.unit_coefficient\] c_min: c_min 1.5 is greater than c_max"):
        load_config(path, installed_plugins())


def test_disabling_monthly_increment_from_july_changes_boards_from_july_only(store_url, cli, tmp_path, loaded_copy):
    loaded_copy(store_url, str(SCENARIO / "commands.jsonl"))

    def boards(*flags):
        return {m: json.loads(cli(store_url, "board", f"2023-{m:02d}", *flags, "--json").stdout)["units"]
                for m in range(1, 13)}

    frozen, restated = boards(), boards("--restated")
    off = toml_with(tmp_path, replace={"[plugins.monthly_increment]    # 月度增量目标\nweight = 15":
                                       "[plugins.monthly_increment]    # 月度增量目标\nenabled = false\nweight = 15"})
    applied = cli(store_url, "plugins", "apply", str(off), "--effective", "2023-07-01", "--actor", "office-admin",
                  "--yes")
    assert "rules in force from 2023-07-01, recorded by office-admin" in applied.stdout
    assert boards() == frozen
    after = boards("--restated")
    assert all(after[m] == restated[m] for m in range(1, 7))
    assert all(after[m] != restated[m] for m in range(7, 13))
    july = json.loads(cli(store_url, "score", "U03", "2023-07", "--restated", "--json").stdout)
    june = json.loads(cli(store_url, "score", "U03", "2023-06", "--restated", "--json").stdout)
    assert "monthly_increment" not in [i["plugin"] for i in july["indicators"]]
    assert "monthly_increment" in [i["plugin"] for i in june["indicators"]]
    listed = {p["name"]: p for p in json.loads(cli(store_url, "plugins", "list", "--json").stdout)}
    assert listed["monthly_increment"]["enabled"] is False
    assert listed["annual_amount"]["since"] == "the start"
    assert listed["annual_amount"]["hooks"] == ["sankao_contributions", "sankao_indicator", "sankao_measure"]
    assert cli(store_url, "board", "2023-07").stderr == ""  # the rules come from the store, not from a file here
    assert "differs from the rules recorded" in cli(store_url, "--plugins", str(ROOT / "plugins.toml"),
                                                    "board", "2023-07").stderr
    bad = cli(store_url, "plugins", "apply", str(off), "--effective", "July", expect=2)
    assert "'July' is not a date written YYYY-MM-DD nor 'start'" in bad.stderr


def test_rules_applied_without_a_date_change_nothing_before_today(sqlite_url, cli, tmp_path, loaded_copy):
    loaded_copy(sqlite_url, str(SCENARIO / "commands.jsonl"))
    before = cli(sqlite_url, "board", "2023-12", "--restated", "--json").stdout
    heavier = toml_with(tmp_path, replace={"weight = 30": "weight = 60"})
    result = cli(sqlite_url, "plugins", "apply", str(heavier), "--yes")
    assert "rules in force from 20" in result.stdout and "2023" not in result.stdout.split(",")[0]
    after = cli(sqlite_url, "board", "2023-12", "--restated", "--json").stdout
    assert json.loads(after)["units"] == json.loads(before)["units"]


def test_a_plugins_toml_that_differs_from_the_record_is_named(sqlite_url, cli, tmp_path, loaded_copy):
    loaded_copy(sqlite_url, str(SCENARIO / "commands.jsonl"))
    assert "differs" not in cli(sqlite_url, "board", "2023-03").stderr
    other = toml_with(tmp_path, replace={"weight = 30": "weight = 40"})
    result = cli(sqlite_url, "--plugins", str(other), "board", "2023-03")
    assert f"note: {other} differs from the rules recorded at 2023-01-03T01:01:00+00:00" in result.stderr
    assert "Run 'sankao plugins apply' to put the file in force." in result.stderr


def test_third_party_plugin_joins_without_core_changes(sample_plugin, store_url, cli, tmp_path, loaded_copy):
    listed = {p["name"]: p for p in json.loads(cli(store_url, "plugins", "list", "--json").stdout)}
    assert listed["construction_starts"]["enabled"] is False
    assert listed["construction_starts"]["version"] == "1.2.0"
    loaded_copy(store_url, str(SCENARIO / "commands.jsonl"))
    before = json.loads(cli(store_url, "board", "2023-06", "--restated", "--json").stdout)
    on = toml_with(tmp_path, "\n[plugins.construction_starts]\nweight = 10\n")
    cli(store_url, "plugins", "apply", str(on), "--effective", "start", "--yes")
    listed = {p["name"]: p for p in json.loads(cli(store_url, "plugins", "list", "--json").stdout)}
    assert listed["construction_starts"]["enabled"] is True
    assert listed["construction_starts"]["settings"] == {"weight": "10", "share": "1"}
    score = json.loads(cli(store_url, "score", "U03", "2023-06", "--restated", "--json").stdout)
    starts = next(i for i in score["indicators"] if i["plugin"] == "construction_starts")
    assert (starts["target"], starts["weight"]) == ("3", "10")
    after = json.loads(cli(store_url, "board", "2023-06", "--restated", "--json").stdout)
    assert after["units"] != before["units"]
    assert json.loads(cli(store_url, "board", "2023-06", "--json").stdout)["frozen"] is True
    # it does not say which projects make up its value: explain shows the value alone, and still adds up
    explained = json.loads(cli(store_url, "explain", "U03", "2023-06", "--restated", "--json").stdout)
    starts = next(i for i in explained["indicators"] if i["plugin"] == "construction_starts")
    assert (starts["value"], starts["projects"], starts["adds_up"]) == (starts["value"], None, None)
    assert explained["final"] == score["final"] and all(explained["checks"].values())
    assert "(the plugin does not say which projects make up its value)" in cli(
        store_url, "explain", "U03", "2023-06", "--restated").stdout


def test_a_plugin_answering_for_another_indicator_is_refused(sample_plugin, sqlite_url, cli, tmp_path, loaded_copy):
    loaded_copy(sqlite_url, str(SCENARIO / "commands.jsonl"))
    steal = toml_with(tmp_path, '\n[plugins.flaky_indicator]\nmode = "steal"\n')
    result = cli(sqlite_url, "plugins", "apply", str(steal), "--effective", "start", "--yes", expect=1)
    assert 'plugin "flaky_indicator" returned nonsense from sankao_measure' in result.stderr
    assert "Measure(plugin='annual_amount'" in result.stderr


@pytest.mark.parametrize("mode,message", [
    ("raise", 'plugin "flaky_indicator" raised in sankao_measure: RuntimeError: flaky indicator lost its marbles'),
    ("nonsense", 'plugin "flaky_indicator" returned nonsense from sankao_measure'),
])
def test_a_misbehaving_plugin_is_named_and_nothing_half_done_is_recorded(
        sample_plugin, sqlite_url, cli, tmp_path, mode, message):
    config = toml_with(tmp_path, f'\n[plugins.flaky_indicator]\nmode = "{mode}"\nafter = 2023-06-01\n')
    platform = Platform(Config(db=sqlite_url, plugins=str(config)), "load")
    lines = [(n, line) for n, line in enumerate((SCENARIO / "commands.jsonl").read_text().splitlines(), 1)]
    platform.ledger.load(lines, "t")
    platform.scorer.chunk = 100  # several chunks before the failing fact
    with pytest.raises(PluginError, match=message):
        platform.scorer.run()
    done = platform.scorer.done()
    recorded = [platform.app.mapper.to_domain_event(n)
                for n in platform.app.recorder.select_notifications(start=1, limit=100000)
                if n.topic in CONSEQUENCE_TOPICS]
    assert recorded and done, "whole chunks before the failing one are kept"
    first_bad = next(position for position, e in platform.ledger.notifications()
                     if type(e).__name__ == "ProjectSigned" and e.signed_on.isoformat() >= "2023-06-01")
    assert done < first_bad
    assert max(e.position for e in recorded) <= done  # nothing derived from past the tracked position
    with pytest.raises(PluginError, match=message):
        platform.scorer.run()
    assert platform.scorer.done() == done
    platform.close()
    result = cli(sqlite_url, "--plugins", str(config), "board", "2023-01", "--json")
    assert "warning: scoring stopped, the scores are" in result.stderr and message in result.stderr
    assert json.loads(result.stdout)["frozen"] is True  # history scored before the failure stays readable


def test_rules_that_fail_a_trial_run_are_not_put_in_force(sample_plugin, sqlite_url, cli, tmp_path, loaded_copy):
    loaded_copy(sqlite_url, str(SCENARIO / "commands.jsonl"))
    rules_before = [row for row in json.loads(cli(sqlite_url, "events", "--json").stdout)
                    if row["type"] == "RulesApplied"]
    bad = toml_with(tmp_path, '\n[plugins.flaky_indicator]\nmode = "nonsense"\n')
    result = cli(sqlite_url, "plugins", "apply", str(bad), "--effective", "2023-07-01", "--yes", expect=1)
    assert "the rules were not put in force, a trial run over the facts failed" in result.stderr
    assert 'plugin "flaky_indicator" returned nonsense from sankao_measure' in result.stderr
    rules_after = [row for row in json.loads(cli(sqlite_url, "events", "--json").stdout)
                   if row["type"] == "RulesApplied"]
    assert rules_after == rules_before


def test_a_plugin_uninstalled_while_in_force_leaves_history_readable(sample_plugin, sqlite_url, cli, tmp_path):
    on = toml_with(tmp_path, "\n[plugins.construction_starts]\nweight = 10\n")
    cli(sqlite_url, "--plugins", str(on), "load", str(SCENARIO / "commands.jsonl"))
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "--quiet", "-y", "sankao-construction-starts"],
                   check=True, capture_output=True)
    importlib.invalidate_caches()
    try:
        _history_stays_readable(sqlite_url, cli, tmp_path)
    finally:  # put it back for the other tests of this session
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
                        str(SAMPLE)], check=True, capture_output=True)
        importlib.invalidate_caches()


def _history_stays_readable(sqlite_url, cli, tmp_path):
    frozen = json.loads(cli(sqlite_url, "score", "U03", "2023-06", "--json").stdout)
    assert "construction_starts" in [i["plugin"] for i in frozen["indicators"]]
    late = tmp_path / "late.jsonl"
    late.write_text(json.dumps({"cmd": "dispatch", "date": "2024-01-08", "at": "2024-01-08T09:00:00+08:00"}) + "\n")
    result = cli(sqlite_url, "load", str(late), expect=1)
    assert "recorded 1, skipped 0" in result.stderr
    assert 'plugin "construction_starts" is in force but not installed; install it again' in result.stderr
    again = cli(sqlite_url, "board", "2023-06", "--json")
    assert "warning: scoring stopped" in again.stderr and json.loads(again.stdout)["frozen"] is True


def test_rules_applied_to_an_empty_store_cover_every_month(sqlite_url, cli, tmp_path):
    cli(sqlite_url, "init")
    heavier = toml_with(tmp_path, replace={"weight = 30": "weight = 60"})
    cli(sqlite_url, "plugins", "apply", str(heavier), "--effective", "2024-06-01", "--yes")
    lines = [{"cmd": "register_unit", "unit": "U1", "name": "u", "category": "c"},
             {"cmd": "set_targets", "unit": "U1", "year": 2024, "annual": "100", "quarterly": ["10", "20", "50", "100"],
              "monthly": "8", "planned": 1, "landed": 0}]
    path = tmp_path / "now.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    cli(sqlite_url, "load", str(path))
    board = json.loads(cli(sqlite_url, "board", "2024-01", "--json").stdout)
    assert [u["unit"] for u in board["units"]] == ["U1"]


def _rules_events(cli, url) -> list:
    return [e for e in json.loads(cli(url, "events", "--json").stdout) if e["type"] == "RulesApplied"]


def test_a_partial_plugins_file_changes_only_what_it_names_and_asks_first(store_url, cli, tmp_path, loaded_copy):
    loaded_copy(store_url, str(SCENARIO / "commands.jsonl"))
    snippet = tmp_path / "snippet.toml"  # the plugin author's guide's own example
    snippet.write_text("[plugins.monthly_increment]\nweight = 10\n")
    before = _rules_events(cli, store_url)
    shown = cli(store_url, "plugins", "apply", str(snippet), "--effective", "2023-07-01", "--dry-run")
    assert "monthly_increment.weight: 15 -> 10" in shown.stdout
    assert "in force for months from 2023-07 on" in shown.stdout
    assert "2023-07: 8 unit(s):" in shown.stdout and "2023-06:" not in shown.stdout
    assert "dry run: nothing recorded" in shown.stdout
    unconfirmed = cli(store_url, "plugins", "apply", str(snippet), "--effective", "2023-07-01", expect=1)
    assert "nothing recorded: confirm with --yes" in unconfirmed.stderr
    assert _rules_events(cli, store_url) == before
    cli(store_url, "plugins", "apply", str(snippet), "--effective", "2023-07-01", "--yes")
    listed = {p["name"]: p for p in json.loads(cli(store_url, "plugins", "list", "--json").stdout)}
    assert all(listed[name]["enabled"] for name in ("early_warning", "unit_coefficient", "annual_amount",
                                                     "landed_projects", "ranking_policy"))
    assert listed["monthly_increment"]["settings"]["weight"] == "10"
    assert listed["annual_amount"]["settings"]["weight"] == "30"
    again = cli(store_url, "plugins", "apply", str(snippet), "--yes")
    assert "nothing to change: the rules of" in again.stdout
    assert len(_rules_events(cli, store_url)) == len(before) + 1
    april = json.loads(cli(store_url, "score", "U03", "2023-04", "--restated", "--json").stdout)
    assert {i["plugin"]: i["weight"] for i in april["indicators"]}["monthly_increment"] == "15"
    earlier = cli(store_url, "plugins", "apply", str(snippet), "--effective", "2023-03-01", "--yes")
    assert "reaching back to earlier months" in earlier.stdout and "2023-04: " in earlier.stdout
    april = json.loads(cli(store_url, "score", "U03", "2023-04", "--restated", "--json").stdout)
    assert {i["plugin"]: i["weight"] for i in april["indicators"]}["monthly_increment"] == "10"
    assert "nothing to change" in cli(store_url, "plugins", "apply", str(snippet), "--effective", "2023-05-01",
                                      "--yes").stdout
    assert len(_rules_events(cli, store_url)) == len(before) + 2
    off = tmp_path / "off.toml"
    off.write_text("[plugins.early_warning]\nenabled = false\n")
    dry = cli(store_url, "plugins", "apply", str(off), "--dry-run").stdout
    assert "early_warning: enabled -> disabled" in dry and "monthly_increment" not in dry


def test_a_table_valued_setting_changes_only_the_keys_named(sqlite_url, cli, tmp_path, loaded_copy):
    loaded_copy(sqlite_url, str(SCENARIO / "commands.jsonl"))
    red = tmp_path / "red.toml"
    red.write_text("[plugins.early_warning]\nthresholds = { red = 0.40 }\n")
    shown = cli(sqlite_url, "plugins", "apply", str(red), "--dry-run").stdout
    assert "early_warning.thresholds: { green = 0.1, orange = 0.2, red = 0.3 } -> " \
           "{ green = 0.1, orange = 0.2, red = 0.4 }" in shown


def test_sankao_annual_standing_of_an_office_replaces_the_grading_without_core_changes(sample_plugin, sqlite_url,
                                                                                        cli, tmp_path):
    """An office disables annual_evaluation and puts its own grading in force before close_year: the frozen
    standing is its plugin's, recorded with its name."""
    from core.samples.generate import generate_year
    from conftest import write_lines
    commands = generate_year(units=4, projects=60, seed=67, year=2024, people=30)
    close = next(i for i, c in enumerate(commands) if c["cmd"] == "close_year")
    cli(sqlite_url, "load", str(write_lines(tmp_path / "year.jsonl", commands[:close])))
    own = tmp_path / "own.toml"
    own.write_text("[plugins.annual_evaluation]\nenabled = false\n\n[plugins.flat_annual]\n")
    cli(sqlite_url, "plugins", "apply", str(own), "--effective", "2024-01-01", "--yes")
    rest = [{k: v for k, v in c.items() if k != "at"} for c in commands[close:]]  # after the rules: recorded now
    cli(sqlite_url, "load", str(write_lines(tmp_path / "close.jsonl", rest)))
    answer = json.loads(cli(sqlite_url, "annual", "2024", "--json").stdout)
    assert answer["closed"] is True and answer["people"]
    assert {p["grade"] for p in answer["people"]} == {"competent"}
    assert {u["excellent_share"] for u in answer["units"]} == {"0"}
    frozen = json.loads(cli(sqlite_url, "events", "--type", "StandingFrozen", "--consequences", "--json").stdout)
    assert [e["data"]["policy"] for e in frozen] == ["flat_annual"]


def test_sankao_supervision_points_of_an_office_replace_the_deductions_without_core_changes(sample_plugin, sqlite_url,
                                                                                         cli, tmp_path):
    """An office disables the built-in supervision and enables its own (the sample's strict_supervision: a late
    self-check forgiven, a missing one 2.00, a misreport 5.00) as the store's first rules, then loads the shared
    year with supervision: the supervision query and every board deduct its points, frozen boards included,
    beside the early warning's, which do not move."""
    year = SCENARIOS / "year2023-supervision"
    rejected = {"s00010", "s00012", "s00021", "s00028", "s00084", "s00123"}  # the six lines its README names
    lines = [line for line in (year / "commands.jsonl").read_text().splitlines()
             if json.loads(line)["id"] not in rejected]
    (tmp_path / "year.jsonl").write_text("\n".join(lines) + "\n")
    own = tmp_path / "own.toml"
    own.write_text("[plugins.supervision]\nenabled = false\n\n[plugins.strict_supervision]\n")
    cli(sqlite_url, "--plugins", str(own), "load", str(tmp_path / "year.jsonl"))
    listed = json.loads(cli(sqlite_url, "plugins", "list", "--json").stdout)
    assert {p["name"]: p["enabled"] for p in listed if "supervision" in p["name"]} == \
        {"supervision": False, "strict_supervision": True}

    def query(*args):
        return json.loads(cli(sqlite_url, *args, "--json").stdout)

    march = {u["unit"]: u for u in query("supervision", "2023-03")["units"]}
    # U07's February self-check came only after March's close: missing on the frozen board (2.00, the built-in
    # 1.00); P0117 misreported in March (5.00, the built-in 3.00). U02's was late: forgiven (the built-in 1.00).
    assert (march["U07"]["points_self_check"], march["U07"]["points_misreport"]) == ("2.00", "5.00")
    assert (march["U02"]["points_self_check"], march["U03"]["points_self_check"]) == ("0.00", "2.00")
    board = {u["unit"]: u for u in query("board", "2023-03")["units"]}
    assert board["U07"]["deduction"] == "7.00"  # its early-warning case was restored in February: 0 + 2 + 5
    for period in ("2023-04", "2023-08", "2023-09", "2023-12"):  # D_warning is the built-in year's, unchanged
        builtin_board = json.loads((year / "expected" / f"board-{period}.json").read_text())["units"]
        builtin = {u["unit"]: u
                   for u in json.loads((year / "expected" / f"supervision-{period}.json").read_text())["units"]}
        ours = {u["unit"]: u for u in query("supervision", period)["units"]}
        deductions = {u["unit"]: Decimal(u["deduction"]) for u in query("board", period)["units"]}
        for entry in builtin_board:
            unit, parts = entry["unit"], ("points_self_check", "points_misreport", "points_special")
            warning = Decimal(entry["deduction"]) - sum(Decimal(builtin[unit][k]) for k in parts)
            assert deductions[unit] == warning + sum(Decimal(ours[unit][k]) for k in parts), (period, unit)
            assert Decimal(ours[unit]["points_misreport"]) * 3 == Decimal(builtin[unit]["points_misreport"]) * 5
            assert ours[unit]["points_special"] == builtin[unit]["points_special"]
            assert ours[unit]["points_self_check"] in ("0.00", "2.00")
            if ours[unit]["points_self_check"] == "2.00":
                assert builtin[unit]["points_self_check"] == "1.00"
    assert query("supervision", "2023-08")["units"][3]["points_special"] == "5.00"  # U04's special assessment
