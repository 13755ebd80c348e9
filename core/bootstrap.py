"""One place wires everything: ``bootstrap(config)`` builds the platform.

The CLI and ``web.create_app`` both call it; nothing heavy happens at import time.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.clock import now, parse_instant, parse_known_at
from core.errors import ConfigError, SankaoError, StoreBusy, StoreUnavailable
from core.messages import msg, text_of
from core.record.state import stream_id
from core.record.ledger import Ledger
from core.rules.plugins import indicator_names, installed_plugins, load_config, merge_config, read_toml, same_rules
from core.read.queries import Queries
from core.rules.book import RulesBook
from core.engine.scorer import Scorer
from core.tree.writer import TreeWriter
from core.outbox.jobs import Jobs
from core.outbox.tables import RIDER as OUTBOX
from core.tree.writer import ddl as tree_ddl
from core.read.tables import ReadModels
from core.read.tables import ddl as read_model_ddl
from core.store import StoreLocation, open_recorder
from core.store.app import SankaoApplication, standalone_mapper
from core.store.riders import Rider

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
    :ivar plugins: a ``plugins.toml`` laid over the built-in defaults for the first
        rules of a new store; None: the built-in defaults alone.
    :ivar sources: where each setting came from (``{"db": "--db"}``), named in errors.
    :ivar scoring: ``inline`` (commands and queries catch the scores up themselves, the
        embedded default) or ``worker`` (only ``sankao worker`` scores; queries answer
        from what it recorded and say how far behind it is).
    :ivar partition: ``(index, count)``: which part of the units this process's
        scorer keeps (``sankao worker --partition 2/3``); (0, 1) is all of them.
    """

    db: str = DEFAULT_DB
    timezone: str = "Asia/Shanghai"
    plugins: str | None = None
    sources: dict = field(default_factory=dict)
    scoring: str = "inline"
    partition: tuple = (0, 1)
    env: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, **overrides) -> "Config":
        values = {"db": os.environ.get("SANKAO_DB", DEFAULT_DB),
                  "timezone": os.environ.get("SANKAO_TZ", "Asia/Shanghai"),
                  "plugins": os.environ.get("SANKAO_PLUGINS"),
                  "scoring": os.environ.get("SANKAO_SCORING", "inline")}
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "timezone" not in overrides and "SANKAO_TZ" not in os.environ:  # the store's zone, whatever it is
            values.setdefault("sources", {"timezone": "default SANKAO_TZ"})
        return cls(**values)

    def source(self, setting: str) -> str:
        return self.sources.get(setting, {"db": "SANKAO_DB", "timezone": "SANKAO_TZ",
                                          "plugins": "SANKAO_PLUGINS"}[setting])

    def location(self) -> StoreLocation:
        return StoreLocation(self.db, self.source("db"))

    def plugins_path(self) -> Path | None:
        """The plugins.toml named by ``--plugins``/``SANKAO_PLUGINS``; None means the built-in defaults
        (never a file found in the working directory: the rules must not depend on where Sankao runs)."""
        return Path(self.plugins) if self.plugins else None


def scorer_clock(config: Config):
    """The scoring process's "now", which says when a month has begun: the system clock, unless
    ``SANKAO_SCORER_CLOCK`` is ``record`` (months begin only with the first fact recorded in them: for
    scoring a past year as it came, in imports and benchmarks) or names an instant."""
    fixed = config.env.get("SANKAO_SCORER_CLOCK") if config.env else os.environ.get("SANKAO_SCORER_CLOCK")
    if not fixed:
        return now
    if fixed == "record":
        return None
    try:
        instant = parse_instant(fixed, "SANKAO_SCORER_CLOCK")
    except ValueError as exc:
        raise ConfigError(text_of(exc)) from None
    return lambda: instant


def time_zone(config: Config) -> ZoneInfo:
    try:
        return ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(msg("config.tz_unknown", source=config.source("timezone"), tz=config.timezone)) from None


def _rebuild_read_models(recorder) -> None:
    """A store of an older schema gets its new read model tables filled: every table projected again, once."""
    ReadModels(recorder, standalone_mapper()).rebuild()


RIDERS = (Rider("read models", lambda blob, bigint: read_model_ddl(bigint), _rebuild_read_models),
          Rider("merkle tree", tree_ddl, lambda recorder: TreeWriter(recorder).catch_up()),
          OUTBOX)


def wire(recorder) -> SankaoApplication:
    """The application over ``recorder`` with what rides along with its log: the Merkle tree writer grows the
    tree in each write's transaction (first, so it checks the log is as Sankao left it), and the read models
    are projected in the same transaction, with the outbox's delivery jobs."""
    app = SankaoApplication(recorder)
    app.read_models = ReadModels(recorder, app.mapper)
    app.tree = TreeWriter(recorder)
    recorder.side_writers.append(app.tree)
    app.projectors.append(app.read_models.apply_inline)
    app.projectors.append(Jobs(recorder).project)  # the delivery jobs of what is recorded (docs/delivery.md)
    return app


def scratch_platform(db: str, timezone: str) -> "Platform":
    """A platform over a new store of its own (``:memory:`` or a file to create), for a replay or a trial."""
    return Platform(Config(db=db, timezone=timezone), "init")


