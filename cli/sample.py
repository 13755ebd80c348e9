"""``sankao sample``: the public years shipped with Sankao, to try it with nothing else at hand."""

from __future__ import annotations

import sys

import click

from core import samples
from cli.app import main
from cli.common import echo
from core.messages import msg


#: what the shipped samples hold, in Chinese (their READMEs say it in English)
SUMMARIES_ZH = {
    "year2023": "一个考核年度 (2023 年), 8 个单位",
    "year2023-people": "2023 年度, 含人员 (三级包抓) 和年考评",
    "year2023-supervision": "2023 年度, 含督查 (自查、抽查、专项考核)",
}


def _lang() -> str:
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_root().obj if ctx is not None else None
    return obj["out"].lang if isinstance(obj, dict) and "out" in obj else "en"


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
        zh = _lang() == "zh"
        for known in samples.names():
            click.echo(f"{known:22} {SUMMARIES_ZH.get(known) if zh and known in SUMMARIES_ZH else samples.summary(known)}")
        return
    try:
        path = samples.folder(name) / "commands.jsonl"
    except KeyError:
        raise click.BadParameter(msg("cli.no_sample", name=name, known=list(samples.names())),
                                 param_hint="NAME") from None
    data = path.read_bytes()
    if output:
        with open(output, "wb") as handle:
            handle.write(data)
        lines = data.count(b"\n")
        echo(msg("cli.wrote_sample", lines=lines, output=output), err=True)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
