"""The API's resources, a blueprint each. Every handler authenticates, checks the role (``core.access``),
calls the platform and returns what the CLI's ``--json`` prints; nothing else happens here."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime

from flask import current_app, request
from flask_smorest import Blueprint, abort

from core.access import Principal, authenticate
from core.clock import parse_known_at, parse_period
from core.commands import parse_line
from core.errors import CommandRejected, NotFound, SankaoError
from core.ledger import LoadReport
from web import schemas

ERRORS = {401: "no valid token (Authorization: Bearer <token from `sankao token create`>)",
          403: "the token's role may not do this", 422: "the request breaks a rule: the field and the rule named"}


def _platform():
    return current_app.extensions["sankao"]


@contextmanager
def _turn():
    with current_app.extensions["sankao.lock"]:
        yield _platform()


def _who() -> Principal:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    principal = authenticate(_platform().app.recorder, token.strip()) if scheme.lower() == "bearer" else None
    if principal is None:
        abort(401, message="no valid token: send Authorization: Bearer <token> (sankao token create); "
                           "the token is unknown or revoked" if header else "no token: send Authorization: Bearer "
                                                                          "<token> (sankao token create)")
    return principal


def _allow(principal: Principal, action: str, unit: str | None = None, what: str = "") -> None:
    if not principal.may(action, unit):
        abort(403, message=f"the token {principal.name} ({principal.role}) may not {what or action.replace('_', ' ')}")


def _known_at(args) -> datetime | None:
    value = args.get("known_at")
    if value is None:
        return None
    try:
        return parse_known_at(value, _platform().tz, "known_at")
    except ValueError as exc:
        abort(422, message=str(exc))


def _period(value: str) -> str:
    try:
        parse_period(value)
    except ValueError as exc:
        abort(422, message=str(exc))
    return value


def _responses(blueprint: Blueprint, *codes):
    def decorate(function):
        for code in codes:
            function = blueprint.alt_response(code, schema=schemas.Problem, description=ERRORS.get(code, ""))(function)
        return function
    return decorate


def _tagged(blueprint: Blueprint, answer: dict) -> dict:
    """Tag an answer by what it says, the moment it was asked aside: a frozen month or a closed year answers
    304 Not Modified to a client that holds it (If-None-Match)."""
    blueprint.set_etag({k: v for k, v in answer.items() if k != "known_at"})
    return answer


# -- commands ---------------------------------------------------------------------------------------

commands = Blueprint("commands", __name__, url_prefix="/api", description="Record commands (SCORING.md §2, §8)")


def _unit_of(platform, command) -> str | None:
    """The unit a command concerns (its own ``unit``, or its project's); None for the office's commands."""
    if command.cmd == "plan_project":
        return command.data["unit"]
    project = command.data.get("project")
    if project is None:
        return None
    rows = platform.app.recorder.fetch("SELECT unit FROM rm_projects WHERE project = ?", (project,))
    return rows[0][0] if rows else None


@commands.route("/commands", methods=["POST"])
@commands.doc(requestBody={"required": True, "description": "one command of SCORING.md §2 as a JSON object, or many "
                           "as JSON lines (application/x-ndjson), recorded in order like `sankao load`",
                           "content": {"application/json": {"schema": {"type": "object"}},
                                       "application/x-ndjson": {"schema": {"type": "string"}}}})
@commands.response(200, schemas.Recorded)
@_responses(commands, 401, 403, 409, 413, 415, 422)
def post_commands():
    """Record one command (a JSON object) or many (JSON lines): each whole or not at all, stopping at the first
    rejected line (422 names it; the lines before it stay recorded). A line whose `id` is recorded already is
    skipped, so a retried request doubles nothing."""
    principal = _who()
    kind = (request.mimetype or "").lower()
    if kind not in ("application/json", "application/x-ndjson"):
        abort(415, message="send one command as application/json or many as application/x-ndjson")
    text = request.get_data(as_text=True)
    lines = [text] if kind == "application/json" else [line for line in text.splitlines()]
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        abort(422, message="no command in the body")
    with _turn() as platform:
        parsed = []
        for number, line in numbered:
            try:
                command = parse_line(line)
            except CommandRejected as exc:
                abort(422, message=f"line {number}: {exc}" if kind != "application/json" else str(exc))
            unit = _unit_of(platform, command)
            if not principal.may("record", unit) if unit is not None else principal.role != "admin":
                abort(403, message=f"line {number}: the token {principal.name} ({principal.role}) may not record "
                                   f"{command.cmd}" + (f" for {unit}" if unit else " (the office's command)"))
            parsed.append((number, command))
        report = LoadReport()
        platform.ledger.load(parsed, principal.name, report=report)
        behind = _score(platform)
        if report.rejected:
            number, message = report.rejected[0]
            abort(422, message=f"line {number}: {message}" if kind != "application/json" else message,
                  recorded=report.recorded, skipped=report.skipped)
        return {"recorded": report.recorded, "skipped": report.skipped, "scoring_behind": behind}


def _score(platform) -> int:
    """Bring the scores up to date when this process scores for itself; how far behind they are."""
    if platform.app.read_models.behind():
        platform.app.read_models.catch_up()
    if platform.scores_inline():
        try:
            platform.scorer.run()
        except SankaoError:
            pass  # what failed stays unscored; queries say how far behind the scores are
    return platform.scoring_lag()


# -- queries ----------------------------------------------------------------------------------------

queries = Blueprint("queries", __name__, url_prefix="/api", description="Boards, scores, notices, annual standings")


@queries.route("/boards/<period>")
@queries.etag
@queries.arguments(schemas.RestatedArgs, location="query")
@queries.response(200, schemas.Board)
@_responses(queries, 401, 403, 404, 422)
def get_board(args, period):
    """The board of PERIOD (as `sankao board PERIOD --json`), live, frozen, restated or as known at a time."""
    _allow(_who(), "read_board")
    with _turn() as platform:
        return _tagged(queries, platform.queries.board(_period(period), _known_at(args), args["restated"]))


@queries.route("/units/<unit>/scores/<period>")
@queries.arguments(schemas.RestatedArgs, location="query")
@queries.response(200, schemas.Score)
@_responses(queries, 401, 403, 404, 422)
def get_score(args, unit, period):
    """One unit's score for PERIOD, indicator by indicator (as `sankao score UNIT PERIOD --json`)."""
    _allow(_who(), "read_unit", unit, f"read {unit}'s scores")
    with _turn() as platform:
        return platform.queries.score(unit, _period(period), _known_at(args), args["restated"])


@queries.route("/notices")
@queries.arguments(schemas.NoticesArgs, location="query")
@queries.response(200, schemas.Notice(many=True))
@_responses(queries, 401, 403, 404, 422)
def get_notices(args):
    """The three letters and one sheet in recorded order (as `sankao notices --json`), of one unit with `unit`."""
    principal = _who()
    unit = args.get("unit") or principal.unit
    _allow(principal, "read_notices", unit, "read other units' notices" if principal.unit else "read notices")
    with _turn() as platform:
        return platform.queries.notices(unit, _known_at(args))


@queries.route("/annual/<int:year>")
@queries.etag
@queries.arguments(schemas.KnownAtArgs, location="query")
@queries.response(200, schemas.Annual)
@_responses(queries, 401, 403, 404, 422)
def get_annual(args, year):
    """The annual standing of YEAR (SCORING.md §8, as `sankao annual YEAR --json`); provisional until close_year."""
    _allow(_who(), "read_annual")
    if not 1900 <= year <= 9999:
        abort(422, message=f"year: {year} is not a year from 1900 to 9999")
    with _turn() as platform:
        return _tagged(queries, platform.queries.annual(year, _known_at(args)))


@queries.route("/events")
@queries.etag
@queries.arguments(schemas.EventsArgs, location="query")
@queries.response(200, schemas.Event(many=True))
@_responses(queries, 401, 403, 422)
def get_events(args):
    """The record itself in recorded order, facts and consequences, from position `after` + 1, at most `limit`
    (1 to 1000): for integrations that follow the log."""
    _allow(_who(), "read_all", what="read the event feed")
    from core.report import event_row
    with _turn() as platform:
        return [event_row(position, event) for position, event in
                platform.ledger.notifications(args["after"], args["limit"], exclude=())]


@queries.route("/audit/head")
@queries.response(200, schemas.AuditHead)
@_responses(queries, 401, 403)
def get_audit_head():
    """The Merkle tree's size and root (as `sankao audit head --json`, without the recorded heads)."""
    _allow(_who(), "audit", what="read the audit head")
    from core.audit import log
    with _turn() as platform:
        return log.head(platform.app)


@queries.route("/units")
@queries.response(200, schemas.Unit(many=True))
@_responses(queries, 401, 403)
def get_units():
    """The registered units with their latest targets and how many projects they planned."""
    _allow(_who(), "read_board")
    with _turn() as platform:
        return platform.queries.units()


@queries.route("/projects")
@queries.arguments(schemas.UnitArgs, location="query")
@queries.response(200, schemas.Project(many=True))
@_responses(queries, 401, 403, 404)
def get_projects(args):
    """Projects with their dates, amounts and stage (as `sankao projects --json`), of one unit with `unit`."""
    principal = _who()
    unit = args.get("unit") or principal.unit
    _allow(principal, "read_unit" if unit else "read_all", unit, "read these projects")
    from core.report import stage_of
    with _turn() as platform:
        if unit is not None and unit not in platform.queries.names():
            raise NotFound(f"projects: {unit} is not a registered unit")
        return [{**p, "stage": stage_of(p)} for p in platform.queries.projects(unit)]


@queries.route("/plugins")
@queries.response(200, schemas.Plugin(many=True))
@_responses(queries, 401, 403)
def get_plugins():
    """Every plugin: version, hooks, enabled, settings, since when (as `sankao plugins list --json`)."""
    _allow(_who(), "read_all", what="read the rules")
    from core.plugins import plugins_report
    with _turn() as platform:
        return plugins_report(platform.installed, platform.recorded_rules(), platform.rules_in_force())


# -- the auditor's tools (core.audit) ----------------------------------------------------------------

audit = Blueprint("audit", __name__, url_prefix="/api", description="Explain, history, proofs (docs/audit.md)")


@audit.route("/units/<unit>/explain/<period>")
@audit.arguments(schemas.RestatedArgs, location="query")
@audit.response(200, schemas.Explanation)
@_responses(audit, 401, 403, 404, 422)
def get_explain(args, unit, period):
    """A unit's score taken apart (as `sankao explain UNIT PERIOD --json`)."""
    _allow(_who(), "read_unit", unit, f"read {unit}'s explanation")
    from core.audit.explain import explain
    with _turn() as platform:
        return explain(platform, unit, _period(period), _known_at(args), args["restated"])


@audit.route("/units/<unit>/history/<period>")
@audit.response(200, schemas.History)
@_responses(audit, 401, 403, 404, 422)
def get_history(unit, period):
    """Every change of a unit's figures for a month over recorded time (as `sankao history --json`)."""
    _allow(_who(), "read_unit", unit, f"read {unit}'s history")
    from core.audit.explain import history
    with _turn() as platform:
        return history(platform, unit, _period(period))


@audit.route("/people/<person>")
@audit.arguments(schemas.YearArgs, location="query")
@audit.response(200, schemas.Person)
@_responses(audit, 401, 403, 404, 422)
def get_person(args, person):
    """What a person holds and how their annual score is made (as `sankao person PERSON [YEAR] --json`)."""
    principal = _who()
    with _turn() as platform:
        answer = platform.queries.person(person, args.get("year"), _known_at(args))
        _allow(principal, "read_unit", answer["unit"], f"read {answer['unit']}'s people")
        return answer


@audit.route("/audit/proofs/<int:position>")
@audit.arguments(schemas.ProofArgs, location="query")
@audit.response(200, schemas.Proof)
@_responses(audit, 401, 403, 404)
def get_proof(args, position):
    """The inclusion proof of the event at POSITION (in the tree of `head` events, default today's)."""
    _allow(_who(), "audit", what="read proofs")
    from core.audit import log
    with _turn() as platform:
        return log.prove(platform.app, position, args.get("head"))


@audit.route("/audit/consistency/<int:old_size>")
@audit.arguments(schemas.ConsistencyArgs, location="query")
@audit.response(200, schemas.Proof)
@_responses(audit, 401, 403, 404, 422)
def get_consistency(args, old_size):
    """The proof that the log of OLD_SIZE events is a prefix of today's; with `root`, whether it matches."""
    _allow(_who(), "audit", what="read proofs")
    from core.audit import log
    with _turn() as platform:
        root = args.get("root")
        return log.consistency(platform.app, old_size, root.lower() if root else None)


@audit.route("/audit/verify")
@audit.response(200, schemas.Verdict)
@_responses(audit, 401, 403)
def get_verify():
    """Recompute the whole tree from the stored events and compare it with the tree and every recorded head
    (as `sankao audit verify --json`; `ok` false names the first position that does not match)."""
    _allow(_who(), "audit", what="verify the record")
    from core.audit import log
    with _turn() as platform:
        verdict = log.verify(platform.app, workers=0)
        return {"ok": verdict.ok, "size": verdict.size, "root": verdict.root, "heads": verdict.heads,
                "problems": [{"position": p, "kind": k, "what": w} for p, k, w in verdict.problems]}


BLUEPRINTS = [commands, queries, audit]
__all__ = ["BLUEPRINTS", "NotFound"]
