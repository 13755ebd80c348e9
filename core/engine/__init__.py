"""The assessment engine: from the facts to scores, letters and frozen boards.

- ``reach``: which months a change to a project can move (pure);
- ``buckets``: a unit's projects in monthly buckets, for constant-time sums (pure);
- ``figures``: a unit's figures for a month under a set of plugins (pure);
- ``scoring``: what the facts make follow, from the scoring's state (pure: no store);
- ``scorer``: the process that follows the log, feeds a ``scoring`` and records its consequences;
- ``trial``: proposed rules tried over the facts scored, recording nothing;
- ``closer``: the month close, once every partition of the scoring is past it;
- ``snapshot``: what the scorer holds, saved with its log position.

It reads the record (``core.record.state``) and the plugin system (``core.rules.plugins``,
``core.rules.hookspecs``); it never imports the CLI, the web layer or the read models'
queries.
"""
