"""The public years shipped in core/samples are the shared scenarios they were copied from, and
``sankao sample`` gives them to a user who has nothing but the package."""

from __future__ import annotations

import pytest

from conftest import SCENARIOS, SHARED
from core import samples


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in folder.rglob("*") if p.is_file() and (p.name in ("README.md", "commands.jsonl")
                                                          or p.parent.name == "expected")}


@pytest.mark.parametrize("name", samples.names())
def test_each_sample_equals_the_shared_scenario_it_was_copied_from(name):
    source = SHARED / "scenarios" / name
    if not source.is_dir():
        pytest.skip(f"nothing to compare: the sample years ship in {SCENARIOS}, copied from the project's "
                    f"shared scenarios, which are not beside this checkout ({source}); expected in a clone, "
                    "and the tests use the copies")
    assert _files(SCENARIOS / name) == _files(source), f"core/samples/public-years/{name} differs from {source}: copy it again"


def test_every_shared_scenario_is_shipped():
    if not (SHARED / "scenarios").is_dir():
        pytest.skip(f"nothing to compare: the project's shared scenarios are not beside this checkout "
                    f"({SHARED / 'scenarios'}); expected in a clone")
    assert {p.name for p in (SHARED / "scenarios").iterdir() if p.is_dir()} == set(samples.names())


def test_sample_prints_a_years_commands_and_lists_the_samples(cli, tmp_path):
    listing = cli(str(tmp_path / "unused.db"), "sample").output
    assert all(name in listing for name in ("year2023", "year2023-people", "year2023-supervision"))
    printed = cli(str(tmp_path / "unused.db"), "sample", "year2023").output
    assert printed == (SCENARIOS / "year2023" / "commands.jsonl").read_text(encoding="utf-8")
    out = tmp_path / "people.jsonl"
    cli(str(tmp_path / "unused.db"), "sample", "year2023-people", "-o", str(out))
    assert out.read_bytes() == (SCENARIOS / "year2023-people" / "commands.jsonl").read_bytes()
    refused = cli(str(tmp_path / "unused.db"), "sample", "year2024", expect=2)
    assert "'year2024' is not a sample" in refused.output
    assert not (tmp_path / "unused.db").exists(), "printing a sample must not create a store"
