"""The options and arguments several commands declare: ``--actor``, ``--json``, ``--known-at``, PERIOD,
``--verify``/``--trust``, and the verified read they ask for."""

from __future__ import annotations

import click

from core.bootstrap import default_actor
from cli.app import out_of, platform_of
from core.clock import parse_period
from core.messages import msg, text_of

actor_option = click.option("--actor", default=default_actor, show_default="the OS user",
                            help="Who records the commands (written on every event).")


def _json(text: str):
    return click.option("--json", "as_json", is_flag=True, help=text)


#: ``--json`` of a listing; of an answer the contract describes; of an audit command
json_flag = _json("Print JSON.")
json_option = _json("Print the contract's JSON (docs/assessment.md §7).")
audit_json_option = _json("Print JSON (fields described in docs/audit.md).")


def known_at_value(ctx, param, value):
    """A ``--known-at`` read by the platform's one parser: a date means its end in the store's zone."""
    if value is None:
        return None
    try:
        return platform_of(ctx).known_at(value)
    except ValueError as exc:
        raise click.BadParameter(text_of(exc)) from None


known_at_option = click.option("--known-at", callback=known_at_value, metavar="TIME",
                               help="Answer as if only commands recorded at or before TIME existed "
                                    "(ISO 8601 with offset, or a local date YYYY-MM-DD meaning its end).")


def _period(ctx, param, value):
    try:
        parse_period(value)
    except ValueError as exc:
        raise click.BadParameter(text_of(exc)) from None
    return value


period_argument = click.argument("period", callback=_period)


def _trust(ctx, param, value):
    if value is None:
        return None
    from core.audit.verified import parse_trust
    try:
        ctx.meta["sankao.trust"] = parse_trust(value)
    except ValueError as problem:
        raise click.BadParameter(text_of(problem)) from None


def _verify(ctx, param, value):
    if value:
        ctx.meta["sankao.verify"] = True


def verify_options(command):
    """``--verify`` (check the answer against the Merkle tree and the head this reader trusts) and ``--trust``."""
    command = click.option("--trust", callback=_trust, metavar="SIZE:ROOT", expose_value=False,
                           help="Verify against this head (as published in a bulletin) instead of the one kept "
                                "from the last verified read.")(command)
    return click.option("--verify", is_flag=True, expose_value=False, callback=_verify,
                        help="A verified read: every event the answer is made of is checked against the Merkle "
                             "tree and the head this reader trusts (kept in ~/.config/sankao/trusted-heads.json "
                             "or SANKAO_TRUSTED_HEADS); fails naming the position of what was altered.")(command)


def verified(ctx, platform, check) -> None:
    """Run a verified read's ``check(head)`` and say on stderr what it rests on."""
    from core.audit.verified import TrustedHeads, verify_head
    trust = ctx.meta.get("sankao.trust")
    if not ctx.meta.get("sankao.verify") and trust is None:
        return
    head = verify_head(platform.app, platform.location.describe(), TrustedHeads(), trust)
    done = check(head)
    click.echo(out_of(ctx).say(msg("verified.done", events=done["events"], size=head.size, root=head.root.hex(),
                                   how=head.trusted_from)), err=True)
