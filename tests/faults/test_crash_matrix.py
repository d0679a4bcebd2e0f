"""SIGKILL the road at each named step in its own process, restart it, check the invariants."""

from __future__ import annotations

import json
import signal
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.gateway import Gateway
from portcullis.programs import get_program
from portcullis.store.tables import decisions, items
from portcullis.submission import sign_request_file
from portcullis.workspace import Workspace
from tests.conftest import MASTER_ROWS
from tests.faults.invariants import assert_invariants, run_driver

PROGRAM = "ice-address-verification"
KILLED = -signal.SIGKILL
# Five requests for the same person in five cases, and one with a placeholder street.
EXPECTED = Counter({"disclosed": 5, "refused": 1})

# (step id, function wrapped by the driver, before or after it runs, which call)
ROAD_STEPS = [
    ("intake-record", "portcullis.intake:_record", "before", 1),
    ("intake-recorded", "portcullis.intake:_record", "after", 1),
    ("outcomes-stored", "portcullis.recording:store_outcomes", "after", 1),
    ("matched", "portcullis.processing:_match", "after", 1),
    ("record-decisions", "portcullis.processing:record_decisions", "before", 1),
    ("decision-rows-stored", "portcullis.ledger.ledger:Ledger.integrate", "before", 1),
    ("ledger-appended", "portcullis.ledger.writer:LedgerWriter.append_in", "after", 1),
    ("checkpoint-signing", "portcullis.ledger.checkpoints:sign_next", "before", 1),
    ("checkpoint-signed", "portcullis.ledger.ledger:Ledger.integrate", "after", 1),
    ("cosignatures-gathered", "portcullis.ledger.ledger:Ledger.cosign", "after", 1),
    ("release-first-sealed", "portcullis.releasing:_seal", "after", 1),
    ("release-files-written", "portcullis.releasing:_seal", "after", 5),
    ("request-finish", "portcullis.processing:_finish", "before", 1),
]

MASTER_STEPS = [
    ("master-rows-upserted", "portcullis.master.loader:write_kept", "after", 1),
    ("master-loaded-index-not-built", "portcullis.master.loading:build_index", "before", 1),
    ("index-taxpayers-built", "portcullis.matching.index:keys_sql", "before", 1),
    ("index-published", "portcullis.matching.index:_publish", "after", 1),
]

# Taxpayers whose surnames sort before every other, so a rebuilt index moves every position.
NEWCOMERS = (
    ("555661111", "Aaron", "", "Abbott", "", "1950-01-01", "1 A St", "", "Akron", "OH", "44301"),
    ("555662222", "Abel", "", "Abad", "", "1951-02-02", "2 B St", "", "Akron", "OH", "44302"),
    ("555663333", "Ada", "", "Aalto", "", "1952-03-03", "3 C St", "", "Akron", "OH", "44303"),
)


@pytest.fixture
def signed_request(
    workspace: Workspace, request_file: Callable[..., Path], tmp_path: Path
) -> Callable[..., tuple[Path, Path]]:
    """Write a six-item request and its signed manifest under the given request id."""

    def make(request_id: str, first_case: int = 1) -> tuple[Path, Path]:
        cases = [{"case_number": f"ICE-ERO-2026-{first_case + n:06d}"} for n in range(6)]
        path = request_file(*cases[:5], {**cases[5], "street": "UNKNOWN"})
        with Gateway.open(workspace) as gateway:
            program = get_program(gateway.engine, PROGRAM)
        signed = sign_request_file(
            path, program, workspace.demo_signer_key_path, request_id=request_id
        )
        manifest = tmp_path / f"{request_id}.manifest.json"
        manifest.write_text(json.dumps(signed), encoding="utf-8")
        return path, manifest

    return make


@pytest.mark.parametrize(
    ("target", "when", "nth"),
    [pytest.param(t, w, n, id=step) for step, t, w, n in ROAD_STEPS],
)
def test_crash_at_road_step_then_restart_keeps_every_invariant(
    workspace: Workspace,
    signed_request: Callable[..., tuple[Path, Path]],
    target: str,
    when: str,
    nth: int,
) -> None:
    request, manifest = signed_request("R-CRASH-1")
    home = str(workspace.home)
    road = ("road", "--home", home, "--request", str(request), "--manifest", str(manifest))
    crashed = run_driver(*road, "--fault", target, "--when", when, "--nth", str(nth))
    assert crashed.returncode == KILLED, crashed.stderr  # the fault was reached
    restarted = run_driver(*road)
    assert restarted.returncode == 0, restarted.stderr
    assert_invariants(workspace, "R-CRASH-1", EXPECTED)


@pytest.mark.parametrize(
    ("target", "when", "nth"),
    [pytest.param(t, w, n, id=step) for step, t, w, n in MASTER_STEPS],
)
def test_crash_during_master_load_never_discloses_the_wrong_person(
    workspace: Workspace,
    signed_request: Callable[..., tuple[Path, Path]],
    tmp_path: Path,
    target: str,
    when: str,
    nth: int,
) -> None:
    grown = tmp_path / "master-2.csv"
    rows = [*MASTER_ROWS, *((*row, "2024") for row in NEWCOMERS)]
    lines = [",".join(MASTER_COLUMNS)] + [",".join(row) for row in rows]
    grown.write_text("\n".join(lines) + "\n", encoding="utf-8")
    home = str(workspace.home)
    load = ("load", "--home", home, "--master", str(grown))
    crashed = run_driver(*load, "--fault", target, "--when", when, "--nth", str(nth))
    assert crashed.returncode == KILLED, crashed.stderr
    # The master holds the whole earlier load or the whole new one, never part of a file.
    with duckdb.connect(str(workspace.master_path), read_only=True) as con:
        found = con.execute("SELECT count(*) FROM master_address").fetchone()
    assert found is not None and found[0] in (len(MASTER_ROWS), len(rows))
    # A request run on whatever the crash left either fails or discloses only the right person.
    request, manifest = signed_request("R-MID-1")
    run_driver("road", "--home", home, "--request", str(request), "--manifest", str(manifest))
    with Gateway.open(workspace) as gateway, gateway.engine.connect() as con:
        tins = {
            tin
            for (tin,) in con.execute(
                sa.select(decisions.c.tin)
                .join(items, items.c.id == decisions.c.item_pk)
                .where(decisions.c.outcome == "disclosed")
            )
        }
    assert tins <= {"222334444"}
    # After the load is run again, a new request reaches exactly its expected outcomes.
    assert run_driver(*load).returncode == 0
    request, manifest = signed_request("R-AFTER-1", first_case=101)
    road = ("road", "--home", home, "--request", str(request), "--manifest", str(manifest))
    after = run_driver(*road)
    assert after.returncode == 0, after.stderr
    assert_invariants(workspace, "R-AFTER-1", EXPECTED)
