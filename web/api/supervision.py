"""Supervision (docs/assessment.md §9): a month's self-checks, spot checks and special assessments, as
``sankao supervision PERIOD --json``. A unit's token sees its own line and its own sampled projects."""

from __future__ import annotations

from marshmallow import Schema, fields

from web import schemas
from web.api.base import VERIFIED, Blueprint, known_at_arg, period_arg, responses, serving, verified_read

S, I, B = fields.String, fields.Integer, fields.Boolean

supervision = Blueprint("supervision", __name__, url_prefix="/api",
                        description="Supervision: self-checks, spot checks, special assessments (docs/assessment.md §9)")


class UnitLine(Schema):
    unit = S(required=True)
    self_check = S(allow_none=True, required=True, metadata={"description": "the date of the unit's self-check"})
    on_time = B(allow_none=True, required=True)
    points_self_check = S(required=True, metadata={"description": "for the self-check of the month before"})
    points_misreport = S(required=True)
    points_special = S(required=True)
    listed = B(required=True, metadata={"description": "under listed supervision (挂牌督战) at the month's end"})


class Sampled(Schema):
    project = S(required=True)
    unit = S(required=True)
    result = S(allow_none=True, required=True, metadata={"description": "confirmed or misreported; null: pending"})
    result_date = S(allow_none=True, required=True)


class Draw(Schema):
    draw = S(required=True)
    date = S(required=True)
    size = I(required=True)
    candidates = I(required=True)
    seed = S(required=True, metadata={"description": "SIZE:ROOT when the seed is a head of the log's Merkle tree"})
    sample = fields.List(fields.Nested(Sampled), required=True)


class Supervision(Schema):
    period = S(required=True)
    known_at = S(required=True)
    frozen = B(required=True)
    self_checks_required = B(required=True)
    units = fields.List(fields.Nested(UnitLine), required=True)
    draws = fields.List(fields.Nested(Draw), required=True)


def own_part(answer: dict, unit: str) -> dict:
    """What a unit's token sees of an answer: its own line, and of each draw its own sampled projects."""
    return {**answer, "units": [u for u in answer["units"] if u["unit"] == unit],
            "draws": [{**d, "sample": [s for s in d["sample"] if s["unit"] == unit]} for d in answer["draws"]]}


@supervision.route("/supervision/<period>", parameters=[schemas.PERIOD])
@supervision.arguments(schemas.VerifiedOnlyArgs, location="query")
@supervision.response(200, Supervision, headers=VERIFIED)
@responses(supervision, 401, 403, 404, 409, 422)
def get_supervision(args, period):
    """PERIOD's supervision (as `sankao supervision PERIOD --json`): each unit's self-check and the parts of its
    supervision deduction, listings, the month's spot checks with their samples and findings. A unit's token
    sees its own line and its own sampled projects. Verified (`verify=true`, the default for an auditor) as
    `sankao supervision PERIOD --verify`."""
    from core.audit.verified_supervision import check_supervision
    with serving("read_supervision", lambda p: p.unit, "read other units' supervision") as (principal, platform):
        period, known_at = period_arg(period), known_at_arg(args)
        answer = platform.queries.supervision(period, known_at)
        verified_read(platform, principal, args,
                      lambda head: check_supervision(platform, answer, head, period, known_at))
        return own_part(answer, principal.unit) if principal.unit else answer
