"""``sankao sample``: the public years shipped with Sankao, to try it with nothing else at hand."""

from __future__ import annotations

import sys

import click

from core import samples
from core.cli.app import main


@main.command("sample")
@click.argument("name", required=False)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write the commands to this file instead of standard output.")
def sample(name, output):
    """Print a sample year's commands (JSON lines), or list the samples.

    \b
    sankao sample                                   # the samples and what each holds
    sankao sample year2023 | sankao --db office.db load -
    sankao sample year2023-people -o people.jsonl
    """
    if name is None:
        for known in samples.names():
            click.echo(f"{known:22} {samples.summary(known)}")
        return
    try:
        path = samples.folder(name) / "commands.jsonl"
    except KeyError:
        raise click.BadParameter(f"{name!r} is not a sample (known: {', '.join(samples.names())})",
                                 param_hint="NAME") from None
    data = path.read_bytes()
    if output:
        with open(output, "wb") as handle:
            handle.write(data)
        lines = data.count(b"\n")
        click.echo(f"wrote {lines} commands to {output}", err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
