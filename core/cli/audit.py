"""The auditor's commands: explain, history, whatif, and ``sankao audit`` (head, prove, consistency,
verify, export, replay). Each translates arguments into a call of ``core.audit`` and its answer into
a table or JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from core.audit import bundle, log
from core.audit.explain import explain as explain_score
from core.audit.explain import history as score_history
from core.audit.whatif import whatif as whatif_board
from core.cli.app import config_of, main, out_of, out_options, platform_of
from core.cli.read import _queries, known_at_option, period_argument
from core.cli.record import progress
from core.cli.render import print_json

audit_json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON (fields described in docs/audit.md).")


def _period_or_year(ctx, param, value):
    if len(value) == 4 and value.isdigit():
        return value
    from core.clock import parse_period
    try:
        parse_period(value)
    except ValueError as exc:
        raise click.BadParameter(f"{exc} (or a year YYYY, to explain a person's annual score)") from None
    return value


@main.command()
@click.argument("unit", metavar="UNIT|PERSON")
@click.argument("period", metavar="PERIOD|YEAR", callback=_period_or_year)
@known_at_option
@click.option("--restated", is_flag=True, help="Explain the restated figures of a closed month.")
@audit_json_option
@out_options
@click.pass_context
def explain(ctx, unit, period, known_at, restated, as_json):
    """Take UNIT's score for PERIOD apart: indicators, the projects and commands behind them, letters,
    coefficient, rules; checked to add up to what `sankao score` shows. With a person and a YEAR: the
    person's annual score (as `sankao person`)."""
    if len(period) == 4:
        from core.cli.annual import show_person
        if restated:
            raise click.BadParameter("a person's annual score has no restated form", param_hint="--restated")
        show_person(ctx, _queries(ctx).queries.person(unit, int(period), known_at), as_json)
        return
    answer = explain_score(_queries(ctx), unit, period, known_at, restated)
    if as_json:
        print_json(answer)
        return
    out = out_of(ctx)
    state = "restated" if restated else "frozen" if answer["frozen"] else "live"
    out.line(f"{unit} {period} · {out.t(state)} · {out.t('known_at')} {out.instant(answer['known_at'])}")
    out.line(f"final {answer['final']} = max(0, base {answer['base']} × coefficient {answer['coefficient']} − "
             f"deducted {answer['deduction']}); rank {answer['rank']} ({out.word(answer['third'])})")
    shown = {}
    for i in answer["indicators"]:
        amount = out.amount if i["kind"] == "amount" else str
        unit_note = f" ({out.t('yuan' if out.exact else 'yi')})" if i["kind"] == "amount" else ""
        out.line(f"\n{out.t(i['plugin'])}{unit_note}: value {amount(i['value'])} / target {amount(i['target'])} = "
                 f"ratio {i['ratio']}; × weight {i['weight']} → score {i['score']}")
        if i["projects"] is None:
            out.line("  (the plugin does not say which projects make up its value)")
        elif i["projects"]:
            parts = [f"{p['project']} {p['part'] if i['kind'] != 'amount' else out.amount(p['part'])}"
                     for p in i["projects"]]
            out.line("  = " + " + ".join(parts))
        for p in i["projects"] or []:
            shown.setdefault(p["project"], p)
    if shown:
        out.line("\nthe commands behind those projects' facts (recorded at, actor, what, command, set):")
    for p in shown.values():
        out.line(f"  {p['project']} {p['name']}")
        for c in p["commands"]:
            out.line(f"    {out.instant(c['recorded_at'])} {c['actor']:<10} {c['type']:<18} {c['command_id']} "
                     f"{json.dumps(c['set'], ensure_ascii=False)}")
    for plugin, parts in answer["coefficient_and_deduction"].items():
        out.line(f"\n{plugin}: {parts.get('formula', '')}")
        out.line(f"  {json.dumps(parts.get('inputs', parts), ensure_ascii=False)}")
    rules = answer["rules"]
    out.line(f"\nrules {rules['command_id']} (effective {rules['effective'] or 'from the start'}, recorded "
             f"{rules['recorded_at']} by {rules['actor']}): "
             + ", ".join(f"{n} {p['version']}" for n, p in rules["plugins"].items()))
    checks = answer["checks"]
    out.line("checks: " + ", ".join(f"{k.replace('_', ' ')}: {'yes' if v else 'NO'}" for k, v in checks.items()))


