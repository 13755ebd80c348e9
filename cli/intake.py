"""Excel in (docs/intake.md): ``template`` (the workbook to fill in), ``import`` (a workbook or a .csv recorded
whole or not at all, ``--check`` to list every problem by its cell) and ``export projects`` (the projects as
they stand in the template's layout, to edit and import back)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.app import main, out_of, out_options, platform_of
from cli.common import catch_up, checking_or_loading, echo
from cli.options import actor_option
from core.errors import SankaoError
from core.messages import msg


def _headers(ctx) -> str:
    """The workbook's language: Chinese (the office's headers) unless English is asked for, by this command's
    --lang en, the global one or SANKAO_LANG."""
    from click.core import ParameterSource
    root = ctx.find_root()
    asked = ctx.meta.get("sankao.headers")
    if asked is None and root.get_parameter_source("lang") not in (ParameterSource.DEFAULT, None):
        asked = out_of(ctx).lang
    return asked or "zh"


def _lang_option(command):
    def keep(ctx, param, value):
        if value:
            ctx.meta["sankao.headers"] = value
            out_of(ctx).lang = value
    return click.option("--lang", type=click.Choice(["en", "zh"]), default=None, expose_value=False, callback=keep,
                        help="The workbook's headers and the messages: zh (default) or en.")(command)


def _write(path: str, data: bytes) -> None:
    target = Path(path)
    if not target.resolve().parent.is_dir():
        raise SankaoError(msg("cli.no_such_folder", folder=target.resolve().parent))
    target.write_bytes(data)


@main.command()
@click.argument("file", type=click.Path(dir_okay=False))
@_lang_option
@click.pass_context
def template(ctx, file):
    """Write the workbook to fill in (sheets 单位, 目标, 项目 and instructions; English headers with --lang en),
    the registered units already on 单位 for the drop-downs."""
    from core.intake.template import workbook
    lang = _headers(ctx)
    try:
        units = [{k: u[k] for k in ("unit", "name", "category")} for u in platform_of(ctx, "read").queries.units()]
    except SankaoError:  # no store yet: the template without units
        units = []
    _write(file, workbook(lang, units=units))
    echo(msg("xl.written", file=file))


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--check", is_flag=True, help="List every problem, each by its cell; record nothing.")
@click.option("--unit", default=None, help="Import only unit U's project rows (any other row is a problem).")
@actor_option
@out_options
@click.pass_context
def import_(ctx, file, check, unit, actor):
    """Record what the workbook FILE (.xlsx, or a .csv of one sheet) says: new units, targets, projects and
    their stages, and for rows imported before only what changed (corrections name the file and the row).
    With any problem nothing is recorded."""
    from core.intake.importer import import_file, prepare
    platform = checking_or_loading(ctx, check)
    if check:
        plan, report = prepare(platform, file, Path(file).name, unit, actor, lang=out_of(ctx).lang), None
    else:
        plan, report = import_file(platform, file, Path(file).name, unit, actor, lang=out_of(ctx).lang)
    for ref, problem in plan.problems:
        echo(msg("xl.at", ref=ref, problem=problem))
    counts = {what: sum(1 for line in plan.lines if line.what == what)
              for what in ("unit", "targets", "plan", "stage", "correct")}
    if plan.problems:
        echo(msg("xl.refused", problems=len(plan.problems)), err=True)
        sys.exit(1)
    if check:
        echo(msg("xl.would", **counts), err=True)
        return
    echo(msg("xl.recorded", recorded=report.recorded if report else 0, skipped=report.skipped if report else 0,
             **counts), err=True)
    if platform.scores_inline():
        catch_up(platform, strict=True)


@main.group()
def export():
    """Write what the record holds in the office's own layout."""


@export.command("projects")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--unit", default=None, help="Only unit U's projects.")
@_lang_option
@click.pass_context
def export_projects(ctx, file, unit):
    """Write the projects as they stand (FILE.xlsx, the template's layout): edit it and import it back to record
    only the edits."""
    from core.intake.template import workbook
    platform = platform_of(ctx, "read")
    units = [u for u in platform.queries.units() if unit in (None, u["unit"])]
    _write(file, workbook(_headers(ctx), units=[{k: u[k] for k in ("unit", "name", "category")} for u in units],
                          projects=platform.queries.projects(unit)))
    echo(msg("xl.written", file=file))
