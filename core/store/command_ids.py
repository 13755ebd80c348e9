"""The command ids recorded beside the log (``commands``, ``command_digests``): a line sent again is skipped,
an id reused for another command refused (``core.record.ledger``)."""

from __future__ import annotations

from collections.abc import Sequence


class CommandIds:
    """What a recorder answers about the command ids it holds (a part of ``core.store.recorder.Recorder``)."""

    def recorded_commands(self, command_ids: Sequence[str], upto: int | None = None) -> dict[str, tuple]:
        """``{command id: (position of its first event, digest or None)}`` of those of ``command_ids`` that
        are recorded (at or before ``upto``, if given). The digest is None for a command recorded before
        digests were kept."""
        found: dict[str, tuple] = {}
        ids = list(dict.fromkeys(command_ids))
        bound = "" if upto is None else " AND c.position <= ?"
        if not self._keeps_digests():  # a store of an older schema, opened where it is not upgraded
            return {c: (p, None) for c, p in self.fetch(
                f"SELECT command_id, position FROM commands c WHERE command_id IN ({', '.join('?' * len(ids))})"
                f"{bound}", ids + ([] if upto is None else [upto]))} if ids else {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for command_id, position, digest in self.fetch(
                    "SELECT c.command_id, c.position, d.digest FROM commands c LEFT JOIN command_digests d ON "
                    f"d.command_id = c.command_id WHERE c.command_id IN ({', '.join('?' * len(chunk))}){bound}",
                    chunk + ([] if upto is None else [upto])):
                found[command_id] = (position, digest)
        return found

    def _keeps_digests(self) -> bool:
        if getattr(self, "_digests_table", None) is None:
            try:
                self.fetch("SELECT 1 FROM command_digests WHERE 1 = 0")
                self._digests_table = True
            except Exception:  # no such table: a store from before schema 5, not upgraded here
                self._digests_table = False
        return self._digests_table

    def commands_other_than(self, prefix: str) -> int:
        """How many recorded commands have ids not starting with ``prefix`` (Sankao's own ids and access tokens
        aside)."""
        return self.fetch("SELECT count(*) FROM commands WHERE command_id NOT LIKE ? AND command_id NOT LIKE "
                          "'batch:%' AND command_id NOT LIKE 'rules:initial:%' AND command_id NOT LIKE 'token:%'",
                          (prefix.replace("%", "") + "%",))[0][0]

    def command_ids(self, prefix: str) -> set[str]:
        """The ids of the recorded commands that start with ``prefix``."""
        return {row[0] for row in self.fetch("SELECT command_id FROM commands WHERE command_id LIKE ?",
                                             (prefix.replace("%", "") + "%",))}
