"""Backups sealed with age to the operator's keys: unreadable when stolen, restored with the key."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from portcullis.cli.app import app
from portcullis.gateway import Gateway
from portcullis.intake import submit_request
from portcullis.operations import backup_workspace, restore_workspace
from portcullis.operations.archive import ArchiveInvalid, ArchiveLocked
from portcullis.processing import process_request
from portcullis.release.encryption import AGE_MAGIC
from portcullis.release.recipients import AgeRecipient, create_age_identity, load_age_identity
from portcullis.store.database import drop_dedicated_schema
from portcullis.workspace import Workspace, open_workspace
from tests.conftest import GOOD_ITEM, MASTER_ROWS
from tests.operations.conftest import MakeRequest

runner = CliRunner()
# Values the workspace holds in the clear: a request's taxpayer name, a master row's TIN and name.
TAXPAYER_VALUES = (
    GOOD_ITEM["last_name"].encode(),
    MASTER_ROWS[0][0].encode(),
    MASTER_ROWS[0][3].encode(),
)


def _restore_url(state_url: str) -> str | None:
    return None if state_url.startswith("sqlite") else state_url


@pytest.fixture
def operator(tmp_path: Path) -> tuple[Path, AgeRecipient]:
    """The operator's age identity file and its public recipient."""
    key = tmp_path / "keys" / "operator.age"
    return key, create_age_identity(key)


@pytest.fixture
def disclosed(workspace: Workspace, signed_request: MakeRequest) -> Workspace:
    """The workspace after one request's items were decided and released."""
    path, signed = signed_request("R-SEAL-A", 1)
    with Gateway.open(workspace) as gateway:
        process_request(gateway, submit_request(gateway, path, signed).request_id)
    return workspace


@pytest.fixture
def sealed(disclosed: Workspace, operator: tuple[Path, AgeRecipient], tmp_path: Path) -> Path:
    """An encrypted backup of the disclosed workspace."""
    dest = tmp_path / "backups" / "sealed.tar.age"
    return backup_workspace(disclosed, dest, encrypt_to=[operator[1]]).archive


