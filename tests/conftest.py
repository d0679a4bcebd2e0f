"""Fixtures shared across the suite: a state database on each backend and a ready workspace."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.gateway import Gateway
from portcullis.initialise import init_workspace
from portcullis.master.loading import load_master_files
from portcullis.store.database import drop_dedicated_schema
from portcullis.workspace import Workspace
from tests.spark_support import local_spark

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

POSTGRES_ENV = "PORTCULLIS_TEST_POSTGRES_URL"

BACKENDS = [pytest.param("sqlite", id="sqlite")]
BACKENDS.append(
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not os.environ.get(POSTGRES_ENV),
                reason=f"PostgreSQL runs need {POSTGRES_ENV} (set by .ci/run); none configured",
            ),
        ],
    )
)

# A household at one address (father and son share a name, and a daughter), a filer who moved,
# and two namesakes written with and without accents. Years 2022-2024.
MASTER_ROWS: tuple[tuple[str, ...], ...] = (
    (
        "111223333",
        "Robert",
        "",
        "Walker",
        "SR",
        "1960-04-02",
        "12 Elm St",
        "",
        "Dayton",
        "OH",
        "45402",
        "2023",
    ),
    (
        "111223333",
        "Robert",
        "",
        "Walker",
        "SR",
        "1960-04-02",
        "12 Elm St",
        "",
        "Dayton",
        "OH",
        "45402",
        "2024",
    ),
    (
        "111224444",
        "Robert",
        "",
        "Walker",
        "JR",
        "1988-09-15",
        "12 Elm St",
        "",
        "Dayton",
        "OH",
        "45402",
        "2024",
    ),
    (
        "111225555",
        "Emily",
        "",
        "Walker",
        "",
        "1991-01-20",
        "12 Elm St",
        "",
        "Dayton",
        "OH",
        "45402",
        "2024",
    ),
    (
        "222334444",
        "María Guadalupe",
        "",
        "García López",
        "",
        "1979-03-08",
        "400 Pine Ave",
        "Apt 3",
        "San Antonio",
        "TX",
        "78205",
        "2022",
    ),
    (
        "222334444",
        "María Guadalupe",
        "",
        "García López",
        "",
        "1979-03-08",
        "77 Oak Rd",
        "",
        "San Antonio",
        "TX",
        "78209",
        "2024",
    ),
    (
        "333445555",
        "Minh",
        "",
        "Nguyễn",
        "",
        "1985-11-30",
        "9 Lotus Ln",
        "",
        "Garden Grove",
        "CA",
        "92840",
        "2024",
    ),
    (
        "444556666",
        "Minh",
        "",
        "Nguyen",
        "",
        "1970-06-01",
        "500 River Dr",
        "",
        "Houston",
        "TX",
        "77002",
        "2024",
    ),
)


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    """Return the test run's one local SparkSession (skips when no Java runtime is present)."""
    yield from local_spark()


@pytest.fixture(params=BACKENDS)
def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The state database URL for a new workspace: SQLite in tmp, or the configured PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state.sqlite'}"
    return os.environ[POSTGRES_ENV]


@pytest.fixture
def workspace(tmp_path: Path, state_url: str) -> Iterator[Workspace]:
    """A new workspace (its own schema on PostgreSQL) with the small master above loaded."""
    created = init_workspace(tmp_path / "ws", state_url=state_url)
    master = tmp_path / "master.csv"
    lines = [",".join(MASTER_COLUMNS)] + [",".join(row) for row in MASTER_ROWS]
    master.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_master_files(created, [master])
    yield created
    drop_dedicated_schema(created.state_url)


@pytest.fixture
def gateway(workspace: Workspace) -> Iterator[Gateway]:
    """The open gateway of the workspace."""
    opened = Gateway.open(workspace)
    yield opened
    opened.close()


GOOD_ITEM: dict[str, str] = {
    "item_id": "I-1",
    "first_name": "María Guadalupe",
    "middle_name": "",
    "last_name": "García López",
    "name_suffix": "",
    "date_of_birth": "1979-03-08",
    "tin": "",
    "street": "400 Pine Avenue",
    "unit": "Apt 3",
    "city": "San Antonio",
    "state": "TX",
    "zip": "78205",
    "taxable_periods": "2022-2024",
    "statute": "8 U.S.C. 1253(a)(1)",
    "case_number": "ICE-ERO-2026-000001",
    "reason": "Subject of a final order of removal (ICE-ERO-2026-000001) who has not departed.",
    "recipient_officers": "ICE-HSI-00001",
    "final_order_date": "2021-05-04",
}


def _cell(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if ("," in value or '"' in value) else value


@pytest.fixture
def request_file(tmp_path: Path) -> Callable[..., Path]:
    """Write a request CSV from item overrides; each dict is merged over GOOD_ITEM."""
    counter = iter(range(1, 1_000_000))

    def write(*overrides: dict[str, str]) -> Path:
        path = tmp_path / f"request-{next(counter)}.csv"
        names = list(GOOD_ITEM)
        lines = [",".join(names)]
        for number, override in enumerate(overrides, start=1):
            row = {
                **GOOD_ITEM,
                "item_id": f"I-{number}",
                "case_number": f"ICE-ERO-2026-{number:06d}",
                **override,
            }
            lines.append(",".join(_cell(row[name]) for name in names))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write
