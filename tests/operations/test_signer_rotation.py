"""Rotating an agency signer's key by the CLI: the new key signs, the retired one is refused."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from portcullis.checks import SignerKeyRetired
from portcullis.checks.refusals import RequestRefused
from portcullis.cli.app import app
from portcullis.contract.manifest import signature_valid
from portcullis.gateway import Gateway
from portcullis.intake import submit_request
from portcullis.keys import create_private_key, load_private_key, public_key_from_b64
from portcullis.ledger.receipt import verify_receipt
from portcullis.ledger.registry import registered_witnesses
from portcullis.programs import get_program, get_program_version, program_history
from portcullis.release.package import open_package
from portcullis.release.recipients import load_age_identity
from portcullis.store.tables import decisions, intake_events, releases, requests
from portcullis.submission import sign_request_file
from portcullis.workspace import Workspace

PROGRAM = "ice-address-verification"
runner = CliRunner()


def cli(workspace: Workspace, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "--home", str(workspace.home)], env={"COLUMNS": "200"})
    return result.exit_code, result.output


def _submit(workspace: Workspace, path: Path, key: Path, request_id: str) -> tuple[int, str]:
    return cli(
        workspace,
        "requests",
        "submit",
        str(path),
        "--program",
        PROGRAM,
        "--signer-key",
        str(key),
        "--request-id",
        request_id,
    )


def _rotate(workspace: Workspace, new_pub: Path, *more: str) -> tuple[int, str]:
    return cli(
        workspace,
        "programs",
        "rotate-signer",
        PROGRAM,
        "--key-id",
        "demo-signer",
        "--new-key-id",
        "demo-signer-2",
        "--public-key-file",
        str(new_pub),
        "--why",
        "yearly signer key rotation",
        "--actor",
        "admin.kim",
        *more,
    )


def _receipt_of_first_release(workspace: Workspace) -> tuple[dict[str, object], int]:
    with Gateway.open(workspace) as gateway, gateway.engine.connect() as con:
        row = con.execute(
            sa.select(releases.c.package_path, decisions.c.ledger_index)
            .join(decisions, decisions.c.item_pk == releases.c.item_pk)
            .order_by(releases.c.item_pk)
        ).first()
    assert row is not None
    identity = load_age_identity(workspace.recipient_identity_path)
    release_key = load_private_key(workspace.release_key_path).public_key()
    package = open_package(
        Path(row.package_path).read_bytes(), identity=identity, release_public_key=release_key
    )
    receipt = package["receipt"]
    assert isinstance(receipt, dict)
    return receipt, int(row.ledger_index)


def _kept_signature_verifies(workspace: Workspace, request_id: str) -> bool:
    # The signed manifest as kept at intake, checked under the program version that accepted it.
    signed = json.loads((workspace.inbox_dir / request_id / "manifest.json").read_text())
    with Gateway.open(workspace) as gateway, gateway.engine.connect() as con:
        version = con.execute(
            sa.select(requests.c.program_version).where(requests.c.request_id == request_id)
        ).scalar_one()
        program = get_program_version(gateway.engine, PROGRAM, version)
    signer = program.signer(signed["manifest"]["signer"]["key_id"])
    assert signer is not None
    return signature_valid(signed, public_key_from_b64(signer.public_key))


def test_rotate_signer_refuses_the_old_key_and_leaves_old_requests_and_receipts_verifiable(
    workspace: Workspace, request_file: Callable[..., Path], tmp_path: Path
) -> None:
    old_key = workspace.demo_signer_key_path
    new_key = tmp_path / "agency" / "demo-signer-2.key"
    create_private_key(new_key)
    code, out = _submit(workspace, request_file({}), old_key, "R-BEFORE")
    assert code == 0, out
    assert cli(workspace, "requests", "process", "R-BEFORE")[0] == 0
    receipt, index = _receipt_of_first_release(workspace)
    # Before the rotation the new key is nobody's: the agency's tool cannot name a signer for it.
    code, out = _submit(workspace, request_file({}), new_key, "R-EARLY")
    assert code != 0 and "not a registered signer" in out

    code, out = _rotate(workspace, new_key.with_suffix(".pub"))
    assert code == 0, out
    assert "key demo-signer retired from" in out

    with Gateway.open(workspace) as gateway:
        program = get_program(gateway.engine, PROGRAM)
        last = program_history(gateway.engine, PROGRAM)[-1]
    old, new = program.signer("demo-signer"), program.signer("demo-signer-2")
    assert old is not None and new is not None
    assert old.retired_from == dt.datetime.now(dt.UTC).date() and new.retired_from is None
    assert (new.name, new.title, new.authority) == (old.name, old.title, old.authority)
    assert (last.version, last.actor) == (program.version, "admin.kim")
    assert list(last.what) == ["signers"]

    code, out = _submit(workspace, request_file({}), new_key, "R-AFTER")
    assert code == 0, out
    assert cli(workspace, "requests", "process", "R-AFTER")[0] == 0
    code, out = _submit(workspace, request_file({}), old_key, "R-STOLEN")
    assert code != 0
    assert "signer_key_retired" in out and "'demo-signer' was retired from" in out
    with Gateway.open(workspace) as gateway, gateway.engine.connect() as con:
        refusal = con.execute(
            sa.select(intake_events.c.code).where(intake_events.c.request_id == "R-STOLEN")
        ).scalar_one()
        assert refusal == "signer_key_retired"
        # The receipt given before the rotation still verifies against the ledger.
        entry = gateway.ledger.entry(index)
        witnesses = registered_witnesses(gateway.engine)
        verify_receipt(receipt, entry, gateway.ledger.public_key, witnesses, 0)
    assert _kept_signature_verifies(workspace, "R-BEFORE")
    assert _kept_signature_verifies(workspace, "R-AFTER")
    code, out = cli(workspace, "ledger", "verify")
    assert code == 0, out
    assert "reconciled:" in out and "2 signed requests" in out


def test_a_key_retired_from_a_later_day_signs_until_then(
    workspace: Workspace, request_file: Callable[..., Path], tmp_path: Path
) -> None:
    new_key = tmp_path / "demo-signer-2.key"
    create_private_key(new_key)
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    code, out = _rotate(workspace, new_key.with_suffix(".pub"), "--retire-from", str(tomorrow))
    assert code == 0, out
    code, out = _submit(workspace, request_file({}), workspace.demo_signer_key_path, "R-TODAY")
    assert code == 0, out  # both keys sign today: the agency changes over without a gap
    with Gateway.open(workspace) as gateway:
        program = get_program(gateway.engine, PROGRAM)
        path = request_file({})
        signed = sign_request_file(path, program, workspace.demo_signer_key_path)
        received = dt.datetime.combine(tomorrow, dt.time(0, 0, 1), tzinfo=dt.UTC)
        with pytest.raises(RequestRefused, match=f"signer_key_retired.*retired from {tomorrow}"):
            submit_request(gateway, path, signed, now=received)
    assert SignerKeyRetired.code == "signer_key_retired"


def test_rotate_signer_refuses_a_bad_rotation_in_one_line_and_records_nothing(
    workspace: Workspace, tmp_path: Path
) -> None:
    new_key = tmp_path / "demo-signer-2.key"
    create_private_key(new_key)
    with Gateway.open(workspace) as gateway:
        before = get_program(gateway.engine, PROGRAM).version
    yesterday = str(dt.datetime.now(dt.UTC).date() - dt.timedelta(days=1))
    code, out = _rotate(workspace, new_key.with_suffix(".pub"), "--retire-from", yesterday)
    assert code != 0 and f"retire-from {yesterday} is before today" in out
    reused = workspace.demo_signer_key_path.with_suffix(".pub")
    code, out = _rotate(workspace, reused)
    assert code != 0 and "already registered as 'demo-signer'" in out
    garbled = tmp_path / "garbled.pub"
    garbled.write_text("not a key\n")
    code, out = _rotate(workspace, garbled)
    assert code != 0 and "public_key" in out and "Traceback" not in out
    code, out = cli(
        workspace,
        "programs",
        "rotate-signer",
        PROGRAM,
        "--key-id",
        "nobody",
        "--new-key-id",
        "x",
        "--public-key-file",
        str(new_key.with_suffix(".pub")),
        "--why",
        "test",
    )
    assert code != 0 and "no signer key 'nobody'" in out
    with Gateway.open(workspace) as gateway:
        assert get_program(gateway.engine, PROGRAM).version == before
