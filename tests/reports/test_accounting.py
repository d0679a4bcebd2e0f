"""Tests for the accounting export: contract columns, identity only for disclosures, streaming."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from portcullis.contract.columns import ACCOUNTING_COLUMNS
from portcullis.reports import accounting
from portcullis.reports.accounting import ExportUnwritableError, write_accounting_csv
from portcullis.reports.rows import AccountingRow

RowMaker = Callable[..., AccountingRow]


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_header_is_exactly_the_contract_columns(tmp_path: Path) -> None:
    path = tmp_path / "accounting.csv"
    assert write_accounting_csv([], path) == 0
    assert path.read_text(encoding="utf-8").splitlines() == [",".join(ACCOUNTING_COLUMNS)]


def test_disclosed_row_carries_tin_address_and_tax_year(row: RowMaker, tmp_path: Path) -> None:
    path = tmp_path / "accounting.csv"
    decided = dt.datetime(2025, 5, 1, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4)))
    write_accounting_csv([row(unit="Apt 2", decided_at=decided, ledger_index=17)], path)
    assert read_rows(path) == [
        {
            "request_id": "R1",
            "item_id": "I1",
            "outcome": "disclosed",
            "reason_codes": "",
            "tin": "900000001",
            "street": "12 Elm St",
            "unit": "Apt 2",
            "city": "Springfield",
            "state": "IL",
            "zip": "62701",
            "address_tax_year": "2024",
            "match_score": "0.9700",
            "decided_at": "2025-05-01T12:00:00Z",
            "decided_by": "standing-approval",
            "ledger_index": "17",
        }
    ]


@pytest.mark.parametrize(
    "outcome",
    [
        pytest.param("refused", id="refused"),
        pytest.param("no_match", id="no-match"),
        pytest.param("ambiguous", id="ambiguous"),
        pytest.param("pending_review", id="pending"),
    ],
)
def test_undisclosed_rows_never_carry_identity(row: RowMaker, tmp_path: Path, outcome: str) -> None:
    path = tmp_path / "accounting.csv"
    write_accounting_csv(
        [row(outcome=outcome, reason_codes=("address_incomplete", "zip_only"))], path
    )
    written = read_rows(path)[0]
    for column in ("tin", "street", "unit", "city", "state", "zip", "address_tax_year"):
        assert written[column] == ""
    assert written["outcome"] == outcome
    assert written["reason_codes"] == "address_incomplete;zip_only"


def test_missing_score_and_ledger_index_are_blank(row: RowMaker, tmp_path: Path) -> None:
    path = tmp_path / "accounting.csv"
    write_accounting_csv([row(outcome="refused", match_score=None, ledger_index=None)], path)
    written = read_rows(path)[0]
    assert (written["match_score"], written["ledger_index"]) == ("", "")


def test_rows_are_written_as_they_arrive(
    row: RowMaker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    original = accounting.format_accounting_row

    def recording_format(item: AccountingRow) -> list[str]:
        events.append(f"write {item.item_id}")
        return original(item)

    def produce() -> Iterator[AccountingRow]:
        for index in range(3):
            events.append(f"read I{index}")
            yield row(item_id=f"I{index}")

    monkeypatch.setattr(accounting, "format_accounting_row", recording_format)
    assert write_accounting_csv(produce(), tmp_path / "accounting.csv") == 3
    # Each row is written before the next is read: the export never holds all rows at once.
    assert events == ["read I0", "write I0", "read I1", "write I1", "read I2", "write I2"]


def test_a_failing_source_leaves_no_export_behind(row: RowMaker, tmp_path: Path) -> None:
    path = tmp_path / "accounting.csv"

    def produce() -> Iterator[AccountingRow]:
        yield row()
        raise RuntimeError("state store went away")

    with pytest.raises(RuntimeError):
        write_accounting_csv(produce(), path)
    assert list(tmp_path.iterdir()) == []


def test_unwritable_path_is_a_named_error(row: RowMaker, tmp_path: Path) -> None:
    with pytest.raises(ExportUnwritableError):
        write_accounting_csv([row()], tmp_path / "missing" / "accounting.csv")
