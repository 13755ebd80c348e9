"""The rules of SCORING.md §9's commands (docs/assessment.md §9), each on its own line against one small store, on
SQLite and on PostgreSQL: `sankao load --check` names every rejected line with its field and rule and records
nothing, the ledger rejects each line alone the same way, the boundaries of each rule are accepted; two
self-checks of one unit and month racing to be recorded leave one; a reused id is skipped (the same command) or
refused (another)."""

from __future__ import annotations

import json
import threading

import pytest

from conftest import write_lines


def _at(day: str, hour: int = 10) -> str:
    return f"{day}T{hour:02d}:00:00+08:00"


AT = _at("2024-03-10")  # every line checked is recorded at this time: the month 2024-03


def base() -> list[dict]:
    """Two units, four projects; self-checks required from January; January and February closed; D0 drawn of
    January in February, D1 (size 1: P2) and D2 (size 2) of February in March, D1's P2 confirmed; U1 listed; both
    units' targets for 2024 set last."""
    lines = [{"cmd": "register_unit", "unit": u, "name": u, "category": "department", "at": _at("2024-01-02")}
             for u in ("U1", "U2")]
    lines += [{"cmd": "plan_project", "project": p, "unit": u, "name": p, "planned_on": "2024-01-03",
               "at": _at("2024-01-03")} for p, u in (("P1", "U1"), ("P2", "U2"), ("P3", "U1"), ("P4", "U2"))]

    def sign(project, day):
        return {"cmd": "sign_project", "project": project, "signed_on": day, "amount": "100", "at": _at(day)}
    lines += [
        {"cmd": "require_self_checks", "from": "2024-01", "at": _at("2024-01-04")},
        sign("P4", "2024-01-20"),
        {"cmd": "close_month", "period": "2024-01", "at": _at("2024-02-03")},
        {"cmd": "self_check", "unit": "U1", "period": "2024-01", "date": "2024-02-03", "at": _at("2024-02-03")},
        sign("P1", "2024-02-05"), sign("P2", "2024-02-06"),
        {"cmd": "draw_spot_check", "draw": "D0", "period": "2024-01", "size": 1, "seed": "s0", "date": "2024-02-10",
         "at": _at("2024-02-10")},
        {"cmd": "close_month", "period": "2024-02", "at": _at("2024-03-04")},
        {"cmd": "draw_spot_check", "draw": "D1", "period": "2024-02", "size": 1, "seed": "s", "date": "2024-03-05",
         "at": _at("2024-03-05")},
        {"cmd": "draw_spot_check", "draw": "D2", "period": "2024-02", "size": 2, "seed": "s", "date": "2024-03-05",
         "at": _at("2024-03-05")},
        {"cmd": "record_finding", "draw": "D1", "project": "P2", "date": "2024-03-06", "result": "confirmed",
         "at": _at("2024-03-06")},
        {"cmd": "list_unit", "unit": "U1", "date": "2024-03-06", "reason": "lagging", "at": _at("2024-03-06")},
    ]
    lines += [{"cmd": "set_targets", "unit": u, "year": 2024, "annual": "1200", "quarterly": ["300", "600", "900", "1200"],
               "monthly": "100", "planned": 2, "landed": 1, "at": _at("2024-03-06")} for u in ("U1", "U2")]
    return [{**line, "id": f"b{n:02d}"} for n, line in enumerate(lines)]


NOT_POINTS = "is not a decimal string > 0 and <= 100 with at most 2 decimals"
FINDING = {"cmd": "record_finding", "draw": "D2", "project": "P1", "date": "2024-03-10"}
MISREPORTED = {**FINDING, "result": "misreported", "field": "signed_amount", "value": "90", "reason": "contract"}
SPECIAL = {"cmd": "special_assessment", "unit": "U2", "date": "2024-03-10", "points": "1", "reason": "letter"}
DRAW = {"cmd": "draw_spot_check", "draw": "D3", "period": "2024-02", "size": 1, "seed": "s", "date": "2024-03-10"}
SELF_CHECK = {"cmd": "self_check", "unit": "U2", "period": "2024-02", "date": "2024-03-02"}

