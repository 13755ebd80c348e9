"""Spot checks anyone can check (SCORING.md §9, issue #20): `sankao draw` seeds a draw with a head of the log's
Merkle tree nobody chooses, `sankao audit draw` recomputes a draw from the record (and names a sample or a seed
altered in the store, on SQLite and on PostgreSQL), and the exported bundle's standard-library verify.py
recomputes every draw from the bundle's events (and refuses a bundle whose draw was edited, re-hashed or not)."""

from __future__ import annotations

import hashlib
import json

import pytest

from conftest import SCENARIOS, write_lines
from core.record.state import stream_id
from core.tree import merkle
from test_tamper import bare_python, run_verifier, sql  # noqa: F401 (bare_python: a fixture)

FEB, MAR = "2024-02", "2024-03"


def _at(day: str, hour: int = 10) -> str:
    return f"{day}T{hour:02d}:00:00+08:00"


def year() -> list[dict]:
    """Two units and fifteen projects whose February candidacy each rule of §9 decides: signed or landed in the
    month, withdrawn within it (out) or after it (in), a signing corrected into it (in) or out of it (out), and a
    landing a misreported finding moves into March between two draws of February."""
    lines = [{"cmd": "register_unit", "unit": u, "name": f"Unit {u}", "category": "department", "at": _at("2024-01-02")}
             for u in ("U1", "U2")]
    owner = {f"P{n:02d}": ("U1" if n % 2 else "U2") for n in range(1, 16)}
    lines += [{"cmd": "plan_project", "project": p, "unit": u, "name": f"Project {p}", "planned_on": "2024-01-03",
               "at": _at("2024-01-03")} for p, u in owner.items()]

    def sign(p, day):
        return {"cmd": "sign_project", "project": p, "signed_on": day, "amount": "1000000", "at": _at(day)}
    lines += [sign("P02", "2024-01-10"), sign("P05", "2024-01-15"), sign("P01", "2024-02-05"),
              sign("P03", "2024-02-07"), sign("P04", "2024-02-08"), sign("P06", "2024-02-12"),
              sign("P07", "2024-02-14"), sign("P10", "2024-02-15"), sign("P11", "2024-02-16"),
              sign("P12", "2024-02-19"), sign("P13", "2024-02-21"), sign("P14", "2024-02-22")]
    lines += [
        {"cmd": "correct", "project": "P05", "field": "signed_on", "value": "2024-02-01", "reason": "contract date",
         "at": _at("2024-02-23")},
        {"cmd": "correct", "project": "P06", "field": "signed_on", "value": "2024-01-31", "reason": "contract date",
         "at": _at("2024-02-23", 11)},
        {"cmd": "withdraw_project", "project": "P03", "withdrawn_on": "2024-02-25", "reason": "gone",
         "at": _at("2024-02-26")},
        {"cmd": "land_project", "project": "P02", "landed_on": "2024-02-20", "at": _at("2024-02-27")},
        {"cmd": "land_project", "project": "P07", "landed_on": "2024-02-28", "at": _at("2024-02-28")},
        {"cmd": "close_month", "period": "2024-01", "at": _at("2024-02-28", 18)},
        {"cmd": "withdraw_project", "project": "P04", "withdrawn_on": "2024-03-02", "reason": "gone",
         "at": _at("2024-03-02")},
        {"cmd": "close_month", "period": FEB, "at": _at("2024-03-04", 18)},
        {"cmd": "draw_spot_check", "draw": "D1", "period": FEB, "size": 1000, "seed": "office-seed-1",
         "date": "2024-03-05", "at": _at("2024-03-05")},
        {"cmd": "record_finding", "draw": "D1", "project": "P01", "date": "2024-03-08", "result": "confirmed",
         "at": _at("2024-03-08")},
        {"cmd": "record_finding", "draw": "D1", "project": "P02", "date": "2024-03-08", "result": "misreported",
         "field": "landed_on", "value": "2024-03-04", "reason": "landed in March", "at": _at("2024-03-08", 11)},
        {"cmd": "draw_spot_check", "draw": "D2", "period": FEB, "size": 4, "seed": "office-seed-2",
         "date": "2024-03-09", "at": _at("2024-03-09")},
        sign("P09", "2024-03-06") | {"at": _at("2024-03-09", 12)}, sign("P15", "2024-03-07") | {"at": _at("2024-03-09", 13)},
    ]
    return lines


