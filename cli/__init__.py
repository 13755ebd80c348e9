"""The ``sankao`` command line: a thin layer that turns arguments into calls of the platform
(``core.bootstrap``) and answers into tables an office reads or the contract's JSON. The top layer: it may
import ``web`` (``sankao serve``) and all of ``core``; nothing imports it. ``app`` (the group, options and
settings), ``options`` and ``common`` (what several commands share), then one module per area of commands."""

from cli import annual, audit, deliver, demo, intake, read, record, rules, sample, serve, supervision, token  # noqa: F401  (each registers its commands on main)
from cli.app import lang_everywhere, main

lang_everywhere(main)

__all__ = ["main"]
