"""The request reader's one database per process: files read on many threads read alike."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

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