# (line, what `load --check` says of it after "line N: "): each breaks one rule of the table of §9
RULES = [
    # require_self_checks: malformed period; `from` before the month of the recorded time
    ({"cmd": "require_self_checks", "from": "2024-13"},
     "require_self_checks 2024-13: from: '2024-13' is not a month written YYYY-MM"),
    ({"cmd": "require_self_checks", "from": "2024-02"}, "require_self_checks 2024-02: from: 2024-02 is before the "
     "month 2024-03 of the recorded time (a requirement cannot reach back)"),
    ({"cmd": "require_self_checks"}, "require_self_checks: from: is required"),
    # self_check: unknown unit; date not after the end of period; one exists; the forms
    ({**SELF_CHECK, "unit": "U9"}, "self_check U9: unit: U9 is not a registered unit"),
    ({**SELF_CHECK, "date": "2024-02-29"}, "self_check U2: date: 2024-02-29 is not after the end of 2024-02 "
     "(2024-02-29): a self-check is made once the month is over"),
    ({**SELF_CHECK, "unit": "U1", "period": "2024-01"},
     "self_check U1: unit U1 has filed its self-check of 2024-01 already (dated 2024-02-03)"),
    ({**SELF_CHECK, "note": "x" * 2001}, "self_check U2: note: Longer than maximum length 2000."),
    ({**SELF_CHECK, "note": 5}, "self_check U2: note: Not a valid string."),
    ({**SELF_CHECK, "period": "2024-2"}, "self_check U2: period: '2024-2' is not a month written YYYY-MM"),
    ({**SELF_CHECK, "date": "2024-03-32"}, "self_check U2: date: '2024-03-32' is not a date written YYYY-MM-DD"),
    # draw_spot_check: the draw exists; date not after the end of period; size, seed, id of their forms
    ({**DRAW, "draw": "D1"}, "draw_spot_check D1: draw D1 exists already (of 2024-02, drawn 2024-03-05)"),
    ({**DRAW, "date": "2024-02-29"}, "draw_spot_check D3: date: 2024-02-29 is not after the end of 2024-02 "
     "(2024-02-29): a spot check is made once the month is over"),
    ({**DRAW, "size": 0}, "draw_spot_check D3: size: Must be greater than or equal to 1 and less than or equal to "
     "1000."),
    ({**DRAW, "size": 1001}, "draw_spot_check D3: size: Must be greater than or equal to 1 and less than or equal "
     "to 1000."),
    ({**DRAW, "size": "3"}, "draw_spot_check D3: size: Not a valid integer."),
    ({**DRAW, "size": True}, "draw_spot_check D3: size: Not a valid integer."),
    ({**DRAW, "size": 2.5}, "draw_spot_check D3: size: Not a valid integer."),
    ({**DRAW, "seed": ""}, "draw_spot_check D3: seed: Length must be between 1 and 128."),
    ({**DRAW, "seed": "s" * 129}, "draw_spot_check D3: seed: Length must be between 1 and 128."),
    ({**DRAW, "seed": 7}, "draw_spot_check D3: seed: Not a valid string."),
    ({**DRAW, "draw": "D 3"}, "draw_spot_check D 3: draw: must match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"),
    ({**DRAW, "period": "2024-02-01"}, "draw_spot_check D3: period: '2024-02-01' is not a month written YYYY-MM"),
    # record_finding: unknown draw; not sampled; a finding exists; date before the draw's; its month closed;
    # confirmed with field or value; misreported without its correction, or with one `correct` rejects
    ({**FINDING, "draw": "D9", "result": "confirmed"}, "record_finding D9: draw: D9 is not a recorded spot check"),
    ({**FINDING, "draw": "D1", "result": "confirmed"},
     "record_finding D1: project: P1 is not in the sample of draw D1 (P2)"),
    ({**FINDING, "draw": "D1", "project": "P2", "result": "misreported", "field": "signed_amount", "value": "9",
      "reason": "r"}, "record_finding D1: draw D1 has a finding for project P2 already (confirmed, 2024-03-06)"),
    ({**FINDING, "date": "2024-03-04", "result": "confirmed"},
     "record_finding D2: date: 2024-03-04 is before the draw's date 2024-03-05"),
    ({**FINDING, "draw": "D0", "project": "P4", "date": "2024-02-20", "result": "confirmed"},
     "record_finding D0: date: 2024-02-20 lies in 2024-02, which is closed"),
    ({**FINDING, "result": "confirmed", "field": "signed_on"},
     "record_finding D2: field: a confirmed finding corrects nothing: leave out field and value"),
    ({**FINDING, "result": "confirmed", "value": "2024-02-07"},
     "record_finding D2: field: a confirmed finding corrects nothing: leave out field and value"),
    ({**MISREPORTED, "value": None},
     "record_finding D2: value: a misreported finding needs value: the correction it makes, as in correct"),
    ({k: v for k, v in MISREPORTED.items() if k != "value"},
     "record_finding D2: value: a misreported finding needs value: the correction it makes, as in correct"),
    ({k: v for k, v in MISREPORTED.items() if k != "field"},
     "record_finding D2: field: a misreported finding needs field: the correction it makes, as in correct"),
    ({k: v for k, v in MISREPORTED.items() if k != "reason"},
     "record_finding D2: reason: a misreported finding needs reason: the correction it makes, as in correct"),
    ({**MISREPORTED, "field": "signed_on", "value": "2024-01-01"},
     "record_finding D2: the correction of this misreported finding would be rejected: value: the corrected project "
     "would break an ordering rule: signed_on 2024-01-01 is before planned_on 2024-01-03"),
    ({**MISREPORTED, "field": "signed_on", "value": "2024-03-11"}, "record_finding D2: the correction of this "
     "misreported finding would be rejected: value 2024-03-11 is after the local date 2024-03-10 of the recorded "
     "time"),
    ({**MISREPORTED, "field": "landed_on", "value": "2024-03-01"}, "record_finding D2: the correction of this "
     "misreported finding would be rejected: field: landed_on of project P1 was never set"),
    ({**MISREPORTED, "value": "-5"},
     "record_finding D2: value: '-5' is not a decimal string > 0 with at most 2 decimals"),
    ({**MISREPORTED, "field": "withdrawn_on", "value": "2024-03-01"},
     "record_finding D2: field: Must be one of: landed_on, planned_on, signed_amount, signed_on."),
    ({**FINDING, "result": "wrong"}, "record_finding D2: result: must be one of: confirmed, misreported"),
    # special_assessment: unknown unit; bad points; the month of date closed
    ({**SPECIAL, "unit": "U9"}, "special_assessment U9: unit: U9 is not a registered unit"),
    *[({**SPECIAL, "points": points}, f"special_assessment U2: points: {points!r} {NOT_POINTS}")
      for points in ("0", "0.00", "100.01", "0.005", "-1", 5, "1e2", "abc", "", " 1", "1.", "101")],
    ({**SPECIAL, "date": "2024-02-10"}, "special_assessment U2: date: 2024-02-10 lies in 2024-02, which is closed"),
    ({**SPECIAL, "reason": ""}, "special_assessment U2: reason: Length must be between 1 and 500."),
    # list_unit / delist_unit: unknown unit; listed / not listed; date before the latest listing's
    ({"cmd": "list_unit", "unit": "U9", "date": "2024-03-10", "reason": "r"},
     "list_unit U9: unit: U9 is not a registered unit"),
    ({"cmd": "list_unit", "unit": "U1", "date": "2024-03-10", "reason": "r"},
     "list_unit U1: unit U1 is listed already (since 2024-03-06)"),
    ({"cmd": "delist_unit", "unit": "U1", "date": "2024-03-05", "reason": "r"}, "delist_unit U1: date: 2024-03-05 "
     "is before 2024-03-06, the date of the unit's latest listing or delisting"),
    ({"cmd": "delist_unit", "unit": "U2", "date": "2024-03-10", "reason": "r"}, "delist_unit U2: unit U2 is not listed"),
    ({"cmd": "delist_unit", "unit": "U9", "date": "2024-03-10", "reason": "r"},
     "delist_unit U9: unit: U9 is not a registered unit"),
    ({"cmd": "list_unit", "unit": "U2", "date": "2024-03-10", "reason": "r", "extra": 1},
     "list_unit U2: extra: unknown field"),
]

