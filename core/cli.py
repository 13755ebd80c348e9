"""The ``sankao`` command line."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from eventsourcing.persistence import PersistenceError
from tqdm import tqdm

from core import report
from core.bootstrap import Config, Platform, default_actor, init_store
from core.clock import local_date, now, parse_day, parse_instant
from core.plugins import installed_plugins, load_config
from core.errors import CommandRejected, NotFound, PluginError, SankaoError
from core.store import StoreLocation


def _platform(ctx, mode: str = "read", *, note_drift: bool = True) -> Platform:
    obj = ctx.find_root().obj
    if "platform" not in obj:
        obj["platform"] = Platform(obj["config"], mode)
        ctx.find_root().call_on_close(obj["platform"].close)
        drift = obj["platform"].rules_drift() if note_drift else None
        if drift:
            click.echo(drift, err=True)
    return obj["platform"]


def _known_at(ctx, param, value):
    if value is None:
        return None
    try:
        if len(value) == 10:  # a local date: the end of that day in the assessment time zone
            tz = ZoneInfo(ctx.find_root().obj["config"].timezone)
            return datetime.combine(parse_day(value), time.max, tz)
        parse_instant(value, "--known-at")  # validates; the answer keeps the offset the user wrote
        return datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


known_at_option = click.option("--known-at", callback=_known_at, metavar="TIME",
                               help="Answer as if only commands recorded at or before TIME existed "
                                    "(ISO 8601 with offset, or a local date YYYY-MM-DD meaning its end).")
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
actor_option = click.option("--actor", default=default_actor, show_default="the OS user",
                            help="Who records the commands.")


def _print_json(value) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=1))


class SankaoGroup(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SankaoError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except (PersistenceError, sqlite3.Error) as exc:
            where = StoreLocation(ctx.obj["config"].db).describe()
            first_line = (str(exc).splitlines() or [type(exc).__name__])[0]
            click.echo(f"error: the store ({where}) cannot be used: {first_line}", err=True)
            sys.exit(1)


@click.group(cls=SankaoGroup)
@click.option("--db", envvar="SANKAO_DB", default="sankao.db", show_default=True,
              help="A SQLite file (created on first use) or a postgresql:// URL.")
@click.option("--tz", "timezone", envvar="SANKAO_TZ", default="Asia/Shanghai", show_default=True,
              help="The assessment time zone.")
@click.option("--plugins", envvar="SANKAO_PLUGINS", default=None,
              help="The plugins.toml to use (default: ./plugins.toml, else built-in defaults).")
@click.pass_context
def main(ctx, db, timezone, plugins):
    """Sankao: assess how units do their investment-attraction work."""
    ctx.ensure_object(dict)
    ctx.obj["config"] = Config(db=db, timezone=timezone, plugins=plugins)


@main.command()
@click.pass_context
def init(ctx):
    """Create the store's tables (needed once on PostgreSQL; SQLite does it on first use)."""
    platform = init_store(ctx.obj["config"])
    click.echo(f"ready: {platform.location.describe()}")


def _numbered(path: Path):
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise CommandRejected("", None, f"{path}: line {number} is not UTF-8 text ({exc.reason} at "
                                      f"byte {exc.start + 1}); nothing was recorded") from None
            if line.strip():
                yield number, line


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--check", is_flag=True, help="Report every line that would be rejected; record nothing.")
@click.option("--score/--no-score", default=True, show_default=True,
              help="Bring the scores up to date after recording (a separate `sankao worker` can do it).")
@actor_option
@click.pass_context
def load(ctx, file, check, score, actor):
    """Record the command lines of FILE in order (SCORING.md §2 batch format)."""
    total = sum(1 for _ in _numbered(file))  # reads the whole file first: a bad encoding stops here
    config = ctx.find_root().obj["config"]
    location = StoreLocation(config.db)
    if check and not location.exists():
        config.db = ":memory:"  # checking against an empty store creates no files
    platform = _platform(ctx, "read" if check else "load")
    if check:
        result = platform.ledger.check(_numbered(file), actor)
        for number, message in result.rejected:
            click.echo(f"line {number}: {message}")
        click.echo(f"check: {result.recorded} would be recorded, {result.skipped} skipped, "
                   f"{len(result.rejected)} rejected; nothing recorded", err=True)
        sys.exit(1 if result.rejected else 0)
    with tqdm(total=total, unit="line", disable=not sys.stderr.isatty(), desc="recording") as bar:
        result = platform.ledger.load(_numbered(file), actor, progress=bar.update)
    for number, message in result.rejected:
        click.echo(f"line {number}: {message}")
    click.echo(f"recorded {result.recorded}, skipped {result.skipped}", err=True)
    if score:
        _score(platform, strict=True)
    sys.exit(1 if result.rejected else 0)


