"""The event store: which database one setting (``SANKAO_DB`` / ``--db``) names.

- a file path means SQLite; each application keeps its tables in its own file:
  the record in ``PATH`` and the assessment in ``PATH-assessment`` beside it;
- a ``postgresql://user@host:port/dbname[?schema=NAME]`` URL means PostgreSQL;
  each application has its own tables (``records_events``, ``assessment_events``,
  ``assessment_tracking``) in one database. Tables are created by ``sankao init``
  only, so that several workers can start at once without racing on DDL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Transcoding
from eventsourcing.projection import EventSourcedProjection

from core.errors import ConfigError


class DateAsISO(Transcoding):
    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class _Transcodings:
    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


class RecordsApplication(_Transcodings, Application):
    """The record of facts: every command's events, in recorded order."""

    name = "Records"


class AssessmentApplication(_Transcodings, EventSourcedProjection):
    """The assessment: scores, notices and frozen boards derived from the record."""

    name = "Assessment"


@dataclass(frozen=True)
class StoreLocation:
    """Where the store lives, parsed from ``SANKAO_DB``."""

    url: str

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith(("postgresql://", "postgres://"))

    def describe(self) -> str:
        if self.is_postgres:
            parsed = urlparse(self.url)
            schema = parse_qs(parsed.query).get("schema")
            where = f" schema {schema[0]}" if schema else ""
            return f"PostgreSQL {parsed.hostname}:{parsed.port or 5432}/{parsed.path.lstrip('/')}{where}"
        return f"SQLite {Path(self.url).resolve()}"

    def ensure_schema(self) -> None:
        """Create the PostgreSQL schema the URL names, if it is missing (``sankao init``)."""
        schema = parse_qs(urlparse(self.url).query).get("schema") if self.is_postgres else None
        if not schema:
            return
        import psycopg
        from psycopg import sql

        env = self.env("Records", create_tables=False)
        with psycopg.connect(host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"],
                             password=env["POSTGRES_PASSWORD"] or None, dbname=env["POSTGRES_DBNAME"],
                             connect_timeout=5, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema[0])))

    def env(self, app_name: str, *, create_tables: bool) -> dict[str, str]:
        """The eventsourcing environment of one application of this store."""
        create = "y" if create_tables else "n"
        if self.url == ":memory:":
            return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": ":memory:", "CREATE_TABLE": "y"}
        if not self.is_postgres:
            path = Path(self.url)
            if path.is_dir():
                raise ConfigError(f"SANKAO_DB: {self.url} is a directory; name a file such as {path / 'sankao.db'}")
            if app_name != RecordsApplication.name:
                path = path.with_name(f"{path.name}-{app_name.lower()}")
            if create_tables:
                path.parent.mkdir(parents=True, exist_ok=True)
            return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(path),
                    "SQLITE_LOCK_TIMEOUT": "30", "CREATE_TABLE": create}
        parsed = urlparse(self.url)
        if not parsed.path.strip("/"):
            raise ConfigError(f"SANKAO_DB: {self.url} names no database (postgresql://user@host:5432/DBNAME)")
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parsed.path.strip("/")),
            "POSTGRES_HOST": parsed.hostname or "127.0.0.1",
            "POSTGRES_PORT": str(parsed.port or 5432),
            "POSTGRES_USER": unquote(parsed.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parsed.password or ""),
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "30",
            "POSTGRES_ENABLE_DB_FUNCTIONS": "n",
            "CREATE_TABLE": create,
        }
        schema = parse_qs(parsed.query).get("schema")
        if schema:
            env["POSTGRES_SCHEMA"] = schema[0]
        return env

    def exists(self) -> bool:
        """False only for a SQLite store whose file is not there (PostgreSQL tables are checked on use)."""
        return self.is_postgres or Path(self.url).exists()
