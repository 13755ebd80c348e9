"""What every resource of the API shares: the error shapes, the exact body parser, authentication, the role
checks, the store's turn, the query parameters every resource reads, the headers every answer carries."""

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

from core.record.access import Principal, authenticate, digest
from core.clock import parse_period
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


def current_platform():
    return current_app.extensions["sankao"]


@contextmanager
def turn():
    with current_app.extensions["sankao.lock"]:
        yield current_platform()


def who() -> Principal:
    """The principal of the request's bearer token (401 without a live one), its request counted against the
    token's rate (429 with Retry-After beyond it)."""
    if "api_principal" in g:
        return g.api_principal
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip()
    principal = authenticate(current_platform().app.recorder, token) if scheme.lower() == "bearer" else None
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


def writable(what: str) -> None:
    """403 when the store is served read-only (an auditor's copy): nothing can be recorded."""
    if current_app.extensions.get("sankao.read_only"):
        abort(403, message=f"the store is read-only here (a copy, or served with --read-only): {what} cannot be "
                           "recorded", code="read_only")


def allow(principal: Principal, action: str, unit: str | None = None, what: str = "") -> None:
    if not principal.may(action, unit):
        abort(403, message=f"the token {principal.name} ({principal.role}) may not {what or action.replace('_', ' ')}")


def known_at_arg(args) -> datetime | None:
    value = args.get("known_at")
    return None if value is None else moment_arg(value, "known_at")


def moment_arg(value: str, field: str) -> datetime:
    try:
        return current_platform().known_at(value, field)
    except ValueError as exc:
        abort(422, message=str(exc))


def period_arg(value: str) -> str:
    try:
        parse_period(value)
    except ValueError as exc:
        abort(422, message=str(exc))
    return value


def responses(blueprint: Blueprint, *codes):
    """Document the error answers of an operation, each in the one shape it is sent in (``schemas.Problem``):
    ``codes``, and on every operation 401 (with WWW-Authenticate) and 429 (with Retry-After); anything else
    (405, 500, 503) is the ``default`` answer, the same shape."""
    def decorate(function):
        for code in sorted({*codes, 401, 429}):
            function = blueprint.alt_response(code, schema=schemas.Problem, description=ERRORS.get(code, ""),
                                              headers=HEADERS.get(code))(function)
        return function
    return decorate


def tagged(blueprint: Blueprint, answer):
    """Tag an answer by what it says, the moment it was asked aside: a frozen month, a closed year or a page of
    past positions answers 304 Not Modified to a client that holds it (If-None-Match)."""
    blueprint.set_etag({k: v for k, v in answer.items() if k != "known_at"} if isinstance(answer, dict) else answer)
    return answer


LAG_FRESH_S = 1.0  # how long a process reuses the scoring lag it measured for the header


def scoring_lag_header(answer):
    """Every answer of the API says how many facts the scores are behind the record (``Sankao-Scoring-Behind``):
    with a scoring worker, reads answer from what it has scored. Measured at most once a second per process."""
    if request.path.startswith("/api/") and "sankao" in current_app.extensions:
        cached = current_app.extensions.get("sankao.lag")
        if cached is None or time.monotonic() - cached[0] > LAG_FRESH_S:
            try:
                with turn() as platform:
                    cached = current_app.extensions["sankao.lag"] = (time.monotonic(), platform.scoring_lag())
            except Exception:  # the store is unavailable: the answer already says so
                return answer
        answer.headers["Sankao-Scoring-Behind"] = str(cached[1])
    return answer


def scored(platform) -> int:
    """Bring the scores up to date when this process scores for itself; how far behind they are."""
    behind, _ = platform.catch_up()  # a failure leaves the rest unscored: queries say how far behind
    current_app.extensions["sankao.lag"] = (time.monotonic(), behind)  # what the header says next
    return behind


def verified_read(platform, principal: Principal, args, check) -> None:
    """A verified read when asked (``verify=true``), or by default for an auditor's token (a restated answer,
    recomputed from every fact, is then left unverified and says so): ``check(head)`` proves the answer's
    events under the head the client trusts (``trust=SIZE:ROOT``; else today's head, which the answer's
    ``Sankao-Verified-Head`` hands to the client to keep). 409 naming the position when it fails."""
    from core.audit.verified import VerificationFailed, parse_trust, verify_head
    asked, trust = args.get("verify"), args.get("trust")
    if trust is not None:  # a head given is checked: it asks for a verified read, whatever verify says
        try:
            trust = parse_trust(trust)
        except ValueError as exc:
            abort(422, message=f"trust: {exc}")
        asked = True
    if asked is False or (asked is None and (principal.role != "auditor" or args.get("restated"))):
        if asked is None and principal.role == "auditor":
            g.verified = {"Sankao-Verified": "no: a restated answer is recomputed from every fact "
                                             "(GET /api/audit/verify checks them)"}
        return
    try:
        head = verify_head(platform.app, platform.location.describe(), None, trust)
        done = check(head)
    except VerificationFailed as failed:
        abort(409, message=str(failed), code="verification_failed",
              **({"position": failed.position} if failed.position is not None else {}))
    g.verified = {"Sankao-Verified-Head": f"{head.size}:{head.root.hex()}",
                  "Sankao-Verified-Events": str(done["events"])}


def verified_headers(answer):
    """The verified read's headers on its answer (``verified_read``)."""
    for name, value in g.pop("verified", {}).items():
        answer.headers[name] = value
    return answer


@contextmanager
def serving(action: str, unit=None, what: str = "", *, recording: str | None = None):
    """The opening of every handler: the request's principal (401 without a live token, 429 beyond its rate),
    its right to ``action`` (on ``unit``; 403 saying ``what``), for a recording a store that may be written
    (403 on a read-only copy, saying ``recording``), then the platform's turn: yields ``(principal, platform)``.
    ``unit`` and ``what`` may be functions of the principal."""
    principal = who()
    allow(principal, action, unit(principal) if callable(unit) else unit,
          what(principal) if callable(what) else what)
    if recording is not None:
        writable(recording)
    with turn() as platform:
        yield principal, platform
