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
from core.bootstrap import scratch_platform
from cli.app import config_of, main, out_of, out_options, platform_of
from cli.common import progress, queried
from cli.labels import LABELS
from cli.options import audit_json_option, json_flag, known_at_option, known_at_value, period_argument
from cli.render import print_json
from core.messages import HeadLabel, Text, msg, text_of


def _period_or_year(ctx, param, value):
    if len(value) == 4 and value.isdigit():
        return value
    from core.clock import parse_period
    try:
        parse_period(value)
    except ValueError as exc:
        raise click.BadParameter(msg("cli.period_or_year", error=text_of(exc))) from None
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
        from cli.annual import show_person
        if restated:
            raise click.BadParameter(msg("cli.person_restated"), param_hint="--restated")
        show_person(ctx, queried(ctx).queries.person(unit, int(period), known_at), as_json)
        return
    platform = queried(ctx)
    answer = explain_score(platform, unit, period, known_at, restated)
    answer["deliveries"] = _deliveries(platform, unit, period, known_at)
    if as_json:
        print_json(answer)
        return
    out = out_of(ctx)
    state = "restated" if restated else "frozen" if answer["frozen"] else "live"
    out.line(f"{unit} {period} · {out.t(state)} · {out.t('known_at')} {out.moment(answer['known_at'])}")
    out.line(out.t("explain_final", final=answer["final"], base=answer["base"], coefficient=answer["coefficient"],
                   deduction=answer["deduction"], rank=answer["rank"], third=out.word(answer["third"])))
    shown = {}
    for i in answer["indicators"]:
        amount = out.amount if i["kind"] == "amount" else str
        unit_note = f" ({out.t('yuan' if out.exact else 'yi')})" if i["kind"] == "amount" else ""
        out.line("\n" + out.t("explain_indicator", name=out.t(i["plugin"]), unit_note=unit_note,
                              value=amount(i["value"]), target=amount(i["target"]), ratio=i["ratio"],
                              weight=i["weight"], score=i["score"]))
        if i["projects"] is None:
            out.line(out.t("explain_no_projects"))
        elif i["projects"]:
            parts = [f"{p['project']} {p['part'] if i['kind'] != 'amount' else out.amount(p['part'])}"
                     for p in i["projects"]]
            out.line("  = " + " + ".join(parts))
        for p in i["projects"] or []:
            shown.setdefault(p["project"], p)
    out.line("\n" + _base_step(out, answer))
    if shown:
        out.line("\n" + out.t("explain_commands", zone=out.zone))
    for p in shown.values():
        out.line(f"  {p['project']} {p['name']}")
        for c in p["commands"]:
            kind = c["type"] if out.lang != "zh" else out.name(c["type"])
            out.line(f"    {out.instant(c['recorded_at'])} {c['actor']:<10} {kind:<18} {c['command_id']} "
                     f"{json.dumps(c['set'], ensure_ascii=False)}")
    for plugin, parts in answer["coefficient_and_deduction"].items():
        formula = parts.get("formula", "")
        if out.lang == "zh" and formula and f"formula_{plugin}" in LABELS:
            formula = out.t(f"formula_{plugin}")
        out.line(f"\n{out.name(plugin)}: {formula}")
        out.line(f"  {json.dumps(parts.get('inputs', parts), ensure_ascii=False)}")
    rules = answer["rules"]
    recorded = rules["recorded_at"] if out.lang != "zh" or not rules["recorded_at"] else out.moment(rules["recorded_at"])
    out.line("\n" + out.t("explain_rules", rules=rules["command_id"],
                          effective=rules["effective"] or out.t("explain_from_start"), recorded=recorded,
                          actor=rules["actor"], plugins=", ".join(f"{out.name(n)} {p['version']}"
                                                                  for n, p in rules["plugins"].items())))
    if answer["deliveries"]:
        out.line("\n" + out.t("explain_deliveries", zone=out.zone))
    for d in answer["deliveries"]:
        what = out.t(f"kind_{d['kind']}") + (f" {d['date']} {out.word(d['level'])}" if d.get("date") else "")
        if not d["receipts"]:
            out.line(f"  {what}: {out.t('delivery_' + d['state'])}" + (f" ({d['error']})" if d["error"] else ""))
        for r in d["receipts"]:
            out.line(f"  {what} → {out.t(r['role'])} {r['channel']} {out.instant(r['at'])} · {r['answer']} "
                     f"· {out.t('log_position')} {r['position']}")
    checks = answer["checks"]
    out.line(out.t("explain_checks", checks=", ".join(f"{out.t(k) if out.lang == 'zh' else k.replace('_', ' ')}: "
                                                      f"{out.t('yes') if v else out.t('no')}"
                                                      for k, v in checks.items())))