def _score(platform: Platform, *, strict: bool = False) -> None:
    """Bring the scores up to date; when scoring fails, say so and how far behind the scores are.

    Queries go on answering from what was scored (history stays readable); with
    ``strict`` the command then exits 1.
    """
    behind = platform.scorer.behind()
    if behind <= 0:
        return
    try:
        with tqdm(total=behind, unit="event", disable=not sys.stderr.isatty(), desc="scoring") as bar:
            platform.scorer.run(progress=bar.update)
    except SankaoError as exc:
        left = platform.scorer.behind()
        click.echo(f"warning: scoring stopped, the scores are {left} record event(s) behind the facts: {exc}. "
                   "Answers show what was scored before that.", err=True)
        if strict:
            sys.exit(1)


@main.command()
@click.option("--after", type=click.IntRange(min=0), default=0, help="Start after this position.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many events.")
@json_option
@click.pass_context
def events(ctx, after, limit, as_json):
    """Print the record log in recorded order."""
    platform = _platform(ctx)
    rows = []
    for position, event in platform.ledger.notifications(after, limit):
        data = {k: v for k, v in vars(event).items()
                if k not in ("originator_id", "originator_version", "timestamp", "command_id", "actor")}
        rows.append({"position": position, "type": type(event).__name__,
                     "recorded_at": event.timestamp.isoformat(), "actor": event.actor,
                     "command_id": event.command_id, "data": _jsonable(data)})
    if as_json:
        _print_json(rows)
        return
    for row in rows:
        click.echo(f"{row['position']:>7}  {row['recorded_at']}  {row['actor']:<12} {row['type']:<20} "
                   + json.dumps(row["data"], ensure_ascii=False))


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def _query(ctx):
    platform = _platform(ctx)
    _score(platform)
    return platform.queries


@main.command()
@click.argument("period")
@known_at_option
@click.option("--restated", is_flag=True, help="Recompute a closed month from everything known, ignoring the freeze.")
@json_option
@click.pass_context
def board(ctx, period, known_at, restated, as_json):
    """Show the board (ranking) of PERIOD (YYYY-MM)."""
    answer = _query(ctx).board(_period(period), known_at, restated)
    if as_json:
        _print_json(answer)
        return
    state = "frozen" if answer["frozen"] else "live"
    click.echo(f"Board {answer['period']} ({state}, known at {answer['known_at']}), spread {answer['spread']}")
    click.echo(f"{'rank':>4} {'unit':<10} {'third':<7} {'base':>7} {'coef':>7} {'deduct':>7} {'final':>7} "
               f"{'signed amount':>18}  streak accountability commended")
    for u in answer["units"]:
        click.echo(f"{u['rank']:>4} {u['unit']:<10} {u['third']:<7} {u['base']:>7} {u['coefficient']:>7} "
                   f"{u['deduction']:>7} {u['final']:>7} {u['signed_amount']:>18}  "
                   f"{_dash(u['streak']):>6} {_dash(u['accountability']):<14} {_dash(u['commended'])}")


def _dash(value):
    return "-" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def _period(text: str) -> str:
    from core.clock import parse_period
    try:
        parse_period(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    return text


@main.command()
@click.argument("unit")
@click.argument("period")
@known_at_option
@click.option("--restated", is_flag=True, help="Recompute a closed month, ignoring the freeze.")
@json_option
@click.pass_context
def score(ctx, unit, period, known_at, restated, as_json):
    """Show UNIT's score for PERIOD with its indicators."""
    answer = _query(ctx).score(unit, _period(period), known_at, restated)
    if as_json:
        _print_json(answer)
        return
    click.echo(f"{answer['unit']} {answer['period']}: rank {answer['rank']} ({answer['third']}), "
               f"final {answer['final']} = base {answer['base']} x coefficient {answer['coefficient']} "
               f"- deduction {answer['deduction']}")
    click.echo(f"  {'indicator':<20} {'value':>18} {'target':>18} {'ratio':>8} {'weight':>6} {'score':>7}")
    for i in answer["indicators"]:
        click.echo(f"  {i['plugin']:<20} {i['value']:>18} {i['target']:>18} {i['ratio']:>8} "
                   f"{i['weight']:>6} {i['score']:>7}")


@main.command()
@click.option("--unit", default=None, help="Only this unit's letters and sheets.")
@known_at_option
@json_option
@click.pass_context
def notices(ctx, unit, known_at, as_json):
    """List the three letters and one sheet (三函一单) in recorded order."""
    answer = _query(ctx).notices(unit, known_at)
    if as_json:
        _print_json(answer)
        return
    for n in answer:
        click.echo(f"{n['date']}  {n['unit']:<8} {n['case']:<14} {n['level']:<8} lag {_dash(n['lag']):<7} "
                   f"points {n['points']:<5} {_dash(n['outcome'])}")


@main.group()
def plugins():
    """Plugins and the rules in force."""


@plugins.command("list")
@json_option
@click.pass_context
def plugins_list(ctx, as_json):
    """Show every installed plugin: version, hooks, enabled, settings, since when."""
    config = ctx.find_root().obj["config"]
    location = StoreLocation(config.db)
    if location.exists():
        platform = _platform(ctx)
        installed, configured, recorded = platform.installed, platform.plugin_config, platform.recorded_rules()
    else:  # no store yet: what the first command would put in force
        installed = installed_plugins()
        configured, recorded = load_config(config.plugins_path(), installed), []
    latest = recorded[-1] if recorded else None
    rows = []
    for name, cls in sorted(installed.items()):
        cfg = (latest.plugins if latest else configured).get(name) or {
            "enabled": False, "settings": None, "version": getattr(cls, "version", "0")}
        since = None
        if latest and cfg["enabled"]:
            for rule in recorded:
                if rule.plugins.get(name) == cfg:
                    since = since or (rule.effective.isoformat() if rule.effective else "the start")
                else:
                    since = None
        hooks = sorted(a for a in dir(cls) if a.startswith("sankao_"))
        rows.append({"name": name, "version": str(getattr(cls, "version", "0")), "hooks": hooks,
                     "enabled": cfg["enabled"], "settings": _jsonable(cfg["settings"]),
                     "since": since, "recorded": latest is not None})
    if as_json:
        _print_json(rows)
        return
    for r in rows:
        state = "enabled" if r["enabled"] else "disabled"
        since = f" since {r['since']}" if r["since"] else ""
        click.echo(f"{r['name']:<20} {r['version']:<6} {state}{since}  hooks: {', '.join(r['hooks'])}")
        if r["settings"]:
            click.echo(f"{'':<28}settings: {json.dumps(r['settings'], ensure_ascii=False)}")
    if latest is None:
        click.echo("(no rules recorded yet: the first command records the plugins.toml above)")


@plugins.command("apply")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False))
@click.option("--effective", default=None, metavar="YYYY-MM-DD|start",
              help="First business date the rules apply to: a date, or 'start' for every month "
                   "ever assessed (default: today in the assessment time zone).")
