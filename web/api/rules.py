"""The rules in force: the plugins, and a change of them (a trial, or recorded)."""

from __future__ import annotations


from flask import request
from flask_smorest import abort

from web import schemas
from web.api.base import serving, Blueprint, responses, scored, who, writable


rules = Blueprint("rules", __name__, url_prefix="/api", description="Plugins and the rules in force")


@rules.route("/plugins")
@rules.response(200, schemas.Plugin(many=True))
@responses(rules, 401, 403)
def get_plugins():
    """Every plugin: version, hooks, enabled, settings, since when (as `sankao plugins list --json`)."""
    from core.rules.plugins import plugins_report
    with serving("read_all", what="read the rules") as (_, platform):
        return plugins_report(platform.installed, platform.recorded_rules(), platform.rules_in_force())


@rules.before_request
def _rules_as_json():
    """A body that is not JSON is refused before it is read (the body's schema would only see it missing)."""
    if request.method == "POST":
        who()
        if request.mimetype != "application/json":
            abort(415, message="send the rules as application/json")


@rules.route("/plugins", methods=["POST"])
@rules.arguments(schemas.RulesChange)
@rules.response(200, schemas.RulesChanged)
@responses(rules, 400, 401, 403, 409, 413, 415, 422)
def post_plugins(change):
    """Put plugins and settings in force (administrators; as `sankao plugins apply --yes`), or with `dry_run`
    only show what would change: the changes, and the boards of months begun that move. Rules already in force
    record nothing, so a retried request doubles nothing."""
    from core.clock import local_date, now
    from core.engine.trial import effective_date, propose
    with serving("admin", what="put rules in force") as (principal, platform):
        if not change["dry_run"]:
            writable("rules")
        today = local_date(now(), platform.tz)
        try:
            effective = effective_date(change["effective"], today)
        except ValueError as exc:
            abort(422, message=f"effective: {exc}")
        scored(platform)
        proposal = propose(platform, {"plugins": change["plugins"]}, "plugins", effective, today)
        recorded = not proposal.unchanged and not change["dry_run"]
        if recorded:
            platform.ledger.apply_rules(proposal.proposed, proposal.effective, principal.name)
        return {"recorded": recorded, "unchanged": proposal.unchanged,
                "effective": proposal.effective.isoformat() if proposal.effective else None,
                "months": proposal.months, "changes": proposal.changes,
                "moved": _moves(proposal.moved), "restated_only": _moves(proposal.restated),
                "scoring_behind": scored(platform) if recorded else platform.scoring_lag()}


def _moves(moves: dict) -> list[dict]:
    from core.report import money
    return [{"period": period, "unit": unit, "before": None if a is None else money(a),
             "after": None if b is None else money(b)} for period, units in moves.items() for unit, a, b in units]