def _entries(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


def test_an_encrypted_backup_restores_into_a_fresh_home_and_verifies(
    disclosed: Workspace, operator: tuple[Path, AgeRecipient], tmp_path: Path, state_url: str
) -> None:
    summary = backup_workspace(
        disclosed, tmp_path / "backups" / "ws.tar.age", encrypt_to=[operator[1]]
    )
    assert summary.encrypted_to == (operator[1].public_key,)
    assert summary.archive.read_bytes()[: len(AGE_MAGIC)] == AGE_MAGIC
    assert summary.archive.stat().st_mode & 0o777 == 0o600
    assert _entries(summary.archive.parent) == {"ws.tar.age"}  # no plain tar left beside it
    restored = restore_workspace(
        summary.archive,
        tmp_path / "restored",
        database_url=_restore_url(state_url),
        identity=load_age_identity(operator[0]),
    )
    try:
        assert restored.ledger_size == summary.ledger_size > 0
        assert restored.master_rows == summary.master_rows == len(MASTER_ROWS)
        home = open_workspace(restored.workspace.home)
        assert home.ledger_origin == disclosed.ledger_origin
        verified = runner.invoke(app, ["ledger", "verify", "--home", str(home.home)])
        assert verified.exit_code == 0, verified.output
    finally:
        drop_dedicated_schema(restored.workspace.state_url)


def test_an_encrypted_backup_holds_no_taxpayer_name_or_tin(
    disclosed: Workspace, sealed: Path, tmp_path: Path
) -> None:
    plain = backup_workspace(disclosed, tmp_path / "backups" / "plain.tar").archive
    clear, cipher = plain.read_bytes(), sealed.read_bytes()
    for value in TAXPAYER_VALUES:
        assert value in clear, value  # the plain archive does hold it, so the search can find it
        assert value not in cipher, value
    assert b"MANIFEST.json" in clear and b"MANIFEST.json" not in cipher


def test_backup_and_restore_encrypted_through_the_command_line(
    disclosed: Workspace, operator: tuple[Path, AgeRecipient], tmp_path: Path, state_url: str
) -> None:
    spare_key = tmp_path / "keys" / "spare.age"
    spare = create_age_identity(spare_key)
    dest = tmp_path / "cli.tar.age"
    args = ["backup", str(dest), "--home", str(disclosed.home)]
    made = runner.invoke(
        app, [*args, "--encrypt-to", operator[1].public_key, "--encrypt-to", spare.public_key]
    )
    assert made.exit_code == 0, made.output
    assert "encrypted to 2 age key(s)" in made.output
    assert dest.read_bytes().startswith(AGE_MAGIC)
    bad_dest = ["backup", str(tmp_path / "bad.tar"), "--home", str(disclosed.home)]
    bad = runner.invoke(app, [*bad_dest, "--encrypt-to", "age1notakey"])
    assert bad.exit_code == 1 and "not an age X25519 public key" in bad.output
    assert not (tmp_path / "bad.tar").exists()
    restore = ["restore", str(dest), "--home", str(tmp_path / "back"), "--identity", str(spare_key)]
    if not state_url.startswith("sqlite"):
        restore += ["--database", state_url]
    restored = runner.invoke(app, restore)
    assert restored.exit_code == 0, restored.output
    assert "restored and verified" in restored.output
    drop_dedicated_schema(open_workspace(tmp_path / "back").state_url)


def test_a_missing_or_wrong_identity_is_refused_with_nothing_written(
    sealed: Path, tmp_path: Path
) -> None:
    stranger = tmp_path / "keys" / "stranger.age"
    create_age_identity(stranger)
    before = _entries(tmp_path)
    target = tmp_path / "restored"
    missing = runner.invoke(app, ["restore", str(sealed), "--home", str(target)])
    wrong = runner.invoke(
        app, ["restore", str(sealed), "--home", str(target), "--identity", str(stranger)]
    )
    for result, words in ((missing, "--identity FILE"), (wrong, "wrong key")):
        assert result.exit_code == 1
        assert result.output.startswith("portcullis: ") and result.output.strip().count("\n") == 0
        assert words in result.output
    assert _entries(tmp_path) == before
    with pytest.raises(ArchiveLocked, match="wrong key"):
        restore_workspace(sealed, target, identity=load_age_identity(stranger))
    assert _entries(tmp_path) == before


def test_a_plain_archive_given_an_identity_is_refused(
    disclosed: Workspace, operator: tuple[Path, AgeRecipient], tmp_path: Path
) -> None:
    plain = backup_workspace(disclosed, tmp_path / "backups" / "plain.tar").archive
    with pytest.raises(ArchiveLocked, match="not encrypted"):
        restore_workspace(plain, tmp_path / "restored", identity=load_age_identity(operator[0]))
    assert not (tmp_path / "restored").exists()


@pytest.mark.parametrize(
    "cut",
    [
        pytest.param(lambda size: 60, id="in-the-header"),
        pytest.param(lambda size: size // 2, id="in-the-body"),
        pytest.param(lambda size: size - 1, id="last-byte"),
    ],
)
def test_a_truncated_encrypted_archive_is_refused(
    sealed: Path, operator: tuple[Path, AgeRecipient], tmp_path: Path, cut: Callable[[int], int]
) -> None:
    key = operator[0]
    data = sealed.read_bytes()
    truncated = tmp_path / "truncated.tar.age"
    truncated.write_bytes(data[: cut(len(data))])
    before = _entries(tmp_path)
    with pytest.raises(ArchiveInvalid, match=r"not a readable encrypted backup|truncated"):
        restore_workspace(truncated, tmp_path / "restored", identity=load_age_identity(key))
    assert _entries(tmp_path) == before
    result = runner.invoke(
        app,
        ["restore", str(truncated), "--home", str(tmp_path / "restored"), "--identity", str(key)],
    )
    assert result.exit_code == 1 and result.output.strip().count("\n") == 0
    assert _entries(tmp_path) == before
