"""The engine's cost follows the work: read models, snapshots, several scoring workers.

Each test checks an answer, not a speed: the read models answer what the events
answer, a snapshot plus the rest of the log is a full replay, and workers killed
at random points record every consequence exactly once.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest

from conftest import ROOT, SCENARIO, consequences, write_lines
from core.engine import snapshot
from core.record.state import Facts
from core.samples.generate import generate_year

NOW = datetime(2030, 1, 1, tzinfo=timezone.utc)  # after everything: the events' answer as known "now"


def _answers(platform, known_at=None) -> dict:
    q = platform.queries
    answers = {}
    for month in range(1, 13):
        period = f"2023-{month:02d}"
        board = q.board(period, known_at)
        answers[period] = {k: v for k, v in board.items() if k != "known_at"}
        for unit in [u["unit"] for u in board["units"]]:
            score = q.score(unit, period, known_at)
            answers[(unit, period)] = {k: v for k, v in score.items() if k != "known_at"}
    answers["notices"] = q.notices(None, known_at)
    return answers


@pytest.mark.parametrize("until", ["2023-07-20", "2024-12-31"])
def test_the_read_models_answer_what_the_events_answer(store_url, make_platform, until):
    """Live months (the year loaded up to 20 July: July on) and frozen ones alike."""
    platform = make_platform(store_url)
    lines = [line for line in (SCENARIO / "commands.jsonl").read_text().splitlines()
             if json.loads(line)["at"][:10] <= until]
    platform.ledger.load(enumerate(lines, 1), "office")
    platform.scorer.run()
    assert platform.app.read_models.behind() == 0
    from_models = _answers(platform)
    from_events = _answers(platform, known_at=NOW)
    assert from_models == from_events
    live = [p for p, board in from_models.items() if isinstance(p, str) and p != "notices" and not board["frozen"]]
    assert (len(live) == 6) if until < "2024" else not live
    if until < "2024":
        return
    assert json.loads((SCENARIO / "expected" / "board-2023-06.json").read_text())["units"] == \
        from_models["2023-06"]["units"]
    rebuilt = platform.app.read_models.rebuild()
    assert rebuilt == platform.app.recorder.max_notification_id()
    assert _answers(platform) == from_models
    units = platform.queries.units()
    assert len(units) == 8 and units[0]["unit"] == "U01" and units[0]["projects"] == 17


def test_answers_while_the_read_models_are_being_rebuilt_come_from_the_events(sqlite_url, make_platform):
    platform = make_platform(sqlite_url)
    platform.ledger.load(enumerate((SCENARIO / "commands.jsonl").read_text().splitlines(), 1), "office")
    platform.scorer.run()
    before = _answers(platform)
    with platform.app.recorder.transaction() as cur:  # as if a rebuild had only begun
        cur.execute("UPDATE rm_position SET position = 10")
    assert platform.app.read_models.behind() > 0
    assert _answers(platform) == before


def _state(facts: Facts) -> dict:
    from core.rules.view import FactsView
    view = FactsView(facts)
    sums = {(u, m): (view.signed_amount(u, datetime(2024, m, 28).date()), view.planned_count(u, datetime(2024, m, 28).date()),
                     view.landed_count(u, datetime(2024, m, 28).date())) for u in facts.units for m in range(1, 13)}
    return {"units": {u.id: (u.name, u.version, sorted(u.targets)) for u in facts.units.values()},
            "projects": {p.id: p.as_dict() for p in facts.projects.values()},
            "by_unit": {u: [p.id for p in ps] for u, ps in facts.projects_by_unit.items()},
            "dispatches": facts.dispatches, "closed": facts.closed, "rules": [r.command_id for r in facts.rules],
            "position": facts.position, "sums": sums, "people": {p.id: (p.unit, p.level) for p in facts.people.values()},
            "holders": facts.holders, "years_closed": facts.years_closed}


def test_a_snapshot_plus_the_rest_of_the_log_is_a_full_replay(store_url, make_platform):
    lines = [json.dumps(c) for c in generate_year(units=7, projects=300, seed=41, year=2024, cross_year=True,
                                                  people=50)]
    platform = make_platform(store_url)
    platform.ledger.load(enumerate(lines[:500], 1), "office")
    platform.scorer.run()
    platform.scorer.take_snapshot()
    taken = platform.scorer.facts.position
    platform.ledger.load(enumerate(lines[500:], 501), "office")
    platform.scorer.run()
    resumed = make_platform(store_url)
    resumed.scorer._load_state()  # from the snapshot, then the rest of the log
    assert snapshot.latest(resumed.app.recorder, "scorer", 10**9)[0] == taken
    replayed = Facts()
    for position, event in resumed.ledger.notifications():
        replayed.apply(event, position)
    assert _state(resumed.scorer.facts) == _state(replayed)


def lag_of(url, make_platform) -> int:
    return make_platform(url).scoring_lag()


@pytest.mark.slow
@pytest.mark.parametrize("workers", [2, 3])
def test_workers_killed_and_restarted_at_random_record_every_consequence_once(store_url, make_platform, tmp_path,
                                                                               workers, monkeypatch):
    commands = generate_year(units=12, projects=700, seed=50 + workers, year=2024, cross_year=True)
    path = write_lines(tmp_path / "year.jsonl", commands)
    last = commands[-1]["at"]
    env = {**os.environ, "SANKAO_DB": store_url, "SANKAO_SCORING": "worker",
           "SANKAO_SCORER_CLOCK": last}  # as if the workers ran right after the year: no month opens ahead
    from click.testing import CliRunner
    from cli import main
    monkeypatch.chdir(ROOT)
    loaded = CliRunner().invoke(main, ["load", str(path)], env={k: env[k] for k in (  # in this process, as the
        "SANKAO_DB", "SANKAO_SCORING", "SANKAO_SCORER_CLOCK")}, catch_exceptions=False)  # workers will see it
    assert loaded.exit_code == 0, loaded.stderr
    assert "recorded" in loaded.stderr and lag_of(store_url, make_platform) > 0  # left to the workers
    rng = random.Random(workers)

    def start(k):
        return subprocess.Popen([sys.executable, "-m", "cli", "worker", "--partition", f"{k}/{workers}",
                                 "--interval", "0.1"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    running = {k: start(k) for k in range(1, workers + 1)}
    kills = 0
    check = make_platform(store_url)  # one reader for the whole run (a platform a kill would leak its connections)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            time.sleep(rng.uniform(0.05, 0.6))
            k = rng.randint(1, workers)
            running[k].send_signal(signal.SIGKILL)
            running[k].wait()
            kills += 1
            running[k] = start(k)
            if kills >= 6 and check.scoring_lag() == 0 and not check.scorer.closer.pending():
                break
        else:
            pytest.fail("the workers did not catch up")
    finally:
        for process in running.values():
            process.send_signal(signal.SIGKILL)
            process.wait()
    together = make_platform(store_url)
    alone = make_platform(str(tmp_path / "alone.db"))
    alone.scorer.clock = lambda: datetime.fromisoformat(last)
    alone.ledger.load(enumerate((json.dumps(c) for c in commands), 1), "office")
    alone.scorer.run()
    assert consequences(together) == consequences(alone)
    for month in (3, 7, 12):
        period = f"2024-{month:02d}"
        assert together.queries.board(period)["units"] == alone.queries.board(period)["units"]
    assert together.queries.notices() == alone.queries.notices()
