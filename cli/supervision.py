"""Supervision's commands (docs/assessment.md §9): ``supervision`` (the month's self-checks, spot checks, special
assessments), ``draw`` (a spot check whose seed nobody chooses) and ``audit draw`` (its sample recomputed)."""

from __future__ import annotations

import sys

import click

from cli.app import main, out_of, out_options, platform_of
from cli.audit import audit
from cli.common import catch_up, echo, names as names_of, queried
from cli.options import (actor_option, audit_json_option, json_option, known_at_option, period_argument, verified,
                         verify_options)
from cli.render import print_json
from core.messages import msg
from core.record.fields import ID_PATTERN


@main.command()
@period_argument
@known_at_option
@json_option
@verify_options
@out_options
@click.pass_context
def supervision(ctx, period, known_at, as_json):
    """Show PERIOD's supervision (督查): each unit's self-check and supervision points, listed units, the
    month's spot checks with their samples and findings."""
    from core.audit.verified_supervision import check_supervision
    platform = queried(ctx)
    answer = platform.queries.supervision(period, known_at)
    verified(ctx, platform, lambda head: check_supervision(platform, answer, head, period, known_at))
    if as_json:
        print_json(answer)
        return
    out, names = out_of(ctx), names_of(platform)
    state = "frozen" if answer["frozen"] else "live"
    owed = out.t("yes") if answer["self_checks_required"] else "-"
    out.line(f"{out.t('supervision')} {period} · {out.t(state)} · {out.t('known_at')} "
             f"{out.moment(answer['known_at'])} · {out.t('self_checks_owed')} {owed}")
    out.table(None, [(out.t("unit"), "left"), (out.t("name"), "left"), (out.t("self_check"), "left"),
                     (out.t("on_time"), "left"), (out.t("points_self_check"), "right"),
                     (out.t("points_misreport"), "right"), (out.t("points_special"), "right"),
                     (out.t("listed"), "left")],
              [[u["unit"], names.get(u["unit"], ""), u["self_check"] or "-",
                "-" if u["on_time"] is None else out.t("on_time" if u["on_time"] else "late"),
                u["points_self_check"], u["points_misreport"], u["points_special"], out.word(u["listed"])]
               for u in answer["units"]])
    for d in answer["draws"]:
        out.line("\n" + out.t("drawn", draw=d["draw"], sample=len(d["sample"]), candidates=d["candidates"],
                              seed=d["seed"]) + f" · {d['date']}")
        out.table(None, [(out.t("project"), "left"), (out.t("unit"), "left"), (out.t("result"), "left"),
                         (out.t("date"), "left")],
                  [[s["project"], s["unit"], out.t({"misreported": "misreported",
                                                    "confirmed": "confirmed_finding"}.get(s["result"], "pending")),
                    s["result_date"] or "-"] for s in d["sample"]])


@main.command()
@period_argument
@click.option("--size", type=click.IntRange(1, 1000), required=True, help="How many projects to draw (1..1000).")
@click.option("--seed", default=None, help="The seed; default: the log's Merkle head frozen at PERIOD's close "
              "(SIZE:ROOT), or the current head: nobody chooses it, anyone can check it.")
@click.option("--id", "draw", default=None, help="The draw's id (default SC-PERIOD, then SC-PERIOD-2, ...).")
@click.option("--date", "day", default=None, help="The draw's date (default: today, in the assessment time zone).")
@actor_option
@out_options
@click.pass_context
def draw(ctx, period, size, seed, draw, day, actor):
    """Draw PERIOD's spot check (随机抽查): SIZE projects signed or landed in PERIOD, at random by a seed
    nobody chooses; recorded as a draw_spot_check command. `sankao audit draw` recomputes it."""
    from core.audit.draws import head_seed
    from core.clock import local_date, now
    from core.audit.log import head
    platform = platform_of(ctx, "load")
    if seed is None:
        found = platform.queries.head_of(f"close {period}")
        if found is None and period in platform.ledger.refresh().closed:
            catch_up(platform, strict=True)  # the close is recorded, its head not yet: score it, or say so
            found = platform.queries.head_of(f"close {period}")
            if found is None:
                raise click.UsageError(str(msg("sv.close_head_pending", period=period)))
        if found is None:
            found = head(platform.app)
            if not found["size"]:
                raise click.UsageError(str(msg("sv.no_head")))
        seed = head_seed(found["size"], found["root"])
    day = day or local_date(now(), platform.tz).isoformat()
    if draw is None:
        taken = {d["draw"] for d in platform.queries.supervision(period)["draws"]} if platform.queries else set()
        draw, n = f"SC-{period}", 1
        while draw in taken:
            n += 1
            draw = f"SC-{period}-{n}"
    key = f"draw.{draw}"  # sent again, the same draw is skipped; a draw id too long for it goes without one
    platform.ledger.record({"cmd": "draw_spot_check", "id": key if ID_PATTERN.fullmatch(key) else None, "draw": draw,
                            "period": period, "size": size, "seed": seed, "date": day}, actor)
    if platform.scores_inline():
        catch_up(platform, strict=True)
    found = next(d for d in platform.queries.supervision(period)["draws"] if d["draw"] == draw)
    out = out_of(ctx)
    out.line(out.t("drawn", draw=draw, sample=len(found["sample"]), candidates=found["candidates"], seed=seed))
    for s in found["sample"]:
        out.line(f"  {s['project']}  {s['unit']}")
    echo(msg("sv.verify_with", draw=draw))


@audit.command("draw")
@click.argument("draw")
@audit_json_option
@out_options
@click.pass_context
def audit_draw(ctx, draw, as_json):
    """Recompute spot check DRAW's candidates and sample from the record; exit 1 when they differ from what was
    recorded, when the draw's event is not the one the Merkle tree holds, or its head seed is not the tree's."""
    from core.audit.draws import audit_draw as recompute
    answer = recompute(platform_of(ctx), draw)
    if as_json:
        print_json(answer)
    else:
        out = out_of(ctx)
        if answer["matches"]:
            out.line(out.t("draw_matches", draw=draw, sample=len(answer["sample"]["recorded"]),
                           candidates=answer["candidates"]["recorded"]))
        else:
            out.line(out.t("draw_differs", draw=draw, problems="; ".join(answer["problems"])))
        out.line(f"  {out.t('seed')} {answer['seed']}")
        out.line(f"  {out.t('sample')} {' '.join(p for p, _ in answer['sample']['recomputed'])}")
    sys.exit(0 if answer["matches"] else 1)
