"""The API's resources, a blueprint each. Every handler authenticates, checks the role (``core.access``),
calls the platform and returns what the CLI's ``--json`` prints; nothing else happens here."""

from __future__ import annotations

import json
import math
import time
from contextlib import contextmanager
from datetime import datetime
from functools import wraps

import flask_smorest
from flask import Response, current_app, g, request
from flask_smorest import abort
from marshmallow import RAISE
from webargs import core as webargs_core
from webargs.flaskparser import FlaskParser, is_json_request

from core.access import Principal, authenticate, digest
from core.clock import parse_period
from core.commands import decode_json, parse_line
from core.errors import CommandForbidden, CommandIdReused, CommandRejected, NotFound
from core.ledger import LoadReport
from web import bodies, schemas

ERRORS = {400: "the body cannot be read: not UTF-8, or (rules) not JSON",
          401: "no valid token (Authorization: Bearer <token from `sankao token create`>)",
          403: "the token's role may not do this, or the store is read-only here",
          404: "no such thing: the unit, month, person, position or year named is not known",
          409: "the store is busy (another writer holds it), a command id is reused for another command, or "
               "(a verified read) what the answer is made of is not what the verified log holds",
          413: "too large: more than 8 MiB, or more lines than a unit's token may send at once",
          415: "not the content type the operation reads",
          422: "the request breaks a rule: the field and the rule named",
          429: "too many requests from this token: wait Retry-After seconds"}
VERIFIED = {"Sankao-Verified-Head": {"description": "a verified read: the head (SIZE:ROOT) the answer was proved "
                                                   "under; keep it and send it as trust= next time",
                                    "schema": {"type": "string"}},
            "Sankao-Verified-Events": {"description": "a verified read: how many events of the log were proved",
                                       "schema": {"type": "integer"}}}
HEADERS = {401: {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}},
           429: {"Retry-After": {"description": "seconds to wait before asking again",
                                 "schema": {"type": "integer", "minimum": 1}}}}
UNIT_MAX_LINES = 1000  # lines one request of a unit's token may carry: a unit records a few facts a week
CHUNK = 500  # lines recorded per turn: between two, the process's other requests go on


