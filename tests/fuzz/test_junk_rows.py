"""Millions of junk rows: a request file past the program's item limit is refused whole, unread."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from portcullis.checks.reasons import REASONS
from portcullis.checks.refusals import RequestRefused
from portcullis.contract.columns import REQUEST_COLUMNS
from portcullis.contract.manifest import build_manifest, sign_manifest
from portcullis.contract.request_file import TooManyItems, read_request_file
from portcullis.contract.tabular import FIELD_LIMIT
from portcullis.errors import FileUnreadable
from portcullis.gateway import Gateway
from portcullis.intake import inbox_folder, submit_bytes, submit_request
from portcullis.keys import load_private_key
from portcullis.programs import change_program
from portcullis.store.tables import intake_events, items, requests
from portcullis.submission import sign_request_file

# The limit is the program's `limits.max_batch_items`, made small here so a test runs in moments;
# the real-size run (10 million rows) is bench/bench_junk_rows.py.
LIMIT = 50
ROWS = 5_000
PROGRAM = "ice-address-verification"
HEADER = ",".join(REQUEST_COLUMNS)


def _junk_line(rng: random.Random) -> str:
    # Never blank, so each is a data row: junk text whose commas give it any field count.
    return "j" + "".join(rng.choice("abc,;:'xyz019 \t") for _ in range(rng.randint(0, 40)))


def _csv_of_wrong_field_counts(path: Path, rows: int) -> Path:
    rng = random.Random(17)
    lines = [HEADER, *(_junk_line(rng) for _ in range(rows))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _csv_of_random_bytes(path: Path, rows: int) -> Path:
    rng = random.Random(16)
    shaped = [",".join(bytes(rng.randrange(256) for _ in range(3)).hex() for _ in REQUEST_COLUMNS)]
    junk = [
        b",".join(bytes(rng.choice(b"\x80\xff\xfeAZ9 ") for _ in range(4)) for _ in REQUEST_COLUMNS)
        for _ in range(rows - 1)
    ]
    path.write_bytes(b"\n".join([HEADER.encode(), *[line.encode() for line in shaped], *junk]))
    return path


def _json_lines_of_garbage(path: Path, rows: int) -> Path:
    rng = random.Random(15)
    first = json.dumps(dict.fromkeys(REQUEST_COLUMNS, "x"))
    lines = [
        first,
        *(rng.choice(["{", "[1,2]", "null", "garbage", '{"item_id": 7}']) for _ in range(rows - 1)),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _parquet_of_nonsense(path: Path, rows: int) -> Path:
    rng = random.Random(14)
    pool = ["?", "zz", "-1", "\u2603", ""]
    table = pa.table({name: [rng.choice(pool) for _ in range(rows)] for name in REQUEST_COLUMNS})
    pq.write_table(table, path, row_group_size=rows)
    return path


JUNK: dict[str, Callable[[Path, int], Path]] = {
    "wrong_field_counts.csv": _csv_of_wrong_field_counts,
    "random_bytes.csv": _csv_of_random_bytes,
    "garbage.jsonl": _json_lines_of_garbage,
    "nonsense.parquet": _parquet_of_nonsense,
}


@pytest.mark.parametrize("name", list(JUNK))
def test_junk_rows_past_the_program_limit_refuse_the_file_naming_the_first_excess_row(
    name: str, tmp_path: Path
) -> None:
    path = JUNK[name](tmp_path / name, ROWS)
    with pytest.raises(TooManyItems, match=rf"{name}: .*row {LIMIT + 1} is past .* {LIMIT}"):
        read_request_file(path, max_items=LIMIT)
    assert TooManyItems.code in REASONS


@pytest.mark.parametrize("name", list(JUNK))
def test_junk_rows_up_to_the_limit_are_each_kept_as_an_item(name: str, tmp_path: Path) -> None:
    path = JUNK[name](tmp_path / name, LIMIT)
    read = read_request_file(path, max_items=LIMIT)
    # Nothing silently dropped: every data row is an item, in order, whatever it held.
    assert [item.row for item in read.items] == list(range(1, LIMIT + 1))
    assert any(item.field_errors for item in read.items)


def test_reading_stops_at_the_limit_and_never_reaches_what_lies_beyond(tmp_path: Path) -> None:
    # Row LIMIT + 2 holds a field over the field limit, which refuses a CSV file wherever it is
    # read: the refusal names the item limit instead, so nothing past row LIMIT + 1 was read.
    path = _csv_of_wrong_field_counts(tmp_path / "r.csv", LIMIT + 1)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("A" * (FIELD_LIMIT + 1) + "\n")
    with pytest.raises(TooManyItems, match=f"row {LIMIT + 1}"):
        read_request_file(path, max_items=LIMIT)
    with pytest.raises(FileUnreadable, match=f"data row {LIMIT + 2}: .*field limit"):
        read_request_file(path)


def test_a_parquet_footer_declaring_too_many_rows_is_refused_before_a_row_is_read(
    tmp_path: Path,
) -> None:
    path = _parquet_of_nonsense(tmp_path / "r.parquet", ROWS)
    with pytest.raises(TooManyItems, match=f"declares {ROWS} rows"):
        read_request_file(path, max_items=LIMIT)


def _signed_for(workspace_key: Path, data: bytes, item_count: int) -> dict[str, object]:
    manifest = build_manifest(
        data,
        request_id="R-JUNK-1",
        program_id=PROGRAM,
        requesting_agency="U.S. Immigration and Customs Enforcement",
        signer_name="Demo Signer",
        signer_title="Director, U.S. Immigration and Customs Enforcement (demo)",
        key_id="demo-signer",
        certification="Used solely for the criminal matter named for each item, and no other.",
        item_count=item_count,
        created_at=dt.datetime.now(dt.UTC),
    )
    return sign_manifest(manifest, load_private_key(workspace_key))


def test_a_signed_request_of_junk_past_the_limit_is_refused_whole_recording_no_item(
    gateway: Gateway, tmp_path: Path
) -> None:
    change_program(
        gateway.engine,
        PROGRAM,
        {"limits.max_batch_items": LIMIT},
        actor="ops",
        why="a small limit for the test",
    )
    path = _csv_of_wrong_field_counts(tmp_path / "junk.csv", ROWS)
    data = path.read_bytes()
    signed = _signed_for(gateway.workspace.demo_signer_key_path, data, ROWS)
    with pytest.raises(RequestRefused, match=f"batch_too_large.*row {LIMIT + 1}") as refused:
        submit_bytes(gateway, path.name, data, signed)
    assert refused.value.code == "batch_too_large"
    with gateway.engine.connect() as con:
        assert con.execute(sa.select(sa.func.count()).select_from(requests)).scalar_one() == 0
        assert con.execute(sa.select(sa.func.count()).select_from(items)).scalar_one() == 0
        event = con.execute(sa.select(intake_events)).mappings().one()
    assert (event["accepted"], event["code"]) == (False, "batch_too_large")
    assert gateway.ledger.verify().ok


def test_the_agency_signing_tool_refuses_a_file_past_the_limit(
    gateway: Gateway, tmp_path: Path
) -> None:
    program = change_program(
        gateway.engine, PROGRAM, {"limits.max_batch_items": LIMIT}, actor="ops", why="small"
    )
    path = _json_lines_of_garbage(tmp_path / "junk.jsonl", ROWS)
    with pytest.raises(TooManyItems, match=f"row {LIMIT + 1}"):
        sign_request_file(path, program, gateway.workspace.demo_signer_key_path)


# Found by bench/bench_junk_rows.py: invalid UTF-8 on a later JSON Lines row refused the whole file
# while the header was read (the first line was decoded with the bytes after it).
def test_invalid_utf8_on_a_later_json_lines_row_is_that_rows_error(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    first = json.dumps(dict.fromkeys(REQUEST_COLUMNS, "x")).encode()
    path.write_bytes(first + b'\n"\xff\xfe"\n' + first + b"\n")
    read = read_request_file(path, max_items=LIMIT)
    assert [item.row for item in read.items] == [1, 2, 3]
    assert [e.message for e in read.items[1].field_errors] == ["not valid UTF-8 text"]
    path.write_bytes(b'{"item_id": "\xff"}\n' + first + b"\n")
    with pytest.raises(FileUnreadable, match="line 1 is not valid UTF-8 text"):
        read_request_file(path)


def test_a_request_file_that_cannot_be_read_is_refused_and_nothing_of_it_kept(
    gateway: Gateway, tmp_path: Path
) -> None:
    folder = tmp_path / "request.csv"
    folder.mkdir()  # a name that opens as no file
    signed = _signed_for(gateway.workspace.demo_signer_key_path, b"", 1)
    with pytest.raises(RequestRefused, match="file_unreadable") as refused:
        submit_request(gateway, folder, signed)
    assert refused.value.code == "file_unreadable"
    assert not list((gateway.workspace.inbox_dir / "R-JUNK-1").glob("*.csv"))


def test_a_request_submitted_from_its_own_inbox_copy_keeps_its_bytes(
    gateway: Gateway, request_file: Callable[..., Path]
) -> None:
    path = request_file({})
    data = path.read_bytes()
    signed = _signed_for(gateway.workspace.demo_signer_key_path, data, 1)
    kept = inbox_folder(gateway.workspace, "R-JUNK-1") / path.name
    kept.parent.mkdir(parents=True)
    kept.write_bytes(data)
    assert submit_request(gateway, kept, signed).item_count == 1
    assert kept.read_bytes() == data
