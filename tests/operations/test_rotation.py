"""Rotating the ledger and release keys leaves every earlier receipt and package verifiable."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from portcullis.cli.app import app
from portcullis.gateway import Gateway
from portcullis.intake import submit_request
from portcullis.keys import fingerprint, load_private_key
from portcullis.ledger.errors import LedgerKeyRetired, ReceiptInvalid
from portcullis.ledger.log_keys import load_log_keys, verify_receipt_over_rotations
from portcullis.ledger.receipt import verify_receipt
from portcullis.ledger.registry import registered_witnesses
from portcullis.operations.rotation import release_key_for, rotate_ledger_key, rotate_release_key
from portcullis.processing import process_request
from portcullis.release.package import open_package
from portcullis.release.recipients import load_age_identity
from portcullis.release.signing import SignatureInvalidError
from portcullis.store.tables import decisions, releases
from portcullis.workspace import Workspace
from tests.operations.conftest import MakeRequest

runner = CliRunner()


def _first_release(workspace: Workspace) -> tuple[bytes, int]:
    with Gateway.open(workspace) as gateway, gateway.engine.connect() as con:
        row = con.execute(
            sa.select(releases.c.package_path, decisions.c.ledger_index)
            .join(decisions, decisions.c.item_pk == releases.c.item_pk)
            .order_by(releases.c.item_pk)
        ).first()
    assert row is not None
    return Path(row.package_path).read_bytes(), int(row.ledger_index)


def _disclose(workspace: Workspace, signed_request: MakeRequest, request_id: str, n: int) -> None:
    path, signed = signed_request(request_id, n)
    with Gateway.open(workspace) as gateway:
        process_request(gateway, submit_request(gateway, path, signed).request_id)


def test_an_old_receipt_verifies_after_the_ledger_key_is_rotated(
    workspace: Workspace, signed_request: MakeRequest
) -> None:
    _disclose(workspace, signed_request, "R-ROT-1", 1)
    sealed, index = _first_release(workspace)
    identity = load_age_identity(workspace.recipient_identity_path)
    release_key = load_private_key(workspace.release_key_path).public_key()
    receipt = open_package(sealed, identity=identity, release_public_key=release_key)["receipt"]
    assert isinstance(receipt, dict)
    old_key = load_private_key(workspace.ledger_key_path)

    rotation = rotate_ledger_key(workspace, by="operator.ann", reason="yearly rotation")
    assert rotation.retired == fingerprint(old_key.public_key()) != rotation.current

    with Gateway.open(workspace) as gateway:
        assert gateway.ledger.verify().ok, gateway.ledger.verify().describe()
        entry = gateway.ledger.entry(index)
        witnesses = registered_witnesses(gateway.engine)
        with gateway.engine.connect() as con:
            keys = load_log_keys(con, gateway.ledger.public_key)
        verify_receipt_over_rotations(receipt, entry, keys, witnesses, 0)
        # Under the new key alone the old receipt would not verify: the history is what keeps it.
        with pytest.raises(ReceiptInvalid):
            verify_receipt(receipt, entry, gateway.ledger.public_key, witnesses, 0)
        # New work is signed by the new key and the whole ledger still verifies.
    _disclose(workspace, signed_request, "R-ROT-2", 2)
    with Gateway.open(workspace) as gateway:
        report = gateway.ledger.verify()
        assert report.ok, report.describe()
        rotations = [
            gateway.ledger.entry(i)
            for i in range(gateway.ledger.size())
            if gateway.ledger.entry(i).get("kind") == "key_rotation"
        ]
    assert [entry["retired_key"] for entry in rotations] == [keys.retired[0].public_key]


def test_a_process_still_holding_the_retired_ledger_key_signs_nothing(
    workspace: Workspace, signed_request: MakeRequest
) -> None:
    with Gateway.open(workspace) as stale:
        rotate_ledger_key(workspace, by="operator.ann", reason="suspected exposure")
        stale.ledger.append({"kind": "probe"}, decision_key="probe/1")
        with pytest.raises(LedgerKeyRetired):
            stale.ledger.checkpoint()
    with Gateway.open(workspace) as gateway:
        assert gateway.ledger.verify().ok


def test_a_checkpoint_forged_with_the_retired_key_after_rotation_fails_verification(
    workspace: Workspace,
) -> None:
    from portcullis.ledger.checkpoint import sign_checkpoint
    from portcullis.ledger.tables import ledger_checkpoints

    stolen = load_private_key(workspace.ledger_key_path)
    rotate_ledger_key(workspace, by="operator.ann", reason="key stolen")
    with Gateway.open(workspace) as gateway:
        gateway.ledger.append({"kind": "probe"}, decision_key="probe/2")
        size = gateway.ledger.size()
        forged = sign_checkpoint(workspace.ledger_origin, size, gateway.ledger.root(size), stolen)
        with gateway.engine.begin() as con:
            con.execute(
                ledger_checkpoints.insert().values(
                    size=size,
                    root_hash=forged.root,
                    note=forged.note,
                    signed_at=sa.func.current_timestamp(),
                )
            )
        report = gateway.ledger.verify()
    assert not report.ok and "not validly signed" in report.describe()


def test_an_old_package_verifies_after_the_release_key_is_rotated(
    workspace: Workspace, signed_request: MakeRequest
) -> None:
    _disclose(workspace, signed_request, "R-ROT-3", 3)
    sealed, _ = _first_release(workspace)
    identity = load_age_identity(workspace.recipient_identity_path)
    old = load_private_key(workspace.release_key_path).public_key()
    rotation = rotate_release_key(workspace, by="operator.ann", reason="yearly rotation")
    assert rotation.retired == fingerprint(old)
    assert (workspace.keys_dir / "retired" / f"release-signer-{rotation.retired}.pub").exists()
    package = open_package(sealed, identity=identity, release_public_key=old)
    released_at = package["released_at"]
    assert isinstance(released_at, str)
    import datetime as dt

    moment = dt.datetime.fromisoformat(released_at.replace("Z", "+00:00"))
    key = release_key_for(workspace, rotation.retired, moment)
    assert open_package(sealed, identity=identity, release_public_key=key) == package
    with pytest.raises(SignatureInvalidError, match="not in force"):
        release_key_for(workspace, rotation.retired, dt.datetime.now(dt.UTC))
    # Packages released after the rotation are signed by the new key.
    _disclose(workspace, signed_request, "R-ROT-4", 4)
    with Gateway.open(workspace) as gateway:
        assert fingerprint(gateway.release_key.public_key()) == rotation.current


def test_keys_rotate_through_the_command_line(workspace: Workspace) -> None:
    home = str(workspace.home)
    for role in ("--ledger", "--release"):
        result = runner.invoke(
            app, ["keys", "rotate", role, "--by", "operator.ann", "--why", "drill", "--home", home]
        )
        assert result.exit_code == 0, result.output
        assert "rotated" in result.output
    verified = runner.invoke(app, ["ledger", "verify", "--home", home])
    assert verified.exit_code == 0, verified.output
    neither = runner.invoke(app, ["keys", "rotate", "--by", "a", "--why", "b", "--home", home])
    assert neither.exit_code == 1 and neither.output.count("\n") == 1


def test_a_ledger_export_after_rotation_verifies_with_its_keys_json_alone(
    workspace: Workspace, signed_request: MakeRequest, tmp_path: Path
) -> None:
    import json

    from portcullis.keys import public_key_b64
    from portcullis.ledger.export import export_ledger
    from portcullis.ledger.standalone import ExportRejected, RetiredLogKey, verify_export
    from portcullis.ledger.standalone import public_key as standalone_key

    _disclose(workspace, signed_request, "R-EXP-1", 1)
    old_key = public_key_b64(load_private_key(workspace.ledger_key_path).public_key())
    rotate_ledger_key(workspace, by="operator.ann", reason="yearly rotation")
    _disclose(workspace, signed_request, "R-EXP-2", 2)
    out = tmp_path / "export"
    with Gateway.open(workspace) as gateway:
        export_ledger(gateway.engine, out)
        new_key = public_key_b64(gateway.ledger.public_key)
        with gateway.engine.connect() as con:
            [retired] = load_log_keys(con, gateway.ledger.public_key).retired

    keys = json.loads((out / "keys.json").read_text(encoding="utf-8"))
    assert keys["log_key"]["public_key"] == new_key
    [listed] = keys["retired_log_keys"]
    assert listed["public_key"] == old_key
    assert (listed["first_size"], listed["last_size"]) == (retired.first_size, retired.last_size)
    sizes = [
        int(json.loads(line)["note"].split("\n")[1])
        for line in (out / "checkpoints.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    # The export holds checkpoints signed by each key, so both are needed to verify it.
    assert any(s <= retired.last_size for s in sizes) and any(s > retired.last_size for s in sizes)
    assert verify_export(out).checkpoints == len(sizes)

    # Pinned, the retired key must be pinned too: keys.json's list is not trusted then.
    with pytest.raises(ExportRejected, match="no valid signature by the log"):
        verify_export(out, log_key=new_key)
    pinned_old = RetiredLogKey(retired.first_size, retired.last_size, standalone_key(old_key))
    assert verify_export(out, log_key=new_key, retired_log_keys=[pinned_old]).checkpoints == len(
        sizes
    )

    # Without the list the old checkpoints fail: it is what lets an outsider verify them.
    keys.pop("retired_log_keys")
    (out / "keys.json").write_text(json.dumps(keys), encoding="utf-8")
    with pytest.raises(ExportRejected, match="no valid signature by the log"):
        verify_export(out)
