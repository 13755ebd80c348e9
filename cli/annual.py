"""The annual evaluation's commands (docs/assessment.md §8): ``sankao annual`` and ``sankao person``."""

from __future__ import annotations

import click

from cli.app import main, out_of, out_options
from cli.common import names as names_of
from cli.common import queried
from cli.options import json_flag, json_option, known_at_option, verified, verify_options
from cli.render import print_json

year_argument = click.argument("year", type=click.IntRange(1900, 9999))


def _plain(value) -> str:
    from core.report import plain
    try:
        return plain(value)
    except ArithmeticError:
        return str(value)


@main.command()
@year_argument
@known_at_option
@json_option
@verify_options
@out_options
@click.pass_context
def annual(ctx, year, known_at, as_json):
    """The annual standing (年考评) of YEAR: units ranked on the year with their shares of excellent and poor
    grades (优差比例), then each unit's people with grade and level third; provisional until close_year."""
    from core.audit.verified_lists import check_annual
    platform = queried(ctx)
    answer = platform.queries.annual(year, known_at)
    verified(ctx, platform, lambda head: check_annual(platform, answer, head, year, known_at))
    if as_json:
        print_json(answer)
        return
    out, names = out_of(ctx), names_of(platform)
    state = "annual_closed" if answer["closed"] else "annual_provisional"
    through = f"{out.t('through')} {answer['through']}" if answer["through"] else out.t("no_month_closed")
    out.line(f"{out.t('annual_title')} {year} · {out.t(state)} · {through} · "
             f"{out.t('known_at')} {out.moment(answer['known_at'])}")
    out.table(None, [(out.t("rank"), "right"), (out.t("unit"), "left"), (out.t("name"), "left"),
                     (out.t("third"), "left"), (out.t("annual_score"), "right"), (out.t("months"), "right"),
                     (out.amount_header("signed"), "right"), (out.t("excellent_share"), "right"),
                     (out.t("poor_share"), "right")],
              [[u["rank"], u["unit"], names.get(u["unit"], ""), out.word(u["third"]), u["score"], u["months"],
                out.amount(u["signed_amount"]), f"{u['excellent_share']} %", f"{u['poor_share']} %"]
               for u in answer["units"]])
    by_unit: dict[str, list] = {}
    for p in answer["people"]:
        by_unit.setdefault(p["unit"], []).append(p)
    for unit, people in by_unit.items():
        out.table(f"{unit} {names.get(unit, '')}", [
            (out.t("person"), "left"), (out.t("chain_level"), "left"), (out.t("annual_score"), "right"),
            (out.t("landed"), "right"), (out.t("withdrawn"), "right"), (out.t("grade"), "left"),
            (out.t("level_rank"), "right"), (out.t("level_third"), "left")],
            [[p["person"], out.word(p["level"]), p["score"], p["landed"], p["withdrawn"], out.word(p["grade"]),
              p["level_rank"], out.word(p["level_third"])] for p in people])
    if answer.get("head"):
        out.line(out.t("annual_head_line", **answer["head"]))


@main.command()
@click.argument("person")
@click.argument("year", type=click.IntRange(1900, 9999), required=False)
@known_at_option
@json_flag
@verify_options
@out_options
@click.pass_context
def person(ctx, person, year, known_at, as_json):
    """The projects PERSON holds in the responsibility chain (三级包抓), with their stages, and how the person's
    score in YEAR's annual standing is made (default YEAR: the latest year with a month closed, else the
    current one)."""
    from core.audit.verified_lists import check_person
    platform = queried(ctx)
    answer = platform.queries.person(person, year, known_at)
    verified(ctx, platform, lambda head: check_person(platform, answer, head, known_at, year))
    show_person(ctx, answer, as_json)


def show_person(ctx, answer: dict, as_json: bool) -> None:
    if as_json:
        print_json(answer)
        return
    out, year = out_of(ctx), answer["year"]
    state = "annual_closed" if answer["closed"] else "annual_provisional"
    out.line(f"{answer['person']} {answer['name']} · {answer['unit']} · {out.word(answer['level'])} · "
             f"{out.t('annual_title')} {year} · {out.t(state)} · "
             f"{out.t('through') + ' ' + answer['through'] if answer['through'] else out.t('no_month_closed')}")
    row, unit_row, settings = answer["standing"], answer["unit_standing"], answer["settings"]
    if row is not None and unit_row is not None:
        out.line(out.t("person_formula", score=row["score"], unit=answer["unit"], s=unit_row["score"],
                       months=unit_row["months"], bonus=_plain(settings.get("bonus", "?")), landed=row["landed"],
                       malus=_plain(settings.get("malus", "?")), withdrawn=row["withdrawn"]))
        out.line(out.t("person_grade", grade=out.word(row["grade"]), level=out.word(row["level"]),
                       rank=row["level_rank"], third=out.word(row["level_third"])))
    else:
        out.line(out.say(answer.get("note")) if answer.get("note") else out.t("person_not_in_standing"))
    out.table(out.t("projects_held"), [
        (out.t("project"), "left"), (out.t("unit"), "left"), (out.t("name"), "left"),
        (out.t("chain_level"), "left"), (out.t("stage"), "left"), (out.t("signed_on"), "left"),
        (out.amount_header("amount", "wan"), "right"), (out.t("landed_on"), "left"), (out.t("withdrawn_on"), "left")],
        [[p["project"], p["unit"], p["name"], out.word(p["level"]), out.t("stage_" + p["stage"]), p["signed_on"],
          out.amount(p["signed_amount"], "wan") if p["signed_amount"] else None, p["landed_on"], p["withdrawn_on"]]
         for p in answer["projects"]])
