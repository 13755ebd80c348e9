"""The auditor's tools: explain, history, people, proofs, verify, export (docs/audit.md)."""

from __future__ import annotations



from web import schemas
from web.api.base import (VERIFIED, Blueprint, allow, known_at_arg, moment_arg, period_arg, responses, serving, turn,
                          verified_read, who)


audit = Blueprint("audit", __name__, url_prefix="/api", description="Explain, history, proofs (docs/audit.md)")


@audit.route("/units/<unit>/explain/<period>", parameters=[schemas.PERIOD])
@audit.arguments(schemas.RestatedArgs, location="query")
@audit.response(200, schemas.Explanation)
@responses(audit, 401, 403, 404, 422)
def get_explain(args, unit, period):
    """A unit's score taken apart (as `sankao explain UNIT PERIOD --json`)."""
    from core.audit.explain import explain
    with serving("read_unit", unit, f"read {unit}'s explanation") as (_, platform):
        return explain(platform, unit, period_arg(period), known_at_arg(args), args["restated"])


@audit.route("/units/<unit>/history/<period>", parameters=[schemas.PERIOD])
@audit.response(200, schemas.History)
@responses(audit, 401, 403, 404, 422)
def get_history(unit, period):
    """Every change of a unit's figures for a month over recorded time (as `sankao history --json`)."""
    from core.audit.explain import history
    with serving("read_unit", unit, f"read {unit}'s history") as (_, platform):
        return history(platform, unit, period_arg(period))


@audit.route("/people/<person>")
@audit.arguments(schemas.PersonArgs, location="query")
@audit.response(200, schemas.Person, headers=VERIFIED)
@responses(audit, 401, 403, 404, 409, 422)
def get_person(args, person):
    """What a person holds and how their annual score is made (as `sankao person PERSON [YEAR] --json`);
    verified (`verify=true`, the default for an auditor) as `sankao person PERSON --verify`."""
    from core.audit.verified_lists import check_person
    principal = who()
    with turn() as platform:
        known_at = known_at_arg(args)
        answer = platform.queries.person(person, args.get("year"), known_at)
        allow(principal, "read_unit", answer["unit"], f"read {answer['unit']}'s people")
        verified_read(platform, principal, args,
                      lambda head: check_person(platform, answer, head, known_at, args.get("year")))
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
@responses(audit, 401, 403, 404, 422)
def get_proof(args, position):
    """The inclusion proof of the event at POSITION (in the tree of `head` events, default today's)."""
    from core.audit import log
    with serving("audit", what="read proofs") as (_, platform):
        return log.prove(platform.app, position, args.get("head"))


@audit.route("/audit/consistency/<int:old_size>", parameters=[schemas.OLD_SIZE])
@audit.arguments(schemas.ConsistencyArgs, location="query")
@audit.response(200, schemas.Proof)
@responses(audit, 401, 403, 404, 422)
def get_consistency(args, old_size):
    """The proof that the log of OLD_SIZE events is a prefix of today's; with `root`, whether it matches."""
    from core.audit import log
    with serving("audit", what="read proofs") as (_, platform):
        root = args.get("root")
        return log.consistency(platform.app, old_size, root.lower() if root else None)


@audit.route("/audit/verify")
@audit.response(200, schemas.Verdict)
@responses(audit, 401, 403)
def get_verify():
    """Recompute the whole tree from the stored events and compare it with the tree and every recorded head
    (as `sankao audit verify --json`; `ok` false names the first position that does not match)."""
    from core.audit import log
    with serving("audit", what="verify the record") as (_, platform):
        verdict = log.verify(platform.app, workers=0)
        return {"ok": verdict.ok, "size": verdict.size, "root": verdict.root, "heads": verdict.heads,
                "problems": [{"position": p, "kind": k, "what": w} for p, k, w in verdict.problems]}


@audit.route("/audit/export")
@audit.arguments(schemas.ExportArgs, location="query")
@audit.doc(responses={"200": {"description": "a zip of the bundle folder (events.jsonl, heads.jsonl, manifest.json, "
                                             "verify.py): unzip it and run `python3 verify.py FOLDER` anywhere",
                              "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}}}})
@responses(audit, 401, 403, 422)
def get_export(args):
    """The self-contained audit bundle as a zip (as `sankao audit export FOLDER [--until TIME]`): the log up to
    the last fact recorded at or before `until` (default: all of it)."""
    import io
    import tempfile
    import zipfile
    from pathlib import Path

    from flask import send_file

    from core.audit import bundle
    with serving("audit", what="export the record") as (_, platform):
        until = args.get("until")
        moment = None if until is None else moment_arg(until, "until")
        with tempfile.TemporaryDirectory(prefix="sankao-export-") as scratch:
            manifest = bundle.export(platform.app, Path(scratch) / "bundle", moment, platform.location.describe())
            name = f"sankao-audit-{manifest['size']}"
            packed = io.BytesIO()
            with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted((Path(scratch) / "bundle").iterdir()):
                    archive.write(path, f"{name}/{path.name}")
    packed.seek(0)
    return send_file(packed, mimetype="application/zip", as_attachment=True, download_name=f"{name}.zip")
