"""Commands that record or keep the store: init, load, demo, backup, worker."""

from __future__ import annotations

import json
import shlex
import sys
import time
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from core.bootstrap import Platform, default_actor
from core.cli.app import config_of, main, out_of, platform_of
from core.errors import CommandRejected, ConcurrentWrite, SankaoError, StoreBusy, StoreUnavailable
from core.ledger import LoadReport
from core.messages import CATALOG, msg

actor_option = click.option("--actor", default=default_actor, show_default="the OS user",
                            help="Who records the commands (written on every event).")


def progress(total: int, what: str) -> Progress:
    """A progress bar on stderr when it is a terminal (nothing otherwise); ``what`` in the language asked."""
    from rich.console import Console
    ctx = click.get_current_context(silent=True)
    if ctx is not None and isinstance(ctx.find_root().obj, dict) and "out" in ctx.find_root().obj:
        what = out_of(ctx).t(what)
    console = Console(stderr=True)
    return Progress(TextColumn(what), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=console, disable=not console.is_terminal, transient=True)


def catch_up(platform: Platform, *, strict: bool = False) -> None:
    """Bring the scores up to date (inline scoring); when that fails or is left to a scoring
    worker, say how far behind they are.

    Queries go on answering from what was scored; with ``strict`` the command exits 1 on failure.
    """
    if platform.read_only or not platform.scores_inline():
        behind, _ = platform.catch_up()  # the read models only: scoring is not this process's
        if behind > 0:
            why = msg("cli.why_read_only") if platform.read_only else msg("cli.why_worker")
            _echo(msg("cli.behind_note", why=why, behind=behind), err=True)
        return
    total = platform.scoring_lag()
    with progress(total, "scoring") as bar:
        task = bar.add_task("scoring", total=total)
        left, failure = platform.catch_up(progress=lambda n: bar.advance(task, n))
    if failure is not None:
        _echo(msg("cli.scoring_stopped", left=left, failure=failure, finish=finish_scoring(failure)), err=True)
        if strict:
            sys.exit(1)


def finish_scoring(failure: Exception) -> str:
    """How to finish scoring that ``failure`` stopped: nothing recorded is lost either way."""
    if isinstance(failure, (StoreUnavailable, StoreBusy, ConcurrentWrite)):
        return msg("cli.finish_store")
    return msg("cli.finish_plugins")


