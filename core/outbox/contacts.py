"""Who receives what (docs/delivery.md): each unit's contacts by role and channel.

Contacts are personal information: they live in the store's ``contacts`` table, outside the immutable log,
and an administrator changes or deletes them at will (``sankao contacts``, the /contacts page). They never
appear in an export, a bundle or an event: a receipt names the receiver by role, channel and the contact's
opaque id. Setting a unit's contacts for a role replaces that role's: an address kept keeps its id (so a
delivery under way keeps its key).
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.errors import ConfigError
from core.messages import msg
from core.outbox.jobs import KINDS

ROLES = ("head", "liaison")
LANGS = ("zh", "en")
EMAIL = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                   r"[A-Za-z0-9])?)*$")
CHANNEL_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


@dataclass(frozen=True)
class Contact:
    id: str
    unit: str
    role: str
    channel: str
    address: str
    secret: str | None
    kinds: tuple[str, ...]
    lang: str

    def receives(self, kind: str) -> bool:
        return kind in self.kinds

    def shown(self) -> dict:
        """As listed (``contacts list``): the secret is never shown, only whether there is one."""
        return {"id": self.id, "unit": self.unit, "role": self.role, "channel": self.channel,
                "address": self.address, "secret": bool(self.secret), "kinds": list(self.kinds), "lang": self.lang}


COLUMNS = "id, unit, role, channel, address, secret, kinds, lang"


def _contact(row) -> Contact:
    return Contact(row[0], row[1], row[2], row[3], row[4], row[5], tuple(row[6].split(",")), row[7])


def check_email(address: str, field: str = "--email") -> str:
    address = address.strip()
    if not address.isascii() and "@" in address:
        raise ConfigError(msg("outbox.non_ascii_email", field=field, value=address))
    if not EMAIL.match(address) or len(address) > 254:
        raise ConfigError(msg("outbox.bad_email", field=field, value=address))
    return address


def check_url(url: str, field: str = "--webhook") -> str:
    url = url.strip()
    parts = urlsplit(url)
    try:
        parts.port
        good = parts.scheme in ("http", "https") and bool(parts.hostname) and url.isprintable() and " " not in url
    except ValueError:  # a port out of range
        good = False
    if not good or len(url) > 2000:
        raise ConfigError(msg("outbox.bad_url", field=field, value=url))
    return url


def check_address(channel: str, address: str, field: str = "--to") -> str:
    """An address on ``channel``: an e-mail's and a webhook's by their rules, another's printable and one line."""
    if channel == "email":
        return check_email(address, field)
    if channel == "webhook":
        return check_url(address, field)
    address = address.strip()
    if not address or not address.isprintable() or len(address) > 2000:
        raise ConfigError(msg("outbox.bad_to", field=field, value=address))
    return address


def check_kinds(kinds) -> tuple[str, ...]:
    chosen = tuple(k for k in KINDS if k in set(kinds))
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown or not chosen:
        raise ConfigError(msg("outbox.bad_kinds", field="--kinds", value=",".join(unknown) or "-",
                              known=", ".join(KINDS)))
    return chosen


class Contacts:
    """The ``contacts`` table of a store."""

    def __init__(self, recorder):
        self.recorder = recorder

    def of(self, unit: str | None = None) -> list[Contact]:
        where, params = ("WHERE unit = ?", (unit,)) if unit else ("", ())
        return [_contact(r) for r in self.recorder.fetch(
            f"SELECT {COLUMNS} FROM contacts {where} ORDER BY unit, role, channel, address", params)]

    def of_units(self, units) -> list[Contact]:
        """The contacts of ``units``."""
        units, found = sorted(units), []
        for i in range(0, len(units), 500):
            chunk = units[i:i + 500]
            found += [_contact(r) for r in self.recorder.fetch(
                f"SELECT {COLUMNS} FROM contacts WHERE unit IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY unit, role, channel, address", chunk)]
        return found

    def set(self, unit: str, role: str, targets: list[tuple[str, str, str | None]], kinds, lang: str) -> list[Contact]:
        """Replace ``unit``'s contacts of ``role`` by ``targets`` ``(channel, address, secret)``; an address kept
        keeps its id, and its secret unless one is given (``""`` removes it). Returns the role's contacts as they
        now stand."""
        if role not in ROLES:
            raise ConfigError(msg("outbox.bad_role", field="--role", value=role, known=", ".join(ROLES)))
        if lang not in LANGS:
            raise ConfigError(msg("outbox.bad_lang", field="--lang", value=lang, known=", ".join(LANGS)))
        kinds = ",".join(check_kinds(kinds))
        for channel, _, _ in targets:
            if not CHANNEL_NAME.match(channel):
                raise ConfigError(msg("outbox.bad_channel", field="--to", value=channel))
        now, q = time.time(), self.recorder.q
        with self.recorder.transaction() as cur:
            cur.execute(q("SELECT id, channel, address FROM contacts WHERE unit = ? AND role = ?"), (unit, role))
            held = {(r[1], r[2]): r[0] for r in cur.fetchall()}
            keep = set()
            for channel, address, secret in dict.fromkeys(targets):  # an address given twice is one contact
                existing = held.get((channel, address))
                if existing:
                    keep.add(existing)
                    if secret is None:  # kept
                        cur.execute(q("UPDATE contacts SET kinds = ?, lang = ?, updated = ? WHERE id = ?"),
                                    (kinds, lang, now, existing))
                    else:
                        cur.execute(q("UPDATE contacts SET secret = ?, kinds = ?, lang = ?, updated = ? WHERE id = ?"),
                                    (secret or None, kinds, lang, now, existing))
                else:
                    cur.execute(q(f"INSERT INTO contacts ({COLUMNS}, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
                                (secrets.token_hex(6), unit, role, channel, address, secret or None, kinds, lang, now))
            for gone in set(held.values()) - keep:
                cur.execute(q("DELETE FROM contacts WHERE id = ?"), (gone,))
        return [c for c in self.of(unit) if c.role == role]

    def delete(self, unit: str, role: str | None = None) -> int:
        """Delete ``unit``'s contacts (of ``role`` only, if given); returns how many."""
        q = self.recorder.q
        with self.recorder.transaction() as cur:
            if role:
                cur.execute(q("DELETE FROM contacts WHERE unit = ? AND role = ?"), (unit, role))
            else:
                cur.execute(q("DELETE FROM contacts WHERE unit = ?"), (unit,))
            return cur.rowcount
