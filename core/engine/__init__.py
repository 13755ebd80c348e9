"""The assessment engine: from the facts to scores, letters and frozen boards.

- ``reach``: which months a change to a project can move (pure);
- ``buckets``: a unit's projects in monthly buckets, for constant-time sums (pure);
- ``figures``: a unit's figures for a month under a set of plugins (pure);
- ``scorer``: the process that follows the log and records consequences;
- ``closer``: the month close, once every partition of the scoring is past it;
- ``snapshot``: what the scorer holds, saved with its log position.

It reads the record (``core.facts``) and the plugin system (``core.plugins``,
``core.hookspecs``); it never imports the CLI, the web layer or the read models'
queries.
"""
