"""What the commands share: a message in the language asked, a progress bar, the scores brought up to date
before a query answers."""

from __future__ import annotations

import sys

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from core.bootstrap import Platform
from cli.app import config_of, out_of, platform_of
from core.errors import ConcurrentWrite, StoreBusy, StoreUnavailable
from core.messages import msg


def echo(text, err: bool = False) -> None:
    """A message in the language asked (English outside a command)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and isinstance(ctx.find_root().obj, dict) and "out" in ctx.find_root().obj:
        out_of(ctx).echo(text, err=err)
    else:
        click.echo(text, err=err)


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
            echo(msg("cli.behind_note", why=why, behind=behind), err=True)
        return
    total = platform.scoring_lag()
    with progress(total, "scoring") as bar:
        task = bar.add_task("scoring", total=total)
        left, failure = platform.catch_up(progress=lambda n: bar.advance(task, n))
    if failure is not None:
        echo(msg("cli.scoring_stopped", left=left, failure=failure, finish=finish_scoring(failure)), err=True)
        if strict:
            sys.exit(1)


def finish_scoring(failure: Exception) -> str:
    """How to finish scoring that ``failure`` stopped: nothing recorded is lost either way."""
    if isinstance(failure, (StoreUnavailable, StoreBusy, ConcurrentWrite)):
        return msg("cli.finish_store")
    return msg("cli.finish_plugins")


def checking_or_loading(ctx, check: bool) -> Platform:
    """The platform of a command that records, or with ``check`` judges without recording: a check of a store
    not created yet is made against an empty one in memory (saying so), creating no file."""
    config = config_of(ctx)
    if check and not config.location().exists():
        echo(msg("cli.check_no_store", path=config.location().path), err=True)
        config.db = ":memory:"  # checking against an empty store creates no files
    return platform_of(ctx, "read" if check else "load")


def queried(ctx) -> Platform:
    """The platform of a query, its scores brought up to date first (or a note of how far behind they are)."""
    platform = platform_of(ctx)
    catch_up(platform)
    return platform


def names(platform) -> dict[str, str]:
    """Unit id -> the unit's name."""
    return platform.queries.names()
