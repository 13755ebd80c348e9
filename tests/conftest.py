"""Fixtures: a fresh store per test, on SQLite and on PostgreSQL.

PostgreSQL tests use ``SANKAO_TEST_PG`` (default
``postgresql://postgres@127.0.0.1:5432/test``), each in a schema of its own that
is dropped afterwards. Where no server answers they are skipped with a message
saying how to enable them, unless ``SANKAO_REQUIRE_PG=1`` (as in CI), where that
is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from core.bootstrap import Config, Platform, init_store
from cli import main

ROOT = Path(__file__).resolve().parents[1]
# The public years and their expected answers, copied into the package (``sankao sample``) from the
# shared scenarios they come from (tests/test_samples.py compares the copies where ../shared exists).
SCENARIOS = ROOT / "core" / "samples" / "public-years"
SCENARIO = SCENARIOS / "year2023"
PEOPLE = SCENARIOS / "year2023-people"
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("SANKAO_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
_pg_problem: list = []


def _pg_reachable() -> str | None:
    if not _pg_problem:
        try:
            import psycopg
            with psycopg.connect(PG_URL, connect_timeout=3):
                _pg_problem.append(None)
        except Exception as exc:  # any failure to connect means: skip, and say why
            _pg_problem.append(f"{type(exc).__name__}: {exc}")
    return _pg_problem[0]


def require_pg() -> None:
    """Skip (or, with SANKAO_REQUIRE_PG=1, fail) when no PostgreSQL server answers."""
    problem = _pg_reachable()
    if problem:
        message = (f"PostgreSQL not reachable at {PG_URL} ({problem.strip()}). Start it with "
                   "'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' or point "
                   "SANKAO_TEST_PG at a server; .ci/run does both.")
        if os.environ.get("SANKAO_REQUIRE_PG") == "1":
            pytest.fail(message)
        pytest.skip(message)


def _pg_schema_url():
    require_pg()
    import psycopg
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return f"{PG_URL}?schema={schema}", schema


def _drop_schema(schema: str) -> None:
    import psycopg
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


STORES = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@contextmanager
def _new_store(kind: str, folder: Path):
    """A fresh store of ``kind``: a SQLite file not yet created, or an initialised, empty PostgreSQL schema
    (dropped afterwards)."""
    if kind == "sqlite":
        yield str(folder / "sankao.db")
        return
    url, schema = _pg_schema_url()
    try:
        init_store(Config(db=url, plugins=str(ROOT / "plugins.toml"))).close()
        yield url
    finally:
        _drop_schema(schema)


@pytest.fixture(params=STORES)
def store_url(request, tmp_path):
    """The URL of a fresh, initialised, empty store (SQLite file or PostgreSQL schema)."""
    with _new_store(request.param, tmp_path) as url:
        yield url


@pytest.fixture(params=[STORES[1]])
def pg_store_url(request, tmp_path):
    """A fresh, initialised, empty PostgreSQL schema: for what only the PostgreSQL set-up does (several scoring
    workers against one database); skips saying how to enable it when no server answers."""
    with _new_store(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=STORES)
def module_store_url(request, tmp_path_factory):
    """Like ``store_url``, but one store for all the tests of a module on that kind of store: for tests that
    only read it, or whose every step must leave it as it was (and check that it did)."""
    with _new_store(request.param, tmp_path_factory.mktemp("store")) as url:
        yield url


def _schema_of(url: str) -> str:
    return parse_qs(urlparse(url).query)["schema"][0]


def copy_store(source: str, target: str) -> None:
    """Make the store ``target`` hold exactly what ``source`` holds: for SQLite, a copy of the file (``target``
    not created yet); for PostgreSQL, every table's rows copied into ``target``'s schema (an initialised one, as
    ``store_url`` gives). Sankao's stores are plain tables (no sequences, triggers or functions)."""
    if not source.startswith("postgresql://"):
        assert not Path(target).exists(), target
        for suffix in ("", "-wal", "-shm"):
            if Path(source + suffix).exists():
                shutil.copyfile(source + suffix, target + suffix)
        return
    import psycopg
    src, dst = _schema_of(source), _schema_of(target)
    with psycopg.connect(PG_URL, autocommit=True) as conn, conn.transaction():
        tables = [row[0] for row in conn.execute("SELECT table_name FROM information_schema.tables WHERE "
                                                 "table_schema = %s AND table_type = 'BASE TABLE'", (src,))]
        for table in tables:
            conn.execute(f'CREATE TABLE IF NOT EXISTS "{dst}"."{table}" (LIKE "{src}"."{table}" INCLUDING ALL)')
            conn.execute(f'TRUNCATE "{dst}"."{table}"')
            conn.execute(f'INSERT INTO "{dst}"."{table}" SELECT * FROM "{src}"."{table}"')


@pytest.fixture(scope="session")
def _loaded_stores(tmp_path_factory):
    """Stores filled once a session by ``sankao load``, by kind of store and load arguments (see ``loaded_copy``)."""
    made: dict = {}
    yield made
    for url in made.values():
        if url.startswith("postgresql://"):
            _drop_schema(_schema_of(url))


@pytest.fixture
def loaded_copy(_loaded_stores, tmp_path_factory):
    """``loaded_copy(url, *args)``: make the fresh store ``url`` (from ``store_url`` or ``sqlite_url``) hold what
    ``cli(url, "load", *args)`` records into it, by copying a store that did that once this session. For tests
    whose subject comes after the load (which test_scenario, test_load and others test as such)."""

    def fill(url: str, *args: str) -> str:
        from importlib.metadata import entry_points
        kind = "postgres" if url.startswith("postgresql://") else "sqlite"
        # the rules a first load puts in force depend on the plugins installed (test_plugins installs one)
        installed = tuple(sorted((ep.name, ep.value) for ep in entry_points(group="sankao.plugins")))
        key = (kind, args, installed)
        if key not in _loaded_stores:
            folder = tmp_path_factory.mktemp("loaded")
            if kind == "sqlite":
                source = str(folder / "sankao.db")
            else:
                source, _ = _pg_schema_url()
                init_store(Config(db=source, plugins=str(ROOT / "plugins.toml"))).close()
            _loaded_stores[key] = source
            run_cli(source, "load", *args)
        copy_store(_loaded_stores[key], url)
        return url

    return fill


