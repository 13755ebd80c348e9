"""The write side: recording commands as facts, and who may record what.

``commands`` (the batch format, parsed and checked field by field), ``decide`` (the rules of the record:
a command and the facts so far give the events, or a rejection; pure), ``state`` (the facts folded from the
log: units, targets, projects, people, tokens), ``buckets`` and ``reach`` (a unit's projects by month, and
which months a change can move; pure), ``ledger`` (recording lines in batches, exactly once), ``cache`` (the
ledger's facts kept current), ``check`` (a dry run), ``tokens`` and ``access`` (tokens, roles, what a unit's
token may record).

May import: ``core.tree``, ``core.store``, the base (``core.errors``, ``core.messages``, ``core.clock``, …),
``events``.
"""