def _deliveries(platform, unit: str, period: str, known_at) -> list[dict]:
    """What reached UNIT about PERIOD (docs/delivery.md), each with its receipts from the log; as known at
    ``known_at``, only what had been received by then."""
    from core.outbox.status import Status
    status = Status(platform.app)
    if not status.available():
        return []
    from datetime import datetime
    found = status.of_month(unit, period)
    if known_at is None:
        return found
    kept = []  # as known then: what had been received by then, by its receipts (the outbox's states are now's)
    for d in found:
        d["receipts"] = [r for r in d["receipts"] if datetime.fromisoformat(r["at"]) <= known_at]
        if d["receipts"]:
            kept.append({**d, "state": "delivered", "error": None, "next": None})
    return kept


def _base_step(out, answer: dict) -> str:
    """How the base is made of the indicators' scores: Σ scores × 100 ÷ Σ weights of the indicators assessed (an
    indicator without a target this month is not among them: its weight drops out), as the explain page says."""
    from decimal import Decimal
    indicators = answer["indicators"]
    scores = sum((Decimal(i["score"]) for i in indicators), Decimal(0))
    weights = sum((Decimal(i["weight"]) for i in indicators), Decimal(0))
    assessed = {i["plugin"] for i in indicators}
    dropped = [(name, p["settings"]["weight"]) for name, p in answer["rules"]["plugins"].items()
               if name not in assessed and isinstance(p.get("settings"), dict) and "weight" in p["settings"]]
    line = out.t("explain_base", base=answer["base"], scores=" + ".join(i["score"] for i in indicators) or "0",
                 total=f"{scores:.2f}", weights=" + ".join(i["weight"] for i in indicators) or "0",
                 weight_total=_plain_number(weights))
    if dropped:
        line += "\n  " + out.t("explain_dropped", dropped=", ".join(f"{out.t(n)} ({out.t('weight')} {w})"
                                                                   for n, w in dropped))
    return line


def _plain_number(value) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@main.command()
@click.argument("unit")
@period_argument
@audit_json_option
@out_options
@click.pass_context
def history(ctx, unit, period, as_json):
    """Every change of UNIT's figures for PERIOD over recorded time: when, what, by which command and actor,
    and the freeze."""
    answer = score_history(queried(ctx), unit, period)
    if as_json:
        print_json(answer)
        return
    out = out_of(ctx)
    rows = []
    for c in answer["changes"]:
        what = "; ".join(f"{_figure(out, k)} {_figure_value(out, k, v['from'])} -> {_figure_value(out, k, v['to'])}"
                         for k, v in c["changed"].items())
        cause = c["cause"]
        why = cause["what"]
        if why == "the month began":
            why = out.t("month_began")
        elif why:
            why = out.name(why)
        rows.append([c["version"], out.instant(c["recorded_at"]), why, cause["command_id"], cause["actor"], what])
    frozen = answer["frozen"]
    if frozen:
        third = out.word(frozen["third"]) if out.lang == "zh" else frozen["third"]
        rows.append(["", out.instant(frozen["recorded_at"]), out.t("frozen_at_close"), frozen["command_id"], "",
                     out.t("history_frozen", rank=frozen["rank"], third=third, streak=frozen["streak"])])
    change = out.t("history_change_amounts", unit=out.t("yuan" if out.exact else "yi"))
    out.table(f"{unit} {period}", [("#", "right"), (out.timed("recorded_at"), "left"), (out.t("history_cause"), "left"),
                                   (out.t("command"), "left"), (out.t("actor"), "left"), (change, "left")], rows)