@main.command()
@click.argument("unit")
@period_argument
@audit_json_option
@out_options
@click.pass_context
def history(ctx, unit, period, as_json):
    """Every change of UNIT's figures for PERIOD over recorded time: when, what, by which command and actor,
    and the freeze."""
    answer = score_history(_queries(ctx), unit, period)
    if as_json:
        print_json(answer)
        return
    out = out_of(ctx)
    rows = []
    for c in answer["changes"]:
        what = "; ".join(f"{k} {v['from'] or '-'} -> {v['to'] or '-'}" for k, v in c["changed"].items())
        cause = c["cause"]
        rows.append([c["version"], out.instant(c["recorded_at"]), cause["what"], cause["command_id"],
                     cause["actor"], what])
    frozen = answer["frozen"]
    if frozen:
        rows.append(["", out.instant(frozen["recorded_at"]), "frozen at the close", frozen["command_id"], "",
                     f"rank {frozen['rank']}, {frozen['third']}, streak {frozen['streak']}"])
    out.table(f"{unit} {period}", [("#", "right"), (out.t("recorded_at"), "left"), ("cause", "left"),
                                   (out.t("command"), "left"), (out.t("actor"), "left"), ("change", "left")], rows)


@main.command()
@period_argument
@click.option("--plugins", "plugins_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The other plugins.toml (laid over the rules recorded, as plugins apply would).")
@audit_json_option
@click.pass_context
def whatif(ctx, period, plugins_file, as_json):
    """PERIOD's board under other plugin settings beside the recorded one; nothing is written."""
    answer = whatif_board(_queries(ctx), period, Path(plugins_file))
    if as_json:
        print_json(answer)
        return
    out = out_of(ctx)
    out.line(f"{period} ({'frozen' if answer['frozen'] else 'live'}) under {plugins_file}: {answer['changed']} "
             f"unit(s) change; spread {answer['recorded_spread']} -> {answer['whatif_spread']}")
    out.table(None, [(out.t("unit"), "left"), ("rank", "right"), ("rank then", "right"), ("final", "right"),
                     ("final then", "right"), ("change", "right")],
              [[u["unit"], (u["recorded"] or {}).get("rank"), (u["whatif"] or {}).get("rank"),
                (u["recorded"] or {}).get("final"), (u["whatif"] or {}).get("final"), u["final_change"]]
               for u in answer["units"]])


@main.group()
def audit():
    """Prove the record unaltered: the Merkle head, proofs, a full check, bundles for outsiders."""


@audit.command("head")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def audit_head(ctx, as_json):
    """The size and root hash of the log's Merkle tree, to publish (and the heads recorded at closes)."""
    platform = platform_of(ctx)
    answer = {**log.head(platform.app), "recorded": log.recorded_heads(platform.app)}
    if as_json:
        print_json(answer)
        return
    click.echo(f"size {answer['size']}\nroot {answer['root']}")
    if answer["log_size"] != answer["size"]:
        click.echo(f"warning: the log holds {answer['log_size']} events but the tree {answer['size']}: events were "
                   "written or removed around Sankao; run 'sankao audit verify'", err=True)
    for h in answer["recorded"]:
        click.echo(f"recorded {h['label']:<14} size {h['size']:>9} root {h['root']}")


@audit.command("prove")
@click.argument("position", type=click.IntRange(min=1))
@click.option("--head", "size", type=click.IntRange(min=1), default=None, help="In the tree of this size "
              "(a head published earlier); default: the tree as it stands.")
