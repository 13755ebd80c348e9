"""schemathesis against /api/openapi.json with an admin token, every one of its checks on: no 5xx, no answer that
breaks its declared schema, headers or content type, no status code the document does not declare, requests the
document allows answered and requests it does not allow refused, and a request without the token refused."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="pip install -e '.[test]' installs schemathesis")

from conftest import SCENARIOS, web_app_with, write_lines  # noqa: E402

EXAMPLES = 6  # generated requests per operation and mode: a few, so that the whole walk takes seconds

# A command or a rules change that the document allows may still break a rule of the record (a project nobody
# planned, a month closed, weights adding up to 0): 422 naming the rule is the documented answer there, so for
# these two operations (only) a schema-valid request may be answered 422 too. Every other check is as shipped.
RECORD_RULES = {"operations": [{
    "include-name": ["POST /api/commands", "POST /api/plugins"],
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422",
                                                                   "429"]}}}]}


SUPERVISED = SCENARIOS / "year2023-supervision"  # the shared year with supervision (docs/assessment.md §9)
REJECTED = {73, 81, 121, 145, 414, 554}  # the lines of it the contract rejects (its README)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    lines = (SUPERVISED / "commands.jsonl").read_text(encoding="utf-8").splitlines()
    accepted = write_lines(folder / "accepted.jsonl", [x for n, x in enumerate(lines, 1) if n not in REJECTED])
    app, _ = web_app_with(folder, accepted)
    platform = app.extensions["sankao"]
    token = platform.ledger.issue_token("fuzzer", "admin", "test")
    yield app, token
    platform.close()


@pytest.fixture(scope="module")
def api_schema(api):
    from schemathesis.config import SchemathesisConfig
    app, _ = api
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=SchemathesisConfig.from_dict(RECORD_RULES))


def test_no_request_breaks_the_api(api_schema, api):
    """Every operation, EXAMPLES requests the document allows and EXAMPLES it does not, every check of
    schemathesis (schemathesis's pytest plugin does not run on pytest 9: the operations are walked here with
    hypothesis directly, derandomized so that a run is repeatable)."""
    from hypothesis import HealthCheck, given, settings
    from schemathesis import GenerationMode
    app, token = api
    failures, walked = [], set()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        walked.add(f"{operation.method.upper()} {operation.path}")
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def check(case):
                case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
            try:
                check()
            except (Exception, BaseExceptionGroup) as exc:  # every operation's first failure, then all reported
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}): {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
    document = app.test_client().get("/api/openapi.json").json
    assert walked == {f"{m.upper()} {path}" for path, ops in document["paths"].items() for m in ops if m != "parameters"}
    assert {"GET /api/supervision/{period}", "POST /api/commands"} <= walked
