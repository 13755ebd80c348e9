"""The public years Sankao ships, each with its commands and the answers they must give.

``year2023`` (8 units, one year, every month closed), ``year2023-people`` (the same year with people in
three-level responsibility chains and the year closed) and ``year2023-supervision`` (the same year with
self-checks, spot checks, special assessments and listed supervision). Each folder holds
``commands.jsonl`` (the batch format of docs/assessment.md), ``expected/`` (what each query must answer
once they are loaded into an empty store) and a README naming the query of each expected file.
``sankao sample NAME`` prints a year's commands; the test suite checks every expected answer.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent / "public-years"  # not an importable name: data, not packages


def names() -> list[str]:
    """The sample years shipped, by name."""
    return sorted(p.name for p in HERE.iterdir() if (p / "commands.jsonl").is_file())


def folder(name: str) -> Path:
    """The folder of one sample year; ``KeyError`` for a name not shipped."""
    if name not in names():
        raise KeyError(name)
    return HERE / name


def summary(name: str) -> str:
    """The first line of a sample's README, without its heading mark."""
    first = (folder(name) / "README.md").read_text(encoding="utf-8").splitlines()[0]
    return first.lstrip("# ").removeprefix("Scenario: ")
