"""``sankao whatif``: a month's board under other plugin settings, beside the one recorded.

The facts of the log are recorded again into a store in memory, each ``RulesApplied``
with the other file laid over it (so the other settings hold for every month the
rules covered), and scored there; the real store is only read. The month's board
there (frozen if it was closed, as it was closed) is set beside the board recorded.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from core.rules.plugins import merge_config, read_toml
from events import CONSEQUENCE_TOPICS
from events import facts as ev


def whatif(platform, period: str, plugins_file: Path) -> dict:
    recorded = platform.queries.board(period)
    raw = read_toml(plugins_file)
    mirror = platform.scratch()
    try:
        app = platform.app
        for batch in app.recorder.pages(exclude=CONSEQUENCE_TOPICS):
            events = []
            for n in batch:
                fact = app.mapper.to_domain_event(n)
                if isinstance(fact, ev.RulesApplied):
                    fact = ev.RulesApplied(originator_id=fact.originator_id, originator_version=fact.originator_version,
                                           timestamp=fact.timestamp, command_id=fact.command_id, actor=fact.actor,
                                           effective=fact.effective,
                                           plugins=merge_config(fact.plugins, raw, platform.installed, str(plugins_file)))
                events.append(fact)
            firsts = {}
            for i, fact in enumerate(events):
                firsts.setdefault(fact.command_id, i)
            mirror.app.record(events, commands=list(firsts.items()))
        mirror.scorer.clock = platform.scorer.clock  # months begin as they did in the store
        mirror.scorer.run()
        other = mirror.queries.board(period)
    finally:
        mirror.close()
    before = {u["unit"]: u for u in recorded["units"]}
    after = {u["unit"]: u for u in other["units"]}
    units = []
    for unit in sorted(before.keys() | after.keys(), key=lambda u: (after.get(u, {}).get("rank", 10 ** 9), u)):
        b, a = before.get(unit), after.get(unit)
        change = None if b is None or a is None else str(Decimal(a["final"]) - Decimal(b["final"]))
        units.append({"unit": unit, "recorded": b and {k: b[k] for k in ("rank", "third", "final")},
                      "whatif": a and {k: a[k] for k in ("rank", "third", "final")}, "final_change": change,
                      "rank_change": None if b is None or a is None else b["rank"] - a["rank"]})
    return {"period": period, "frozen": recorded["frozen"], "plugins": str(plugins_file),
            "recorded_spread": recorded["spread"], "whatif_spread": other["spread"], "units": units,
            "changed": sum(1 for u in units if u["final_change"] not in ("0", "0.00") or u["rank_change"])}