FEB_AT_D1 = ["P01", "P02", "P04", "P05", "P07", "P10", "P11", "P12", "P13", "P14"]  # P03 withdrawn in it, P06 moved
FEB_AFTER = [p for p in FEB_AT_D1 if p != "P02"]  # the misreported landing moved P02 into March
MAR_AT_D4 = ["P02", "P09", "P15"]  # P04 withdrawn on 2024-03-02, before the end of March
UNIT = {f"P{n:02d}": ("U1" if n % 2 else "U2") for n in range(1, 16)}


def expected_sample(seed: str, period: str, candidates: list[str], size: int) -> list[list[str]]:
    """The sample as SCORING.md §9 says, computed here on its own: the smallest sha256(seed|period|project)."""
    keyed = sorted(candidates, key=lambda p: (hashlib.sha256(f"{seed}|{period}|{p}".encode()).hexdigest(), p))
    return [[p, UNIT[p]] for p in keyed[:size]]


@pytest.fixture
def drawn(store_url, cli, tmp_path):
    """The year recorded (D1 and D2 drawn by command lines with the office's seeds), then D3 of February drawn by
    `sankao draw` after February's close and D4 of March before March's: the seeds are heads of the log."""
    cli(store_url, "load", str(write_lines(tmp_path / "year.jsonl", year())))
    heads = json.loads(cli(store_url, "audit", "head", "--json").stdout)
    closed = next(h for h in heads["recorded"] if h["label"] == f"close {FEB}")
    cli(store_url, "draw", FEB, "--size", "3", "--id", "D3", "--date", "2024-03-10")
    before = json.loads(cli(store_url, "audit", "head", "--json").stdout)
    cli(store_url, "draw", MAR, "--size", "2", "--id", "D4", "--date", "2024-04-02")
    return store_url, {"D3": f"{closed['size']}:{closed['root']}", "D4": f"{before['size']}:{before['root']}"}


def _audit(cli, url, draw, expect=0) -> dict:
    return json.loads(cli(url, "audit", "draw", draw, "--json", expect=expect).stdout)


def test_draws_are_recomputed_from_the_record_and_a_draw_without_seed_takes_a_head(drawn, cli):
    url, heads = drawn
    wanted = {"D1": ("office-seed-1", FEB, FEB_AT_D1, 1000), "D2": ("office-seed-2", FEB, FEB_AFTER, 4),
              "D3": (heads["D3"], FEB, FEB_AFTER, 3), "D4": (heads["D4"], MAR, MAR_AT_D4, 2)}
    answers = {p: json.loads(cli(url, "supervision", p, "--json").stdout)["draws"] for p in (FEB, MAR)}
    recorded = {d["draw"]: d for p in answers for d in answers[p]}
    assert sorted(recorded) == ["D1", "D2", "D3", "D4"]
    for draw, (seed, period, candidates, size) in wanted.items():
        sample = expected_sample(seed, period, candidates, size)
        got = recorded[draw]
        assert (got["seed"], got["candidates"], [[s["project"], s["unit"]] for s in got["sample"]]) == \
            (seed, len(candidates), sample), draw
        audit = _audit(cli, url, draw)
        assert audit["matches"] is True and audit["proved"] is True and audit["problems"] == [], audit
        assert audit["candidates"] == {"recorded": len(candidates), "recomputed": len(candidates)}
        assert audit["sample"]["recorded"] == audit["sample"]["recomputed"] == sample
        if draw in ("D3", "D4"):  # the head of February's close; March not closed: the head when drawn
            at, root = seed.split(":")
            assert audit["seed_head"] == {"size": int(at), "root": root, "is_the_tree_root": True,
                                          "is_the_close_head": draw == "D3"}  # D4: March's current head
        else:
            assert audit["seed_head"] is None
        shown = cli(url, "audit", "draw", draw).stdout
        assert f"draw {draw}: the sample recomputed from the record matches ({len(sample)} of {len(candidates)})" \
            in shown
    assert recorded["D1"]["sample"][[s["project"] for s in recorded["D1"]["sample"]].index("P02")]["result"] == \
        "misreported"
    missing = cli(url, "audit", "draw", "D9", expect=None)
    assert missing.exit_code != 0 and "D9" in missing.stderr and "Traceback" not in missing.output


