"""One place wires everything: ``bootstrap(config)`` builds the platform.

The CLI and ``web.create_app`` both call it; nothing heavy happens at import time.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import ConfigError, StoreNotReady
from core.facts import stream_id
from core.ledger import Ledger
from core.plugins import indicator_names, installed_plugins, load_config
from core.queries import Queries
from core.rules import RulesBook
from core.scoring import Scorer
from core.store import AssessmentApplication, RecordsApplication, StoreLocation

DEFAULT_DB = "sankao.db"


def default_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment (containers)
        return "unknown"


@dataclass
class Config:
    """Settings, from arguments or the environment (``SANKAO_DB``, ``SANKAO_TZ``, ``SANKAO_PLUGINS``).

    :ivar db: a SQLite file path or a ``postgresql://`` URL.
    :ivar timezone: the assessment time zone.
    :ivar plugins: the ``plugins.toml`` to use; None looks for ``./plugins.toml``,
        else uses every installed plugin with its defaults.
    :ivar create_tables: create missing tables on start; None means yes on SQLite,
        no on PostgreSQL (there ``sankao init`` does it).
    """

    db: str = DEFAULT_DB
    timezone: str = "Asia/Shanghai"
    plugins: str | None = None
    create_tables: bool | None = None
    env: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        values = {"db": os.environ.get("SANKAO_DB", DEFAULT_DB),
                  "timezone": os.environ.get("SANKAO_TZ", "Asia/Shanghai"),
                  "plugins": os.environ.get("SANKAO_PLUGINS")}
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def plugins_path(self) -> Path | None:
        if self.plugins:
            return Path(self.plugins)
        local = Path("plugins.toml")
        return local if local.exists() else None


class Platform:
    """The wired platform: store, plugins, the ledger (write side), the scorer, the queries."""

    def __init__(self, config: Config):
        self.config = config
        try:
            self.tz = ZoneInfo(config.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"SANKAO_TZ: {config.timezone!r} is not a known time zone") from None
        self.location = StoreLocation(config.db)
        create = config.create_tables if config.create_tables is not None else not self.location.is_postgres
        self.installed = installed_plugins()
        self.plugin_config = load_config(config.plugins_path(), self.installed)
        self.records = RecordsApplication(env=self.location.env(RecordsApplication.name, create_tables=create))
        self.assessment = AssessmentApplication(
            env=self.location.env(AssessmentApplication.name, create_tables=create))
        self.rulebook = RulesBook(self.installed)
        self.ledger = Ledger(self.records, tz=self.tz, indicators=indicator_names(self.installed),
                             initial_rules=lambda: self.plugin_config)
        self.scorer = Scorer(self.records, self.assessment, self.rulebook)
        self.queries = Queries(self.records, self.assessment, self.rulebook, self.tz)

    def recorded_rules(self) -> list:
        """Every ``RulesApplied`` recorded, oldest first."""
        try:
            return list(self.records.events.get(stream_id("rules")))
        except Exception as exc:
            if self.location.is_postgres and "does not exist" in str(exc):
                first_line = str(exc).splitlines()[0]
                raise StoreNotReady(f"{self.location.describe()}: tables missing ({first_line}); "
                                    "run: sankao init") from None
            raise

    def rules_drift(self) -> str | None:
        """A plain sentence when the configured ``plugins.toml`` differs from the rules in force, else None."""
        recorded = self.recorded_rules()
        if not recorded:
            return None
        latest = recorded[-1]
        if _comparable(latest.plugins) == _comparable(self.plugin_config):
            return None
        source = self.config.plugins_path() or "the built-in defaults"
        return (f"note: {source} differs from the rules recorded at {latest.timestamp.isoformat()} by "
                f"{latest.actor} (effective {latest.effective or 'from the start'}); scores use the "
                "recorded rules. Run 'sankao plugins apply' to put the file in force.")

    def close(self) -> None:
        """Release the store's connections."""
        for app in (self.records, self.assessment):
            app.close()


def _comparable(plugins: dict) -> dict:
    return {name: (cfg["enabled"], cfg["settings"]) for name, cfg in plugins.items() if cfg["enabled"]}


def bootstrap(config: Config | None = None) -> Platform:
    """Build the platform from ``config`` (default: from the environment)."""
    return Platform(config or Config.from_env())


def init_store(config: Config) -> Platform:
    """Create the store's schema and tables (``sankao init``); safe to run again."""
    StoreLocation(config.db).ensure_schema()
    config.create_tables = True
    return Platform(config)
