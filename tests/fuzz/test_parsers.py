"""Bounded fuzzing: hostile manifests, request files and archives get a clear error or a result."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portcullis.contract.columns import REQUEST_COLUMNS
from portcullis.contract.manifest import check_signed_manifest, manifest_time, signature_valid
from portcullis.contract.request_file import read_request_file
from portcullis.contract.tabular import FIELD_LIMIT
from portcullis.errors import PortcullisError
from portcullis.keys import public_key_from_b64
from portcullis.operations.archive import read_archive

BOUNDED = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_KEY = public_key_from_b64("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
manifest_like = (
    st.fixed_dictionaries(
        {
            "manifest": st.dictionaries(
                st.sampled_from(
                    [
                        "manifest_version",
                        "request_id",
                        "program",
                        "signer",
                        "item_count",
                        "file_sha256",
                        "created_at",
                        "certification",
                        "requesting_agency",
                    ]
                ),
                json_values,
            ),
            "signature": st.dictionaries(st.sampled_from(["algorithm", "value"]), json_values),
        },
    )
    | json_values
)


@BOUNDED
@given(document=manifest_like)
def test_a_hostile_manifest_is_refused_by_name_or_read(document: object) -> None:
    try:
        check_signed_manifest(document)
        assert isinstance(document, dict)
        manifest_time(document["manifest"])
        assert signature_valid(document, _KEY) in (True, False)
    except PortcullisError as exc:
        assert str(exc)


@BOUNDED
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".parquet"]))
def test_hostile_request_bytes_never_crash_the_reader(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / f"request{suffix}"
        path.write_bytes(data)
        try:
            read_request_file(path)
        except PortcullisError as exc:
            assert str(exc)


@BOUNDED
@given(lines=st.lists(json_values.map(json.dumps), max_size=5))
def test_hostile_json_lines_never_crash_the_reader(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "request.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        try:
            read_request_file(path)
        except PortcullisError as exc:
            assert str(exc)


@BOUNDED
@given(data=st.binary(max_size=4000))
def test_hostile_archive_bytes_are_refused_in_words(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        src = Path(scratch) / "backup.tar"
        src.write_bytes(data)
        (Path(scratch) / "out").mkdir()
        try:
            read_archive(src, Path(scratch) / "out")
        except PortcullisError as exc:
            assert str(exc)


# Found by the byte fuzzing above on .jsonl: a first line that is not JSON once escaped the reader
# as json.JSONDecodeError instead of a refusal in words.
@pytest.mark.parametrize("data", [pytest.param(b"\x00", id="nul"), pytest.param(b"x\n", id="word")])
def test_a_json_lines_file_whose_first_line_is_not_json_is_refused_in_words(
    data: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "request.jsonl"
    path.write_bytes(data)
    with pytest.raises(PortcullisError):
        read_request_file(path)


# Hostile sizes: a field over the limit, in every format, and a Parquet file that expands.


def _request_columns(first_names: list[str]) -> dict[str, list[str]]:
    columns = {name: [""] * len(first_names) for name in REQUEST_COLUMNS}
    columns["item_id"] = [f"I-{n}" for n in range(1, len(first_names) + 1)]
    columns["last_name"] = ["Smith"] * len(first_names)
    columns["first_name"] = first_names
    return columns


def _unreadable_rows(path: Path) -> dict[int, str]:
    read = read_request_file(path)
    return {e.row: e.message for item in read.items for e in item.field_errors if e.row}


def test_a_csv_field_over_the_limit_refuses_the_file_naming_the_row(tmp_path: Path) -> None:
    columns = _request_columns(["Ann", "A" * (FIELD_LIMIT + 1)])
    path = tmp_path / "long.csv"
    lines = [",".join(columns)]
    lines += [",".join(column[n] for column in columns.values()) for n in range(2)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PortcullisError, match=r"data row 2: .*field limit"):
        read_request_file(path)


def test_a_json_lines_field_over_the_limit_makes_its_row_unreadable(tmp_path: Path) -> None:
    columns = _request_columns(["Ann", "A" * (FIELD_LIMIT + 1), "Bo"])
    path = tmp_path / "long.jsonl"
    records = [{name: values[n] for name, values in columns.items()} for n in range(3)]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    unreadable = _unreadable_rows(path)
    assert list(unreadable) == [2]
    assert "first_name" in unreadable[2] and str(FIELD_LIMIT) in unreadable[2]
    assert len(read_request_file(path).items) == 3  # the others are read, the long one counted


def test_a_parquet_field_over_the_limit_makes_its_row_unreadable(tmp_path: Path) -> None:
    names = ["Ann"] * 9 + ["A" * (FIELD_LIMIT + 1)]
    path = tmp_path / "long.parquet"
    pq.write_table(pa.table(_request_columns(names)), path)
    unreadable = _unreadable_rows(path)
    assert list(unreadable) == [10]
    assert "first_name" in unreadable[10]


def test_a_parquet_file_that_expands_past_its_rows_fields_is_refused_unread(
    tmp_path: Path,
) -> None:
    # About 1 KB on disk, 20 MB in one field once decompressed.
    path = tmp_path / "bomb.parquet"
    pq.write_table(pa.table(_request_columns(["A" * 20_000_000])), path, compression="zstd")
    assert path.stat().st_size < 100_000
    with pytest.raises(PortcullisError, match="column first_name of row group 1 expands"):
        read_request_file(path)
