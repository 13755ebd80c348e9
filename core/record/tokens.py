"""Issuing and revoking access tokens (``sankao token``): events on the tokens' stream, decided by the ledger.

Only a token's digest is recorded (``core.record.access``); the token itself is shown once, to whoever issued it.
"""

from __future__ import annotations

from uuid import uuid4

from core.record.commands import Command
from core.errors import CommandRejected
from core.record.state import stream_id
from core.messages import msg
from events import facts as ev


def issue(ledger, name: str, role: str, actor: str) -> str:
    """Record a new token ``name`` with ``role``; returns the token (only its digest is recorded)."""
    from core.record import access
    token = access.new_token()

    def decide(facts):
        problem = access.name_problem(name) or access.role_problem(role, ledger.app.read_models.unit_ids())
        if problem is None and name in facts.tokens:
            problem = msg("ledger.token_taken_revoked" if facts.tokens[name][1] else "ledger.token_taken",
                          name=name)
        if problem:
            raise CommandRejected("token create", name, problem)
        stamp = ledger.stamp(Command("token", {}, None, None), actor, facts)
        return ev.TokenIssued(originator_id=stream_id("tokens"), originator_version=facts.tokens_version + 1,
                              timestamp=stamp.at, command_id=f"token:{uuid4().hex}", actor=actor, name=name,
                              role=role, digest=access.digest(token))
    ledger.record_alone(decide, msg("ledger.what_token"))
    return token

def revoke(ledger, name: str, actor: str) -> None:
    """Record that token ``name`` is revoked."""
    def decide(facts):
        found = facts.tokens.get(name)
        if found is None:
            raise CommandRejected("token revoke", name, msg("ledger.no_token", name=name))
        if found[1]:
            raise CommandRejected("token revoke", name, msg("ledger.token_revoked", name=name))
        stamp = ledger.stamp(Command("token", {}, None, None), actor, facts)
        return ev.TokenRevoked(originator_id=stream_id("tokens"), originator_version=facts.tokens_version + 1,
                               timestamp=stamp.at, command_id=f"token:{uuid4().hex}", actor=actor, name=name)
    ledger.record_alone(decide, msg("ledger.what_revocation"))
