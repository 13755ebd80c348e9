"""Commands that read: board, score, notices, units, projects, events."""

from __future__ import annotations

import json

import click

from cli.app import main, out_of, out_options, platform_of
from cli.common import names as names_of
from cli.common import queried
from cli.options import json_flag, json_option, known_at_option, period_argument, verified, verify_options
from cli.render import print_json
from core.errors import NotFound
from core.messages import Name, msg
from events import CONSEQUENCE_TOPICS, FACT_TOPICS


def show_board(ctx, period, known_at, restated, as_json):
    from core.audit.verified import check_board
    platform = queried(ctx)
    answer = platform.queries.board(period, known_at, restated)
    verified(ctx, platform, lambda head: check_board(platform, answer, head, period, known_at, restated))
    if as_json:
        print_json(answer)
        return
    out, names = out_of(ctx), names_of(platform)
    state = "restated" if restated else "frozen" if answer["frozen"] else "live"
    out.line(f"{out.t('board')} {period} · {out.t(state)} · {out.t('known_at')} {out.moment(answer['known_at'])} "
             f"· {out.t('spread')} {answer['spread']}")
    columns = [(out.t("rank"), "right"), (out.t("unit"), "left"), (out.t("name"), "left"), (out.t("third"), "left"),
               (out.t("base"), "right"), (out.t("coefficient"), "right"), (out.t("deduction"), "right"),
               (out.t("final"), "right"), (out.amount_header("signed"), "right")]
    closed = answer["frozen"]
    if closed:
        columns += [(out.t("streak"), "right"), (out.t("accountability"), "left"), (out.t("commended"), "left")]
    rows = []
    for u in answer["units"]:
        row = [u["rank"], u["unit"], names.get(u["unit"], ""), out.word(u["third"]), u["base"], u["coefficient"],
               u["deduction"], u["final"], out.amount(u["signed_amount"])]
        if closed:
            row += [u["streak"] or "-", out.word(u["accountability"]), out.word(u["commended"])]
        rows.append(row)
    out.table(None, columns, rows)
    if closed and answer.get("head"):
        out.line(out.t("head_line", **answer["head"]))


@main.command()
@period_argument
@known_at_option
@click.option("--restated", is_flag=True, help="Recompute a closed month from everything known, ignoring the freeze.")
@json_option
@verify_options
@out_options
@click.pass_context
def board(ctx, period, known_at, restated, as_json):
    """Show the board (monthly ranking, 形象清单) of PERIOD (YYYY-MM)."""
    show_board(ctx, period, known_at, restated, as_json)


@main.command()
@click.argument("unit")
@period_argument
@known_at_option
@click.option("--restated", is_flag=True, help="Recompute a closed month, ignoring the freeze.")
@json_option
@verify_options
@out_options
@click.pass_context
def score(ctx, unit, period, known_at, restated, as_json):
    """Show UNIT's score for PERIOD, indicator by indicator."""
    from core.audit.verified import check_score
    platform = queried(ctx)
    answer = platform.queries.score(unit, period, known_at, restated)
    verified(ctx, platform, lambda head: check_score(platform, answer, head, unit, period, known_at, restated))
    if as_json:
        print_json(answer)
        return
    out = out_of(ctx)
    state = "restated" if restated else "frozen" if answer["frozen"] else "live"
    out.line(f"{unit} {names_of(platform).get(unit, '')} · {period} · {out.t('rank')} {answer['rank']} "
             f"({out.word(answer['third'])}) · {out.t(state)} · {out.t('known_at')} {out.moment(answer['known_at'])}")
    out.line(out.t("score_line", final=answer["final"], base=answer["base"], coefficient=answer["coefficient"],
                   deduction=answer["deduction"]))
    rows = []
    for i in answer["indicators"]:
        counted = "." not in i["value"]
        value = i["value"] if counted else out.amount(i["value"])
        target = i["target"] if counted else out.amount(i["target"])
        unit_word = "" if counted or out.exact else f" ({out.t('yi')})"
        rows.append([f"{out.t(i['plugin'])}{unit_word}", value, target, i["ratio"], i["weight"], i["score"]])
    out.table(None, [(out.t("indicator"), "left"), (out.t("value"), "right"), (out.t("target"), "right"),
                     (out.t("ratio"), "right"), (out.t("weight"), "right"), (out.t("score"), "right")], rows)


def show_notices(ctx, unit, known_at, as_json, last: int | None = None):
    from core.audit.verified_lists import check_notices
    platform = queried(ctx)
    answer = platform.queries.notices(unit, known_at)
    verified(ctx, platform, lambda head: check_notices(platform, answer, head, unit, known_at))
    names = names_of(platform)
    if as_json:
        print_json(answer)
        return
    out = out_of(ctx)
    shown = answer[-last:] if last else answer
    title = out.t("notices") + (f" · {unit} {names[unit]}" if unit else "")
    if last and len(answer) > last:
        title += " · " + out.t("last_of", shown=len(shown), total=len(answer))
    out.table(title, [(out.t("date"), "left"), (out.t("unit"), "left"), (out.t("name"), "left"),
                      (out.t("case"), "left"), (out.t("level"), "left"), (out.t("lag"), "right"),
                      (out.t("points"), "right"), (out.t("outcome"), "left")],
              [[n["date"], n["unit"], names.get(n["unit"], ""), n["case"], out.word(n["level"]), n["lag"],
                n["points"], out.word(n["outcome"])] for n in shown])


@main.command()
@click.option("--unit", default=None, help="Only this unit's letters and sheets.")
@known_at_option
@json_option
@verify_options
@out_options
@click.pass_context
def notices(ctx, unit, known_at, as_json):
    """List the three letters and one sheet (三函一单) in recorded order."""
    show_notices(ctx, unit, known_at, as_json)


