"""Bounded fuzzing: hostile manifests, request files and archives get a clear error or a result."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portcullis.contract.manifest import check_signed_manifest, manifest_time, signature_valid
from portcullis.contract.request_file import read_request_file
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
