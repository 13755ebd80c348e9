"""Where the store lives: the one setting ``SANKAO_DB`` (or ``--db``) parsed and checked.

- a file path means SQLite: one database file (``office.db``; while Sankao uses it,
  SQLite keeps ``office.db-wal`` and ``office.db-shm`` beside it);
- a ``postgresql://user@host:port/dbname[?schema=NAME]`` URL means PostgreSQL.

Anything else that looks like a URL (``mysql://…``, ``sqlite:…``) is refused rather
than taken for a file name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from core.errors import ConfigError
from core.messages import msg

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
MEMORY = ":memory:"


@dataclass(frozen=True)
class StoreLocation:
    """A checked store setting.

    :ivar url: the setting as given.
    :ivar source: where it came from (``--db``, ``SANKAO_DB``), named in errors.
    """

    url: str
    source: str = "SANKAO_DB"

    def __post_init__(self):
        if not self.url or not self.url.strip():
            raise ConfigError(msg("store.empty_url", source=self.source))
        scheme = _SCHEME.match(self.url)
        if scheme and not self.is_postgres and not re.match(r"^[A-Za-z]:[\\/]", self.url) \
                and self.url != MEMORY:
            raise ConfigError(msg("store.unknown_scheme", source=self.source, url=self.url, scheme=scheme.group(1)))
        if self.is_postgres:
            parsed = urlparse(self.url)
            if not parsed.path.strip("/"):
                raise ConfigError(msg("store.no_dbname", source=self.source, url=self.url))
            unknown = sorted(set(parse_qs(parsed.query)) - {"schema"})
            if unknown:
                raise ConfigError(msg("store.url_options", source=self.source, url=self.url, options=unknown))
            schema = self.schema
            if schema is not None and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
                raise ConfigError(msg("store.schema_name", source=self.source, schema=schema))
        elif self.url != MEMORY and Path(self.url).is_dir():
            raise ConfigError(msg("store.is_directory", source=self.source, url=self.url,
                                  example=Path(self.url) / "sankao.db"))

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith(("postgresql://", "postgres://"))

    @property
    def is_memory(self) -> bool:
        return self.url == MEMORY

    @property
    def path(self) -> Path:
        return Path(self.url).resolve()

    @property
    def schema(self) -> str | None:
        found = parse_qs(urlparse(self.url).query).get("schema")
        return found[0] if found else None

    def pg_params(self) -> dict:
        """Connection parameters for psycopg."""
        parsed = urlparse(self.url)
        return {"host": parsed.hostname or "127.0.0.1", "port": parsed.port or 5432,
                "user": unquote(parsed.username or "postgres"), "password": unquote(parsed.password or "") or None,
                "dbname": unquote(parsed.path.strip("/"))}

    def describe(self) -> str:
        if self.is_postgres:
            p = self.pg_params()
            where = msg("store.schema", schema=self.schema) if self.schema else ""
            return msg("store.postgres", host=p["host"], port=p["port"], dbname=p["dbname"], schema=where)
        if self.is_memory:
            return msg("store.memory")
        return f"SQLite {self.path}"

    def exists(self) -> bool:
        """False only for a SQLite store whose file is not there (PostgreSQL tables are checked on use)."""
        return self.is_postgres or self.is_memory or Path(self.url).exists()

    def check_can_create(self) -> None:
        """A SQLite file can be created here: its directory exists (nothing else is made)."""
        if self.is_postgres or self.is_memory:
            return
        parent = self.path.parent
        if not parent.is_dir():
            raise ConfigError(msg("store.no_directory", source=self.source, path=self.path, parent=parent))