# the boundaries of the same rules, accepted (recorded in this order after the base)
ACCEPTED = [
    {"cmd": "require_self_checks", "from": "2024-03"},  # the month of the recorded time
    {**SELF_CHECK, "date": "2024-03-01", "note": "x" * 2000},  # the first day after the month; a note of 2,000
    {**DRAW, "date": "2024-03-01", "size": 1000, "seed": "s" * 128},  # every candidate; a seed of 128
    {**DRAW, "draw": "D4", "size": 1, "seed": "x"},
    {**FINDING, "date": "2024-03-05", "result": "confirmed", "reason": "seen on site"},  # on the draw's date
    {**MISREPORTED, "project": "P2", "field": "signed_on", "value": "2024-02-29"},
    *[{**SPECIAL, "points": points} for points in ("0.01", "100", "100.00", "7.5")],
    {"cmd": "delist_unit", "unit": "U1", "date": "2024-03-06", "reason": "caught up"},  # the latest listing's date
    {"cmd": "list_unit", "unit": "U1", "date": "2024-03-06", "reason": "again"},
]


@pytest.fixture
def store(store_url, cli, tmp_path):
    cli(store_url, "load", str(write_lines(tmp_path / "base.jsonl", base())))
    return store_url


def _head(cli, url: str) -> str:
    return cli(url, "audit", "head", "--json").stdout


