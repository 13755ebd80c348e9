"""The queries: boards, scores, notices, annual standings, the log, units, projects."""

from __future__ import annotations


from flask_smorest import abort

from core.errors import NotFound
from web import schemas
from web.api.base import (serving, 
    Blueprint, VERIFIED, allow, known_at_arg, period_arg, responses, tagged, turn, verified_read, who)


queries = Blueprint("queries", __name__, url_prefix="/api", description="Boards, scores, notices, annual standings")


@queries.route("/boards/<period>", parameters=[schemas.PERIOD])
@queries.etag
@queries.arguments(schemas.VerifiedArgs, location="query")
@queries.response(200, schemas.Board, headers=VERIFIED)
@responses(queries, 401, 404, 409, 422)
def get_board(args, period):
    """The board of PERIOD (as `sankao board PERIOD --json`), live, frozen, restated or as known at a time;
    verified (`verify=true`, the default for an auditor) as `sankao board PERIOD --verify`."""
    from core.audit.verified import check_board
    with serving("read_board") as (principal, platform):
        period, known_at = period_arg(period), known_at_arg(args)
        answer = platform.queries.board(period, known_at, args["restated"])
        verified_read(platform, principal, args,
                  lambda head: check_board(platform, answer, head, period, known_at, args["restated"]))
        return tagged(queries, answer)


@queries.route("/units/<unit>/scores/<period>", parameters=[schemas.PERIOD])
@queries.arguments(schemas.VerifiedArgs, location="query")
@queries.response(200, schemas.Score, headers=VERIFIED)
@responses(queries, 401, 403, 404, 409, 422)
def get_score(args, unit, period):
    """One unit's score for PERIOD, indicator by indicator (as `sankao score UNIT PERIOD --json`); verified
    (`verify=true`, the default for an auditor) as `sankao score UNIT PERIOD --verify`."""
    from core.audit.verified import check_score
    with serving("read_unit", unit, f"read {unit}'s scores") as (principal, platform):
        period, known_at = period_arg(period), known_at_arg(args)
        answer = platform.queries.score(unit, period, known_at, args["restated"])
        verified_read(platform, principal, args,
                  lambda head: check_score(platform, answer, head, unit, period, known_at, args["restated"]))
        return answer


@queries.route("/notices")
@queries.arguments(schemas.NoticesArgs, location="query")
@queries.response(200, schemas.Notice(many=True), headers=VERIFIED)
@responses(queries, 401, 403, 404, 409, 422)
def get_notices(args):
    """The three letters and one sheet in recorded order (as `sankao notices --json`), of one unit with `unit`;
    verified (`verify=true`, the default for an auditor) as `sankao notices --verify`."""
    from core.audit.verified_lists import check_notices
    principal = who()
    unit = args.get("unit") or principal.unit
    allow(principal, "read_notices", unit, "read other units' notices" if principal.unit else "read notices")
    with turn() as platform:
        known_at = known_at_arg(args)
        answer = platform.queries.notices(unit, known_at)
        verified_read(platform, principal, args, lambda head: check_notices(platform, answer, head, unit, known_at))
        return answer


@queries.route("/annual/<int:year>", parameters=[schemas.YEAR])
@queries.etag
@queries.arguments(schemas.VerifiedOnlyArgs, location="query")
@queries.response(200, schemas.Annual, headers=VERIFIED)
@responses(queries, 401, 409, 422)
def get_annual(args, year):
    """The annual standing of YEAR (docs/assessment.md §8, as `sankao annual YEAR --json`); provisional until
    close_year; verified (`verify=true`, the default for an auditor) as `sankao annual YEAR --verify`."""
    from core.audit.verified_lists import check_annual
    with serving("read_annual") as (principal, platform):
        if not 1900 <= year <= 9999:
            abort(422, message=f"year: {year} is not a year from 1900 to 9999")
        known_at = known_at_arg(args)
        answer = platform.queries.annual(year, known_at)
        verified_read(platform, principal, args, lambda head: check_annual(platform, answer, head, year, known_at))
        return tagged(queries, answer)


@queries.route("/events")
@queries.etag
@queries.arguments(schemas.EventsArgs, location="query")
@queries.response(200, schemas.Event(many=True))
@responses(queries, 401, 403, 422)
def get_events(args):
    """The record itself in recorded order, facts and consequences, from position `after` + 1, at most `limit`
    (1 to 1000): for integrations that follow the log."""
    from core.report import event_row
    with serving("read_all", what="read the event feed") as (_, platform):
        return tagged(queries, [event_row(position, event) for position, event in  # a token's digest left out
                                 platform.ledger.notifications(args["after"], args["limit"], exclude=())])


@queries.route("/audit/head")
@queries.response(200, schemas.AuditHead)
@responses(queries, 401, 403)
def get_audit_head():
    """The Merkle tree's size and root (as `sankao audit head --json`, without the recorded heads)."""
    from core.audit import log
    with serving("audit", what="read the audit head") as (_, platform):
        return log.head(platform.app)


@queries.route("/units")
@queries.response(200, schemas.Unit(many=True))
@responses(queries, 401)
def get_units():
    """The registered units with their latest targets and how many projects they planned."""
    with serving("read_board") as (_, platform):
        return platform.queries.units()


@queries.route("/projects")
@queries.arguments(schemas.ProjectsArgs, location="query")
@queries.response(200, schemas.Project(many=True), headers=VERIFIED)
@responses(queries, 401, 403, 404, 409, 422)
def get_projects(args):
    """Projects with their dates, amounts and stage (as `sankao projects --json`), of one unit with `unit`;
    verified (`verify=true`, the default for an auditor) as `sankao projects --verify`."""
    from core.audit.verified_lists import check_projects
    principal = who()
    unit = args.get("unit") or principal.unit
    allow(principal, "read_unit" if unit else "read_all", unit, "read these projects")
    from core.report import stage_of
    with turn() as platform:
        if unit is not None and unit not in platform.queries.names():
            raise NotFound(f"projects: {unit} is not a registered unit")
        answer = platform.queries.projects(unit)
        verified_read(platform, principal, args, lambda head: check_projects(platform, answer, head, unit))
        return [{**p, "stage": stage_of(p)} for p in answer]
