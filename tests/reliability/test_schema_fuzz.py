"""Schemathesis over rostra's OpenAPI schema: every operation, with zero 5xx and zero answers that
break the documented response schema (issue 5 §3).

Each operation is fuzzed twice, anonymously and with an admin token (so the authenticated
handlers see generated input too, not only the 401 in front of them), and the Perspective
operations a third time with a key of role ``perspective`` (the only key they accept; an admin
token meets a 403 there). The example count is bounded (``ROSTRA_FUZZ_EXAMPLES``, default 12
per operation and caller) so the file runs in about a minute in ``make test``;
``ROSTRA_FUZZ_EXAMPLES=300`` runs a deeper pass.

Schemathesis's pytest plugin does not collect with this pytest, so the operations are walked
here and each one is driven by Hypothesis directly with the operation's own strategy.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from .conftest import World

FUZZ_EXAMPLES = int(os.environ.get("ROSTRA_FUZZ_EXAMPLES", "12"))
#: Operations only a key of role ``perspective`` gets past the key check of.
PERSPECTIVE_PREFIX = "/perspective/"


def _fuzz(world: World, operation: Any, caller: str, statuses: set[int]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case: Any) -> None:
        world.client.cookies.clear()
        headers = {**(case.headers or {}), **world.headers_for(caller)}
        response = case.call(headers=headers)
        statuses.add(response.status_code)
        case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

    run()


def _operations(world: World) -> list[Any]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    return [result.ok() for result in schema.get_all_operations()]


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("caller", ["anonymous", "admin_token"])
def test_no_generated_input_breaks_any_operation(world: World, caller: str) -> None:
    operations = _operations(world)
    assert len(operations) >= 25, "the schema lost operations"
    failures: list[str] = []
    reached: list[str] = []
    for operation in operations:
        statuses: set[int] = set()
        try:
            _fuzz(world, operation, caller, statuses)
        except Exception as exc:  # report every failing operation, not only the first
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
        if any(200 <= status < 300 for status in statuses):
            reached.append(operation.label)
    assert not failures, "\n\n".join(failures)
    # Generated input must get past validation somewhere, or the fuzzer only saw 4xx walls.
    assert len(reached) >= (10 if caller == "admin_token" else 3), reached


@pytest.mark.filterwarnings("ignore")
def test_no_generated_input_breaks_the_perspective_operations(world: World) -> None:
    """With a perspective key, generated bodies reach the handlers behind the key check."""
    operations = [op for op in _operations(world) if op.path.startswith(PERSPECTIVE_PREFIX)]
    posts = {op.label for op in operations if op.method.upper() == "POST"}
    assert len(posts) == 2, "the Perspective routes left the schema"
    for operation in operations:
        if operation.method.upper() == "POST":
            # The body is read raw (to answer in Google's envelope) but documented.
            assert operation.body, f"{operation.label} documents no request body"
    failures: list[str] = []
    statuses: dict[str, set[int]] = {}
    for operation in operations:
        seen = statuses.setdefault(operation.label, set())
        try:
            _fuzz(world, operation, "perspective", seen)
        except Exception as exc:
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
    for label in posts:
        # Past the key check: answers other than the 403 a wrong key gets, and some accepted.
        assert statuses[label] - {403}, (label, statuses[label])
        assert any(200 <= status < 300 for status in statuses[label]), (label, statuses[label])
