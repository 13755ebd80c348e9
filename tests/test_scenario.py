"""The shared 2023 scenario: every query its README lists answers its expected file."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from conftest import SCENARIO


def scenario_queries() -> list[tuple[str, list[str]]]:
    """(expected file, CLI arguments) for every row of the scenario README's table."""
    rows = re.findall(r"\| `([^`]+\.json)` \| `sankao ([^`]+)` \|", (SCENARIO / "README.md").read_text())
    out = []
    for name, query in rows:
        if "MM" in name:  # one row stands for every month
            out += [(name.replace("MM", f"{m:02d}"), shlex.split(query.replace("MM", f"{m:02d}")))
                    for m in range(1, 13)]
        else:
            out.append((name, shlex.split(query)))
    return out


def contains(expected, actual, path="$"):
    """Every key of ``expected`` is in ``actual`` with the same value; lists keep their order."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for key, value in expected.items():
            assert key in actual, f"{path}.{key} is missing"
            contains(value, actual[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), \
            f"{path}: expected {len(expected)} items, got {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            contains(e, a, f"{path}[{i}]")
    else:
        assert expected == actual, f"{path}: expected {expected!r}, got {actual!r}"


def test_the_table_lists_every_expected_file():
    listed = {name for name, _ in scenario_queries()}
    assert listed == {p.name for p in (SCENARIO / "expected").glob("*.json")}


def test_every_expected_answer(store_url, cli):
    cli(store_url, "load", str(SCENARIO / "commands.jsonl"))
    failures = []
    for name, args in scenario_queries():
        answer = json.loads(cli(store_url, *args).stdout)
        try:
            contains(json.loads((SCENARIO / "expected" / name).read_text()), answer)
        except AssertionError as exc:
            failures.append(f"{name}: {exc}")
    assert not failures, "\n".join(failures)


def test_the_comparison_can_fail():
    with pytest.raises(AssertionError, match=r"\$\.units\[0\]\.final: expected '1.00', got '2.00'"):
        contains({"units": [{"final": "1.00"}]}, {"units": [{"final": "2.00", "extra": 1}]})
