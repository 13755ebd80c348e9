"""Supervision (SCORING.md §9) at a province's scale: the live board and ``supervision PERIOD`` against the
board of the same year without supervision, measured in the same run.

    python bench/supervision.py [--units 5000] [--commands 1000000] [--runs 7] [--keep DIR | --pg postgresql://...]

(5,000 units and a million commands: about 25 minutes to build on 2 cores, most of it recording and scoring;
``--units 200 --commands 40000`` for a quick run; ``--keep DIR`` keeps the SQLite stores and measures them
again without building when run with the same DIR.)

The year is bench/province.py's (``generate_year``, seed 2024, recorded up to 20 November 2023: January to
October closed, November live). It is recorded and scored twice, into two fresh stores built side by side
(two processes): as generated (the baseline), and with the supervision an office would record around it:

- ``require_self_checks`` from February (recorded in January);
- every unit's self-check of every month from January to October, mostly on time (day 1 to 5 of the next
  month), some late (day 6 to 20), some never sent;
- a spot check of every month from January to October of ``--draw-size`` projects drawn on day 1 to 4 of the
  next month (its sample computed here with ``core.record.supervision.draw_sample`` over the candidates as the
  record stands when it is drawn), a finding for most sampled projects within the next 12 days, about 6 %
  ``misreported`` (the signed amount lowered);
- about two special assessments a month, a dozen units listed (挂牌督战) and half of them delisted later.

Then, medians of ``--runs`` rounds in one reader per store, every query once per round (the machine's drift
falls on all alike), each "fresh" (what the reader keeps between queries dropped before it: live boards by
stamp, frozen boards read, as a new process answers) and "kept" (as a serving process answers again): the
board of November as known now and as known on 15 November in both stores, ``supervision 2023-11`` (live),
``supervision 2023-06`` (closed) and both ``--known-at`` (2023-11 as known on 15 November, 2023-06 as known on
3 July, before its close), with their ratios to the board without supervision. Issue #20's goal: each within
2x of the board without supervision, fresh (the queries as known now against the board as known now, those
``--known-at`` against the board as known on 15 November).
"""

from __future__ import annotations

import argparse
import heapq
import json
import multiprocessing
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, time as clock, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.bootstrap import Config, Platform  # noqa: E402
from core.record.supervision import draw_sample, is_candidate  # noqa: E402
from core.samples.generate import SHANGHAI, generate_year  # noqa: E402
from ingest import drop_pg_schema, pg_store  # noqa: E402

CUT = "2023-11-21"  # bench/province.py's year: recorded up to 20 November
LIVE, CLOSED = "2023-11", "2023-06"
MID = datetime(2023, 11, 15, 12, 0, tzinfo=SHANGHAI)
BEFORE_CLOSE = datetime(2023, 7, 3, 12, 0, tzinfo=SHANGHAI)
CUT_AT = datetime.fromisoformat(CUT + "T00:00:00+08:00")


def province_year(units: int, commands: int) -> list[dict]:
    """bench/province.py's year (the same generator, seed and cut)."""
    return [c for c in generate_year(units=units, projects=int(commands / 2.25), seed=2024) if c["at"] < CUT]


