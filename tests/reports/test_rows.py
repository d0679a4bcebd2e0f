"""Tests for the accounting row."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest

from portcullis.reports.rows import AccountingRow

RowMaker = Callable[..., AccountingRow]


@pytest.mark.parametrize(
    ("outcome", "disclosed"),
    [
        pytest.param("disclosed", True, id="disclosed"),
        pytest.param("refused", False, id="refused"),
        pytest.param("pending_review", False, id="pending"),
    ],
)
def test_only_a_disclosed_outcome_counts_as_disclosed(
    row: RowMaker, outcome: str, disclosed: bool
) -> None:
    assert row(outcome=outcome).disclosed is disclosed


def test_rows_are_immutable(row: RowMaker) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        row().outcome = "refused"  # type: ignore[misc]