def _stored(url: str, draw: str) -> tuple[int, dict]:
    position, state = sql(url, "SELECT position, state FROM events WHERE stream = ? AND version = 1",
                          (stream_id("draw", draw).hex,))[0]
    return position, json.loads(bytes(state))


def _store(url: str, position: int, data: dict) -> None:
    state = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    sql(url, "UPDATE events SET state = ? WHERE position = ?", (state, position))


def test_audit_draw_names_a_sample_altered_in_the_store(drawn, cli):
    url, _ = drawn
    position, data = _stored(url, "D2")
    honest = [list(s) for s in data["sample"]]
    unsampled = next(p for p in FEB_AFTER if p not in {s[0] for s in honest})
    data["sample"] = [[unsampled, UNIT[unsampled]]] + honest[1:]  # a project swapped in by hand
    _store(url, position, data)
    result = cli(url, "audit", "draw", "D2", expect=1)
    assert "draw D2: DIFFERS from the record" in result.stdout
    audit = _audit(cli, url, "D2", expect=1)
    assert audit["matches"] is False and audit["proved"] is False
    assert audit["sample"]["recomputed"] == honest and audit["sample"]["recorded"] == data["sample"]
    assert any(str(position) in p for p in audit["problems"]), audit["problems"]  # the altered event, by position
    assert any(unsampled in p and "sample" in p for p in audit["problems"]), audit["problems"]
    assert _audit(cli, url, "D1")["matches"] is True  # the other draws still agree

    # the sample made to agree with the record's recomputation but its candidates count changed: named too
    data["sample"], data["candidates"] = honest, len(FEB_AFTER) + 1
    _store(url, position, data)
    audit = _audit(cli, url, "D2", expect=1)
    assert audit["candidates"] == {"recorded": len(FEB_AFTER) + 1, "recomputed": len(FEB_AFTER)}
    assert audit["proved"] is False


@pytest.mark.parametrize("draw", ["D1", "D3"])
def test_audit_draw_names_a_seed_changed_in_the_store(drawn, cli, draw):
    """The seed changed; then the seed changed and the sample made to agree with it (only the Merkle tree can
    tell); for a head seed, another SIZE:ROOT: the tree's root at that size is not it."""
    url, heads = drawn
    position, data = _stored(url, draw)
    period, size = data["period"], data["size"]
    candidates = FEB_AT_D1 if draw == "D1" else FEB_AFTER
    seed = "office-seed-9" if draw == "D1" else f"{int(heads['D3'].split(':')[0]) - 1}:{heads['D3'].split(':')[1]}"
    data["seed"] = seed
    _store(url, position, data)
    audit = _audit(cli, url, draw, expect=1)
    assert audit["seed"] == seed and audit["proved"] is False
    assert "DIFFERS from the record" in cli(url, "audit", "draw", draw, expect=1).stdout
    if draw == "D1":  # every candidate drawn: only the order says which seed drew it
        assert audit["sample"]["recomputed"] == expected_sample(seed, period, candidates, size)
        assert audit["sample"]["recomputed"] != audit["sample"]["recorded"]
    else:
        assert audit["seed_head"]["is_the_tree_root"] is False
        assert any("is not the root" in p or seed.split(":")[1] in p for p in audit["problems"]), audit["problems"]

    data["sample"] = expected_sample(seed, period, candidates, size)  # a forger's consistent draw
    _store(url, position, data)
    audit = _audit(cli, url, draw, expect=1)
    assert audit["sample"]["recorded"] == audit["sample"]["recomputed"]
    assert audit["proved"] is False and any(str(position) in p for p in audit["problems"]), audit["problems"]


