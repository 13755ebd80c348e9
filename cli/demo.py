"""``sankao demo``: a store of made-up years loaded, the office's pages served, a login printed for each role."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

import click

from cli.app import config_of, main, out_of, platform_of
from cli.common import catch_up, echo
from cli.read import show_board
from cli.serve import run_server
from cli.token import role_words
from core.errors import SankaoError
from core.messages import msg


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Serve the pages here.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to serve on.")
@click.option("--no-serve", is_flag=True, help="Only load the demo and print the logins.")
@click.option("--actor", default="demo", show_default=True, help="Who records the demo's commands.")
@click.pass_context
def demo(ctx, port, host, no_serve, actor):
    """Load the demo (last year whole, this year up to today: twenty units, their projects, letters, people and
    supervision) into an empty store (default ./sankao-demo.db), then serve the office's pages and print a login
    for each role.

    The demo never touches a store that holds anything but its own commands; run again, it serves what it
    loaded the first time (delete the store for a fresh one).
    """
    from core.samples.demo import DEMO_PREFIX, demo_commands
    from core.clock import local_date, now
    config = config_of(ctx)
    if config.source("db").startswith("default"):
        config.db = "sankao-demo.db"
        config.sources["db"] = "the demo's default"
    if not no_serve:
        _port_free(host, port)  # before anything is recorded or a login issued
    platform = platform_of(ctx, "load", note_drift=False)
    recorder = platform.app.recorder
    foreign, ours = recorder.commands_other_than(DEMO_PREFIX), recorder.command_ids(DEMO_PREFIX)
    if foreign and not ours:
        raise SankaoError(msg("cli.demo_foreign", where=platform.location.describe(), foreign=foreign))
    today = local_date(now(), platform.tz)
    _load_demo(platform, demo_commands(today, tz=platform.tz), ours, actor, today)
    if foreign:
        echo(msg("cli.demo_also", foreign=foreign), err=True)
    logins = _demo_logins(platform, actor)
    catch_up(platform)  # the demo's facts, and the scorer steps past the logins
    from core.read.office import default_month
    month = default_month(platform)
    if month is not None:
        show_board(ctx, month, None, False, False)
    platform.close()
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    out = out_of(ctx)
    lines = ["\n" + out.say(msg("cli.demo_pages", address=address))]
    from rich.cells import cell_len
    roles = [out.say(role_words(role)) for role, _ in logins]  # the words of `sankao token list`
    width = max(11, *(cell_len(r) for r in roles))
    lines += [f"  {r}{' ' * (width - cell_len(r) + 1)} {token}" for r, (_, token) in zip(roles, logins)]
    click.echo("\n".join(lines))
    if no_serve:
        me = Path(sys.argv[0]).name if sys.argv and sys.argv[0].endswith("sankao") else "sankao"
        echo(msg("cli.demo_serve_it", me=me, db=shlex.quote(config.db)), err=True)
        return
    from web import create_app
    run_server(create_app(config), host, port, banner=out.say(msg("cli.demo_serving", address=address)))


def _port_free(host: str, port: int) -> None:
    import socket
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise SankaoError(msg("cli.port_taken", host=host, port=port, error=exc.strerror)) from None


def _load_demo(platform, commands: list[dict], present: set[str], actor: str, today) -> None:
    """Record the demo's commands the store does not hold yet: all of them the first time, the rest after a
    first run that was stopped half-way, the new days' on a later day. Not when the store holds entries of its
    own recorded after some of them (they would come before those in time): then nothing more is recorded."""
    from datetime import datetime
    missing = [c for c in commands if c["id"] not in present]
    where = platform.location.describe()
    if not missing:
        echo(msg("cli.demo_there", today=today, where=where), err=True)
        return
    last = platform.ledger.refresh().last_recorded
    if present and last is not None and datetime.fromisoformat(missing[0]["at"]) < last:
        echo(msg("cli.demo_later", where=where, missing=len(missing)), err=True)
        return
    lines = [(n, json.dumps(c, ensure_ascii=False)) for n, c in enumerate(missing, 1)]
    report = platform.ledger.load(lines, actor)
    if report.rejected:  # pragma: no cover - the demo is valid by construction
        raise SankaoError(msg("cli.demo_rejected", line=report.rejected[0]))
    done = msg("cli.demo_rest") if present else msg("cli.demo_years", last=today.year - 1, year=today.year)
    echo(msg("cli.demo_recorded", done=done, today=today, recorded=report.recorded, where=where), err=True)


def _demo_logins(platform, actor: str) -> list[tuple[str, str]]:
    """A fresh token for each role (names demo-admin, demo-admin-2, ... : a name is never issued twice)."""
    taken = set(platform.app.read_models.token_names())
    logins = []
    for role, name in (("admin", "demo-admin"), ("auditor", "demo-auditor"), ("supervisor", "demo-supervisor"),
                       ("viewer", "demo-viewer"), ("unit:U05", "demo-unit-U05")):
        n, found = 1, name
        while found in taken:
            n += 1
            found = f"{name}-{n}"
        logins.append((role, platform.ledger.issue_token(found, role, actor)))
    return logins
