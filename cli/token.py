"""``sankao token``: the access tokens of the web API (``core.record.access``)."""

from __future__ import annotations

import click

from cli.app import main, out_of, out_options, platform_of
from cli.options import actor_option, json_flag
from cli.render import print_json
from core.messages import Name, msg


@main.group()
def token():
    """Access tokens for the web API: create (shown once), list, revoke. Roles: admin, auditor, viewer,
    supervisor, unit:UNIT."""


@token.command("create")
@click.argument("name")
@click.option("--role", required=True, metavar="admin|auditor|viewer|supervisor|unit:UNIT",
              help="What the token may do (docs: core/record/access.py and the README's web section).")
@actor_option
@click.pass_context
def token_create(ctx, name, role, actor):
    """Issue the token NAME (its name is the actor of everything done with it). The token is printed once,
    alone on the last line: only its SHA-256 digest is recorded."""
    platform = platform_of(ctx, "write")
    secret = platform.ledger.issue_token(name, role, actor)
    platform.catch_up()  # the scorer steps past it (it scores nothing): the scores are not behind for a token
    out_of(ctx).echo(msg("cli.token_issued", name=name, role=role_words(role)), err=True)
    click.echo(secret)


@token.command("list")
@json_flag
@out_options
@click.pass_context
def token_list(ctx, as_json):
    """The tokens issued: name, role, who issued it and when, revoked when (never the tokens themselves)."""
    from datetime import datetime, timezone
    platform = platform_of(ctx)

    def instant(micros):
        return None if micros is None else datetime.fromtimestamp(micros / 1e6, timezone.utc).isoformat()
    rows = [{"name": n, "role": r, "issued_by": a, "issued_at": instant(i), "revoked_at": instant(v)}
            for n, r, a, i, v in platform.app.read_models.tokens()]
    if as_json:
        print_json(rows)
        return
    out = out_of(ctx)
    out.table(None, [(out.t("token_name"), "left"), (out.t("role"), "left"), (out.t("issued_by"), "left"),
                     (out.timed("issued_at"), "left"), (out.timed("revoked_at"), "left")],
              [[r["name"], out.say(role_words(r["role"])), r["issued_by"], out.instant(r["issued_at"]),
                out.instant(r["revoked_at"]) if r["revoked_at"] else None] for r in rows])


class _Role(Name):
    """A role as the reader says it: ``admin``, or ``管理员 (admin)``; a unit's role ``单位 (unit:U01)``."""

    def render(self, lang: str) -> str:
        if lang == "zh" and self.startswith("unit:"):
            return f"单位 ({self})"
        return super().render(lang)


def role_words(role: str) -> _Role:
    """A role in the words of the language asked (``sankao token list``, the demo's logins)."""
    return _Role(role)


@token.command("revoke")
@click.argument("name")
@actor_option
@click.pass_context
def token_revoke(ctx, name, actor):
    """Revoke the token NAME: refused from now on (recorded, with who revoked it)."""
    platform = platform_of(ctx, "write")
    platform.ledger.revoke_token(name, actor)
    platform.catch_up()
    out_of(ctx).echo(msg("cli.token_revoked", name=name), err=True)
