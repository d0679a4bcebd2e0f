from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from portcullis.programs import Program, parse_citation

KEY = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="


def document(program: Program, **changes: Any) -> dict[str, Any]:
    return {**program.model_dump(mode="json"), **changes}


@pytest.mark.parametrize(
    ("changes", "names"),
    [
        pytest.param({"allowed_statutes": ["26 U.S.C. 7201"]}, "tax statute", id="title-26"),
        pytest.param({"allowed_statutes": ["8 U.S.C. 1227(a)(1)(B)"]}, "civil", id="removability"),
        pytest.param({"allowed_statutes": []}, "allowed_statutes", id="no-statutes"),
        pytest.param({"allowed_statutes": ["INA 243"]}, "not a U.S.C.", id="not-a-citation"),
        pytest.param({"legal_basis": "26 U.S.C. 6103(h)"}, "6103", id="other-basis"),
        pytest.param({"release_fields": ["street", "income"]}, "income", id="non-identity"),
        pytest.param({"witness_quorum": 2}, "witness_quorum", id="quorum-above-witnesses"),
        pytest.param(
            {"witnesses": [{"name": "w", "public_key": KEY}, {"name": "w", "public_key": KEY}]},
            "twice",
            id="witness-twice",
        ),
        pytest.param({"signer_policy": "agency_head_only"}, "component head", id="policy"),
        pytest.param({"term": {"start": "2026-01-01", "end": "2025-01-01"}}, "term", id="term"),
        pytest.param({"surprise": 1}, "surprise", id="unknown-key"),
        pytest.param({"id": "ICE program"}, "id", id="bad-id"),
    ],
)
def test_an_unlawful_or_inconsistent_program_is_refused(
    changes: dict[str, Any], names: str, program: Program
) -> None:
    with pytest.raises(ValidationError, match=names):
        Program.model_validate(document(program, **changes))


def test_statutes_are_kept_in_their_normal_spelling(program: Program) -> None:
    changed = Program.model_validate(
        document(program, allowed_statutes=["8 USC § 1326(a)", "8 U.S.C. 1326(a)"])
    )
    assert changed.allowed_statutes == ("8 U.S.C. 1326(a)",)


def test_the_program_is_frozen(program: Program) -> None:
    with pytest.raises(ValidationError):
        program.address_must_agree = True


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        pytest.param({}, "active", id="active"),
        pytest.param(
            {"suspension": {"order_reference": "No. 1", "since": "2026-01-01"}},
            "suspended",
            id="suspended",
        ),
        pytest.param(
            {"safeguards": {"open_findings": True, "corrective_plan": False}},
            "blocked",
            id="blocked",
        ),
        pytest.param(
            {"safeguards": {"open_findings": True, "corrective_plan": True}},
            "active",
            id="planned",
        ),
    ],
)
def test_status(changes: dict[str, Any], status: str, program: Program) -> None:
    assert Program.model_validate(document(program, **changes)).status == status


def test_signer_lookup(program: Program) -> None:
    assert program.signer("demo-signer") is not None
    assert program.signer("nobody") is None


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        pytest.param("8 U.S.C. 1253(a)(1)", True, id="listed"),
        pytest.param("8 U.S.C. 1326(a)(2)", True, id="subdivision"),
        pytest.param("8 U.S.C. 1253(b)", False, id="unlisted-sibling"),
    ],
)
def test_allows_statute(text: str, allowed: bool, program: Program) -> None:
    assert program.allows_statute(parse_citation(text)) is allowed
