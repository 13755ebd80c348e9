"""The ``sankao`` group: global options, the platform for a command, errors without tracebacks."""

from __future__ import annotations

import os
import sys
import traceback

import click
from click.core import ParameterSource

from core.bootstrap import Config, Platform
from cli.render import Out
from core.errors import SankaoError
from core.messages import msg, render

ENVIRONMENT = """\b
Environment (each is the default of the option beside it):
  SANKAO_DB       --db       a SQLite file or a postgresql:// URL (default ./sankao.db)
  SANKAO_TZ       --tz       the assessment time zone (default Asia/Shanghai)
  SANKAO_PLUGINS  --plugins  a plugins.toml for the first rules of a new store
  SANKAO_LANG     --lang     en or zh: the language of tables
  SANKAO_SCORING  --scoring  inline (default) or worker: who keeps the scores
"""


LANGS = ("en", "zh")


def _scan_lang(ctx, args) -> None:
    """Note the last ``--lang en|zh`` of ``args`` (before or after a command's name) before click parses them:
    ``--help`` is processed eagerly, before ``--lang``, and must already speak the language asked."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args) and args[i + 1] in LANGS:
            found = args[i + 1]
        elif arg.startswith("--lang=") and arg[len("--lang="):] in LANGS:
            found = arg[len("--lang="):]
    if found:
        ctx.meta["sankao.lang"] = found


def help_lang(ctx) -> str:
    """The language of ``--help`` and of click's messages: a ``--lang`` on the command line, else the one in force
    (``SANKAO_LANG``), else English."""
    found = ctx.meta.get("sankao.lang")
    if found:
        return found
    obj = ctx.find_root().obj
    out = obj.get("out") if isinstance(obj, dict) else None
    if out is not None:
        return out.lang
    env = os.environ.get("SANKAO_LANG")
    return env if env in LANGS else "en"


class _Helped:
    """``--help`` and usage lines in the language asked (Chinese: ``cli.help_zh``)."""

    def parse_args(self, ctx, args):
        _scan_lang(ctx, args)
        return super().parse_args(ctx, args)

    def get_help(self, ctx):
        if help_lang(ctx) != "zh":
            return super().get_help(ctx)
        from cli.help_zh import help_text
        return help_text(self, ctx)

    def get_usage(self, ctx):
        if help_lang(ctx) != "zh":
            return super().get_usage(ctx)
        from cli.help_zh import usage_text
        return usage_text(self, ctx)


class SankaoCommand(_Helped, click.Command):
    """A command of ``sankao``."""


class SankaoSubGroup(_Helped, click.Group):
    """A group of ``sankao``'s commands (``audit``, ``plugins``, ``token``)."""

    command_class = SankaoCommand
    group_class = type  # its groups are of its class


