"""``sankao load --check``: every line that would be rejected, reported at once; nothing recorded."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field

from core.record.access import key_of
from core.record.commands import Command, digest_of, parse_line
from core.errors import CommandRejected
from core.messages import text_of


@dataclass
class LoadReport:
    """What a ``load`` did: counts and the rejected lines (``(line number, message)``)."""

    recorded: int = 0
    skipped: int = 0
    rejected: list = field(default_factory=list)
    refusal: CommandRejected | None = None  # the exception of the first rejected line (its kind: 403, 409, 422)


def check(ledger, lines: Iterable[tuple[int, str]], actor: str, unit: str | None = None) -> LoadReport:
    """Report every line that would be rejected; record nothing."""
    ledger.refresh()
    numbered = list(lines)
    parsed, report = [], LoadReport()
    for lineno, line in numbered:
        try:
            parsed.append((lineno, parse_line(line)))
        except CommandRejected as exc:
            parsed.append((lineno, exc))
    commands = [c for _, c in parsed if isinstance(c, Command)]
    ledger.cache.load(commands)
    known = {k: (*v, None) for k, v in ledger.cache.recorded(
        [key_of(c.id, unit) for c in commands if c.id is not None]).items()}
    facts = copy.deepcopy(ledger.facts)
    for lineno, command in parsed:
        if isinstance(command, CommandRejected):
            report.rejected.append((lineno, text_of(command)))
            continue
        key = key_of(command.id, unit)
        digest = digest_of(command) if key is not None else None
        earlier = known.get(key) if key is not None else None
        if earlier is not None:
            if earlier[1] is None or earlier[1] == digest:
                report.skipped += 1
            else:
                report.rejected.append((lineno, text_of(ledger.reused(command, key, earlier))))
            continue
        try:
            for event in ledger.decide_line(facts, command, actor, key, unit):
                facts.apply(event, None)
            report.recorded += 1
            if key is not None:
                known[key] = (None, digest, lineno)
        except CommandRejected as exc:
            report.rejected.append((lineno, text_of(exc)))
    return report
