"""Who may do what: access tokens and their roles (the web API's, and ``sankao token``).

A token is a long random secret (``sk_`` and 43 URL-safe characters, 256 bits), shown
once when issued. The log records only its SHA-256 digest, its name and its role, as a
``TokenIssued`` fact with the actor who issued it; ``TokenRevoked`` ends it. "Whose token
is this?" is answered from those events themselves, each checked against the Merkle tree's
leaf at its position (``live_tokens``), never from a read model that a rebuild empties or
an edit changes; the digests compared in constant time. Everything recorded with a token has the token's name as its actor.

Roles:

- ``admin``: everything;
- ``auditor``: reads everything, the audit tools included; records nothing;
- ``viewer``: reads boards, notices and annual standings;
- ``supervisor`` (督查部门): records the supervision department's commands (spot-check draws, findings, special
  assessments, listings: docs/assessment.md §9) and reads what an auditor reads, the audit tools aside;
- ``unit:U``: records facts of unit U's own projects and U's own self-checks; reads the boards, the annual
  standing, and U's own scores, explanations, notices and supervision status.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass

from core.record.commands import ID_PATTERN, Command
from core.errors import CommandForbidden
from core.record.state import Facts
from core.record.supervision import SUPERVISOR_COMMANDS
from core.messages import Name, msg

ROLES = ("admin", "auditor", "viewer", "supervisor")
ROLE_PATTERN = re.compile(r"(admin|auditor|viewer|supervisor|unit:[A-Za-z0-9][A-Za-z0-9_.-]{0,63})")
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
        ``read_supervision`` (a unit's supervision status, or every unit's with no ``unit``), ``supervise`` (record
        the supervision department's commands), ``audit``, ``admin``), for ``unit`` where the action concerns one."""
        if self.role == "admin":
            return True
        if self.role == "auditor":
            return action not in ("record", "admin", "supervise")
        if self.role == "supervisor":
            return action not in ("admin", "audit")
        if self.role == "viewer":
            return action in ("read_board", "read_notices", "read_annual")
        own = self.unit
        if action in ("read_board", "read_annual"):
            return True
        if action in ("record", "read_unit", "read_notices", "read_supervision"):
            return unit is not None and unit == own
        return False


def authenticate(recorder, token: str) -> Principal | None:
    """The principal of a live token, or None (unknown, malformed or revoked)."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    return authenticate_digest(recorder, digest(token))


def authenticate_digest(recorder, wanted: str) -> Principal | None:
    """The principal of the live token whose digest is ``wanted`` (a signed session cookie holds the digest,
    never the token), or None.

    Decided from the log itself, never from a read model (``sankao rebuild`` empties those and a table can be
    edited): a token is live only if a ``TokenIssued`` event of the tokens stream issued it, that event is
    the one the Merkle tree holds at its position (its leaf hash matches), and no such event revoked it."""
    if not isinstance(wanted, str) or len(wanted) != 64:
        return None
    found = live_tokens(recorder).get(wanted)
    if found is None or not hmac.compare_digest(found[2], wanted):
        return None
    return Principal(found[0], found[1])


def live_tokens(recorder) -> dict:
    """``{digest: (name, role, digest)}`` of the tokens the log issued and did not revoke; read again only
    when the tokens stream has grown (one indexed query per call otherwise)."""
    from core.tree import merkle
    from core.record.state import stream_id
    stream = stream_id("tokens").hex
    last = recorder.fetch("SELECT max(position) FROM events WHERE stream = ?", (stream,))[0][0] or 0
    cached = getattr(recorder, "_live_tokens", None)  # (the stream's last position, the live tokens)
    if cached is not None and cached[0] == last:
        return cached[1]
    rows = recorder.fetch("SELECT e.position, e.stream, e.version, e.topic, e.state, l.hash FROM events e "
                          "LEFT JOIN merkle_leaves l ON l.position = e.position WHERE e.stream = ? "
                          "ORDER BY e.version", (stream,))
    issued: dict = {}
    for position, stream_hex, version, topic, state, leaf in rows:
        state = state.encode("utf-8") if isinstance(state, str) else bytes(state)
        if leaf is None or bytes(leaf) != merkle.leaf_hash(merkle.leaf_bytes(position, stream_hex, version, topic,
                                                                             state)):
            continue  # not the event the tree holds there: written around Sankao, it issues nothing
        data = json.loads(state)
        if topic.endswith(":TokenIssued"):
            issued[data["name"]] = (data["name"], data["role"], data["digest"])
        elif topic.endswith(":TokenRevoked"):
            issued.pop(data["name"], None)
    live = {entry[2]: entry for entry in issued.values()}
    recorder._live_tokens = (last, live)
    return live


# -- what a unit's token may record (decided on the record's facts, never on a read model) -------------
def key_of(command_id: str | None, unit: str | None) -> str | None:
    """The id a command is recorded under: the office's ids as they are; a unit's token records in the
    unit's own namespace (``unit/U01/c00482``), so a unit can neither take, block nor probe the office's
    ids or another unit's (ids cannot contain ``/``)."""
    if command_id is None or unit is None:
        return command_id
    return f"unit/{unit}/{command_id}"


def forbidden(facts: Facts, command: Command, unit: str) -> CommandForbidden | None:
    """Why a token of ``unit`` may not record ``command`` (None: it may). Decided on the record's own facts
    (the aggregates folded from the log), never on a read model."""
    cmd, data = command.cmd, command.data
    if cmd == "plan_project":
        owner, what = data["unit"], data["project"]
    elif cmd in ("sign_project", "land_project", "start_construction", "withdraw_project", "correct",
                 "assign_project"):
        project = facts.projects.get(data["project"])
        if project is None:
            return None  # not planned: the record's own rule names it
        owner, what = project.unit, project.id
        person = facts.people.get(data.get("person")) if cmd == "assign_project" else None
        if owner == unit and person is not None and person.unit != unit:
            owner, what = person.unit, person.id
    elif cmd == "self_check":  # a unit files its own self-check (docs/assessment.md §9)
        owner, what = data["unit"], data["unit"]
    else:
        return CommandForbidden(cmd, command.subject, msg("ledger.unit_office_command", own=unit, cmd=Name(cmd)))
    if owner != unit:
        return CommandForbidden(cmd, command.subject, msg("ledger.unit_not_own", own=unit, what=what,
                                                          unit=owner))
    return None


def refusal(principal, numbered: list, unit_of):
    """The first line a principal's role may not record, as ``(line number, command, unit or None)``, or None:
    a unit's token records for its own unit's projects, people and self-checks only, never the office's
    commands (None as the unit); a supervisor's records the supervision department's commands only. ``unit_of(command)`` is the unit by the record's facts (``Ledger.unit_of``); a project
    planned earlier in the same lines counts as planned, and a project nobody planned is left to the record's
    own rule (which names it). The ledger checks every line again, authoritatively, as it records it."""
    if principal.role == "admin":
        return None
    planned = {}
    for number, command in numbered:
        if principal.role == "supervisor":
            if command.cmd not in SUPERVISOR_COMMANDS:
                return number, command, None
            continue
        if command.cmd == "self_check" and principal.unit:
            if command.data["unit"] != principal.unit:
                return number, command, command.data["unit"]
            continue
        project = command.data.get("project")
        unit = unit_of(command) or planned.get(project)
        if command.cmd == "plan_project":
            planned[project] = command.data["unit"]
        elif unit is None and project is not None and principal.unit:
            unit = principal.unit  # a project nobody planned: the record refuses it, naming it
        if not principal.may("record", unit) if unit is not None else principal.role != "admin":
            return number, command, unit
    return None