@main.command()
@json_flag
@out_options
@click.pass_context
def units(ctx, as_json):
    """List the registered units with their latest targets."""
    rows = queried(ctx).queries.units()
    if as_json:
        print_json(rows)
        return
    out = out_of(ctx)
    out.table(out.t("units"), [(out.t("unit"), "left"), (out.t("name"), "left"), (out.t("category"), "left"),
                               (out.t("n_projects"), "right"), (out.t("year"), "right"),
                               (out.amount_header("targets"), "right")],
              [[r["unit"], r["name"], out.t(r["category"]), r["projects"], r["year"],
                None if r["annual"] is None else out.amount(r["annual"])] for r in rows])


STAGES = ("planned", "signed", "landed", "started", "withdrawn")


from core.report import event_row, stage_of  # noqa: E402  (where they always were for the CLI's callers)


@main.command()
@click.option("--unit", default=None, help="Only this unit's projects.")
@click.option("--stage", type=click.Choice(STAGES), default=None, help="Only projects at this stage.")
@json_flag
@verify_options
@out_options
@click.pass_context
def projects(ctx, unit, stage, as_json):
    """List projects with their dates, amounts and stage (planned, signed, landed, started, withdrawn)."""
    from core.audit.verified_lists import check_projects
    platform = queried(ctx)
    queries = platform.queries
    if unit is not None and unit not in queries.names():
        raise NotFound(msg("read.projects_unit", unit=unit))
    answer = queries.projects(unit)
    verified(ctx, platform, lambda head: check_projects(platform, answer, head, unit))
    rows = [{**p, "stage": stage_of(p)} for p in answer]
    rows = [r for r in rows if stage is None or r["stage"] == stage]
    if as_json:
        print_json(rows)
        return
    out = out_of(ctx)
    out.table(out.t("projects"), [(out.t("project"), "left"), (out.t("unit"), "left"), (out.t("name"), "left"),
                                  (out.t("stage"), "left"), (out.t("planned_on"), "left"),
                                  (out.t("signed_on"), "left"), (out.amount_header("amount", "wan"), "right"),
                                  (out.t("landed_on"), "left"), (out.t("started_on"), "left"),
                                  (out.t("withdrawn_on"), "left")],
              [[r["project"], r["unit"], r["name"], out.t("stage_" + r["stage"]), r["planned_on"], r["signed_on"],
                out.amount(r["signed_amount"], "wan") if r["signed_amount"] else None, r["landed_on"],
                r["started_on"], r["withdrawn_on"]] for r in rows])


@main.command()
@click.option("--after", type=click.IntRange(min=0), default=0, help="Start after this position.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many events.")
@click.option("--unit", default=None, help="Only events of this unit and its projects.")
@click.option("--project", default=None, help="Only events of this project.")
@click.option("--type", "types", default=None, metavar="TYPE[,TYPE…]",
              help="Only these event types (ProjectSigned, NoticeIssued, …; any case).")
@click.option("--consequences", is_flag=True, help="Also the scores, letters and frozen boards the engine recorded.")
@json_flag
@out_options
@click.pass_context
def events(ctx, after, limit, unit, project, types, consequences, as_json):
    """Print the record itself, in recorded order: position, time, actor, type and data."""
    platform = platform_of(ctx)
    wanted = {t.strip().lower() for t in types.split(",") if t.strip()} if types else None
    unknown = sorted(wanted - _EVENT_NAMES) if wanted else []
    if unknown:
        raise click.BadParameter(msg("cli.no_event_type", unknown=unknown, quoted=[repr(u) for u in unknown],
                                     types=[Name(t) for t in sorted(_EVENT_TYPES)]),
                                 param_hint="--type")
    owner = {}
    if unit or project:
        owner = {p["project"]: p["unit"] for p in platform.queries.projects(unit)}
        if unit is not None and unit not in platform.queries.names():
            raise NotFound(msg("read.events_unit", unit=unit))
        if project is not None and project not in owner:
            raise NotFound(msg("read.events_project", project=project,
                               of=msg("read.of_unit", unit=unit) if unit else ""))
    rows = []
    exclude = () if consequences or (wanted and not wanted <= _FACT_NAMES) else CONSEQUENCE_TOPICS
    for position, event in platform.ledger.notifications(after, None, exclude=exclude):
        name = type(event).__name__
        if wanted is not None and name.lower() not in wanted:
            continue
        subject_project = getattr(event, "project", None)
        subject_unit = getattr(event, "unit", None) or owner.get(subject_project)
        if unit and subject_unit != unit or project and subject_project != project:
            continue
        rows.append(event_row(position, event))
        if limit and len(rows) >= limit:
            break
    if as_json:
        print_json(rows)
        return
    out = out_of(ctx)
    out.tz = platform.tz
    out.table(out.t("events"), [(out.t("position"), "right"), (out.timed("recorded_at"), "left"),
                                (out.t("actor"), "left"), (out.t("type"), "left"), (out.t("data"), "left")],
              [[r["position"], out.instant(r["recorded_at"]), r["actor"] or out.t("scoring_actor"), out.name(r["type"]),
                json.dumps(r["data"], ensure_ascii=False)] for r in rows])


_FACT_NAMES = {t.split(":")[1].lower() for t in FACT_TOPICS}
_EVENT_TYPES = [t.split(":")[1] for t in (*FACT_TOPICS, *CONSEQUENCE_TOPICS)]
_EVENT_NAMES = {t.lower() for t in _EVENT_TYPES}