class SankaoGroup(_Helped, click.Group):
    """Turns Sankao's errors into one line on stderr and exit status 1; never a traceback."""

    command_class = SankaoCommand
    group_class = SankaoSubGroup

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SankaoError as exc:
            click.echo(render(msg("cli.error", error=exc), _lang(ctx)), err=True)
            sys.exit(1)
        except click.ClickException as exc:
            if _lang(ctx) != "zh":
                raise
            if isinstance(exc, click.exceptions.NoArgsIsHelpError):  # a group named alone: its help, in Chinese
                exc.show()
                sys.exit(exc.exit_code)
            from cli.zh import show_click_error
            show_click_error(exc)
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            if _lang(ctx) != "zh":
                raise
            click.echo(render(msg("cli.aborted"), "zh"), err=True)
            sys.exit(1)
        except (click.exceptions.Exit, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # the reader went away (| head): what it read was whole; stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(0)
        except Exception as exc:  # a defect of ours: say so plainly
            if os.environ.get("SANKAO_DEBUG") == "1":
                traceback.print_exc()
            first = (str(exc).splitlines() or [""])[0][:300]
            click.echo(render(msg("cli.defect", kind=type(exc).__name__, first=first), _lang(ctx)), err=True)
            sys.exit(1)


def _lang(ctx) -> str:
    """The language asked for (``--lang``, before or after the command's name, or ``SANKAO_LANG``)."""
    if ctx.meta.get("sankao.lang"):
        return ctx.meta["sankao.lang"]
    out = (ctx.obj or {}).get("out") if isinstance(ctx.obj, dict) else None
    if out is not None:
        return out.lang
    return ctx.params.get("lang") or os.environ.get("SANKAO_LANG") or "en"


def _source(ctx, name: str, option: str, env: str) -> str:
    source = ctx.get_parameter_source(name)
    return {ParameterSource.COMMANDLINE: option, ParameterSource.ENVIRONMENT: env}.get(
        source, msg("cli.default_source", option=option))


@click.group(cls=SankaoGroup, epilog=ENVIRONMENT,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--db", envvar="SANKAO_DB", default="sankao.db", show_default=True, show_envvar=True,
              help="The store: a SQLite file or a postgresql://user@host:5432/dbname URL.")
@click.option("--tz", "timezone", envvar="SANKAO_TZ", default="Asia/Shanghai", show_default=True, show_envvar=True,
              help="The assessment time zone (business dates are local dates there).")
@click.option("--plugins", envvar="SANKAO_PLUGINS", default=None, show_envvar=True,
              help="A plugins.toml: the rules a new store starts with (default: the built-in defaults).")
@click.option("--lang", envvar="SANKAO_LANG", type=click.Choice(["en", "zh"]), default="en", show_default=True,
              show_envvar=True, help="The language of tables (zh: 中文).")
@click.option("--exact", is_flag=True, help="Amounts in yuan, to the cent, instead of 亿元/万元.")
@click.option("--scoring", envvar="SANKAO_SCORING", type=click.Choice(["inline", "worker"]), default="inline",
              show_default=True, show_envvar=True,
              help="inline: commands and queries bring the scores up to date themselves; worker: only "
                   "`sankao worker` does (queries say how far behind it is).")
@click.pass_context
def main(ctx, db, timezone, plugins, lang, exact, scoring):
    """Sankao (三考): assess how units do their investment-attraction work.

    Record what units and the office do (load), keep the scores (worker), and read
    boards, scores, letters and the record itself, as known on any day.
    """
    ctx.ensure_object(dict)
    sources = {"db": _source(ctx, "db", "--db", "SANKAO_DB"),
               "timezone": _source(ctx, "timezone", "--tz", "SANKAO_TZ"),
               "plugins": _source(ctx, "plugins", "--plugins", "SANKAO_PLUGINS")}
    ctx.obj["config"] = Config(db=db, timezone=timezone, plugins=plugins, sources=sources, scoring=scoring)
    ctx.obj["out"] = Out(lang=lang, exact=exact)


def out_options(command):
    """``--lang`` and ``--exact`` given after a command's name too (``sankao board 2023-06 --exact``)."""
    def lang(ctx, param, value):
        if value:
            ctx.find_root().obj["out"].lang = value

    def exact(ctx, param, value):
        if value:
            ctx.find_root().obj["out"].exact = True

    command = click.option("--lang", type=click.Choice(["en", "zh"]), default=None, expose_value=False,
                           callback=lang, help="The language of the table (as the global --lang).")(command)
    return click.option("--exact", is_flag=True, expose_value=False, callback=exact,
                        help="Amounts in yuan, to the cent (as the global --exact).")(command)


def lang_everywhere(group) -> None:
    """A ``--lang`` after the name of every command and group that has none of its own (hidden: its help is the
    global one), so that ``sankao worker --help --lang zh`` or ``sankao audit verify --lang zh`` speak Chinese."""
    def lang(ctx, param, value):
        if value:
            ctx.find_root().obj["out"].lang = value

    for command in group.commands.values():
        if not any("--lang" in p.opts for p in command.params):
            command.params.append(click.Option(["--lang"], type=click.Choice(LANGS), default=None, hidden=True,
                                               expose_value=False, callback=lang))
        if isinstance(command, click.Group):
            lang_everywhere(command)


def config_of(ctx) -> Config:
    return ctx.find_root().obj["config"]


def out_of(ctx) -> Out:
    return ctx.find_root().obj["out"]


def platform_of(ctx, mode: str = "read", *, note_drift: bool = True) -> Platform:
    """The platform for this command, opened for ``mode`` (``core.store``); closed when the command ends."""
    obj = ctx.find_root().obj
    if "platform" not in obj:
        platform = Platform(obj["config"], mode)
        obj["platform"] = platform
        ctx.find_root().call_on_close(platform.close)
        obj["out"].tz = platform.tz
        if platform.created and not platform.location.is_memory:
            obj["out"].echo(msg("cli.created", where=platform.location.describe()), err=True)
        drift = platform.rules_drift() if note_drift else None
        if drift:
            obj["out"].echo(drift, err=True)
    return obj["platform"]