class Platform:
    """The wired platform: store, plugins, the ledger (write side), the scorer, the queries.

    ``mode`` says what may happen to the store (``core.store``): ``read`` (the
    default), ``write``, ``load`` (may create a SQLite file) or ``init``.
    """

    def __init__(self, config: Config, mode: str = "read"):
        self.config = config
        self.tz = time_zone(config)
        self.location = config.location()
        self.installed = installed_plugins()
        self.plugin_config = load_config(config.plugins_path(), self.installed)
        opened = open_recorder(self.location, mode, riders=RIDERS)
        self.mode = mode
        self.created = opened.created
        self.app = wire(opened.recorder)
        try:
            self.tz = self._store_time_zone(config)
        except BaseException:
            self.app.close()
            raise
        self.rulebook = RulesBook(self.installed)
        self.ledger = Ledger(self.app, tz=self.tz, indicators=indicator_names(self.installed),
                             initial_rules=lambda: self.plugin_config,
                             dated_projects=self.app.read_models.dated_projects)
        self.scorer = Scorer(self.app, self.rulebook, self.tz, partition=config.partition,
                             clock=scorer_clock(config))
        self.queries = Queries(self.app, self.rulebook, self.tz, lag=self.scoring_lag)

    def _store_time_zone(self, config: Config) -> ZoneInfo:
        """The assessment time zone is the store's, recorded when it was first written (docs/assessment.md §1
        knows one zone): a setting that names another is refused; an unset one takes the store's."""
        recorder = self.app.recorder
        stored = recorder.meta("timezone")
        if stored is None:
            if not recorder.read_only and self.mode not in ("read", "audit"):  # a command that only reads writes nothing
                recorder.set_meta("timezone", config.timezone)
            return self.tz
        if stored == config.timezone:
            return self.tz
        source = config.source("timezone")
        if not source.startswith("default"):
            raise ConfigError(msg("config.tz_stored", source=source, stored=stored, tz=config.timezone))
        config.timezone = stored
        return time_zone(config)

    def known_at(self, text: str, field: str = "--known-at") -> datetime:
        """The one reading of a ``known_at`` for the CLI, the API and the pages: an ISO 8601 instant with its
        offset, or a local date ``YYYY-MM-DD`` meaning the end of that day in the store's assessment time
        zone (not the zone of the process's settings); a moment still to come means now (the answer's
        ``known_at`` says so). ValueError names ``field`` and the rule."""
        return min(parse_known_at(text, self.tz, field), now())  # a moment to come: what is known now

    def scratch(self, db: str = ":memory:") -> "Platform":
        """A platform over a new store of its own in this platform's time zone (``scratch_platform``)."""
        return scratch_platform(db, self.config.timezone)

    @property
    def read_only(self) -> bool:
        return self.app.recorder.read_only

    def partitions(self) -> int:
        """In how many partitions the store is scored (``sankao worker --partition K/N``)."""
        return self.scorer.closer.partitions()

    def claim_partitions(self, count: int) -> None:
        """Record that the store is scored in ``count`` partitions, or refuse a different count."""
        self.app.recorder.set_meta("partitions", str(count))
        recorded = self.partitions()
        if recorded != count:
            raise ConfigError(msg("config.partition", recorded=recorded, count=count))

    def scores_inline(self) -> bool:
        """Whether this process scores for itself (the embedded default) rather than leaving it to workers."""
        return self.config.scoring != "worker" and self.partitions() == 1

    def scoring_lag(self) -> int:
        """How many facts the slowest scoring worker has not scored yet."""
        floor = self.scorer.closer.scored_up_to()
        from events import CONSEQUENCE_TOPICS
        if self.app.recorder.last_position(CONSEQUENCE_TOPICS) <= floor:  # the usual answer, found cheaply
            return 0
        return self.app.recorder.count_after(floor, CONSEQUENCE_TOPICS)

    def catch_up(self, progress=None) -> tuple[int, Exception | None]:
        """Bring the read models up to date and, when this process scores for itself, the scores too.

        Returns how many facts the scores are still behind and the error that stopped scoring (None when it
        did not fail, or when scoring is left to workers). Answers go on showing what was scored.
        """
        try:
            if not self.read_only and self.app.read_models.behind():
                self.app.read_models.catch_up()
        except (StoreUnavailable, StoreBusy) as exc:  # a full disk, a lock held: answer from what is there
            return self.scoring_lag(), exc
        behind = self.scoring_lag()
        if self.read_only or not self.scores_inline() or behind <= 0:
            return behind, None
        try:
            self.scorer.run(progress=progress)
        except SankaoError as exc:
            try:
                return self.scoring_lag(), exc
            except SankaoError:  # the store itself went away: the lag measured before is what is known
                return behind, exc
        return self.scoring_lag(), None

    def recorded_rules(self) -> list:
        """Every ``RulesApplied`` recorded, oldest first."""
        return list(self.app.events.get(stream_id("rules")))

    def rules_in_force(self) -> dict:
        """The latest recorded rules, or (before anything is recorded) the rules a first command records."""
        recorded = self.recorded_rules()
        return recorded[-1].plugins if recorded else self.plugin_config

    def rules_drift(self) -> str | None:
        """A plain sentence when the ``plugins.toml`` named by the configuration would change the rules
        recorded last, else None."""
        path = self.config.plugins_path()
        recorded = self.recorded_rules() if path else []
        if not recorded:
            return None
        latest = recorded[-1]
        proposed = merge_config(latest.plugins, read_toml(path), self.installed, str(path))
        if same_rules(latest.plugins, proposed):
            return None
        return msg("config.drift", path=path, at=latest.timestamp.isoformat(), actor=latest.actor,
                   effective=latest.effective or msg("config.from_start"))

    def close(self) -> None:
        """Release the store's connections."""
        self.app.close()


def bootstrap(config: Config | None = None) -> Platform:
    """Build the platform from ``config`` (default: from the environment)."""
    return Platform(config or Config.from_env())


def init_store(config: Config) -> Platform:
    """Create the store's schema and tables (``sankao init``); safe to run again, and at once."""
    return Platform(config, "init")
