"""Fixtures for the API: the app around a test workspace, tokens per role, signed uploads."""

from __future__ import annotations

import itertools
import json
import os
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from starlette.exceptions import StarletteDeprecationWarning

from portcullis.api import ApiSettings, create_app
from portcullis.auth import Principal, Role, issue_token
from portcullis.client import AgencySigner
from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.gateway import Gateway
from portcullis.initialise import init_workspace
from portcullis.keys import load_private_key
from portcullis.master.loading import load_master_files
from portcullis.programs import get_program
from portcullis.store.database import drop_dedicated_schema, open_engine
from portcullis.submission import sign_request_file
from portcullis.workspace import Workspace
from tests.conftest import BACKENDS, GOOD_ITEM, MASTER_ROWS, POSTGRES_ENV, _cell

# Starlette 1.10 prefers httpx2 for its test client; the pinned httpx still works, so its notice
# is muted here rather than turned into an error by the suite's warning filter.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", StarletteDeprecationWarning)
    from fastapi.testclient import TestClient

PROGRAM = "ice-address-verification"
# Generous limits, so that only the rate-limit tests ever meet one.
SETTINGS = ApiSettings(requests_per_second=10_000.0, burst=100_000)
Upload = dict[str, Any]
Headers = Callable[..., dict[str, str]]
SignRequest = Callable[..., tuple[Path, dict[str, Any]]]


# Case numbers unique across a module, since its tests share one workspace and the checks refuse
# a case number that an earlier request already used for the same person.
_CASES = itertools.count(1)


@pytest.fixture(scope="module", params=BACKENDS)
def api_workspace(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    """One workspace per test module and backend, with the small master loaded."""
    root = tmp_path_factory.mktemp("api")
    if request.param == "sqlite":
        url = f"sqlite:///{root / 'state.sqlite'}"
    else:
        url = os.environ[POSTGRES_ENV]
    created = init_workspace(root / "ws", state_url=url)
    master = root / "master.csv"
    lines = [",".join(MASTER_COLUMNS)] + [",".join(row) for row in MASTER_ROWS]
    master.write_text("\n".join(lines) + "\n", encoding="utf-8")
    load_master_files(created, [master])
    yield created
    drop_dedicated_schema(created.state_url)


@pytest.fixture(scope="module")
def app(api_workspace: Workspace) -> FastAPI:
    """The API application over the module's workspace."""
    return create_app(api_workspace, settings=SETTINGS)


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    """An in-process client; leaving it closes the app's gateway."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def road(app: FastAPI) -> Gateway:
    """The gateway the app holds open."""
    gateway: Gateway = app.state.gateway
    return gateway


@pytest.fixture(scope="module")
def agency(road: Gateway) -> str:
    """The requesting agency of the default program."""
    return get_program(road.engine, PROGRAM).requesting_agency


@pytest.fixture(scope="module")
def headers(app: FastAPI, agency: str) -> Headers:
    """Make Authorization headers for an account holding `roles` (requesters get the agency)."""

    def make(
        *roles: Role, name: str | None = None, agency_name: str | None = None
    ) -> dict[str, str]:
        kind = "service" if "requester" in roles else "user"
        principal = Principal(
            name=name or "-".join(roles) or "nobody",
            kind=kind,
            roles=frozenset(roles),
            agency=(agency_name or agency) if kind == "service" else None,
        )
        token = issue_token(principal, app.state.token_secret)
        return {"Authorization": f"Bearer {token}"}

    return make


def _signer(road: Gateway, write: Callable[..., Path]) -> SignRequest:
    def make(*overrides: dict[str, str]) -> tuple[Path, dict[str, Any]]:
        path = write(*({"case_number": f"ICE-T-{next(_CASES):06d}", **o} for o in overrides))
        program = get_program(road.engine, PROGRAM)
        return path, sign_request_file(path, program, road.workspace.demo_signer_key_path)

    return make


@pytest.fixture
def signed(road: Gateway, request_file: Callable[..., Path]) -> SignRequest:
    """Write a request file from item overrides and sign its manifest as the demo agency."""
    return _signer(road, request_file)


@pytest.fixture(scope="module")
def signed_module(road: Gateway, tmp_path_factory: pytest.TempPathFactory) -> SignRequest:
    """The same as `signed`, for module-scoped fixtures."""
    folder = tmp_path_factory.mktemp("requests")
    names = list(GOOD_ITEM)
    counter = itertools.count(1)

    def write(*overrides: dict[str, str]) -> Path:
        path = folder / f"request-{next(counter)}.csv"
        rows = [{**GOOD_ITEM, "item_id": f"I-{n}", **o} for n, o in enumerate(overrides, 1)]
        lines = [",".join(names)] + [",".join(_cell(row[name]) for name in names) for row in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return _signer(road, write)


def upload(path: Path, manifest: dict[str, Any], file_bytes: bytes | None = None) -> Upload:
    """Return the multipart arguments that submit `path` with its signed manifest."""
    body = path.read_bytes() if file_bytes is None else file_bytes
    return {
        "files": {"file": (path.name, body, "text/csv")},
        "data": {"manifest": json.dumps(manifest)},
    }


ItemSigner = Callable[..., dict[str, Any]]


def item_signer(workspace: Workspace) -> ItemSigner:
    """Return a function signing one item (GOOD_ITEM with overrides) as the demo agency."""
    engine = open_engine(workspace.state_url)
    program = get_program(engine, PROGRAM)
    engine.dispose()
    signer = AgencySigner.for_program(program, load_private_key(workspace.demo_signer_key_path))

    def sign(request_id: str | None = None, **overrides: str) -> dict[str, Any]:
        return signer.item_request({**GOOD_ITEM, **overrides}, request_id=request_id)

    return sign
