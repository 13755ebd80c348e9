"""``sankao plugins``: which plugins are in force, and putting changed rules in force."""

from __future__ import annotations

import sys
from datetime import date

import click

from cli.app import config_of, main, out_of, platform_of
from cli.common import catch_up
from cli.options import actor_option, json_flag
from cli.render import print_json
from core.clock import local_date, now
from core.errors import SankaoError
from core.messages import msg, show_setting, text_of
from core.rules.plugins import installed_plugins, load_config, read_toml
from core.report import money
from core.engine.trial import effective_date, propose


@main.group()
def plugins():
    """Plugins and the rules in force."""


@plugins.command("list")
@json_flag
@click.pass_context
def plugins_list(ctx, as_json):
    """Show every installed plugin: version, hooks, enabled, settings, since when."""
    config = config_of(ctx)
    if config.location().exists():
        platform = platform_of(ctx)
        installed, recorded = platform.installed, platform.recorded_rules()
        in_force = platform.rules_in_force()
    else:  # no store yet: what the first command would put in force
        installed, recorded = installed_plugins(), []
        in_force = load_config(config.plugins_path(), installed)
    from core.rules.plugins import plugins_report
    rows = plugins_report(installed, recorded, in_force)
    if as_json:
        print_json(rows)
        return
    out = out_of(ctx)
    out.table(out.t("plugins"), [(out.t("plugin"), "left"), (out.t("version"), "left"), (out.t("state"), "left"),
                                 (out.t("since"), "left"), (out.t("settings"), "left"), (out.t("hooks"), "left")],
              [[out.name(r["name"]), r["version"], out.t("enabled" if r["enabled"] else "disabled"),
                out.t("the_start") if r["since"] == "the start" else r["since"],
                _settings_text(r["settings"], out.lang), ", ".join(r["hooks"])] for r in rows])
    if not recorded:
        out.line(out.t("no_rules_yet"))


def _settings_text(settings, lang: str = "en") -> str:
    return "; ".join(f"{out_name(k, lang)} = {show_setting(v, lang)}" for k, v in (settings or {}).items())


def out_name(name: str, lang: str) -> str:
    from core.messages import field_label
    return field_label(name, lang, quote=False)


def _effective(value: str | None, today: date) -> date | None:
    try:
        return effective_date(value, today)
    except ValueError as exc:
        raise click.BadParameter(text_of(exc), param_hint="--effective") from None


@plugins.command("apply")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--effective", default=None, metavar="YYYY-MM-DD|start",
              help="First business date the rules apply to: a date, or 'start' for every month "
                   "ever assessed (default: today in the assessment time zone).")
@click.option("--yes", is_flag=True, help="Record without asking (for scripts).")
@click.option("--dry-run", is_flag=True, help="Only show what would change; record nothing.")
@actor_option
@click.pass_context
def plugins_apply(ctx, file, effective, yes, dry_run, actor):
    """Put the plugins and settings of FILE in force (default: the file of --plugins/SANKAO_PLUGINS).

    FILE may name only some plugins: the others keep their state and settings, and
    keys a table leaves out keep their values. Shows what changes (plugins enabled
    or disabled, settings old -> new, from which month, which boards move) and asks
    before recording; identical rules record nothing.
    """
    config = config_of(ctx)
    path = file or config.plugins
    if path is None:
        raise click.UsageError(msg("cli.name_plugins_file"))
    platform = platform_of(ctx, "read" if dry_run else "write", note_drift=False)
    out = out_of(ctx)
    today = local_date(now(), platform.tz)
    raw = read_toml(path)
    catch_up(platform)  # the boards that move are measured against up-to-date scores
    proposal = propose(platform, raw, str(path), _effective(effective, today), today)
    if proposal.unchanged:
        since = msg("cli.every_month") if proposal.effective is None else \
            msg("cli.every_month_from", months=proposal.months[12:], all=proposal.months)
        out.echo(msg("cli.nothing_to_change", path=path, since=since))
        return
    out.line(out.say(msg("cli.changes", path=path, months=proposal.months)))
    for change in proposal.changes:
        out.line(f"  {out.say(change)}")
    if not proposal.changes:
        out.line(out.say(msg("cli.reaching_back")))
    if proposal.moved:
        out.line(out.say(msg("cli.boards_move")))
        _list_moves(out, proposal.moved)
    else:
        out.line(out.say(msg("cli.no_board_moves")))
    if proposal.restated:
        out.line(out.say(msg("cli.closed_months")))
        _list_moves(out, proposal.restated)
    if dry_run:
        out.echo(msg("cli.dry_run"))
        return
    if not yes:
        if not sys.stdin.isatty():
            raise SankaoError(msg("cli.confirm_yes"))
        click.confirm(out.say(msg("cli.confirm")), abort=True)
    platform.ledger.apply_rules(proposal.proposed, proposal.effective, actor)
    out.echo(msg("cli.rules_in_force", effective=proposal.effective or msg("cli.the_start"), actor=actor))
    catch_up(platform, strict=True)


def _list_moves(out, moves: dict) -> None:
    for period, units in moves.items():
        shown = ", ".join(f"{u} {_final(out, a)} -> {_final(out, b)}" for u, a, b in units[:6])
        more = msg("cli.and_more", more=len(units) - 6) if len(units) > 6 else ""
        out.line(out.say(msg("cli.moves", period=period, count=len(units), shown=shown, more=more)))


def _final(out, value) -> str:
    return out.say(msg("cli.off_board")) if value is None else money(value)
