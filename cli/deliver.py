"""Delivery's commands (docs/delivery.md): ``contacts`` (who receives what), ``deliver`` (send what is due),
``deliveries`` (each job's state, the dead letters, sending again)."""

from __future__ import annotations

import os
import signal

import click

from cli.app import main, out_of, platform_of
from cli.common import echo
from cli.options import json_option
from cli.render import print_json
from core.errors import ConfigError, NotFound, StoreBusy, StoreReadOnly, StoreUnavailable
from core.messages import msg


@main.group()
def contacts():
    """Who receives the letters, sheets and results of each unit (personal information: kept outside the
    log, never exported)."""


def _targets(emails, webhooks, secret, others) -> list[tuple[str, str, str | None]]:
    from core.outbox.contacts import check_address, check_email, check_url
    found = [("email", check_email(a), None) for a in emails]
    found += [("webhook", check_url(u), secret) for u in webhooks]
    for other in others:
        channel, sep, address = other.partition("=")
        if not sep or not channel or not address.strip():
            raise ConfigError(msg("outbox.bad_to", field="--to", value=other))
        found.append((channel.strip(), check_address(channel.strip(), address), secret))
    if not found:
        raise ConfigError(msg("outbox.no_targets"))
    return found


def _registered(platform, unit: str) -> None:
    if unit not in platform.queries.names():
        raise NotFound(msg("outbox.unknown_unit", unit=unit))


@contacts.command("set")
@click.argument("unit")
@click.option("--role", type=click.Choice(["head", "liaison"]), default="head", show_default=True,
              help="The role: the unit's head (主要负责人) or its liaison officer (联络员).")
@click.option("--email", "emails", multiple=True, metavar="ADDR", help="An e-mail address (repeat for more).")
@click.option("--webhook", "webhooks", multiple=True, metavar="URL",
              help="A webhook URL, e.g. a WeCom or DingTalk group robot (repeat for more).")
@click.option("--secret", default=None, help="The key that signs the webhooks' bodies (HMAC-SHA256); default "
              "SANKAO_WEBHOOK_SECRET. A webhook set again keeps its secret unless one is given ('' removes it).")
@click.option("--to", "others", multiple=True, metavar="CHANNEL=ADDRESS",
              help="An address on another channel plugin's channel.")
@click.option("--kinds", default="letter,sheet,result,accountability,self_check",
              help="What this role receives, comma-separated: letter, sheet, result, accountability, self_check "
                   "(default: all).")
@click.option("--lang", "language", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="The language of what this role receives.")
@json_option
@click.pass_context
def contacts_set(ctx, unit, role, emails, webhooks, secret, others, kinds, language, as_json):
    """Set UNIT's contacts for a role (replacing that role's): each letter, sheet, month result, accountability
    decision and missed self-check of UNIT goes to them."""
    from core.outbox.contacts import Contacts
    targets = _targets(emails, webhooks, secret, others)
    platform = platform_of(ctx, "write")
    _registered(platform, unit)
    if platform.read_only:
        raise StoreReadOnly(msg("outbox.read_only"))
    now = Contacts(platform.app.recorder).set(unit, role, targets, [k.strip() for k in kinds.split(",")], language)
    if as_json:
        print_json([c.shown() for c in now])
        return
    _show(ctx, now)


@contacts.command("list")
@click.option("--unit", default=None, help="Only this unit's.")
@json_option
@click.pass_context
def contacts_list(ctx, unit, as_json):
    """List the contacts (with their addresses: personal information, for the office's eyes)."""
    from core.outbox.contacts import Contacts
    from core.outbox.status import Status
    platform = platform_of(ctx)
    if unit:
        _registered(platform, unit)
    if not Status(platform.app).available():
        echo(msg("outbox.not_yet"), err=True)
        return
    found = Contacts(platform.app.recorder).of(unit)
    if as_json:
        print_json([c.shown() for c in found])
        return
    _show(ctx, found)


def _show(ctx, found) -> None:
    out = out_of(ctx)
    out.table(None, [(out.t("unit"), "left"), (out.t("contact_role"), "left"), (out.t("channel"), "left"),
                     (out.t("address"), "left"), (out.t("kinds"), "left"), (out.t("language"), "left"),
                     (out.t("contact_id"), "left")],
              [[c.unit, out.t(c.role), c.channel, c.address + (" 🔑" if c.secret else ""),
                ", ".join(out.t(f"kind_{k}") for k in c.kinds), c.lang, c.id] for c in found])


@contacts.command("delete")
@click.argument("unit")
@click.option("--role", type=click.Choice(["head", "liaison"]), default=None,
              help="Only this role's (default: all of UNIT's).")
@click.pass_context
def contacts_delete(ctx, unit, role):
    """Delete UNIT's contacts (the receipts already recorded keep only role and channel)."""
    from core.outbox.contacts import Contacts
    platform = platform_of(ctx, "write")
    _registered(platform, unit)
    gone = Contacts(platform.app.recorder).delete(unit, role)
    echo(msg("cli.contacts_deleted", count=gone, unit=unit))


