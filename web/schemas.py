"""The web API's bodies and answers: marshmallow schemas, module-level, one per shape (docs/assessment.md §7, §8)."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

S, I, B = fields.String, fields.Integer, fields.Boolean

# What the operations accept, said exactly in the document (a generated request the document allows is answered,
# one it does not is refused): years 1900 to 9999 as core.clock reads them.
YEARS = r"^(19|[2-9][0-9])[0-9]{2}-"
MOMENT = {"type": "string", "pattern": YEARS, "anyOf": [{"format": "date"}, {"format": "date-time"}]}
PERIOD = {"in": "path", "name": "period", "required": True, "description": "a month, YYYY-MM (years 1900 to 9999)",
          "schema": {"type": "string", "pattern": r"^(19|[2-9][0-9])[0-9]{2}-(0[1-9]|1[0-2])$"}}
YEAR = {"in": "path", "name": "year", "required": True, "schema": {"type": "integer", "minimum": 1900, "maximum": 9999}}
POSITION = {"in": "path", "name": "position", "required": True, "description": "a position of the log, from 1",
            "schema": {"type": "integer", "minimum": 1}}
OLD_SIZE = {"in": "path", "name": "old_size", "required": True, "description": "the size of a tree published earlier",
            "schema": {"type": "integer", "minimum": 0}}


class KnownAtArgs(Schema):
    class Meta:
        unknown = RAISE

    known_at = S(metadata={"description": "ISO 8601 with offset, or a local date YYYY-MM-DD meaning its end", **MOMENT})


class RestatedArgs(KnownAtArgs):
    restated = B(load_default=False)


HEAD = r"^(0:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855|0*[1-9][0-9]*:[0-9a-fA-F]{64})$"  # size 0: only
# the empty log's root


class VerifiedOnlyArgs(KnownAtArgs):
    verify = B(metadata={"description": "a verified read (docs/audit.md): every event the answer is made of is "
                                        "proved in the Merkle tree under a head the client trusts; 409 naming the "
                                        "position of what was altered. Default: true for an auditor's token"})
    trust = S(validate=validate.Regexp(HEAD, error="a head written SIZE:ROOT (a size and 64 hex digits)"),
              metadata={"description": "the head the client trusts (SIZE:ROOT, from the Sankao-Verified-Head of its "
                                       "last verified answer, or a published bulletin): today's log must extend it; "
                                       "a head given asks for a verified read, whatever verify says"})


class VerifiedArgs(VerifiedOnlyArgs):
    restated = B(load_default=False)


class ProjectsArgs(Schema):
    class Meta:
        unknown = RAISE

    unit = S()
    verify = VerifiedOnlyArgs._declared_fields["verify"]
    trust = VerifiedOnlyArgs._declared_fields["trust"]


class NoticesArgs(VerifiedOnlyArgs):
    unit = S()


class EventsArgs(Schema):
    class Meta:
        unknown = RAISE

    after = I(load_default=0, validate=validate.Range(min=0, max=2 ** 62))
    limit = I(load_default=100, validate=validate.Range(min=1, max=1000))


class Head(Schema):
    size = I(required=True)
    root = S(required=True)


class Entry(Schema):
    unit = S(required=True)
    rank = I(required=True)
    third = S(required=True)
    base = S(required=True)
    coefficient = S(required=True)
    deduction = S(required=True)
    final = S(required=True)
    signed_amount = S(required=True)
    streak = I(allow_none=True)
    accountability = S(allow_none=True)
    commended = B(allow_none=True)


class Board(Schema):
    period = S(required=True)
    known_at = S(required=True)
    frozen = B(required=True)
    spread = S(required=True)
    units = fields.List(fields.Nested(Entry), required=True)
    head = fields.Nested(Head)


class Indicator(Schema):
    plugin = S(required=True)
    value = S(required=True)
    target = S(required=True)
    ratio = S(required=True)
    weight = S(required=True)
    score = S(required=True)


class Score(Entry):
    period = S(required=True)
    known_at = S(required=True)
    frozen = B(required=True)
    indicators = fields.List(fields.Nested(Indicator), required=True)


class Notice(Schema):
    unit = S(required=True)
    case = S(required=True)
    level = S(required=True)
    date = S(required=True)
    lag = S(allow_none=True)
    points = S(required=True)
    outcome = S(allow_none=True)


class AnnualUnit(Schema):
    unit = S(required=True)
    rank = I(required=True)
    third = S(required=True)
    score = S(required=True)
    months = S(required=True)
    signed_amount = S(required=True)
    excellent_share = S(required=True)
    poor_share = S(required=True)


class AnnualPerson(Schema):
    person = S(required=True)
    unit = S(required=True)
    level = S(required=True)
    score = S(required=True)
    landed = S(required=True)
    withdrawn = S(required=True)
    grade = S(required=True)
    level_rank = I(required=True)
    level_third = S(required=True)


class Annual(Schema):
    year = I(required=True)
    closed = B(required=True)
    through = S(allow_none=True, required=True)
    known_at = S(required=True)
    units = fields.List(fields.Nested(AnnualUnit), required=True)
    people = fields.List(fields.Nested(AnnualPerson), required=True)
    head = fields.Nested(Head)


class Event(Schema):
    position = I(required=True)
    type = S(required=True)
    recorded_at = S(required=True)
    actor = S(allow_none=True)
    command_id = S(required=True)
    data = fields.Dict(required=True)


class AuditHead(Schema):
    size = I(required=True)
    root = S(required=True)
    log_size = I(required=True)


class Recorded(Schema):
    recorded = I(required=True, metadata={"description": "commands recorded"})
    skipped = I(required=True, metadata={"description": "commands whose id was recorded before (not doubled)"})
    scoring_behind = I(required=True, metadata={"description": "facts the scores have not taken in yet"})


class Problem(Schema):
    class Detail(Schema):
        status = I(required=True)
        code = S(required=True)
        message = S(required=True)
        recorded = I(metadata={"description": "POST /api/commands: the lines recorded before the one refused"})
        skipped = I(metadata={"description": "POST /api/commands: the lines skipped (their id recorded already)"})
        position = I(metadata={"description": "a verified read that failed: the log position of what was altered"})

    error = fields.Nested(Detail, required=True)


class YearArgs(KnownAtArgs):
    year = I(validate=validate.Range(min=1900, max=9999),
             metadata={"description": "default: the latest year with a month closed"})


class PersonArgs(VerifiedOnlyArgs):
    year = I(validate=validate.Range(min=1900, max=9999),
             metadata={"description": "default: the latest year with a month closed"})


class ProofArgs(Schema):
    class Meta:
        unknown = RAISE

    head = I(validate=validate.Range(min=1), metadata={"description": "the size of a head published earlier"})


class ConsistencyArgs(Schema):
    class Meta:
        unknown = RAISE

    root = S(validate=validate.Regexp(r"^[0-9a-fA-F]{64}$", error="must be 64 hexadecimal digits"),
             metadata={"description": "the root published at that size"})


class Explanation(Schema):
    """``sankao explain --json``: the score taken apart (docs/audit.md)."""

    unit = S(required=True)
    period = S(required=True)
    known_at = S(required=True)
    frozen = B(required=True)
    restated = B(required=True)
    rank = I(allow_none=True)
    third = S(allow_none=True)
    final = S(required=True)
    base = S(required=True)
    coefficient = S(required=True)
    deduction = S(required=True)
    signed_amount = S(required=True)
    formula = S(required=True)
    indicators = fields.List(fields.Dict(), required=True)
    coefficient_and_deduction = fields.Dict(required=True)
    recorded = fields.Dict(required=True)
    rules = fields.Dict(required=True)
    checks = fields.Dict(keys=S(), values=B(), required=True)


class History(Schema):
    unit = S(required=True)
    period = S(required=True)
    changes = fields.List(fields.Dict(), required=True)
    frozen = fields.Dict(allow_none=True)


class Person(Schema):
    person = S(required=True)
    name = S(required=True)
    unit = S(required=True)
    level = S(required=True)
    year = I(required=True)
    closed = B(required=True)
    through = S(allow_none=True, required=True)
    known_at = S(required=True)
    standing = fields.Nested(AnnualPerson, allow_none=True, required=True)
    unit_standing = fields.Dict(allow_none=True, required=True)
    policy = S(required=True)
    settings = fields.Dict(required=True)
    projects = fields.List(fields.Dict(), required=True)
    note = S(allow_none=True)


class Proof(Schema):
    kind = S(required=True)
    size = I(required=True)
    root = S(required=True)
    position = I()
    leaf = S()
    path = fields.List(S())
    old_size = I()
    old_root = S()
    proof = fields.List(S())
    published_root_matches = B()


class Verdict(Schema):
    ok = B(required=True)
    size = I(required=True)
    root = S(required=True)
    heads = I(required=True)
    problems = fields.List(fields.Dict(), required=True)


class Unit(Schema):
    unit = S(required=True)
    name = S(required=True)
    category = S(required=True)
    projects = I(required=True)
    year = I(allow_none=True)
    annual = S(allow_none=True)


class Project(Schema):
    project = S(required=True)
    unit = S(required=True)
    name = S(required=True)
    stage = S(required=True)
    planned_on = S(required=True)
    signed_on = S(allow_none=True)
    signed_amount = S(allow_none=True)
    landed_on = S(allow_none=True)
    started_on = S(allow_none=True)
    withdrawn_on = S(allow_none=True)


class ExportArgs(Schema):
    class Meta:
        unknown = RAISE

    until = S(metadata={"description": "only the log up to the last fact recorded at or before this time (ISO 8601 "
                                       "with offset, or a local date YYYY-MM-DD meaning its end)", **MOMENT})


class UnitArgs(Schema):
    class Meta:
        unknown = RAISE

    unit = S()


class Plugin(Schema):
    name = S(required=True)
    version = S(required=True)
    hooks = fields.List(S(), required=True)
    enabled = B(required=True)
    settings = fields.Dict(allow_none=True, required=True)
    since = S(allow_none=True, required=True)
    recorded = B(required=True)
    installed = B(required=True)


class RulesChange(Schema):
    """A plugins.toml as JSON: ``{"plugins": {NAME: {"enabled": ..., SETTING: ...}}}`` (numbers read exactly, as
    decimals), in force from ``effective``."""
    class Meta:
        unknown = RAISE

    plugins = fields.Dict(keys=S(), values=fields.Dict(), required=True, metadata={
        "description": "the [plugins.NAME] tables of a plugins.toml: tables it leaves out, and keys a table leaves "
                       "out, keep their values"})
    effective = S(load_default=None, validate=validate.Regexp(r"^(start|\d{4}-\d{2}-\d{2})$", error=(
        "must be a date YYYY-MM-DD or 'start' (every month ever assessed)")), metadata={
        "description": "the first business date the rules apply to (default: today in the assessment time zone)"})
    dry_run = B(load_default=False, metadata={"description": "only show what would change; record nothing"})


class Move(Schema):
    period = S(required=True)
    unit = S(required=True)
    before = S(allow_none=True, required=True, metadata={"description": "final now (null: not on that board)"})
    after = S(allow_none=True, required=True, metadata={"description": "final under the rules (null: off it)"})


class RulesChanged(Schema):
    recorded = B(required=True)
    unchanged = B(required=True, metadata={"description": "the rules are in force already: nothing to record"})
    effective = S(allow_none=True, required=True)
    months = S(required=True)
    changes = fields.List(S(), required=True)
    moved = fields.List(fields.Nested(Move), required=True,
                        metadata={"description": "open months whose board would move"})
    restated_only = fields.List(fields.Nested(Move), required=True,
                                metadata={"description": "closed months: the frozen board stays; only the "
                                                         "restated board (`restated=true`) would move"})
    scoring_behind = I(required=True)