class _ExactParser(FlaskParser):
    """JSON bodies with their numbers read as decimals, never as floats (settings and money are exact); a query
    parameter the operation does not know is refused (422 naming it), not ignored: ``?unti=U02`` must not
    quietly answer for every unit."""

    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE, "querystring": RAISE}

    def _raw_load_json(self, req):
        """The body read strictly (``web.bodies``): UTF-8, no key twice, decimals within bounds, not too deep."""
        if not is_json_request(req):
            return webargs_core.missing
        data = req.get_data(cache=True)
        if not data:
            return webargs_core.missing
        text = bodies.utf8_text(data)
        try:
            value = bodies.strict_json(text)
            bodies.check_value(value, numbers=True)
        except json.JSONDecodeError as exc:
            abort(400, message=f"the body is not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
        except bodies.BodyProblem as exc:
            abort(422, message=bodies.said(exc))
        return value


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = _ExactParser()

    def response(self, status_code, schema=None, **kwargs):
        """The answer's schema goes into the OpenAPI document; the answer itself is sent as the core made it,
        not dumped through the schema: exactly what the CLI's ``--json`` prints, every field, no time spent."""
        document = super().response(status_code, schema, **kwargs)

        def decorate(function):
            @wraps(function)
            def as_made(*args, **kw):
                answer = function(*args, **kw)
                return answer if isinstance(answer, Response) else current_app.json.response(answer)
            return document(as_made)
        return decorate


def _platform():
    return current_app.extensions["sankao"]


@contextmanager
def _turn():
    with current_app.extensions["sankao.lock"]:
        yield _platform()


def _who() -> Principal:
    """The principal of the request's bearer token (401 without a live one), its request counted against the
    token's rate (429 with Retry-After beyond it)."""
    if "api_principal" in g:
        return g.api_principal
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    principal = authenticate(_platform().app.recorder, token) if scheme.lower() == "bearer" else None
    if principal is None:
        challenge = 'Bearer realm="sankao"' + (', error="invalid_token"' if header else "")
        abort(401, message="no valid token: send Authorization: Bearer <token> (sankao token create); "
                           "the token is unknown or revoked" if header else "no token: send Authorization: Bearer "
                                                                          "<token> (sankao token create)",
              headers={"WWW-Authenticate": challenge})
    wait = current_app.extensions["sankao.rate"].wait(digest(token))
    if wait:
        abort(429, message=f"too many requests from the token {principal.name}: ask again in "
                           f"{math.ceil(wait)} s (SANKAO_RATE sets the rate)",
              headers={"Retry-After": str(max(1, math.ceil(wait)))})
    g.api_principal = principal
    return principal


def _writable(what: str) -> None:
    """403 when the store is served read-only (an auditor's copy): nothing can be recorded."""
    if current_app.extensions.get("sankao.read_only"):
        abort(403, message=f"the store is read-only here (a copy, or served with --read-only): {what} cannot be "
                           "recorded", code="read_only")


def _allow(principal: Principal, action: str, unit: str | None = None, what: str = "") -> None:
    if not principal.may(action, unit):
        abort(403, message=f"the token {principal.name} ({principal.role}) may not {what or action.replace('_', ' ')}")


def _known_at(args) -> datetime | None:
    value = args.get("known_at")
    return None if value is None else _moment(value, "known_at")


def _moment(value: str, field: str) -> datetime:
    try:
        return _platform().known_at(value, field)
    except ValueError as exc:
        abort(422, message=str(exc))


def _period(value: str) -> str:
    try:
        parse_period(value)
    except ValueError as exc:
        abort(422, message=str(exc))
    return value


def _responses(blueprint: Blueprint, *codes):
    """Document the error answers of an operation, each in the one shape it is sent in (``schemas.Problem``):
    ``codes``, and on every operation 401 (with WWW-Authenticate) and 429 (with Retry-After); anything else
    (405, 500, 503) is the ``default`` answer, the same shape."""
    def decorate(function):
        for code in sorted({*codes, 401, 429}):
            function = blueprint.alt_response(code, schema=schemas.Problem, description=ERRORS.get(code, ""),
                                              headers=HEADERS.get(code))(function)
        return function
    return decorate


def _tagged(blueprint: Blueprint, answer):
    """Tag an answer by what it says, the moment it was asked aside: a frozen month, a closed year or a page of
    past positions answers 304 Not Modified to a client that holds it (If-None-Match)."""
    blueprint.set_etag({k: v for k, v in answer.items() if k != "known_at"} if isinstance(answer, dict) else answer)
    return answer


# -- commands ---------------------------------------------------------------------------------------

commands = Blueprint("commands", __name__, url_prefix="/api", description="Record commands (docs/assessment.md §2, §8)")


def _unit_of(platform, command) -> str | None:
    """The unit a command concerns (its own ``unit``, or its project's) by the record's facts, never a read
    model that a rebuild empties; None for the office's commands."""
    return platform.ledger.unit_of(command)


@commands.route("/commands", methods=["POST"])
@commands.doc(requestBody={"required": True, "description": "one command of docs/assessment.md §2 as a JSON object, or many "
                           "as JSON lines (application/x-ndjson, lines split on \\n alone), recorded in order like "
                           f"`sankao load`; UTF-8. A unit's token sends at most {UNIT_MAX_LINES} lines a request",
                           "content": {"application/json": {"schema": {"type": "object"}},
                                       "application/x-ndjson": {"schema": {"type": "string"}}}})
@commands.response(200, schemas.Recorded)
@_responses(commands, 400, 403, 409, 413, 415, 422)
def post_commands():
    """Record one command (a JSON object) or many (JSON lines). A line that is not a valid command refuses the
    whole body before anything is recorded (422 names it); a line that breaks a rule of the record stops the
    recording there (422 names it; the lines before it stay recorded, `recorded` says how many). A line whose
    `id` is recorded already is skipped, so a retried request doubles nothing. Lines are recorded 500 at a time,
    the process's other requests going on between; a unit's token sends at most 1000 lines a request (413)."""
    principal = _who()
    _writable("commands")
    kind = (request.mimetype or "").lower()
    if kind not in ("application/json", "application/x-ndjson"):
        abort(415, message="send one command as application/json or many as application/x-ndjson")
    text = bodies.utf8_text(request.get_data())
    lines = [text] if kind == "application/json" else bodies.split_lines(text)
    numbered = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not numbered:
        abort(422, message="no command in the body")
    if principal.unit and len(numbered) > UNIT_MAX_LINES:
        abort(413, message=f"{len(numbered)} lines: a unit's token sends at most {UNIT_MAX_LINES} lines a request; "
                           "send the rest in further requests (ids make a retried request harmless)")
    single = kind == "application/json"
    parsed = [(number, _command(number, line, single)) for number, line in numbered]  # nothing shared: no turn
    if principal.role != "admin":
        with _turn() as platform:
            _may_record(platform, principal, parsed)
    report, behind = LoadReport(), 0
    for start in range(0, len(parsed), CHUNK):  # the turn is given up between chunks
        with _turn() as platform:
            platform.ledger.load(parsed[start:start + CHUNK], principal.name, report=report, unit=principal.unit)
            behind = _score(platform)
        if report.rejected:
            break
    if report.rejected:
        number, message = report.rejected[0]
        status = 403 if isinstance(report.refusal, CommandForbidden) else \
            409 if isinstance(report.refusal, CommandIdReused) else 422
        abort(status, message=f"line {number}: {message}" if not single else message,
              recorded=report.recorded, skipped=report.skipped)
    return {"recorded": report.recorded, "skipped": report.skipped, "scoring_behind": behind}


def _command(number: int, line: str, single: bool):
    """A line read as a command, or 422 naming the line and what is wrong with it (nothing recorded yet)."""
    where = "" if single else f"line {number}: "
    try:
        raw = decode_json(line)
        bodies.check_value(raw)
        return parse_line(raw) if isinstance(raw, dict) else parse_line(line)
    except CommandRejected as exc:
        abort(422, message=f"{where}{exc}", recorded=0, skipped=0)
    except bodies.BodyProblem as exc:
        abort(422, message=bodies.said(exc, where), recorded=0, skipped=0)
    except ValueError as exc:  # an integer longer than Python reads (core.commands lets it through)
        if "digits" not in str(exc):
            raise
        abort(422, message=f"{where}an integer of more than {bodies.MAX_INT_DIGITS} digits is more than Sankao "
                           "reads", recorded=0, skipped=0)


def _may_record(platform, principal: Principal, parsed) -> None:
    """403 naming the first line the token may not record (its unit's projects, not the office's commands)."""
    planned = {}
    for number, command in parsed:
        project = command.data.get("project")
        unit = _unit_of(platform, command) or planned.get(project)
        if command.cmd == "plan_project":
            planned[project] = command.data["unit"]
        elif unit is None and project is not None and principal.unit:
            unit = principal.unit  # a project nobody planned: the record refuses it, naming it
        if not principal.may("record", unit) if unit is not None else principal.role != "admin":
            abort(403, message=f"line {number}: the token {principal.name} ({principal.role}) may not record "
                               f"{command.cmd}" + (f" for {unit}" if unit else " (the office's command)"))


LAG_FRESH_S = 1.0  # how long a process reuses the scoring lag it measured for the header


def scoring_lag_header(answer):
    """Every answer of the API says how many facts the scores are behind the record (``Sankao-Scoring-Behind``):
    with a scoring worker, reads answer from what it has scored. Measured at most once a second per process."""
    if request.path.startswith("/api/") and "sankao" in current_app.extensions:
        cached = current_app.extensions.get("sankao.lag")
        if cached is None or time.monotonic() - cached[0] > LAG_FRESH_S:
            try:
                with _turn() as platform:
                    cached = current_app.extensions["sankao.lag"] = (time.monotonic(), platform.scoring_lag())
            except Exception:  # the store is unavailable: the answer already says so
                return answer
        answer.headers["Sankao-Scoring-Behind"] = str(cached[1])
    return answer


def _score(platform) -> int:
    """Bring the scores up to date when this process scores for itself; how far behind they are."""
    behind, _ = platform.catch_up()  # a failure leaves the rest unscored: queries say how far behind
    current_app.extensions["sankao.lag"] = (time.monotonic(), behind)  # what the header says next
    return behind


# -- queries ----------------------------------------------------------------------------------------

queries = Blueprint("queries", __name__, url_prefix="/api", description="Boards, scores, notices, annual standings")


def _verified(platform, principal: Principal, args, check) -> None:
    """A verified read when asked (``verify=true``), or by default for an auditor's token (a restated answer,
    recomputed from every fact, is then left unverified and says so): ``check(head)`` proves the answer's
    events under the head the client trusts (``trust=SIZE:ROOT``; else today's head, which the answer's
    ``Sankao-Verified-Head`` hands to the client to keep). 409 naming the position when it fails."""
    from core.audit.verified import VerificationFailed, verify_head
    asked = args.get("verify")
    if asked is False or (asked is None and (principal.role != "auditor" or args.get("restated"))):
        if asked is None and principal.role == "auditor":
            g.verified = {"Sankao-Verified": "no: a restated answer is recomputed from every fact "
                                             "(GET /api/audit/verify checks them)"}
        return
    trust = args.get("trust")
    try:
        head = verify_head(platform.app, platform.location.describe(), None,
                           (int(trust.split(":")[0]), trust.split(":")[1].lower()) if trust else None)
        done = check(head)
    except VerificationFailed as failed:
        abort(409, message=str(failed), code="verification_failed",
              **({"position": failed.position} if failed.position is not None else {}))
    g.verified = {"Sankao-Verified-Head": f"{head.size}:{head.root.hex()}",
                  "Sankao-Verified-Events": str(done["events"])}


def verified_headers(answer):
    """The verified read's headers on its answer (``_verified``)."""
    for name, value in g.pop("verified", {}).items():
        answer.headers[name] = value
    return answer


@queries.route("/boards/<period>", parameters=[schemas.PERIOD])
@queries.etag
@queries.arguments(schemas.VerifiedArgs, location="query")
@queries.response(200, schemas.Board, headers=VERIFIED)
@_responses(queries, 401, 404, 409, 422)
def get_board(args, period):
    """The board of PERIOD (as `sankao board PERIOD --json`), live, frozen, restated or as known at a time;
    verified (`verify=true`, the default for an auditor) as `sankao board PERIOD --verify`."""
    from core.audit.verified import check_board
    principal = _who()
    _allow(principal, "read_board")
    with _turn() as platform:
        period, known_at = _period(period), _known_at(args)
        answer = platform.queries.board(period, known_at, args["restated"])
        _verified(platform, principal, args,
                  lambda head: check_board(platform, answer, head, period, known_at, args["restated"]))
        return _tagged(queries, answer)


@queries.route("/units/<unit>/scores/<period>", parameters=[schemas.PERIOD])
@queries.arguments(schemas.VerifiedArgs, location="query")
@queries.response(200, schemas.Score, headers=VERIFIED)
@_responses(queries, 401, 403, 404, 409, 422)
def get_score(args, unit, period):
    """One unit's score for PERIOD, indicator by indicator (as `sankao score UNIT PERIOD --json`); verified
    (`verify=true`, the default for an auditor) as `sankao score UNIT PERIOD --verify`."""
    from core.audit.verified import check_score
    principal = _who()
    _allow(principal, "read_unit", unit, f"read {unit}'s scores")
    with _turn() as platform:
        period, known_at = _period(period), _known_at(args)
        answer = platform.queries.score(unit, period, known_at, args["restated"])
        _verified(platform, principal, args,
                  lambda head: check_score(platform, answer, head, unit, period, known_at, args["restated"]))
        return answer


@queries.route("/notices")
@queries.arguments(schemas.NoticesArgs, location="query")
@queries.response(200, schemas.Notice(many=True), headers=VERIFIED)
@_responses(queries, 401, 403, 404, 409, 422)
def get_notices(args):
    """The three letters and one sheet in recorded order (as `sankao notices --json`), of one unit with `unit`;
    verified (`verify=true`, the default for an auditor) as `sankao notices --verify`."""
    from core.audit.verified import check_notices
    principal = _who()
    unit = args.get("unit") or principal.unit
    _allow(principal, "read_notices", unit, "read other units' notices" if principal.unit else "read notices")
    with _turn() as platform:
        known_at = _known_at(args)
        answer = platform.queries.notices(unit, known_at)
        _verified(platform, principal, args, lambda head: check_notices(platform, answer, head, unit, known_at))
        return answer


@queries.route("/annual/<int:year>", parameters=[schemas.YEAR])
@queries.etag
@queries.arguments(schemas.KnownAtArgs, location="query")
@queries.response(200, schemas.Annual)
@_responses(queries, 401, 422)
def get_annual(args, year):
    """The annual standing of YEAR (docs/assessment.md §8, as `sankao annual YEAR --json`); provisional until close_year."""
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
        return _tagged(queries, [event_row(position, event) for position, event in  # a token's digest left out
                                 platform.ledger.notifications(args["after"], args["limit"], exclude=())])


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
@_responses(queries, 401)
def get_units():
    """The registered units with their latest targets and how many projects they planned."""
    _allow(_who(), "read_board")
    with _turn() as platform:
        return platform.queries.units()


@queries.route("/projects")
@queries.arguments(schemas.UnitArgs, location="query")
@queries.response(200, schemas.Project(many=True))
@_responses(queries, 401, 403, 404, 422)
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


# -- the auditor's tools (core.audit) ----------------------------------------------------------------

audit = Blueprint("audit", __name__, url_prefix="/api", description="Explain, history, proofs (docs/audit.md)")


@audit.route("/units/<unit>/explain/<period>", parameters=[schemas.PERIOD])
@audit.arguments(schemas.RestatedArgs, location="query")
@audit.response(200, schemas.Explanation)
@_responses(audit, 401, 403, 404, 422)
def get_explain(args, unit, period):
    """A unit's score taken apart (as `sankao explain UNIT PERIOD --json`)."""
    _allow(_who(), "read_unit", unit, f"read {unit}'s explanation")
    from core.audit.explain import explain
    with _turn() as platform:
        return explain(platform, unit, _period(period), _known_at(args), args["restated"])


@audit.route("/units/<unit>/history/<period>", parameters=[schemas.PERIOD])
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
        if principal.unit is not None:  # a unit reads only its own: projects of other units held are left out
            own = [p for p in answer["projects"] if p.get("unit") == principal.unit]
            if len(own) < len(answer["projects"]):
                hidden = len(answer["projects"]) - len(own)
                answer = {**answer, "projects": own, "note": " ".join(filter(None, (
                    answer.get("note"), f"{hidden} project(s) of other units held by this person are not shown "
                                        "to a unit's token (they count in the score above)")))}
        return answer


@audit.route("/audit/proofs/<int:position>", parameters=[schemas.POSITION])
@audit.arguments(schemas.ProofArgs, location="query")
@audit.response(200, schemas.Proof)
@_responses(audit, 401, 403, 404, 422)
def get_proof(args, position):
    """The inclusion proof of the event at POSITION (in the tree of `head` events, default today's)."""
    _allow(_who(), "audit", what="read proofs")
    from core.audit import log
    with _turn() as platform:
        return log.prove(platform.app, position, args.get("head"))


@audit.route("/audit/consistency/<int:old_size>", parameters=[schemas.OLD_SIZE])
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


@audit.route("/audit/export")
@audit.arguments(schemas.ExportArgs, location="query")
@audit.doc(responses={"200": {"description": "a zip of the bundle folder (events.jsonl, heads.jsonl, manifest.json, "
                                             "verify.py): unzip it and run `python3 verify.py FOLDER` anywhere",
                              "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}})
@_responses(audit, 401, 403, 422)
def get_export(args):
    """The self-contained audit bundle as a zip (as `sankao audit export FOLDER [--until TIME]`): the log up to
    the last fact recorded at or before `until` (default: all of it)."""
    import io
    import tempfile
    import zipfile
    from pathlib import Path

    from flask import send_file

    from core.audit import bundle
    _allow(_who(), "audit", what="export the record")
    until = args.get("until")
    with _turn() as platform:
        moment = None if until is None else _moment(until, "until")
        with tempfile.TemporaryDirectory(prefix="sankao-export-") as scratch:
            manifest = bundle.export(platform.app, Path(scratch) / "bundle", moment, platform.location.describe())
            name = f"sankao-audit-{manifest['size']}"
            packed = io.BytesIO()
            with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted((Path(scratch) / "bundle").iterdir()):
                    archive.write(path, f"{name}/{path.name}")
    packed.seek(0)
    return send_file(packed, mimetype="application/zip", as_attachment=True, download_name=f"{name}.zip")


# -- the rules in force (core.rules) -----------------------------------------------------------------

rules = Blueprint("rules", __name__, url_prefix="/api", description="Plugins and the rules in force")


@rules.route("/plugins")
@rules.response(200, schemas.Plugin(many=True))
@_responses(rules, 401, 403)
def get_plugins():
    """Every plugin: version, hooks, enabled, settings, since when (as `sankao plugins list --json`)."""
    _allow(_who(), "read_all", what="read the rules")
    from core.plugins import plugins_report
    with _turn() as platform:
        return plugins_report(platform.installed, platform.recorded_rules(), platform.rules_in_force())


@rules.before_request
def _rules_as_json():
    """A body that is not JSON is refused before it is read (the body's schema would only see it missing)."""
    if request.method == "POST":
        _who()
        if request.mimetype != "application/json":
            abort(415, message="send the rules as application/json")


@rules.route("/plugins", methods=["POST"])
@rules.arguments(schemas.RulesChange)
@rules.response(200, schemas.RulesChanged)
@_responses(rules, 400, 401, 403, 409, 413, 415, 422)
def post_plugins(change):
    """Put plugins and settings in force (administrators; as `sankao plugins apply --yes`), or with `dry_run`
    only show what would change: the changes, and the boards of months begun that move. Rules already in force
    record nothing, so a retried request doubles nothing."""
    principal = _who()
    _allow(principal, "admin", what="put rules in force")
    if not change["dry_run"]:
        _writable("rules")
    from core.clock import local_date, now
    from core.report import money
    from core.engine.trial import effective_date, propose
    with _turn() as platform:
        today = local_date(now(), platform.tz)
        try:
            effective = effective_date(change["effective"], today)
        except ValueError as exc:
            abort(422, message=f"effective: {exc}")
        _score(platform)
        proposal = propose(platform, {"plugins": change["plugins"]}, "plugins", effective, today)
        recorded = not proposal.unchanged and not change["dry_run"]
        if recorded:
            platform.ledger.apply_rules(proposal.proposed, proposal.effective, principal.name)
        return {"recorded": recorded, "unchanged": proposal.unchanged,
                "effective": proposal.effective.isoformat() if proposal.effective else None,
                "months": proposal.months, "changes": proposal.changes,
                "moved": _moves(proposal.moved), "restated_only": _moves(proposal.restated),
                "scoring_behind": _score(platform) if recorded else platform.scoring_lag()}


def _moves(moves: dict) -> list[dict]:
    from core.report import money
    return [{"period": period, "unit": unit, "before": None if a is None else money(a),
             "after": None if b is None else money(b)} for period, units in moves.items() for unit, a, b in units]


BLUEPRINTS = [commands, queries, audit, rules]
__all__ = ["BLUEPRINTS", "NotFound"]
