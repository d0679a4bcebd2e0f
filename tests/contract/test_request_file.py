"""Reading request files: good rows, every kind of bad row, unreadable files, all three formats."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from portcullis.contract.request_file import read_request_file
from portcullis.errors import ColumnsMissing, FileUnreadable

GOOD = {
    "item_id": "A-1",
    "first_name": "  María   Guadalupe ",
    "middle_name": "",
    "last_name": "García López",
    "name_suffix": "",
    "date_of_birth": "1980-02-29",
    "tin": "123-45-6789",
    "street": "12 Main St",
    "unit": "Apt 4",
    "city": "Springfield",
    "state": "il",
    "zip": "62701 1234",
    "taxable_periods": "2022-2024",
    "statute": "8 U.S.C. 1253(a)(1)",
    "case_number": "ICE-1",
    "reason": "Subject of a final order of removal who has not departed.",
    "recipient_officers": "ICE-HSI-1; ICE-HSI-2 ;",
    "final_order_date": "2020-01-01",
}


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    names = header or list(GOOD)
    lines = [",".join(names)]
    for row in rows:
        lines.append(",".join(_quote(row.get(name, "")) for name in names))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if ("," in value or '"' in value) else value


def test_good_row_is_normalised(tmp_path: Path) -> None:
    item = read_request_file(write_csv(tmp_path / "r.csv", [GOOD])).items[0]
    assert item.row == 1
    assert item.first_name == "María Guadalupe"
    assert item.middle_name is None
    assert item.tin == "123456789"
    assert item.state == "IL"
    assert item.zip == "62701-1234"
    assert item.date_of_birth == dt.date(1980, 2, 29)
    assert item.recipient_officers == ("ICE-HSI-1", "ICE-HSI-2")
    assert item.extra == {"final_order_date": "2020-01-01"}
    assert item.field_errors == ()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        pytest.param("date_of_birth", "1980-02-30", "malformed_date", id="impossible-date"),
        pytest.param("date_of_birth", "02/03/1980", "malformed_date", id="us-style-date"),
        pytest.param("date_of_birth", "2999-01-01", "implausible_date", id="future-date"),
        pytest.param("tin", "12345", "malformed_tin", id="short-tin"),
        pytest.param("tin", "12345678A", "malformed_tin", id="letter-in-tin"),
        pytest.param("zip", "6270", "malformed_zip", id="four-digit-zip"),
        pytest.param("state", "XX", "unknown_state", id="unknown-state"),
    ],
)
def test_malformed_value_names_row_and_field(
    tmp_path: Path, field: str, value: str, code: str
) -> None:
    rows = [GOOD, {**GOOD, "item_id": "A-2", field: value}]
    items = read_request_file(write_csv(tmp_path / "r.csv", rows)).items
    assert items[0].field_errors == ()
    [error] = items[1].field_errors
    assert (error.row, error.field, error.code) == (2, field, code)
    assert getattr(items[1], field) is None
    assert "row 2" in error.describe() and field in error.describe()


def test_missing_values_are_not_reader_errors(tmp_path: Path) -> None:
    # Whether a missing name or address may pass is for the statutory checks, not the reader.
    item = read_request_file(
        write_csv(tmp_path / "r.csv", [{**GOOD, "first_name": "", "street": " "}])
    ).items[0]
    assert item.first_name is None and item.street is None
    assert item.field_errors == ()


def test_ragged_row_is_kept_as_an_item_with_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [GOOD, GOOD])
    path.write_text(path.read_text() + "A-3,only,three\n")
    items = read_request_file(path).items
    assert [item.row for item in items] == [1, 2, 3]
    [error] = items[2].field_errors
    assert error.code == "unreadable_row" and error.row == 3


def test_invalid_utf8_row_is_kept_as_an_item_with_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [GOOD])
    line = ",".join(_quote(GOOD[name]) for name in GOOD).replace("Springfield", "Spr\x00")
    raw = path.read_bytes() + line.encode().replace(b"\x00", b"\xff") + b"\n"
    path.write_bytes(raw)
    items = read_request_file(path).items
    assert len(items) == 2
    assert items[1].field_errors[0].message == "not valid UTF-8 text"


def test_missing_required_column_refuses_the_file(tmp_path: Path) -> None:
    header = [name for name in GOOD if name != "street"]
    with pytest.raises(ColumnsMissing, match="street"):
        read_request_file(write_csv(tmp_path / "r.csv", [GOOD], header))


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        pytest.param("r.xlsx", b"PK", "unknown file type", id="wrong-extension"),
        pytest.param("r.csv", b"", "no header", id="empty-file"),
        pytest.param("r.csv", b"item_id,item_id\n", "more than once", id="repeated-column"),
        pytest.param("r.parquet", b"not parquet at all", "cannot be read", id="bad-parquet"),
    ],
)
def test_unreadable_file_is_refused_with_one_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(FileUnreadable, match=message) as caught:
        read_request_file(path)
    assert "\n" not in str(caught.value)


def test_header_only_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileUnreadable, match="no items"):
        read_request_file(write_csv(tmp_path / "r.csv", []))


def test_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileUnreadable, match="no such file"):
        read_request_file(tmp_path / "absent.csv")


def test_parquet_and_jsonl_read_like_csv(tmp_path: Path) -> None:
    from_csv = read_request_file(write_csv(tmp_path / "r.csv", [GOOD])).items
    table = pa.table({name: [GOOD[name]] for name in GOOD})
    pq.write_table(table, tmp_path / "r.parquet")
    (tmp_path / "r.jsonl").write_text(json.dumps(GOOD) + "\n", encoding="utf-8")
    assert read_request_file(tmp_path / "r.parquet").items == from_csv
    assert read_request_file(tmp_path / "r.jsonl").items == from_csv


def test_jsonl_bad_line_is_kept_as_an_item_with_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(GOOD) + "\n{not json\n[1, 2]\n", encoding="utf-8")
    items = read_request_file(path).items
    assert [item.row for item in items] == [1, 2, 3]
    assert items[1].field_errors[0].code == "unreadable_row"
    assert items[2].field_errors[0].message == "not a JSON object"
