"""The pseudopeople export's text columns and truth keys, the same under pandas 2 and 3."""

from __future__ import annotations

from typing import Any

import pytest

# The bench extra brings pseudopeople (and pandas with it); the dev install has neither.
pytest.importorskip("pseudopeople")

import pandas as pd
from bench.matching.pseudopeople_export import join_street, text, truth_key


def categories(*values: str | None) -> pd.Series[Any]:
    """Return the values as a categorical column, the dtype pseudopeople's sample files use."""
    return pd.Series(list(values), dtype="category")


def test_text_strips_and_gives_none_for_missing_or_blank() -> None:
    column = text(categories(" 12 ", None, "  ", "Main St"))
    assert column.dtype == object
    assert column.tolist() == ["12", None, None, "Main St"]
    assert column[1] is None
    assert column[2] is None


def test_join_street_skips_missing_parts_and_keeps_none() -> None:
    street = join_street(
        text(categories("12", None, None)), text(categories("Main St", "Oak", None))
    )
    assert street.dtype == object
    assert street.tolist() == ["12 Main St", "Oak", None]
    assert street[2] is None


def test_truth_keys_of_missing_parts_compare_equal() -> None:
    one = truth_key(categories("12", "Main St", None))
    other = truth_key(pd.Series(["12", "Main St", float("nan")], dtype=object))
    assert tuple(one) == tuple(other) == ("12", "Main St", None)
    assert tuple(one) in {tuple(other)}


def test_truth_key_keeps_the_text_as_written() -> None:
    assert truth_key(categories(" apartment 2")).tolist() == [" apartment 2"]
