from __future__ import annotations

import pytest

from portcullis.checks import Finding, check_batch, finding
from portcullis.programs import Program

REFUSED = (finding("name_missing", "the given name is missing", "first_name"),)


def findings(refused: int, passed: int) -> list[tuple[Finding, ...]]:
    return [REFUSED] * refused + [()] * passed


@pytest.mark.parametrize(
    ("refused", "passed", "hold"),
    [
        pytest.param(2, 8, False, id="at-bound"),
        pytest.param(3, 7, True, id="above-bound"),
        pytest.param(0, 10, False, id="none-refused"),
        pytest.param(0, 0, False, id="empty"),
    ],
)
def test_refusal_share_holds_the_batch(
    refused: int, passed: int, hold: bool, program: Program
) -> None:
    verdict = check_batch(findings(refused, passed), program)
    assert verdict.hold is hold
    assert verdict.passes() is not hold
    assert (verdict.finding is not None) is hold


def test_a_held_batch_names_the_share(program: Program) -> None:
    verdict = check_batch(findings(5, 5), program)
    assert verdict.finding is not None
    assert verdict.finding.code == "batch_held_for_review"
    assert "5 of 10" in verdict.finding.message


def test_a_suspended_program_refuses_without_holding(program: Program) -> None:
    suspension = {"order_reference": "No. 1", "since": "2026-02-01"}
    stopped = Program.model_validate({**program.model_dump(mode="json"), "suspension": suspension})
    assert check_batch(findings(10, 0), stopped).hold is False
