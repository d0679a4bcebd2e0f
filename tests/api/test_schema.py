"""Schemathesis drives the OpenAPI document against the app: no server errors, no violations."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import Case, GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from portcullis.auth import ROLES, Principal, issue_token

# Examples per operation and mode: enough to reach every documented status, bounded in time.
EXAMPLES = 5


@pytest.fixture(scope="module")
def every_role(app: FastAPI, agency: str) -> dict[str, str]:
    """A token holding every role, so that generated requests reach every operation's logic."""
    principal = Principal("schemathesis", "service", frozenset(ROLES), agency)
    return {"Authorization": f"Bearer {issue_token(principal, app.state.token_secret)}"}


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param(GenerationMode.POSITIVE, id="valid-input"),
        pytest.param(GenerationMode.NEGATIVE, id="invalid-input"),
    ],
)
def test_the_api_keeps_its_openapi_promises(
    app: FastAPI, every_role: dict[str, str], mode: GenerationMode
) -> None:
    # Schemathesis's own pytest loader does not run under this pytest, so each operation's
    # strategy is driven through Hypothesis directly.
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 20
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)  # fmt: skip
        def keeps_promises(case: Case) -> None:
            # A schema cannot say what makes a signature valid or an id known, so schema-valid
            # data may still be refused; every other check (server errors, status codes, content
            # types, response schemas, negative data rejected, auth enforced) applies.
            case.call_and_validate(headers=every_role, excluded_checks=[positive_data_acceptance])

        try:
            keeps_promises()
        except Unsatisfiable:
            # An operation without parameters or body has no invalid input to generate.
            assert mode is GenerationMode.NEGATIVE