def _policy(lease, backoff, give_up):
    from core.outbox.deliverer import Policy
    return Policy(lease=lease, backoff=backoff, backoff_max=max(backoff, min(3600.0, give_up)), give_up=give_up)


@main.command()
@click.option("--once", is_flag=True, help="Send what is due now, then stop.")
@click.option("--poll", type=click.FloatRange(min=0.01), default=1.0, show_default=True,
              help="Seconds between looks at the outbox when nothing is due.")
@click.option("--lease", type=click.FloatRange(min=0.1), envvar="SANKAO_DELIVERY_LEASE", default=300.0,
              show_default=True, help="Seconds a deliverer holds a job it is sending (a killed one's jobs are "
              "sent again after this).")
@click.option("--backoff", type=click.FloatRange(min=0.001), envvar="SANKAO_DELIVERY_BACKOFF", default=30.0,
              show_default=True, help="Seconds before the first retry; doubled after each failure (at most an "
              "hour).")
@click.option("--give-up", type=click.FloatRange(min=0.0), envvar="SANKAO_DELIVERY_GIVE_UP", default=86400.0,
              show_default=True, help="Seconds after the first attempt a failing job goes to the dead letters.")
@click.pass_context
def deliver(ctx, once, poll, lease, backoff, give_up):
    """Deliver the letters, sheets, month results, accountability decisions and missed self-checks to the
    units' contacts (e-mail: SANKAO_SMTP=smtp://HOST:PORT; webhooks), recording each receipt."""
    stopping = []

    def stop(*_):
        stopping.append(True)
    signal.signal(signal.SIGTERM, stop)  # stop after the job being sent, giving back the jobs held
    signal.signal(signal.SIGINT, stop)
    from core.outbox.channels import Channels
    from core.outbox.deliverer import Deliverer
    from web.letters import Renderer
    platform = platform_of(ctx, "write")
    if platform.read_only:
        raise StoreReadOnly(msg("outbox.read_only"))
    channels = Channels({k: v for k, v in os.environ.items() if k.startswith("SANKAO_")})
    deliverer = Deliverer(platform, channels, Renderer(platform), _policy(lease, backoff, give_up))

    def said(counts):
        echo(msg("cli.delivered", jobs=counts.jobs, delivered=counts.delivered, failed=counts.failed,
                 dead=counts.dead, skipped=counts.skipped), err=True)
        for error in counts.errors[:20]:
            echo("  " + error, err=True)
    try:
        if once:
            said(deliverer.run_once(stop=lambda: bool(stopping)))
            return
        deliverer.run(stop=lambda: bool(stopping), poll=poll, report=said,
                      trouble=lambda exc: echo(msg("cli.deliver_trouble", error=exc), err=True))
    finally:
        try:
            deliverer.release()
        except (StoreUnavailable, StoreBusy):
            pass  # the leases run out on their own


@main.command()
@click.option("--failed", is_flag=True, help="Only the failing and the dead letters.")
@click.option("--unit", default=None, help="Only this unit's.")
@click.option("--limit", type=click.IntRange(min=1), default=200, show_default=True, help="At most this many: the latest.")
@click.option("--retry", "retry", multiple=True, metavar="JOB", help="Send JOB again (dead or failing), now.")
@click.option("--retry-dead", is_flag=True, help="Send every dead letter again, now.")
@json_option
@click.pass_context
def deliveries(ctx, failed, unit, limit, retry, retry_dead, as_json):
    """List the delivery jobs: each letter, sheet, result and decision, its state (pending, failing with its
    last error, delivered to whom by role, dead) and its receipts."""
    from core.outbox.status import Status
    platform = platform_of(ctx, "write" if retry or retry_dead else "read")
    if unit:
        _registered(platform, unit)
    status = Status(platform.app)
    if retry or retry_dead:
        for key in retry:
            if not status.known(key):
                raise NotFound(msg("outbox.no_job", key=key))
        echo(msg("cli.retried", count=status.retry(retry, retry_dead)))
        return
    found = status.jobs(unit, failed, limit) if status.available() else []
    if as_json:
        print_json({"counts": status.counts(unit) if status.available() else {}, "jobs": found})
        return
    out = out_of(ctx)
    out.table(None, [(out.t("job"), "left"), (out.t("unit"), "left"), (out.t("kind"), "left"),
                     (out.t("state"), "left"), (out.t("attempts"), "right"), (out.t("when"), "left"),
                     (out.t("detail"), "left")],
              [[j["key"], j["unit"], out.t(f"kind_{j['kind']}"), out.t(f"delivery_{j['state']}"), str(j["attempts"]),
                out.moment(j["done"] or j["next"] or j["created"]), _detail(out, j)] for j in found])
    if not status.available():
        echo(msg("outbox.not_yet"), err=True)
    else:
        counts = status.counts(unit)
        out.line(" · ".join(f"{out.t('delivery_' + k)} {v}" for k, v in counts.items()))


def _detail(out, job) -> str:
    if job["state"] == "delivered":
        return ", ".join(f"{out.t(r['role'])} {r['channel']}" for r in job["receivers"] if r["state"] == "delivered")
    return (job["error"] or "")[:120]
