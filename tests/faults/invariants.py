"""What must hold after any crash and restart: one outcome per item, one release, quorum, ledger."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from portcullis.gateway import Gateway
from portcullis.ledger.receipt import verify_receipt
from portcullis.ledger.registry import registered_witnesses
from portcullis.ledger.tables import ledger_entries
from portcullis.processing import process_request
from portcullis.programs import get_program
from portcullis.release.package import open_package
from portcullis.release.recipients import load_age_identity
from portcullis.store.tables import decisions, items, releases
from portcullis.workspace import Workspace

DRIVER = Path(__file__).with_name("driver.py")
FINAL = {"disclosed", "refused", "no_match", "ambiguous"}


def run_driver(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    """Run the driver script in a fresh interpreter and return its completed process."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.run(
        [sys.executable, str(DRIVER), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def assert_invariants(workspace: Workspace, request_id: str, expected: Counter[str]) -> None:
    """Check every invariant of the road for one request, then that a rerun adds nothing."""
    with Gateway.open(workspace) as gateway:
        program = get_program(gateway.engine, "ice-address-verification")
        rows = _decided(gateway, request_id)
        with gateway.engine.connect() as con:
            total = con.execute(
                sa.select(sa.func.count()).where(items.c.request_id == request_id)
            ).scalar_one()
            keys = [
                key
                for (key,) in con.execute(
                    sa.select(ledger_entries.c.decision_key).where(
                        ledger_entries.c.decision_key.like(f"decision/{request_id}/%")
                    )
                )
            ]
            released = [dict(r._mapping) for r in con.execute(_released(request_id))]
        # Every item exactly one final outcome, and exactly one ledger entry for it.
        assert len(rows) == total == sum(expected.values())
        assert all(row["outcome"] in FINAL for row in rows)
        assert Counter(row["outcome"] for row in rows) == expected
        assert sorted(int(key.split("/")[2]) for key in keys) == sorted(r["row"] for r in rows)
        assert all(row["ledger_index"] is not None for row in rows)
        # Each disclosed item released once, from a file that is the one its row names.
        assert sorted(r["item_pk"] for r in released) == sorted(
            row["item_pk"] for row in rows if row["outcome"] == "disclosed"
        )
        folder = next(iter({Path(r["package_path"]).parent for r in released}), None)
        if folder is not None:
            assert len(list(folder.iterdir())) == len(released)
        # No release outside a checkpoint carrying the program's witness quorum.
        identity = load_age_identity(workspace.recipient_identity_path)
        witnesses = registered_witnesses(gateway.engine)
        for release in released:
            sealed = Path(release["package_path"]).read_bytes()
            assert hashlib.sha256(sealed).hexdigest() == release["package_sha256"]
            package = open_package(
                sealed, identity=identity, release_public_key=gateway.release_key.public_key()
            )
            receipt = package["receipt"]
            assert isinstance(receipt, dict)
            verify_receipt(
                receipt,
                gateway.ledger.entry(release["ledger_index"]),
                gateway.ledger.public_key,
                witnesses,
                program.witness_quorum,
            )
        report = gateway.ledger.verify()
        assert report.ok, report.describe()
        # Running the road again changes nothing.
        size = gateway.ledger.size()
        again = process_request(gateway, request_id)
        assert sum(again.outcomes.values()) == 0 and again.released == 0
        assert gateway.ledger.size() == size


def _decided(gateway: Gateway, request_id: str) -> list[dict[str, object]]:
    query = (
        sa.select(items.c.row, decisions.c.item_pk, decisions.c.outcome, decisions.c.ledger_index)
        .join(decisions, decisions.c.item_pk == items.c.id)
        .where(items.c.request_id == request_id)
    )
    with gateway.engine.connect() as con:
        return [dict(r._mapping) for r in con.execute(query)]


def _released(request_id: str) -> sa.Select[tuple[object, ...]]:
    return (
        sa.select(releases, decisions.c.ledger_index)
        .join(decisions, decisions.c.item_pk == releases.c.item_pk)
        .join(items, items.c.id == releases.c.item_pk)
        .where(items.c.request_id == request_id)
    )
