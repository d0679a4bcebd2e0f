"""Two worker processes, each with its own copy of the master, race on one PostgreSQL database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from portcullis import releasing
from portcullis.gateway import Gateway
from portcullis.intake import submit_request
from portcullis.ledger import load_witnesses
from portcullis.ledger.integrator import NotWitnessed
from portcullis.processing import process_request
from portcullis.programs import get_program
from portcullis.releasing import release_ready
from portcullis.store.tables import releases
from portcullis.submission import sign_request_file
from portcullis.worker import enqueue_request
from portcullis.workspace import Workspace, open_workspace
from tests.conftest import BACKENDS, POSTGRES_ENV
from tests.faults.invariants import DRIVER, assert_invariants, run_driver

EXPECTED = Counter({"disclosed": 5, "refused": 1})


@pytest.fixture(params=[BACKENDS[1]])
def state_url(request: pytest.FixtureRequest) -> str:
    """Only the PostgreSQL state store: SQLite is one machine's file and has no second worker."""
    return os.environ[POSTGRES_ENV]


@pytest.fixture
def two_machines(
    workspace: Workspace, request_file: Callable[..., Path], tmp_path: Path
) -> tuple[Path, Path, str]:
    """The workspace and a second machine's copy of it (same state database), with a request."""
    other = tmp_path / "machine-2"
    shutil.copytree(workspace.home, other, ignore=shutil.ignore_patterns("packages", "inbox"))
    path = request_file({}, {}, {}, {}, {}, {"street": "UNKNOWN"})
    with Gateway.open(workspace) as gateway:
        program = get_program(gateway.engine, "ice-address-verification")
        signed = sign_request_file(path, program, workspace.demo_signer_key_path)
        request_id = submit_request(gateway, path, signed).request_id
        enqueue_request(gateway.engine, request_id)
    return workspace.home, other, request_id


def _race(*commands: tuple[str, ...]) -> list[subprocess.CompletedProcess[str]]:
    start = f"{time.time() + 4:.3f}"  # both have opened their gateways by then
    running = [
        subprocess.Popen(
            [sys.executable, str(DRIVER), *command, "--start-at", start],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    done = []
    for process in running:
        out, err = process.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, out, err))
    return done


def test_two_workers_claim_one_job_exactly_once(
    workspace: Workspace, two_machines: tuple[Path, Path, str]
) -> None:
    first, second, request_id = two_machines
    results = _race(("work", "--home", str(first)), ("work", "--home", str(second)))
    assert [r.returncode for r in results] == [0, 0], [r.stderr for r in results]
    claimed = [json.loads(r.stdout.strip().splitlines()[-1])["claimed"] for r in results]
    assert sorted(claimed, key=str) == sorted([request_id, None], key=str)
    assert_invariants(workspace, request_id, EXPECTED)


def test_two_processes_running_one_request_at_once_decide_and_release_it_once(
    workspace: Workspace, two_machines: tuple[Path, Path, str]
) -> None:
    # As when a lease runs out under a slow worker and another takes the job over.
    first, second, request_id = two_machines
    results = _race(
        ("process", "--home", str(first), "--request-id", request_id),
        ("process", "--home", str(second), "--request-id", request_id),
    )
    # The loser may fail on the database's uniqueness guards; that is the guard working.
    assert 0 in [r.returncode for r in results], [r.stderr for r in results]
    assert run_driver("process", "--home", str(first), "--request-id", request_id).returncode == 0
    assert_invariants(workspace, request_id, EXPECTED)


def test_a_racer_that_loses_the_release_insert_leaves_no_sealed_package(
    workspace: Workspace, two_machines: tuple[Path, Path, str]
) -> None:
    _, second, request_id = two_machines
    other = open_workspace(second)
    with Gateway.open(workspace) as winner, Gateway.open(other) as loser:
        program = get_program(winner.engine, "ice-address-verification")
        # Decide and record now, release later: the gateway's one list of witnesses (its
        # integrator asks the same list) is emptied for the decisions, then filled again.
        winner.witnesses.clear()
        with pytest.raises(NotWitnessed):
            process_request(winner, request_id)
        winner.witnesses.extend(load_witnesses(winner.engine, workspace))
        winner.ledger.request_cosignatures(winner.witnesses)
        assert program.witness_quorum <= len(winner.witnesses)
        sealing = releasing._seal
        raced = False

        def seal_while_the_winner_releases(*args: Any, **kwargs: Any) -> dict[str, Any]:
            nonlocal raced
            if not raced:
                raced = True
                assert release_ready(winner, request_id) == EXPECTED["disclosed"]
            return sealing(*args, **kwargs)

        releasing._seal = seal_while_the_winner_releases  # type: ignore[assignment]
        try:
            with pytest.raises(sa.exc.IntegrityError):
                release_ready(loser, request_id)
        finally:
            releasing._seal = sealing  # type: ignore[assignment]
    # Nothing sealed stays on the loser's machine, neither in place nor half-way.
    assert [path for path in (second / "packages").rglob("*") if path.is_file()] == []


def test_a_package_whose_row_was_committed_before_its_file_is_put_in_place(
    workspace: Workspace, two_machines: tuple[Path, Path, str]
) -> None:
    # A crash after the release rows' commit and before the files were moved into place.
    _, _, request_id = two_machines
    with Gateway.open(workspace) as gateway:
        process_request(gateway, request_id)
        with gateway.engine.connect() as con:
            paths = [Path(p) for (p,) in con.execute(sa.select(releases.c.package_path))]
        assert len(paths) == EXPECTED["disclosed"]
        moved = paths[0].with_name(paths[0].name + ".sealing-0123456789abcdef")
        paths[0].replace(moved)
        stray = paths[1].with_name(paths[1].name + ".sealing-fedcba9876543210")
        stray.write_bytes(b"not the recorded package")
        assert release_ready(gateway, request_id) == 0
    assert paths[0].is_file() and not moved.exists()
    # Not the recorded bytes: never put in place of the package, and removed as a leftover.
    assert not stray.exists() and paths[1].is_file()
    assert_invariants(workspace, request_id, EXPECTED)