#: the figures history follows besides the indicators (their names are the plugins')
_FIGURES = {"final": "final", "base": "base", "coefficient": "coefficient", "deduction": "deduction",
            "signed_amount": "signed", "assessed": "assessed"}


def _figure(out, key: str) -> str:
    if out.lang != "zh":
        return key
    return out.t(_FIGURES.get(key, key))


def _figure_value(out, key: str, value) -> str:
    """A figure's value as the tables show it: amounts (the signed amount, the amount indicators: those written
    with cents) in 亿元, or exact with --exact."""
    if not value:
        return "-"
    if isinstance(value, bool):
        return out.t("true")
    if key == "signed_amount" or (key not in _FIGURES and "." in str(value)):
        return out.amount(value)
    return str(value)


@main.command()
@period_argument
@click.option("--plugins", "plugins_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The other plugins.toml (laid over the rules recorded, as plugins apply would).")
@audit_json_option
@click.pass_context
def whatif(ctx, period, plugins_file, as_json):
    """PERIOD's board under other plugin settings beside the recorded one; nothing is written."""
    answer = whatif_board(queried(ctx), period, Path(plugins_file))
    if as_json:
        print_json(answer)
        return
    out = out_of(ctx)
    out.line(out.t("whatif_line", period=period, state=out.t("whatif_frozen" if answer["frozen"] else "whatif_live"),
                   file=plugins_file, changed=answer["changed"], before=answer["recorded_spread"],
                   after=answer["whatif_spread"]))
    out.table(None, [(out.t("unit"), "left"), (out.t("rank"), "right"), (out.t("rank_then"), "right"),
                     (out.t("final"), "right"), (out.t("final_then"), "right"), (out.t("whatif_change"), "right")],
              [[u["unit"], (u["recorded"] or {}).get("rank"), (u["whatif"] or {}).get("rank"),
                (u["recorded"] or {}).get("final"), (u["whatif"] or {}).get("final"), u["final_change"]]
               for u in answer["units"]])


@main.group()
def audit():
    """Prove the record unaltered: the Merkle head, proofs, a full check, bundles for outsiders."""


@audit.command("head")
@json_flag
@click.pass_context
def audit_head(ctx, as_json):
    """The size and root hash of the log's Merkle tree, to publish (and the heads recorded at closes)."""
    platform = platform_of(ctx)
    answer = {**log.head(platform.app), "recorded": log.recorded_heads(platform.app)}
    if as_json:
        print_json(answer)
        return
    out = out_of(ctx)
    click.echo(f"{out.t('size')} {answer['size']}\n{out.t('root')} {answer['root']}")
    if answer["log_size"] != answer["size"]:
        out.echo(msg("cli.tree_log_differ", log=answer["log_size"], tree=answer["size"]), err=True)
    for h in answer["recorded"]:
        if out.lang == "zh":
            click.echo(f"已录入 {_head_label(h['label']):<14} 规模 {h['size']:>9} 根哈希 {h['root']}")
        else:
            click.echo(f"recorded {h['label']:<14} size {h['size']:>9} root {h['root']}")


def _head_label(label: str) -> str:
    """A recorded head's label (``close 2023-06``, ``close 2023``) in Chinese."""
    return HeadLabel(label).render("zh")


#: the messages that name a recorded head by its stored label
_HEAD_MESSAGES = {"audit.head_beyond", "audit.head_root", "audit.what_head"}


def _head_labels(value):
    """``value`` (a message, perhaps holding others) with the stored labels of heads said in the reader's language
    (``close 2023-06`` -> ``月末关账 2023-06``): translated for display only, the record keeps its labels."""
    if not isinstance(value, Text):
        return value
    params = {k: (HeadLabel(v) if k == "label" and value.key in _HEAD_MESSAGES and isinstance(v, str)
                  else _head_labels(v)) for k, v in value.params.items()}
    return msg(value.key, **params)


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
        raise click.BadParameter(msg("cli.not_root", value=value))
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
        out_of(ctx).echo(msg("cli.not_consistent", size=old_size, root=answer["old_root"], published=old_root), err=True)
        sys.exit(1)


