"""The API: a blueprint per resource (commands, queries, the auditor's tools, the rules), over what
``web.api.base`` shares. Every handler authenticates, checks the role (``core.record.access``), calls the platform and
returns what the CLI's ``--json`` prints; nothing else happens here."""

from __future__ import annotations

from web.api import audit, commands, queries, rules, supervision
from web.api.base import scoring_lag_header, verified_headers

BLUEPRINTS = [commands.commands, queries.queries, supervision.supervision, audit.audit, rules.rules]

__all__ = ["BLUEPRINTS", "scoring_lag_header", "verified_headers"]
