"""The request reader's one database per process: files read on many threads read alike."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import duckdb
import pytest

from portcullis.contract import request_file
from portcullis.contract.records import RequestItem
from portcullis.contract.request_file import read_request_file
from tests.contract.test_request_file import GOOD


def _one_item(path: Path, **changes: str) -> Path:
    path.write_text(json.dumps({**GOOD, **changes}) + "\n", encoding="utf-8")
    return path


def test_files_read_at_once_on_many_threads_each_give_their_own_item(tmp_path: Path) -> None:
    paths = [_one_item(tmp_path / f"r{n}.jsonl", item_id=f"A-{n}") for n in range(24)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        read = list(pool.map(lambda p: read_request_file(p).items, paths))
    assert [items[0].item_id for items in read] == [f"A-{n}" for n in range(24)]
    assert all(items[0].tin == "123456789" and items[0].zip == "62701-1234" for items in read)


def test_a_file_read_again_on_the_same_thread_gives_the_same_items(tmp_path: Path) -> None:
    path = _one_item(tmp_path / "r.jsonl", tin="12345678")
    first = read_request_file(path).items
    assert read_request_file(path).items == first
    assert [error.code for error in first[0].field_errors] == ["malformed_tin"]


def test_an_extra_column_named_like_an_inner_value_column_is_kept_as_sent(tmp_path: Path) -> None:
    # The normalising SQL names each field's value in an inner step; no file's column may clash.
    path = _one_item(tmp_path / "r.jsonl", value_tin="  kept  as   text ", value_zip="x")
    item = read_request_file(path).items[0]
    assert item.extra["value_tin"] == "kept as text"
    assert item.extra["value_zip"] == "x"
    assert item.tin == "123456789"
    assert item.zip == "62701-1234"


def _settings_seen(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool]]:
    """Record, for each batch read, its rows and whether its cursor's optimiser was on."""
    seen: list[tuple[int, bool]] = []
    read = request_file._read_batch

    def spying(con: duckdb.DuckDBPyConnection, extras: tuple[str, ...]) -> list[RequestItem]:
        rows = con.execute("SELECT count(*) FROM request_incoming").fetchone()
        on = con.execute("SELECT current_setting('enable_optimizer')").fetchone()
        assert rows is not None and on is not None
        seen.append((int(rows[0]), bool(on[0])))
        return read(con, extras)

    monkeypatch.setattr(request_file, "_read_batch", spying)
    return seen


def _rows(path: Path, count: int) -> Path:
    lines = [json.dumps({**GOOD, "item_id": f"A-{n}"}) for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_small_read_turns_the_optimiser_off_for_its_own_cursor_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _settings_seen(monkeypatch)
    large = _rows(tmp_path / "large.jsonl", request_file.SMALL_READ_ROWS + 1)
    read_request_file(_one_item(tmp_path / "small.jsonl"))
    # The large read runs on another thread, whose cursors are its own, and on this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(read_request_file, large).result()
    read_request_file(large)
    big = request_file.SMALL_READ_ROWS + 1
    assert seen == [(1, False), (big, True), (big, True)]


def test_a_small_and_a_large_read_of_one_file_give_the_same_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "mixed.jsonl"
    rows = [
        {**GOOD, "item_id": "A-1"},
        {**GOOD, "item_id": "A-2", "tin": "12-34", "zip": "6270", "date_of_birth": "1990-02-30"},
        {**GOOD, "item_id": "A-3", "state": "XX", "first_name": "  N/A ", "middle_name": "NMN"},
        {**GOOD, "item_id": " A-4 ", "street": " 1  Main\tSt ", "extra_note": "  kept "},
    ]
    path.write_text("".join(json.dumps(row) + "\n" for row in rows) + "{bad\n", encoding="utf-8")
    seen = _settings_seen(monkeypatch)
    small = read_request_file(path)
    monkeypatch.setattr(request_file, "SMALL_READ_ROWS", 0)
    large = read_request_file(path)
    assert [on for _, on in seen] == [False, True]
    assert large == small
    assert len(small.items) == 5


def test_files_read_one_after_another_on_one_thread_each_give_their_own_rows(
    tmp_path: Path,
) -> None:
    # The normalising view kept on each cursor is bound again at each read: never a stale file.
    first = read_request_file(_one_item(tmp_path / "a.jsonl", item_id="A-1", zip="62701"))
    second = read_request_file(_rows(tmp_path / "b.jsonl", 3))
    third = read_request_file(_one_item(tmp_path / "c.jsonl", item_id="C-1", case_note=" x "))
    fourth = read_request_file(_one_item(tmp_path / "d.jsonl", item_id="D-1", tin="12"))
    assert [item.item_id for item in first.items] == ["A-1"]
    assert first.items[0].zip == "62701"
    assert [item.item_id for item in second.items] == ["A-0", "A-1", "A-2"]
    assert [item.item_id for item in third.items] == ["C-1"]
    assert third.items[0].extra["case_note"] == "x" and "case_note" in third.extra_columns
    assert "case_note" not in fourth.items[0].extra and "case_note" not in fourth.extra_columns
    assert fourth.items[0].tin is None
    assert [error.code for error in fourth.items[0].field_errors] == ["malformed_tin"]


def test_files_with_ever_new_extra_columns_are_read_alike_past_the_kept_views(
    tmp_path: Path,
) -> None:
    # A sender names the extra columns; reading stays right after the kept views are used up.
    kept = request_file._KEPT_VIEWS
    for n in range(kept + 3):
        read = read_request_file(
            _one_item(tmp_path / f"x{n}.jsonl", item_id=f"X-{n}", **{f"note_{n}": f" v{n} "})
        )
        assert read.items[0].item_id == f"X-{n}" and read.items[0].extra[f"note_{n}"] == f"v{n}"
    assert len(request_file._readers.views) <= kept
