"""Commands that record or keep the store: init, load, backup, worker, rebuild."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from cli.app import config_of, main, platform_of
from cli.common import catch_up, checking_or_loading, echo, progress
from cli.options import actor_option
from core.errors import CommandRejected, SankaoError, StoreBusy, StoreUnavailable
from core.record.ledger import LoadReport
from core.messages import CATALOG, msg


@main.command()
@click.pass_context
def init(ctx):
    """Create the store (needed once on PostgreSQL; a first load creates a SQLite file)."""
    platform = platform_of(ctx, "init", note_drift=False)
    if not platform.created:
        echo(msg("cli.ready_existed", where=platform.location.describe()))
    else:
        echo(msg("cli.ready", where=platform.location.describe()))


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
    platform = checking_or_loading(ctx, check)
    if check:
        result = platform.ledger.check(lines, actor)
        rejected = sorted([*result.rejected, *undecodable.items()])
        for number, message in rejected:
            echo(msg("cli.line", number=number, message=message))
        echo(msg("cli.check_summary", recorded=result.recorded, skipped=result.skipped, rejected=len(rejected)),
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
        echo(msg("cli.line", number=number, message=message))
    echo(msg("cli.recorded", recorded=report.recorded, skipped=report.skipped), err=True)
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
    echo(msg("cli.copied", where=platform.location.describe(), target=target.resolve(), size=size))


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
    pause = interval
    while True:
        try:
            _score(platform)
        except (StoreUnavailable, StoreBusy) as exc:
            if once:
                raise
            # PostgreSQL restarting, a lock held too long: what was scored is kept (each chunk is one transaction
            # with the position reached); say so and go on from there
            echo(msg("cli.worker_trouble", error=exc), err=True)
            time.sleep(pause)
            pause = min(pause * 2, 30.0)
            continue
        pause = interval
        if once:
            return
        time.sleep(interval)


def _score(platform) -> None:
    behind = platform.scorer.behind()
    started = time.monotonic()
    if behind:
        with progress(behind, "scoring") as bar:
            task = bar.add_task("scoring", total=behind)
            done = platform.scorer.run(progress=lambda n: bar.advance(task, n))
        name = platform.scorer.name  # scorer, or scorer:1/2
        echo(msg("cli.scored", name=name, part=" " + name.partition(":")[2] if ":" in name else "", done=done,
                  seconds=f"{time.monotonic() - started:.1f}", behind=platform.scorer.behind()), err=True)
    else:
        platform.scorer.run()  # opens a month that has begun, freezes what can be frozen


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
    echo(msg("cli.rebuilt", done=done, seconds=f"{time.monotonic() - started:.1f}"))