# -- the office's supervision ---------------------------------------------------------------------------------
def _moment(rng: random.Random, day: date, lo: int = 8 * 60, hi: int = 18 * 60) -> datetime:
    """A moment of ``day``, with seconds (the generated year records whole minutes)."""
    minute = rng.randrange(lo, hi)
    return datetime.combine(day, clock(minute // 60, minute % 60, rng.randrange(1, 60)), SHANGHAI)


def _planned(rng: random.Random, units: list[str], draw_size: int) -> list[tuple[datetime, dict]]:
    """Every supervision command but the findings (which depend on the draws' samples)."""
    out = [(_moment(rng, date(2023, 1, 9)), {"cmd": "require_self_checks", "from": "2023-02"})]
    for month in range(1, 11):
        period = f"2023-{month:02d}"
        for unit in units:
            r = rng.random()
            if r < 0.06:
                continue  # never sent
            day = date(2023, month + 1, rng.randint(6, 20) if r < 0.14 else rng.randint(1, 5))
            at = _moment(rng, day)
            if at < CUT_AT:
                out.append((at, {"cmd": "self_check", "unit": unit, "period": period, "date": day.isoformat(),
                                 **({"note": "figures checked against the signed contracts"} if r > 0.9 else {})}))
        day = date(2023, month + 1, rng.randint(1, 4))
        out.append((_moment(rng, day, 9 * 60, 10 * 60),
                    {"cmd": "draw_spot_check", "draw": f"SC-{period}", "period": period, "size": draw_size,
                     "seed": f"bench-{period}", "date": day.isoformat()}))
    for _ in range(22):
        day = date(2023, 1, 10) + timedelta(days=rng.randrange(0, 310))
        out.append((_moment(rng, day), {"cmd": "special_assessment", "unit": rng.choice(units), "date": day.isoformat(),
                                        "points": rng.choice(["1.00", "2.00", "2.50", "5.00", "10.00"]),
                                        "reason": "major problem found by the supervision department"}))
    for unit in rng.sample(units, min(12, len(units))):
        listed = date(2023, 3, 1) + timedelta(days=rng.randrange(0, 180))
        out.append((_moment(rng, listed), {"cmd": "list_unit", "unit": unit, "date": listed.isoformat(),
                                           "reason": "lagging far behind its targets"}))
        delisted = listed + timedelta(days=rng.randrange(30, 120))
        if rng.random() < 0.5 and delisted < date(2023, 11, 20):
            out.append((_moment(rng, delisted), {"cmd": "delist_unit", "unit": unit, "date": delisted.isoformat(),
                                                 "reason": "back on track"}))
    return out


def supervised(base: list[dict], draw_size: int, seed: int = 20) -> tuple[list[dict], dict]:
    """``base`` with the office's supervision merged in recorded order; and counts of what was added.

    The base year is walked in recorded order keeping each project's dates and signed amount, so that a draw's
    sample is the record's own (``draw_sample`` over the candidates as they stand when it is drawn) and a
    misreported finding corrects what the project then says."""
    rng = random.Random(seed)
    units = [c["unit"] for c in base if c["cmd"] == "register_unit"]
    heap = [(datetime.fromisoformat(c["at"]), 0, n, c) for n, c in enumerate(base)]
    seq = len(heap)
    for at, command in _planned(rng, units, draw_size):
        seq += 1
        heap.append((at, 1, seq, command))
    heapq.heapify(heap)
    projects: dict[str, list] = {}  # project -> [unit, signed_on, landed_on, withdrawn_on, amount]
    out, counts, n = [], {}, 0
    while heap:
        at, origin, _seq, command = heapq.heappop(heap)
        cmd = command["cmd"]
        if cmd == "plan_project":
            projects[command["project"]] = [command["unit"], None, None, None, None]
        elif cmd == "sign_project":
            projects[command["project"]][1] = date.fromisoformat(command["signed_on"])
            projects[command["project"]][4] = Decimal(command["amount"])
        elif cmd == "land_project":
            projects[command["project"]][2] = date.fromisoformat(command["landed_on"])
        elif cmd == "withdraw_project":
            projects[command["project"]][3] = date.fromisoformat(command["withdrawn_on"])
        elif cmd in ("correct", "record_finding") and command.get("field"):
            slot = {"signed_on": 1, "landed_on": 2, "signed_amount": 4}.get(command["field"])
            if slot is not None:
                value = command["value"]
                projects[command["project"]][slot] = Decimal(value) if slot == 4 else date.fromisoformat(value)
        if cmd == "draw_spot_check":
            period = command["period"]
            candidates = [(p, s[0]) for p, s in projects.items() if is_candidate(period, s[1], s[2], s[3])]
            drawn = date.fromisoformat(command["date"])
            last = min(drawn + timedelta(days=12), date(2023, 11, 20))
            for project, _unit in draw_sample(command["seed"], period, candidates, command["size"]):
                if rng.random() < 0.9:
                    day = drawn + timedelta(days=rng.randrange(0, (last - drawn).days + 1))
                    when = max(_moment(rng, day), at + timedelta(seconds=1))
                    seq += 1
                    heapq.heappush(heap, (when, 1, seq, {"cmd": "record_finding", "draw": command["draw"],
                                                         "project": project, "date": day.isoformat(),
                                                         "result": "misreported" if rng.random() < 0.06
                                                         else "confirmed"}))
        if cmd == "record_finding" and command["result"] == "misreported" and "field" not in command:
            state = projects[command["project"]]
            if state[3] is not None or state[4] is None:  # withdrawn since, or never signed: nothing to lower
                command["result"] = "confirmed"
            else:
                lowered = (state[4] * Decimal("0.8")).quantize(Decimal(1))
                command.update(field="signed_amount", value=str(lowered), reason="contract amount overstated")
                state[4] = lowered
        if origin:
            n += 1
            key = cmd if cmd != "record_finding" else f"finding ({command['result']})"
            counts[key] = counts.get(key, 0) + 1
            command = {**command, "id": f"sv-{n:06d}", "at": at.isoformat()}
        out.append(command)
    return out, counts


# -- building the stores -------------------------------------------------------------------------------------
def _build(name: str, db: str, lines: list[str]) -> None:
    platform = Platform(Config(db=db), "init")
    platform.scorer.clock = None  # the year's months open as it goes, as they would have in its own time
    began = time.perf_counter()
    report = platform.ledger.load(enumerate(lines, 1), "bench", batch_size=1000)
    assert not report.rejected, report.rejected[:3]
    loaded = time.perf_counter()
    platform.scorer.run()
    print(f"  {name}: {len(lines):,} commands recorded in {loaded - began:.0f} s, scored in "
          f"{time.perf_counter() - loaded:.0f} s; {platform.app.recorder.max_notification_id():,} events", flush=True)
    platform.close()


def build_both(stores: dict[str, tuple[str, list[str]]]) -> None:
    """Each store in a process of its own, side by side."""
    context = multiprocessing.get_context("fork")
    processes = [context.Process(target=_build, args=(name, db, lines)) for name, (db, lines) in stores.items()]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    if any(p.exitcode for p in processes):
        raise SystemExit("a store could not be built (see above)")


# -- measuring -----------------------------------------------------------------------------------------------
def fresh(platform: Platform) -> None:
    """Drop what the reader keeps between queries (live boards by stamp, frozen boards read, heads): the next
    query works as in a new process (``sankao board`` or ``sankao supervision`` from the command line)."""
    q = platform.queries
    for kept in (q._boards, q._frozen_events, q._frozen_units, q._heads):
        kept.clear()


def round_robin(queries: dict, runs: int) -> dict:
    """``{label: (fresh median, kept median, answer)}`` in seconds: every query once per round, ``runs`` rounds
    with the reader's caches dropped before each query, then ``runs`` with them kept (after one untimed call),
    so that the machine's drift falls on all alike."""
    times = {label: ([], []) for label in queries}
    answers = {}
    for label, (platform, call) in queries.items():  # once each, untimed: the pages of the store read in
        answers[label] = call()
    for kept in (False, True):
        for _ in range(runs):
            for label, (platform, call) in queries.items():
                if not kept:
                    fresh(platform)
                began = time.perf_counter()
                call()
                times[label][kept].append(time.perf_counter() - began)
    return {label: (statistics.median(f), statistics.median(k), answers[label]) for label, (f, k) in times.items()}


def measure(base_db: str, sv_db: str, runs: int) -> None:
    base, sv = Platform(Config(db=base_db), "read"), Platform(Config(db=sv_db), "read")
    now = "board 2023-11 as known now, without supervision"
    mid = "board 2023-11 as known 2023-11-15, without supervision"
    against = {  # label: (reader, query, the baseline it is set against)
        now: (base, lambda: base.queries.board(LIVE), None),
        "board 2023-11 as known now, with supervision": (sv, lambda: sv.queries.board(LIVE), now),
        mid: (base, lambda: base.queries.board(LIVE, MID), None),
        "board 2023-11 as known 2023-11-15, with supervision": (sv, lambda: sv.queries.board(LIVE, MID), mid),
        "supervision 2023-11 (live)": (sv, lambda: sv.queries.supervision(LIVE), now),
        "supervision 2023-06 (closed)": (sv, lambda: sv.queries.supervision(CLOSED), now),
        "supervision 2023-11 --known-at 2023-11-15": (sv, lambda: sv.queries.supervision(LIVE, MID), mid),
        "supervision 2023-06 --known-at 2023-07-03 (before its close)": (
            sv, lambda: sv.queries.supervision(CLOSED, BEFORE_CLOSE), mid),
        "board 2023-06 (frozen), without supervision (for reference)": (base, lambda: base.queries.board(CLOSED),
                                                                         None),
    }
    try:
        measured = round_robin({label: (reader, call) for label, (reader, call, _) in against.items()}, runs)
        width = max(map(len, measured))
        print(f"\nqueries, ms, medians of {runs} rounds: 'fresh' with the reader's kept answers dropped before each "
              "query (as a new process answers), 'kept' as a serving process answers again; × = fresh ÷ the fresh "
              "board without supervision as known at the same kind of time (now, or 2023-11-15):")
        goal = True
        for label, (fresh_s, kept_s, _) in measured.items():
            baseline = against[label][2]
            ratio = ""
            if baseline is not None:
                times = fresh_s / measured[baseline][0]
                goal &= times <= 2
                ratio = f"  ×{times:5.2f} of the board as known {'now' if baseline == now else '2023-11-15'}"
            print(f"  {label:<{width}}  fresh {fresh_s * 1000:8.1f}  kept {kept_s * 1000:8.1f}{ratio}")
        print(f"\ngoal of issue #20 (each within 2x of the board without supervision, fresh): "
              f"{'holds' if goal else 'does NOT hold'}")
        live, closed = measured["supervision 2023-11 (live)"][2], measured["supervision 2023-06 (closed)"][2]
        board_sv = measured["board 2023-11 as known now, with supervision"][2]
        without = {u["unit"]: u["deduction"] for u in measured[now][2]["units"]}
        apart = sum(u["deduction"] != without.get(u["unit"]) for u in board_sv["units"])
        print(f"\nanswers: supervision 2023-11: {len(live['units']):,} units, {len(live['draws'])} draws of November; "
              f"supervision 2023-06: frozen {closed['frozen']}, {sum(u['on_time'] is True for u in closed['units']):,} "
              f"self-checks on time, {sum(u['on_time'] is False for u in closed['units']):,} late, "
              f"{sum(u['self_check'] is None for u in closed['units']):,} missing, "
              f"{sum(u['points_self_check'] != '0.00' for u in closed['units']):,} units pre-deducted for May's, "
              f"a draw of {closed['draws'][0]['size']} from {closed['draws'][0]['candidates']:,} candidates; "
              f"the November board: {len(board_sv['units']):,} units, {apart:,} with another deduction than "
              f"without supervision")
    finally:
        base.close()
        sv.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--commands", type=int, default=1_000_000, help="about how many commands the year has")
    parser.add_argument("--draw-size", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7, help="timed rounds of the queries, fresh and kept each")
    parser.add_argument("--pg", default=None, help="a postgresql:// URL: build the two stores there (SQLite otherwise)")
    parser.add_argument("--keep", default=None, metavar="DIR",
                        help="SQLite: build the stores in DIR and keep them; stores already there are measured "
                             "again without building (for profiling)")
    args = parser.parse_args()
    if args.keep and not args.pg:
        dbs = [str(Path(args.keep) / f"{n}.db") for n in ("base", "sv")]
        if all(Path(db).exists() for db in dbs):
            print(f"measuring the stores kept in {args.keep}")
            measure(dbs[0], dbs[1], args.runs)
            return
        Path(args.keep).mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()
    base = province_year(args.units, args.commands)
    year, counts = supervised(base, args.draw_size)
    print(f"generated {len(base):,} commands for {args.units:,} units, and {len(year) - len(base):,} supervision "
          f"commands ({', '.join(f'{v:,} {k}' for k, v in sorted(counts.items()))}) in "
          f"{time.perf_counter() - began:.0f} s")
    lines = {"without supervision": [json.dumps(c) for c in base], "with supervision": [json.dumps(c) for c in year]}
    del base, year
    with tempfile.TemporaryDirectory() as tmp:
        made = [pg_store(args.pg) for _ in range(2)] if args.pg else []
        dbs = [url for url, _ in made] if args.pg else [str(Path(args.keep or tmp) / f"{n}.db") for n in ("base", "sv")]
        try:
            print(f"building both stores side by side ({'PostgreSQL' if args.pg else 'SQLite'}):", flush=True)
            began = time.perf_counter()
            build_both({name: (db, lines[name]) for name, db in zip(lines, dbs)})
            print(f"  both built in {time.perf_counter() - began:.0f} s")
            measure(dbs[0], dbs[1], args.runs)
        finally:
            for _, schema in made:
                drop_pg_schema(args.pg, schema)


if __name__ == "__main__":
    main()