def _echo(text, err: bool = False) -> None:
    """A message in the language asked (English outside a command)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and isinstance(ctx.find_root().obj, dict) and "out" in ctx.find_root().obj:
        out_of(ctx).echo(text, err=err)
    else:
        click.echo(text, err=err)


@main.command()
@click.pass_context
def init(ctx):
    """Create the store (needed once on PostgreSQL; a first load creates a SQLite file)."""
    platform = platform_of(ctx, "init", note_drift=False)
    if not platform.created:
        _echo(msg("cli.ready_existed", where=platform.location.describe()))
    else:
        _echo(msg("cli.ready", where=platform.location.describe()))


def read_lines(file: str) -> tuple[list[tuple[int, str]], dict[int, str]]:
    """The non-blank lines of FILE (``-``: standard input) with their numbers, and the lines that are not
    UTF-8 text (number -> why). Such a line is a bad line like any other: ``load`` records the lines before
    it and stops there, ``--check`` lists it with the rest."""
    where = msg("cli.stdin") if file == "-" else file
    if file == "-":
        data = sys.stdin.buffer.read()
    else:
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandRejected("", None, msg("cli.unreadable_file", file=file, error=exc.strerror)) from None
    lines, undecodable = [], {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            reason = msg(f"cli.utf8.{exc.reason}") if f"cli.utf8.{exc.reason}" in CATALOG else exc.reason
            undecodable[number] = msg("cli.not_utf8", reason=reason, byte=exc.start + 1, where=where)
            continue
        if line.strip().lstrip("\ufeff"):
            lines.append((number, line))
    return lines, undecodable


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--check", is_flag=True, help="Report every line that would be rejected; record nothing.")
@click.option("--score/--no-score", default=None,
              help="Bring the scores up to date after recording (default: yes, unless SANKAO_SCORING=worker "
                   "leaves it to `sankao worker`).")
@actor_option
@click.pass_context
def load(ctx, file, check, score, actor):
    """Record the command lines of FILE (or - for standard input) in order (docs/assessment.md §2).

    Each line is recorded whole or not at all; at the first rejected line the load
    stops, keeping the lines before it. A line whose id is recorded already is
    skipped, so running a file again after a failure finishes it.
    """
    if file != "-" and not Path(file).is_file():
        raise click.BadParameter(msg("cli.not_a_file" if Path(file).exists() else "cli.no_such_file", file=file),
                                 param_hint="FILE")
    lines, undecodable = read_lines(file)
    if undecodable and not check:  # record up to the first line that cannot be read, as for any bad line
        lines = [(number, line) for number, line in lines if number < min(undecodable)]
    config = config_of(ctx)
    if check and not config.location().exists():
        _echo(msg("cli.check_no_store", path=config.location().path), err=True)
        config.db = ":memory:"  # checking against an empty store creates no files
    platform = platform_of(ctx, "read" if check else "load")
    if check:
        result = platform.ledger.check(lines, actor)
        rejected = sorted([*result.rejected, *undecodable.items()])
        for number, message in rejected:
            _echo(msg("cli.line", number=number, message=message))
        _echo(msg("cli.check_summary", recorded=result.recorded, skipped=result.skipped, rejected=len(rejected)),
              err=True)
        sys.exit(1 if rejected else 0)
    report = LoadReport()
    try:
        with progress(len(lines), "recording") as bar:
            task = bar.add_task("recording", total=len(lines))
            platform.ledger.load(lines, actor, report=report, progress=lambda n: bar.advance(task, n))
    except (StoreUnavailable, StoreBusy) as exc:
        raise type(exc)(msg("cli.with_kept", error=exc, kept=_kept(report, lines, file))) from None
    if not report.rejected and undecodable:
        report.rejected.append(min(undecodable.items()))
    for number, message in report.rejected:
        _echo(msg("cli.line", number=number, message=message))
    _echo(msg("cli.recorded", recorded=report.recorded, skipped=report.skipped), err=True)
    if score or score is None and platform.scores_inline():
        catch_up(platform, strict=True)
    sys.exit(1 if report.rejected else 0)


def _kept(report: LoadReport, lines: list, file: str) -> str:
    done = report.recorded + report.skipped
    upto = msg("cli.kept_upto", line=lines[done - 1][0]) if done else ""
    text = msg("cli.kept", recorded=report.recorded, skipped=report.skipped, upto=upto)
    missing_ids = sum(1 for _, line in lines[done:] if '"id"' not in line)
    if missing_ids:
        return msg("cli.kept_no_ids", kept=text, missing=missing_ids, line=lines[done][0], file=file)
    return msg("cli.kept_again", kept=text)


@main.command()
@click.argument("dest", type=click.Path(dir_okay=False))
@click.pass_context
def backup(ctx, dest):
    """Copy a SQLite store, while it is in use, into the new file DEST (consistent, all of it)."""
    platform = platform_of(ctx, "read", note_drift=False)
    if platform.location.is_postgres:
        raise SankaoError(msg("cli.backup_postgres"))
    target = Path(dest)
    if target.exists():
        raise SankaoError(msg("cli.backup_exists", target=target))
    if not target.resolve().parent.is_dir():
        raise SankaoError(msg("cli.no_such_folder", folder=target.resolve().parent))
    size = platform.app.recorder.backup(target)
    _echo(msg("cli.copied", where=platform.location.describe(), target=target.resolve(), size=size))


def _partition(ctx, param, value):
    try:
        index, count = (int(x) for x in value.split("/"))
        if not 1 <= index <= count:
            raise ValueError
    except ValueError:
        raise click.BadParameter(msg("cli.partition", value=value)) from None
    return index - 1, count


@main.command()
@click.option("--interval", type=click.FloatRange(min=0.01), default=1.0, show_default=True,
              help="Seconds between looks at the record (and at the clock: a month begins).")
@click.option("--once", is_flag=True, help="Catch up once and stop.")
@click.option("--partition", callback=_partition, default="1/1", show_default=True, metavar="K/N",
              help="Score the K-th of N parts of the units (run N workers, 1/N to N/N, for N times the speed).")
@click.pass_context
def worker(ctx, interval, once, partition):
    """Run the scoring process: follow the record, record scores, letters and frozen boards.

    With several workers (--partition 1/2, 2/2, …) each scores its part of the
    units; a month is frozen once all of them are past its close.
    """
    config_of(ctx).partition = partition
    platform = platform_of(ctx, "write")
    platform.claim_partitions(partition[1])
    while True:
        behind = platform.scorer.behind()
        started = time.monotonic()
        if behind:
            with progress(behind, "scoring") as bar:
                task = bar.add_task("scoring", total=behind)
                done = platform.scorer.run(progress=lambda n: bar.advance(task, n))
            name = platform.scorer.name  # scorer, or scorer:1/2
            _echo(msg("cli.scored", name=name, part=" " + name.partition(":")[2] if ":" in name else "", done=done,
                      seconds=f"{time.monotonic() - started:.1f}", behind=platform.scorer.behind()), err=True)
        else:
            platform.scorer.run()  # opens a month that has begun, freezes what can be frozen
        if once:
            return
        time.sleep(interval)


@main.command()
@click.pass_context
def rebuild(ctx):
    """Rebuild the read models (the tables queries answer from) from the log."""
    platform = platform_of(ctx, "write", note_drift=False)
    total = platform.app.recorder.max_notification_id()
    started = time.monotonic()
    with progress(total, "rebuilding") as bar:
        task = bar.add_task("rebuilding", total=total)
        done = platform.app.read_models.rebuild(progress=lambda n: bar.advance(task, n))
    _echo(msg("cli.rebuilt", done=done, seconds=f"{time.monotonic() - started:.1f}"))


@main.command()
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Serve the pages here.")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to serve on.")
@click.option("--no-serve", is_flag=True, help="Only load the demo and print the logins.")
@click.option("--actor", default="demo", show_default=True, help="Who records the demo's commands.")
@click.pass_context
def demo(ctx, port, host, no_serve, actor):
    """Load the demo (last year whole, this year up to today: twenty units, their projects, letters and people)
    into an empty store (default ./sankao-demo.db), then serve the office's pages and print a login for each
    role.

    The demo never touches a store that holds anything but its own commands; run again, it serves what it
    loaded the first time (delete the store for a fresh one).
    """
    from core.demo import DEMO_PREFIX, demo_commands
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
        _echo(msg("cli.demo_also", foreign=foreign), err=True)
    logins = _demo_logins(platform, actor)
    catch_up(platform)  # the demo's facts, and the scorer steps past the logins
    from core.cli.read import show_board
    from core.read.office import default_month
    month = default_month(platform)
    if month is not None:
        show_board(ctx, month, None, False, False)
    platform.close()
    address = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    out = out_of(ctx)
    lines = ["\n" + out.say(msg("cli.demo_pages", address=address))]
    from rich.cells import cell_len
    from core.cli.token import _role
    roles = [out.say(_role(role)) for role, _ in logins]  # the words of `sankao token list`
    width = max(11, *(cell_len(r) for r in roles))
    lines += [f"  {r}{' ' * (width - cell_len(r) + 1)} {token}" for r, (_, token) in zip(roles, logins)]
    click.echo("\n".join(lines))
    if no_serve:
        me = Path(sys.argv[0]).name if sys.argv and sys.argv[0].endswith("sankao") else "sankao"
        _echo(msg("cli.demo_serve_it", me=me, db=shlex.quote(config.db)), err=True)
        return
    from core.cli.serve import run_server
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
        _echo(msg("cli.demo_there", today=today, where=where), err=True)
        return
    last = platform.ledger.refresh().last_recorded
    if present and last is not None and datetime.fromisoformat(missing[0]["at"]) < last:
        _echo(msg("cli.demo_later", where=where, missing=len(missing)), err=True)
        return
    lines = [(n, json.dumps(c, ensure_ascii=False)) for n, c in enumerate(missing, 1)]
    report = platform.ledger.load(lines, actor)
    if report.rejected:  # pragma: no cover - the demo is valid by construction
        raise SankaoError(msg("cli.demo_rejected", line=report.rejected[0]))
    done = msg("cli.demo_rest") if present else msg("cli.demo_years", last=today.year - 1, year=today.year)
    _echo(msg("cli.demo_recorded", done=done, today=today, recorded=report.recorded, where=where), err=True)


def _demo_logins(platform, actor: str) -> list[tuple[str, str]]:
    """A fresh token for each role (names demo-admin, demo-admin-2, ... : a name is never issued twice)."""
    taken = {row[0] for row in platform.app.recorder.fetch("SELECT name FROM rm_tokens")}
    logins = []
    for role, name in (("admin", "demo-admin"), ("auditor", "demo-auditor"), ("viewer", "demo-viewer"),
                       ("unit:U05", "demo-unit-U05")):
        n, found = 1, name
        while found in taken:
            n += 1
            found = f"{name}-{n}"
        logins.append((role, platform.ledger.issue_token(found, role, actor)))
    return logins