@actor_option
@click.pass_context
def plugins_apply(ctx, file, effective, actor):
    """Record that the plugins and settings of FILE (default: the configured plugins.toml) are in force."""
    if file:
        ctx.find_root().obj["config"].plugins = file
    platform = _platform(ctx, "write", note_drift=False)
    if effective is None:
        effective_date = local_date(now(), platform.tz)
    elif effective == "start":
        effective_date = None
    else:
        try:
            effective_date = parse_day(effective)
        except ValueError as exc:
            raise click.BadParameter(f"{exc} nor 'start'", param_hint="--effective") from None
    _score(platform)
    try:
        platform.scorer.trial(platform.plugin_config)
    except SankaoError as exc:
        raise PluginError(f"the rules were not put in force, a trial run over the facts failed: {exc}") from None
    platform.ledger.apply_rules(platform.plugin_config, effective_date, actor)
    click.echo(f"rules in force from {effective_date or 'the start'}, recorded by {actor}")
    _score(platform, strict=True)


@main.command()
@click.option("--interval", type=click.FloatRange(min=0.1), default=1.0, show_default=True,
              help="Seconds between looks at the record.")
@click.option("--once", is_flag=True, help="Catch up once and stop.")
@click.pass_context
def worker(ctx, interval, once):
    """Run the scoring process: follow the record and record scores, notices and frozen boards."""
    import time as _time
    platform = _platform(ctx, "write")
    while True:
        done = platform.scorer.run()
        if done:
            click.echo(f"scored {done} record events", err=True)
        if once:
            return
        _time.sleep(interval)


@main.command()
@click.option("--db", "demo_db", default="sankao-demo.db", show_default=True, help="Where to put the demo store.")
@click.option("--actor", default="demo", show_default=True, help="Who records the demo's commands.")
@click.pass_context
def demo(ctx, demo_db, actor):
    """Load a small example year of our own and show what the office sees."""
    from core.generate import generate_year
    path = Path(demo_db)
    for stale in (path, path.with_name(path.name + "-assessment")):
        stale.unlink(missing_ok=True)
    config = ctx.obj["config"]
    config.db = str(path)
    platform = _platform(ctx, "load")
    lines = [(n, json.dumps(c)) for n, c in enumerate(generate_year(units=6, projects=90, year=2023, seed=7), 1)]
    result = platform.ledger.load(lines, actor)
    click.echo(f"Example year 2023: recorded {result.recorded} commands into {platform.location.describe()}")
    _score(platform)
    for period in ("2023-06", "2023-12"):
        ctx.invoke(board, period=period, known_at=None, restated=False, as_json=False)
        click.echo()
    answer = platform.queries.notices()
    click.echo(f"{len(answer)} letters and sheets were issued; the last five:")
    for n in answer[-5:]:
        click.echo(f"  {n['date']}  {n['unit']:<6} {n['case']:<12} {n['level']:<8} points {n['points']} "
                   f"{_dash(n['outcome'])}")
    me = sys.argv[0] if sys.argv and sys.argv[0].endswith("sankao") else "sankao"
    click.echo(f"\nExplore it: {me} --db {path} score U01 2023-12; {me} --db {path} notices --unit U02")


if __name__ == "__main__":  # pragma: no cover
    main()
