"""The demo's example year: generated, deterministic, its command ids all starting ``demo-``."""

from __future__ import annotations

from core.generate import generate_year

DEMO_PREFIX = "demo-"


def demo_commands() -> list[dict]:
    """The example year 2023 of six units, in recorded order."""
    return generate_year(units=6, projects=90, year=2023, seed=7, id_prefix=DEMO_PREFIX)
