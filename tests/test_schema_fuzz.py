"""Schemathesis against the API's own OpenAPI description: no 5xx, and every answer as documented.

A real `accord serve` (uvicorn on a free loopback port, started with a write token) over a
real SQLite store holding the hand-made documents of test_api and the hostile ones of
test_security_web. Schemathesis reads /api/openapi.json from that server and, for every
operation, generates requests that fit the schema and requests that do not (MAX_EXAMPLES
of each, so the whole run stays well under a minute), sends them over HTTP and runs its
default checks: no server error, status code, content type, headers and body as the
schema documents them, invalid input rejected. The write endpoint is fuzzed without the
token, so the store must be unchanged at the end.

Schemathesis's pytest integration is not used (its lazy fixture loader touches a pytest
attribute that pytest 9 no longer has); its Python API drives Hypothesis directly.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from accord.store.database import Store  # noqa: E402
from test_api import TOKEN, Server, handmade_documents, serving  # noqa: E402
from test_security_web import hostile_documents, store_digest  # noqa: E402

MAX_EXAMPLES = int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "25"))
"""Examples per operation and generation mode."""

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    db = tmp_path_factory.mktemp("fuzz") / "accord.db"
    with Store(db) as store:
        for clean, extraction in [*handmade_documents(), *hostile_documents()]:
            store.add(clean, extraction)
    yield from serving(db)


def _fuzz(operation, mode: GenerationMode, calls: Counter, headers: dict | None = None,
          excluded: tuple = (), about_a_known_fact: bool = False) -> str | None:
    """Run MAX_EXAMPLES cases of `operation` in `mode`; the failure Hypothesis reports, or None.

    With `about_a_known_fact` (for valid requests only: it could mend an invalid one), each
    generated review is made about a fact the store holds, so that it gets past the look-up
    of the fact to the code that records it.
    """
    strategy = operation.as_strategy(generation_mode=mode)
    if about_a_known_fact:
        strategy = strategy.map(_about_a_known_fact)

    @given(case=strategy)
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def check(case) -> None:
        response = case.call_and_validate(headers=headers, excluded_checks=list(excluded), timeout=30)
        calls[response.status_code] += 1
        assert response.status_code < 500, (case.method, case.formatted_path, response.status_code)

    try:
        check()
    except Unsatisfiable:
        assert mode == GenerationMode.NEGATIVE, operation.path
        return None  # an operation without parameters or body: no request can be invalid
    except (Exception, BaseExceptionGroup) as e:  # the (shrunk) failing case: a check failure or a group of them
        return f"{operation.method.upper()} {operation.path} ({mode.value}): {str(e)[:1500]}"
    return None


def _about_a_known_fact(case):
    if isinstance(case.body, dict):
        case.body |= {"actor": "FRA", "action": "sign", "target_key": "harbour-accord"}
    return case


def test_api_conforms_to_its_schema(server: Server) -> None:
    before = store_digest(server.db)  # taken once the server has readied its search index
    schema = schemathesis.openapi.from_url(server.url + "/api/openapi.json")
    statuses: Counter[int] = Counter()
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failure = _fuzz(operation, mode, statuses)
            if failure:
                failures.append(failure)
    print(f"\nschemathesis: {sum(statuses.values())} requests over {operations} operations, positive and "
          f"negative (max_examples={MAX_EXAMPLES} each); statuses {dict(sorted(statuses.items()))}")
    assert failures == [], "\n\n".join(failures)
    assert operations >= 15 and statuses[200] > 0 and statuses[422] > 0
    assert store_digest(server.db) == before, "fuzzing without the token changed the store"


def test_the_schema_documents_every_api_route(server: Server) -> None:
    """No route escapes the fuzzing by being left out of the description."""
    schema = schemathesis.openapi.from_url(server.url + "/api/openapi.json")
    documented = {(r.ok().method.upper(), r.ok().path) for r in schema.get_all_operations()}
    from accord.web.api import router

    routes = {(m, r.path) for r in router.routes for m in r.methods if r.include_in_schema}
    assert routes <= documented, routes - documented


def test_reviews_with_the_token_never_fail_on_the_server(server: Server) -> None:
    """The write endpoint fuzzed with the token: whatever the body, an answer as documented, never a 5xx.

    A review that fits the schema may still break a rule no schema states (a reject changes
    nothing, the fact must exist, a date must be a real day): the answer is then 400 or 404
    with the reason, so schemathesis's check that schema-valid data is accepted is left out.
    Runs after the tests above, since the reviews it manages to record change the store.
    """
    schema = schemathesis.openapi.from_url(server.url + "/api/openapi.json")
    (operation,) = [r.ok() for r in schema.get_all_operations() if r.ok().method.upper() == "POST"]
    statuses: Counter[int] = Counter()
    auth = {"Authorization": f"Bearer {TOKEN}", "Origin": server.url}
    runs = [(GenerationMode.POSITIVE, False), (GenerationMode.POSITIVE, True), (GenerationMode.NEGATIVE, False)]
    failures = [f for mode, known in runs if (f := _fuzz(operation, mode, statuses, auth, (positive_data_acceptance,), known))]
    print(f"\nschemathesis, reviews with the token: {sum(statuses.values())} requests; "
          f"statuses {dict(sorted(statuses.items()))}")
    assert failures == [], "\n\n".join(failures)
    assert statuses[201] > 0 and statuses[400] + statuses[404] > 0  # past the token: reviews stored, and refused
