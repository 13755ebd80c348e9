"""The assessment engine: from the facts to scores, letters and frozen boards.

- ``figures``: a unit's figures for a month under a set of plugins (pure);
- ``ranking``: a board ranked by the ranking plugin in force (pure);
- ``scoring``: state + facts → consequences (``ScoreChanged``, ``NoticeIssued``), with no store (pure);
- ``scorer``: the runner: snapshots, chunks, tracking, retries, partitions (``partitions``); ``snapshot``;
- ``closer``: month closes frozen once every partition is past them;
- ``annual``: the annual evaluation (docs/assessment.md §8);
- ``trial``: a change of rules tried on the facts before it is put in force.

May import: ``core.rules``, ``core.record``, ``core.tree``, ``core.store``, the base, ``events``. It reads the
read-model tables only through ``app.read_models``, which the wiring sets.
"""