def test_load_check_names_every_rejected_line_with_its_field_and_rule_and_records_nothing(store, cli, tmp_path):
    head = _head(cli, store)
    lines = [{**line, "at": AT, "id": f"r{n:03d}"} for n, (line, _) in enumerate(RULES)]
    checked = cli(store, "load", str(write_lines(tmp_path / "rules.jsonl", lines)), "--check", expect=1)
    assert checked.stdout.splitlines() == [f"line {n}: {said}" for n, (_, said) in enumerate(RULES, 1)]
    assert f"0 would be recorded, 0 skipped, {len(RULES)} rejected; nothing recorded" in checked.stderr
    assert _head(cli, store) == head


def test_the_ledger_rejects_each_line_alone_and_records_nothing(store, make_platform):
    platform = make_platform(store)
    size = platform.app.recorder.max_notification_id()
    problems = []
    for n, (line, said) in enumerate(RULES):
        report = platform.ledger.load([(1, json.dumps({**line, "at": AT, "id": f"r{n:03d}"}))], "office")
        if report.recorded or [m for _, m in report.rejected] != [said]:
            problems.append(f"{line}: recorded {report.recorded}, rejected {report.rejected}")
    assert not problems, "\n".join(problems)
    assert platform.app.recorder.max_notification_id() == size


def test_the_boundaries_of_each_rule_are_accepted(store, cli, tmp_path):
    lines = [{**line, "at": AT, "id": f"a{n:02d}"} for n, line in enumerate(ACCEPTED)]
    assert f"{len(lines)} would be recorded" in cli(store, "load", str(write_lines(tmp_path / "ok.jsonl", lines)),
                                                    "--check").stderr
    assert f"recorded {len(lines)}, skipped 0" in cli(store, "load", str(tmp_path / "ok.jsonl")).stderr
    march = json.loads(cli(store, "supervision", "2024-03", "--json").stdout)
    assert march["self_checks_required"] is True
    february = json.loads(cli(store, "supervision", "2024-02", "--json").stdout)
    draws = {d["draw"]: d for d in february["draws"]}
    assert (draws["D3"]["size"], draws["D3"]["candidates"], len(draws["D3"]["sample"])) == (1000, 2, 2)
    found = {s["project"]: (s["result"], s["result_date"]) for s in draws["D2"]["sample"]}
    assert found == {"P1": ("confirmed", "2024-03-05"), "P2": ("misreported", "2024-03-10")}
    projects = json.loads(cli(store, "projects", "--json").stdout)
    assert next(p for p in projects if p["project"] == "P2")["signed_on"] == "2024-02-29"  # the finding corrected it


def test_a_self_check_is_filed_once_even_by_lines_of_one_batch(store, cli, tmp_path):
    first = {**SELF_CHECK, "at": AT, "id": "sc1"}
    again = {**SELF_CHECK, "date": "2024-03-04", "at": AT, "id": "sc2"}
    checked = cli(store, "load", str(write_lines(tmp_path / "two.jsonl", [first, again])), "--check", expect=1)
    assert checked.stdout.splitlines() == [
        "line 2: self_check U2: unit U2 has filed its self-check of 2024-02 already (dated 2024-03-02)"]
    loaded = cli(store, "load", str(tmp_path / "two.jsonl"), expect=1)
    assert "recorded 1" in loaded.stderr and "line 2: self_check U2: unit U2 has filed" in loaded.stdout
    events = json.loads(cli(store, "events", "--type", "SelfCheckFiled", "--json").stdout)
    assert [(e["data"]["unit"], e["data"]["period"], e["data"]["date"]) for e in events] == [
        ("U1", "2024-01", "2024-02-03"), ("U2", "2024-02", "2024-03-02")]


