"""Quote-laden names and fields are data everywhere: read back exactly, matched, never executed."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from portcullis.audit import audit_workspace
from portcullis.contract.columns import REQUEST_COLUMNS
from portcullis.contract.request_file import read_request_file
from portcullis.gateway import Gateway
from portcullis.store.tables import decisions, items, requests
from tests.aftercare.conftest import submit_and_process

HOSTILE = (
    "O'Brien",
    "x'); DROP TABLE items; --",
    'Ro"bert"; DELETE FROM decisions; --',
    "' OR '1'='1",
    "\\'; SELECT 1; --",
    "$$; DROP TABLE requests; $$",
)
FIELDS = ("first_name", "last_name", "street", "city", "case_number", "reason")


def _records() -> list[dict[str, str]]:
    base = dict.fromkeys(REQUEST_COLUMNS, "")
    return [
        {**base, "item_id": f"I-{n}", **dict.fromkeys(FIELDS, value)}
        for n, value in enumerate(HOSTILE, start=1)
    ]


def _write(path: Path, records: list[dict[str, str]]) -> Path:
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(REQUEST_COLUMNS))
            writer.writeheader()
            writer.writerows(records)
    elif path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    else:
        pq.write_table(pa.Table.from_pylist(records), path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".jsonl", ".parquet"])
def test_quote_laden_values_are_read_back_exactly_in_every_format(
    suffix: str, tmp_path: Path
) -> None:
    read = read_request_file(_write(tmp_path / f"r{suffix}", _records()))
    for item, value in zip(read.items, HOSTILE, strict=True):
        assert [getattr(item, name) for name in FIELDS] == [value] * len(FIELDS)


def test_quote_laden_names_go_through_the_road_and_leave_every_table_whole(
    gateway: Gateway, request_file: Callable[..., Path]
) -> None:
    hostile = [{"first_name": value, "last_name": value} for value in HOSTILE]
    request_id = submit_and_process(gateway, request_file({}, *hostile))
    with gateway.engine.connect() as con:
        outcomes = con.execute(
            sa.select(items.c.row, decisions.c.outcome)
            .join(decisions, decisions.c.item_pk == items.c.id)
            .where(items.c.request_id == request_id)
            .order_by(items.c.row)
        ).all()
        assert con.execute(sa.select(sa.func.count()).select_from(requests)).scalar_one() == 1
    # Every item decided once; the real taxpayer in row 1 is found, the hostile names find nobody.
    assert [row for row, _ in outcomes] == list(range(1, len(HOSTILE) + 2))
    assert outcomes[0].outcome == "disclosed"
    assert all(outcome != "disclosed" for _, outcome in outcomes[1:])
    # The next request still finds the same taxpayer: the master and its lookup are intact.
    again = submit_and_process(gateway, request_file({"case_number": "ICE-ERO-2026-000777"}))
    with gateway.engine.connect() as con:
        outcome = con.execute(
            sa.select(decisions.c.outcome)
            .join(items, decisions.c.item_pk == items.c.id)
            .where(items.c.request_id == again)
        ).scalar_one()
    assert outcome == "disclosed"
    report = audit_workspace(gateway.workspace)
    assert report.ok, report.problems()