@click.pass_context
def audit_prove(ctx, position, size):
    """The inclusion proof of the event at POSITION (JSON; verify.py of an export checks it)."""
    print_json(log.prove(platform_of(ctx).app, position, size))


def _root(ctx, param, value):
    if value is None:
        return None
    text = value.strip().lower()
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise click.BadParameter(f"{value!r} is not a root hash: 64 hexadecimal digits, as `sankao audit head` "
                                 "prints it")
    return text


@audit.command("consistency")
@click.argument("old_size", type=click.IntRange(min=0))
@click.argument("old_root", required=False, callback=_root)
@click.pass_context
def audit_consistency(ctx, old_size, old_root):
    """The proof that the log of OLD_SIZE events is a prefix of today's; with OLD_ROOT (published then),
    whether it matches (exit 1 if not)."""
    answer = log.consistency(platform_of(ctx).app, old_size, old_root)
    print_json(answer)
    if answer.get("published_root_matches") is False:
        click.echo(f"NOT OK: the log's first {old_size} events give root {answer['old_root']}, not the published "
                   f"{old_root}: the record was changed since that root was published, or it was published for "
                   "another size or store", err=True)
        sys.exit(1)


@audit.command("verify")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def audit_verify(ctx, as_json):
    """Recompute the whole tree from the stored events and compare it with the tree and every recorded head;
    exit 1 naming the first position that does not match."""
    platform = platform_of(ctx)
    total = platform.app.recorder.max_notification_id()
    with progress(total, "verifying") as bar:
        task = bar.add_task("verifying", total=total)
        verdict = log.verify(platform.app, progress=lambda n: bar.advance(task, n))
    problems = [{"position": p, "kind": k, "what": w} for p, k, w in verdict.problems]
    if as_json:
        print_json({"ok": verdict.ok, "size": verdict.size, "root": verdict.root, "heads": verdict.heads,
                    "problems": problems})
    elif verdict.ok:
        click.echo(f"ok: {verdict.size} events, root {verdict.root}; {verdict.heads} recorded head(s) agree")
    else:
        first = problems[0]
        click.echo(f"NOT OK: position {first['position']}: {first['kind']}: {first['what']}")
        for p in problems[1:20]:
            click.echo(f"  also position {p['position']}: {p['kind']}: {p['what']}")
    sys.exit(0 if verdict.ok else 1)


@audit.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--until", "until", default=None, metavar="TIME",
              help="Only the log up to the last fact recorded at or before TIME.")
@click.pass_context
def audit_export(ctx, folder, until):
    """Write a self-contained bundle (events, heads, manifest, verify.py) to FOLDER."""
    from core.cli.read import _known_at
    moment = _known_at(ctx, None, until) if until else None
    platform = platform_of(ctx)
    manifest = bundle.export(platform.app, folder, moment, platform.location.describe())
    click.echo(f"exported {manifest['size']} events, root {manifest['root']}, to {folder}\n"
               f"check it anywhere with: python3 {folder / 'verify.py'} {folder}")


@audit.command("replay")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def audit_replay(ctx, folder, as_json):
    """Load a bundle into a fresh store, score it again with the plugins then in force, and compare every
    recorded score, letter, frozen board, annual standing and head (exit 1 on any difference, or when there is
    nothing to compare)."""
    from core.plugins import installed_plugins
    config = config_of(ctx)
    result = bundle.replay(folder, installed_plugins(), config.timezone)
    if as_json:
        print_json({"agreed": result.agreed, "compared": result.compared, "disagreements": result.disagreements})
    else:
        click.echo(f"{result.agreed} of {sum(result.compared.values())} recorded consequences agree "
                   f"({', '.join(f'{n} {k}' for k, n in result.compared.items())})")
        for d in result.disagreements[:50]:
            click.echo(f"  differs: {d}")
    if not result.compared:
        click.echo("the bundle holds no recorded consequences (scores, letters, boards, heads) to compare: "
                   "nothing was checked. Export the whole log, or an --until that its scoring had reached.", err=True)
        sys.exit(1)
    if result.disagreements:
        sys.exit(1)