# -- the bundle's verify.py ------------------------------------------------------------------------------------
def _events(bundle) -> list[dict]:
    return [json.loads(line) for line in (bundle / "events.jsonl").read_text(encoding="utf-8").splitlines()]


def _write(bundle, events: list[dict], rehash: bool) -> None:
    """Write ``events`` back; with ``rehash``, as a careful forger would: every head the log recorded after a
    change given the root the changed events give, and the manifest's root too, so only the draws can tell."""
    if rehash:
        leaves = []
        for e in events:
            if e["type"].endswith(":HeadRecorded"):
                head = json.loads(e["state"])
                e["state"] = e["state"].replace(head["root"], merkle.root_of(leaves[:head["size"]]).hex())
            leaves.append(bytes.fromhex(e["leaf"]) if e.get("redacted") else merkle.leaf_hash(merkle.leaf_bytes(
                e["position"], e["stream"], e["version"], e["type"], e["state"].encode("utf-8"))))
        manifest = json.loads((bundle / "manifest.json").read_text(encoding="utf-8"))
        manifest["root"] = merkle.root_of(leaves).hex()
        (bundle / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (bundle / "events.jsonl").write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events),
                                         encoding="utf-8")


def _change(events: list[dict], kind: str, where: str, change) -> None:
    event = next(e for e in events if e["type"].endswith(f":{kind}") and where in e["state"])
    data = json.loads(event["state"])
    change(data)
    event["state"] = json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def test_the_bundle_verifier_recomputes_every_draw(drawn, cli, tmp_path, bare_python):  # noqa: F811
    url, heads = drawn
    bundle = tmp_path / "bundle"
    cli(url, "audit", "export", str(bundle))
    good = run_verifier(bare_python, bundle)
    assert good.returncode == 0, good.stdout + good.stderr
    positions = {d: _stored(url, d)[0] for d in ("D1", "D2", "D3", "D4")}
    for draw, position in positions.items():
        line = next(row for row in good.stdout.splitlines() if f"draw {draw} " in row)
        assert line.startswith(f"ok   draw {draw} (position {position}, ") and "sample recomputed" in line, line
        assert line.endswith({"D3": f"seed the head recorded at the close of {FEB}",
                              "D4": "seed a head of the log (not the one recorded at the month's close)"}.get(
            draw, "sample recomputed from the events")), line
    assert good.stdout.rstrip().endswith("the bundle verifies")
    honest = _events(bundle)
    manifest = (bundle / "manifest.json").read_text(encoding="utf-8")

    def verify(change, rehash):
        events = json.loads(json.dumps(honest))
        change(events)
        (bundle / "manifest.json").write_text(manifest, encoding="utf-8")
        _write(bundle, events, rehash)
        result = run_verifier(bare_python, bundle)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout + result.stderr
        failed = [row for row in result.stdout.splitlines() if row.startswith("FAIL")]
        root_fails = any(row.startswith("FAIL the bundle's") for row in failed)
        return sorted(row.split(" (position")[0][len("FAIL draw "):] for row in failed if row.startswith("FAIL draw")), \
            root_fails, result.stdout

    def swap_sample(draw, candidates):
        def swap(data):
            unsampled = next(p for p in candidates if p not in {s[0] for s in data["sample"]})
            data["sample"][0] = [unsampled, UNIT[unsampled]]
        return lambda events: _change(events, "SpotCheckDrawn", f'"draw":"{draw}"', swap)

    for rehash in (False, True):  # the edited sample is named either way; re-hashed, the Merkle checks all pass
        draws, root_fails, out = verify(swap_sample("D4", MAR_AT_D4), rehash)
        assert draws == ["D4"] and root_fails is not rehash, out
        assert "FAIL draw D4 (position" in out and "the events give the sample " in out and "the draw recorded" in out
        if rehash:
            assert "FAIL head" not in out and out.rstrip().endswith("1 check(s) failed"), out
    # an earlier draw's sample edited (re-hashed): it is named, and so are the later draws whose seeds are heads
    # of a log that held it (the events give other roots at their sizes)
    draws, root_fails, out = verify(swap_sample("D2", FEB_AFTER), True)
    assert draws == ["D2", "D3", "D4"] and not root_fails, out
    assert "FAIL draw D3 (position" in out and "its seed names a head the events do not give" in out

    # a misreported finding's correction is part of the record the later draws were drawn from: the landing put
    # back into February (re-hashed), February's later draws and March's no longer agree with the events
    draws, root_fails, out = verify(lambda events: _change(
        events, "FactCorrected", '"field":"landed_on"', lambda d: d["value"].update(_data_="2024-02-21")), True)
    assert draws == ["D2", "D3", "D4"] and not root_fails, out
    assert f"the events give {len(FEB_AFTER) + 1} candidates, the draw recorded {len(FEB_AFTER)}" in out

    # a head seed replaced by another SIZE:ROOT and the sample made to agree with it (re-hashed): the seed is no
    # root the events give at that size
    size, root = heads["D3"].split(":")
    forged = f"{size}:{'0' * 64}"

    def forge(data):
        data["seed"], data["sample"] = forged, expected_sample(forged, FEB, FEB_AFTER, 3)
    draws, root_fails, out = verify(lambda events: _change(events, "SpotCheckDrawn", '"draw":"D3"', forge), True)
    assert draws == ["D3", "D4"] and not root_fails, out  # D4's head holds D3
    assert f"its seed names a head the events do not give (root {root} at size {size})" in out

    # a draw's event that is no draw as recorded: said, no traceback
    draws, _, out = verify(lambda events: _change(events, "SpotCheckDrawn", '"draw":"D1"',
                                                  lambda d: d.pop("seed")), True)
    assert "FAIL draw at position" in out and "not a draw as recorded" in out, out


