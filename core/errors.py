"""Sankao's errors: one root, each message naming what failed and the rule broken."""

from __future__ import annotations


class SankaoError(Exception):
    """Root of every error Sankao raises on purpose."""


class ConfigError(SankaoError):
    """The configuration (store, time zone, ``plugins.toml``) cannot be used."""


class CommandRejected(SankaoError):
    """A command broke a rule of docs/assessment.md §2; nothing of it was recorded.

    :ivar cmd: the command name (``sign_project``).
    :ivar subject: what the command is about (a project, unit, date or period), if known.
    :ivar reason: the field and the rule, in words.
    """

    def __init__(self, cmd: str, subject: str | None, reason: str):
        self.cmd, self.subject, self.reason = cmd, subject, reason
        head = " ".join(p for p in (cmd, subject) if p)
        super().__init__(f"{head}: {reason}" if head else reason)


class CommandForbidden(CommandRejected):
    """The principal may not record this command: a unit's token, for another unit's project or person or
    for the office's commands. Nothing of it was recorded."""


class CommandIdReused(CommandRejected):
    """A command id already recorded for a different command (``id`` is how a retry is recognised: the same
    id must mean the same command). Nothing of it was recorded."""


class StoreNotReady(SankaoError):
    """The store does not exist or its tables do not exist yet (run ``sankao init``)."""


class StoreUnavailable(SankaoError):
    """The store cannot be reached or stopped answering (PostgreSQL down, no such database or role)."""


class StoreFull(StoreUnavailable):
    """The disk (or the database's quota) holding the store is full: the step that met it recorded nothing;
    what was recorded before stays, queries still answer."""


class StoreDamaged(SankaoError):
    """What the store holds cannot be read: not a Sankao store, or a damaged event.

    :ivar position: the log position of the damaged event, when known.
    """

    def __init__(self, message: str, position: int | None = None):
        super().__init__(message)
        self.position = position


class StoreBusy(SankaoError):
    """Another process held the store's write lock for too long; nothing was recorded."""


class StoreReadOnly(SankaoError):
    """The store can only be read here (a read-only copy, or no write permission)."""


class ConcurrentWrite(SankaoError):
    """Another writer kept winning the race for the same records; nothing was lost."""


class PluginError(SankaoError):
    """A plugin is misconfigured, raised, or returned something unusable."""


class NotFound(SankaoError):
    """A query asked for something that does not exist (yet)."""