def test_two_self_checks_racing_to_be_recorded_leave_one(store, make_platform):
    """Two writers (each a platform of its own, as two processes) decide a self-check of U2 for 2024-02 on the same
    record and save at the same moment: the log's one BatchRecorded stream lets one save; the other decides again on
    the record the first left, and is rejected naming the self-check recorded."""
    from eventsourcing.persistence import IntegrityError
    from core.bootstrap import Config, Platform
    from conftest import ROOT
    both_decided = threading.Barrier(2, timeout=30)
    outcomes, collisions, errors = {}, [], []

    def writer(name: str, day: str):
        try:
            platform = Platform(Config(db=store, plugins=str(ROOT / "plugins.toml")), "load")
            try:
                ledger, save = platform.ledger, platform.ledger._save
                waited = []

                def save_together(events, digests=None):
                    if events and not waited:
                        waited.append(True)
                        both_decided.wait()  # both have decided on the record without the other's line
                    try:
                        return save(events, digests)
                    except IntegrityError:
                        collisions.append(name)
                        raise
                ledger._save = save_together
                line = json.dumps({**SELF_CHECK, "date": day, "at": AT, "id": f"race-{name}"})
                outcomes[name] = ledger.load([(1, line)], "office", batch_size=1)
            finally:
                platform.close()
        except BaseException as exc:  # reported below
            errors.append(f"{name}: {type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=writer, args=(name, day)) for name, day in (("a", "2024-03-02"),
                                                                                     ("b", "2024-03-03"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sorted(report.recorded for report in outcomes.values()) == [0, 1], outcomes
    assert len(collisions) == 1, collisions  # the two saves did meet
    winner = next(name for name, report in outcomes.items() if report.recorded)
    loser = "b" if winner == "a" else "a"
    day = {"a": "2024-03-02", "b": "2024-03-03"}[winner]
    assert [m for _, m in outcomes[loser].rejected] == [
        f"self_check U2: unit U2 has filed its self-check of 2024-02 already (dated {day})"]
    reader = make_platform(store)
    filed = [event for _, event in reader.app.log(0) if type(event).__name__ == "SelfCheckFiled"]
    assert [(e.unit, e.period, e.command_id) for e in filed] == [("U1", "2024-01", "b09"),
                                                                 ("U2", "2024-02", f"race-{winner}")]


def test_a_reused_id_is_skipped_for_the_same_command_and_refused_for_another(store, cli, tmp_path):
    recorded = base()
    again = cli(store, "load", str(write_lines(tmp_path / "again.jsonl", recorded)))  # every line sent again
    assert f"recorded 0, skipped {len(recorded)}" in again.stderr
    head = _head(cli, store)
    self_check = next(c for c in recorded if c["cmd"] == "self_check")
    draw = next(c for c in recorded if c["cmd"] == "draw_spot_check" and c["draw"] == "D1")
    reused = [
        ({**SPECIAL, "at": AT, "id": self_check["id"]}, self_check, "SelfCheckFiled"),  # another command, same id
        ({**draw, "seed": "another", "at": AT}, draw, "SpotCheckDrawn"),  # the draw's id, the draw changed
        ({**SELF_CHECK, "at": AT, "id": draw["id"]}, draw, "SpotCheckDrawn"),
    ]
    for line, earlier, kind in reused:
        result = cli(store, "load", str(write_lines(tmp_path / "reused.jsonl", [line])), expect=1)
        said = result.stdout.strip()
        assert said.startswith(f"line 1: {line['cmd']} ") and f"id: {earlier['id']} is already recorded for another "\
            f"command ({kind} recorded at " in said, said
    assert _head(cli, store) == head
    # one id twice in one file, for two commands: the second line is refused naming the first
    twice = [{**SELF_CHECK, "at": AT, "id": "t1"}, {**SPECIAL, "at": AT, "id": "t1"}]
    checked = cli(store, "load", str(write_lines(tmp_path / "twice.jsonl", twice)), "--check", expect=1)
    assert checked.stdout.strip() == ("line 2: special_assessment U2: id: t1 is already recorded for another command "
                                      "(line 1 of this batch); the same id is how a command sent again is "
                                      "recognised: give this one a new id")
    assert _head(cli, store) == head
