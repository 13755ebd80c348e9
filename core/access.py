"""Who may do what: access tokens and their roles (the web API's, and ``sankao token``).

A token is a long random secret (``sk_`` and 43 URL-safe characters, 256 bits), shown
once when issued. The log records only its SHA-256 digest, its name and its role, as a
``TokenIssued`` fact with the actor who issued it; ``TokenRevoked`` ends it. The read
model ``rm_tokens`` answers "whose token is this?" by digest; the digests compared in
constant time. Everything recorded with a token has the token's name as its actor.

Roles:

- ``admin``: everything;
- ``auditor``: reads everything, the audit tools included; records nothing;
- ``viewer``: reads boards, notices and annual standings;
- ``unit:U``: records facts of unit U's own projects; reads the boards, the annual
  standing, and U's own scores, explanations and notices.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from core.commands import ID_PATTERN
from core.messages import msg

ROLES = ("admin", "auditor", "viewer")
ROLE_PATTERN = re.compile(r"(admin|auditor|viewer|unit:[A-Za-z0-9][A-Za-z0-9_.-]{0,63})")
PREFIX = "sk_"


def new_token() -> str:
    """A fresh token: 256 random bits."""
    return PREFIX + secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def role_problem(role: str, units) -> str | None:
    """Why ``role`` cannot be given (None: it can); ``units`` are the registered unit ids."""
    if not ROLE_PATTERN.fullmatch(role or ""):
        return msg("access.role", role=role)
    if role.startswith("unit:") and role[5:] not in units:
        return msg("access.role_unit", unit=role[5:])
    return None


def name_problem(name: str) -> str | None:
    if not ID_PATTERN.fullmatch(name or ""):
        return msg("access.name", name=name)
    return None


@dataclass(frozen=True)
class Principal:
    """Whoever presented a valid token: its name (the actor) and role."""

    name: str
    role: str

    @property
    def unit(self) -> str | None:
        return self.role[5:] if self.role.startswith("unit:") else None

    def may(self, action: str, unit: str | None = None) -> bool:
        """Whether this role may do ``action`` (``record``, ``read_board``, ``read_notices``, ``read_annual``,
        ``read_unit`` (a unit's scores and explanations), ``read_all`` (events, projects, history, whatif),
        ``audit``, ``admin``), for ``unit`` where the action concerns one."""
        if self.role == "admin":
            return True
        if self.role == "auditor":
            return action != "record" and action != "admin"
        if self.role == "viewer":
            return action in ("read_board", "read_notices", "read_annual")
        own = self.unit
        if action in ("read_board", "read_annual"):
            return True
        if action in ("record", "read_unit", "read_notices"):
            return unit is not None and unit == own
        return False


def authenticate(recorder, token: str) -> Principal | None:
    """The principal of a live token, or None (unknown, malformed or revoked)."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    return authenticate_digest(recorder, digest(token))


def authenticate_digest(recorder, wanted: str) -> Principal | None:
    """The principal of the live token whose digest is ``wanted`` (a signed session cookie holds the digest,
    never the token), or None."""
    if not isinstance(wanted, str) or len(wanted) != 64:
        return None
    rows = recorder.fetch("SELECT name, role, digest FROM rm_tokens WHERE digest = ? AND revoked_at IS NULL",
                          (wanted,))
    if not rows or not hmac.compare_digest(rows[0][2], wanted):
        return None
    return Principal(rows[0][0], rows[0][1])
