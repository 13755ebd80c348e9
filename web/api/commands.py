"""The commands resource: recording one command or many (docs/assessment.md §2, §8)."""

from __future__ import annotations


from flask import request
from flask_smorest import abort

from core.record.access import refusal
from core.record.supervision import SUPERVISOR_COMMANDS
from core.record.commands import decode_json, parse_line
from core.errors import CommandForbidden, CommandIdReused, CommandRejected
from core.record.ledger import LoadReport
from web import bodies, schemas
from web.api.base import Blueprint, responses, scored, turn, who, writable

UNIT_MAX_LINES = 1000  # lines one request of a unit's token may carry: a unit records a few facts a week
CHUNK = 500  # lines recorded per turn: between two, the process's other requests go on


commands = Blueprint("commands", __name__, url_prefix="/api", description="Record commands (docs/assessment.md §2, §8)")


@commands.route("/commands", methods=["POST"])
@commands.doc(requestBody={"required": True, "description": "one command of docs/assessment.md §2 as a JSON object, or many "
                           "as JSON lines (application/x-ndjson, lines split on \\n alone), recorded in order like "
                           f"`sankao load`; UTF-8. A unit's token sends at most {UNIT_MAX_LINES} lines a request",
                           "content": {"application/json": {"schema": {"type": "object"}},
                                       "application/x-ndjson": {"schema": {"type": "string"}}}})
@commands.response(200, schemas.Recorded)
@responses(commands, 400, 403, 409, 413, 415, 422)
def post_commands():
    """Record one command (a JSON object) or many (JSON lines). A line that is not a valid command refuses the
    whole body before anything is recorded (422 names it); a line that breaks a rule of the record stops the
    recording there (422 names it; the lines before it stay recorded, `recorded` says how many). A line whose
    `id` is recorded already is skipped, so a retried request doubles nothing. Lines are recorded 500 at a time,
    the process's other requests going on between; a unit's token sends at most 1000 lines a request (413)."""
    principal = who()
    writable("commands")
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
        with turn() as platform:
            refused = refusal(principal, parsed, platform.ledger.unit_of)
        if refused is not None:
            number, command, unit = refused
            why = (" (a supervisor's token records " + ", ".join(sorted(SUPERVISOR_COMMANDS)) + " only)"
                   if principal.role == "supervisor" else f" for {unit}" if unit else
                   " (a unit records its own self-check)" if command.cmd == "self_check" else " (the office's command)")
            abort(403, message=f"line {number}: the token {principal.name} ({principal.role}) may not record "
                               f"{command.cmd}{why}")
    report, behind = LoadReport(), 0
    for start in range(0, len(parsed), CHUNK):  # the turn is given up between chunks
        with turn() as platform:
            platform.ledger.load(parsed[start:start + CHUNK], principal.name, report=report, unit=principal.unit)
            behind = scored(platform)
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
    except ValueError as exc:  # an integer longer than Python reads (core.record.commands lets it through)
        if "digits" not in str(exc):
            raise
        abort(422, message=f"{where}an integer of more than {bodies.MAX_INT_DIGITS} digits is more than Sankao "
                           "reads", recorded=0, skipped=0)