def test_the_shared_years_bundle_verifies_its_twelve_draws(sqlite_url, cli, tmp_path, bare_python):  # noqa: F811
    """The shared year with supervision (ten misreported findings, three of them moving landings later): every
    draw recomputed from the bundle agrees, as `sankao audit draw` says of the store."""
    source = SCENARIOS / "year2023-supervision" / "commands.jsonl"
    rejected = {73, 81, 121, 145, 414, 554}  # the lines the contract rejects (its README)
    lines = [line for n, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1) if n not in rejected]
    cli(sqlite_url, "load", str(write_lines(tmp_path / "year.jsonl", lines)))
    bundle = tmp_path / "bundle"
    cli(sqlite_url, "audit", "export", str(bundle))
    good = run_verifier(bare_python, bundle)
    assert good.returncode == 0, good.stdout + good.stderr
    assert sum(row.startswith("ok   draw SC-2023-") for row in good.stdout.splitlines()) == 12, good.stdout
    for month in range(1, 13):
        assert _audit(cli, sqlite_url, f"SC-2023-{month:02d}")["matches"] is True


def test_a_draw_id_of_64_characters_is_drawn(drawn, cli):
    """`sankao draw` gave its command the id draw.DRAW, which a draw id of 60 to 64 characters (valid) made too long:
    the draw was refused over an id the user never gave."""
    url, _ = drawn
    long = "L" * 64
    drawn = cli(url, "draw", MAR, "--size", "1", "--id", long, "--date", "2024-04-03")
    assert f"anyone can check it: sankao audit draw {long}" in drawn.output
    assert _audit(cli, url, long)["matches"] is True