@audit.command("verify")
@json_flag
@click.pass_context
def audit_verify(ctx, as_json):
    """Recompute the whole tree from the stored events and compare it with the tree (leaves and nodes) and every
    recorded head; check that the facts' recorded times never go backwards and that the read models are what the
    log gives; exit 1 naming the first position that does not match. Writes nothing."""
    platform = platform_of(ctx, "audit")  # as read, and a wrong schema mark is reported among the problems
    total = platform.app.recorder.max_notification_id()
    with progress(total, "verifying") as bar:
        task = bar.add_task("verifying", total=total)
        verdict = log.verify(platform.app, progress=lambda n: bar.advance(task, n))
    problems = [{"position": p, "kind": k, "what": w} for p, k, w in verdict.problems]
    if as_json:
        print_json({"ok": verdict.ok, "size": verdict.size, "root": verdict.root, "heads": verdict.heads,
                    "problems": problems})
    elif verdict.ok:
        out_of(ctx).echo(msg("cli.verify_ok", size=verdict.size, root=verdict.root, heads=verdict.heads))
    else:
        out = out_of(ctx)
        first = problems[0]
        out.echo(msg("cli.verify_bad", position=first["position"], kind=_kind(out, first["kind"]),
                     what=_head_labels(first["what"])))
        for p in problems[1:20]:
            out.echo(msg("cli.verify_also", position=p["position"], kind=_kind(out, p["kind"]),
                         what=_head_labels(p["what"])))
    sys.exit(0 if verdict.ok else 1)


@audit.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--until", "until", default=None, metavar="TIME",
              help="Only the log up to the last fact recorded at or before TIME.")
@click.pass_context
def audit_export(ctx, folder, until):
    """Write a self-contained bundle (events, heads, manifest, verify.py) to FOLDER."""
    moment = known_at_value(ctx, None, until) if until else None
    platform = platform_of(ctx)
    manifest = bundle.export(platform.app, folder, moment, platform.location.describe())
    out_of(ctx).echo(msg("cli.exported", size=manifest["size"], root=manifest["root"], folder=folder,
                         verify=folder / "verify.py"))


@audit.command("replay")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@json_flag
@click.pass_context
def audit_replay(ctx, folder, as_json):
    """Load a bundle into a fresh store, score it again with the plugins then in force, and compare every
    recorded score, letter, frozen board, annual standing and head (exit 1 on any difference, or when there is
    nothing to compare)."""
    from core.rules.plugins import installed_plugins
    config = config_of(ctx)
    result = bundle.replay(folder, installed_plugins(), scratch_platform, config.timezone)
    if as_json:
        print_json({"agreed": result.agreed, "compared": result.compared, "disagreements": result.disagreements})
    else:
        out = out_of(ctx)
        out.echo(msg("cli.replayed", agreed=result.agreed, total=sum(result.compared.values()),
                     counts=", ".join(f"{n} {out.name(k)}" for k, n in result.compared.items())))
        for d in result.disagreements[:50]:
            out.echo(msg("cli.differs", what=_head_labels(d)))
    if not result.compared:
        out_of(ctx).echo(msg("cli.nothing_replayed"), err=True)
        sys.exit(1)
    if result.disagreements:
        sys.exit(1)


_KINDS = {"missing": "缺失", "head": "树头", "tree": "树", "inserted": "插入", "reordered": "换位", "changed": "改动",
          "backdated": "倒填时间", "node": "树节点", "read_model": "读模型", "meta": "元数据", "unreadable": "无法读取"}


def _kind(out, kind: str) -> str:
    """What ``audit verify`` found wrong, in the reader's language."""
    return f"{_KINDS[kind]} ({kind})" if out.lang == "zh" and kind in _KINDS else kind