@pytest.fixture
def sqlite_url(tmp_path):
    return str(tmp_path / "sankao.db")


@pytest.fixture
def make_platform():
    """Build platforms (fresh per call, never shared between tests)."""
    made = []

    def factory(url: str, **kwargs) -> Platform:
        kwargs.setdefault("plugins", str(ROOT / "plugins.toml"))
        mode = kwargs.pop("mode", "load")
        platform = Platform(Config(db=url, **kwargs), mode)
        made.append(platform)
        return platform

    yield factory
    for platform in made:
        platform.close()


def run_cli(url: str, *args: str, expect: int | None = 0):
    """What the ``cli`` fixture does, for fixtures of a wider scope: run from the repository's folder."""
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(main, ["--db", url, *args], catch_exceptions=False)
    finally:
        os.chdir(here)
    if expect is not None:
        assert result.exit_code == expect, (result.exit_code, result.output, result.stderr)
    return result


@pytest.fixture
def cli(monkeypatch):
    """Run the ``sankao`` CLI in-process: ``cli(url, "board", "2023-03", "--json")``."""
    monkeypatch.chdir(ROOT)
    runner = CliRunner()

    def run(url: str, *args: str, expect: int | None = 0):
        result = runner.invoke(main, ["--db", url, *args], catch_exceptions=False)
        if expect is not None:
            assert result.exit_code == expect, (result.exit_code, result.output, result.stderr)
        return result

    return run


def write_lines(path: Path, commands: list) -> Path:
    path.write_text("".join((c if isinstance(c, str) else json.dumps(c)) + "\n" for c in commands),
                    encoding="utf-8")
    return path


def consequences(platform) -> list:
    """Every consequence a store recorded, stream by stream, without log positions (they depend on how
    facts and consequences interleaved in that store, and so do the tree heads recorded at closes):
    for comparing two stores' engines."""
    from events import CONSEQUENCE_TOPICS
    events = [platform.app.mapper.to_domain_event(n)
              for n in platform.app.recorder.select_notifications(start=1, limit=10**9)
              if n.topic in CONSEQUENCE_TOPICS]

    def data(e):
        kept = {k: v for k, v in vars(e).items()
                if k not in ("originator_id", "originator_version", "timestamp", "position", "close",
                             "size", "root")}
        if "entries" in kept:
            kept["entries"] = [{k: v for k, v in row.items() if k != "scored"} for row in kept["entries"]]
        return repr(kept)
    return sorted((type(e).__name__, str(e.originator_id), e.originator_version, e.command_id, data(e))
                  for e in events)


def web_app_with(folder: Path, commands: Path):
    """The web app over a new SQLite store in ``folder`` holding the commands of ``commands``, scored: (app, db)."""
    from web import create_app
    db = str(folder / "sankao.db")
    init_store(Config(db=db)).close()
    app = create_app(Config(db=db))
    platform = app.extensions["sankao"]
    platform.ledger.load(enumerate(commands.read_text().splitlines(), 1), "setup")
    platform.catch_up()
    return app, db


def free_port() -> int:
    """A local TCP port nothing listens on (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgRelay:
    """A TCP relay to PostgreSQL that can be cut, as a server stopping mid-way would cut it; ``listen``: the port
    to listen on (a relay started again on a cut one's port is the server back)."""

    def __init__(self, port: int = 5432, listen: int = 0):
        self.listener = socket.create_server(("127.0.0.1", listen))
        self.port, self.target, self.sockets, self.open = self.listener.getsockname()[1], port, [], True
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            for s in (client, server):  # relay at once, as the server's own socket does
                s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self.lock:
                self.sockets += [client, server]
                if not self.open:
                    self._close(client, server)
                    return
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, a, b):
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        self._close(a, b)  # one side gone: the whole relay goes, as with a server that stopped

    @staticmethod
    def _close(*sockets):
        for s in sockets:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def cut(self):
        with self.lock:
            self.open = False
            self.listener.close()
            self._close(*self.sockets)


@pytest.fixture
def cuttable_pg():
    """A fresh PostgreSQL schema reached two ways: ``direct`` and ``relayed`` (through a relay that ``cut()``
    closes, as a server stopping mid-way would); ``wait(process, sql, above=N)`` polls ``sql`` (``{schema}``
    filled in) until it answers more than N or the process ends. The schema is dropped afterwards."""
    require_pg()
    import types
    schema = f"t_{uuid.uuid4().hex[:10]}"
    relay = PgRelay()

    def wait(process, sql: str, above: int, limit_s: float = 60) -> None:
        import psycopg
        with psycopg.connect(PG_URL, autocommit=True) as watch:
            deadline = time.monotonic() + limit_s
            while time.monotonic() < deadline and process.poll() is None:
                if (watch.execute(sql.format(schema=schema)).fetchone()[0] or 0) > above:
                    return
                time.sleep(0.01)

    try:
        yield types.SimpleNamespace(schema=schema, direct=f"{PG_URL}?schema={schema}", cut=relay.cut, wait=wait,
                                    relayed=f"postgresql://postgres@127.0.0.1:{relay.port}/test?schema={schema}")
    finally:
        relay.cut()
        _drop_schema(schema)
