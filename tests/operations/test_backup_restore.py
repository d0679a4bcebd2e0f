"""Backup taken while requests are processed, restored into a fresh home that then verifies."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import threading
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from portcullis.cli.app import app
from portcullis.gateway import Gateway
from portcullis.intake import submit_request
from portcullis.ledger.tables import ledger_entries
from portcullis.operations import backup_workspace, restore_workspace
from portcullis.operations.archive import MANIFEST_NAME, ArchiveInvalid
from portcullis.operations.restore import RestoreRefused
from portcullis.processing import pending_request_ids, process_request
from portcullis.store.database import drop_dedicated_schema
from portcullis.store.tables import requests
from portcullis.store.tallies import decision_tallies
from portcullis.workspace import Workspace, open_workspace
from tests.faults.invariants import assert_invariants
from tests.operations.conftest import MakeRequest

EXPECTED = Counter({"disclosed": 5, "refused": 1})
REQUESTS = 4
runner = CliRunner()


def _traffic(
    workspace: Workspace, made: list[tuple[Path, dict[str, object]]], first: threading.Event
) -> None:
    with Gateway.open(workspace) as gateway:
        for number, (path, signed) in enumerate(made):
            submission = submit_request(gateway, path, signed)
            process_request(gateway, submission.request_id)
            if number == 0:
                first.set()
    first.set()


def _restore_url(state_url: str) -> str | None:
    return None if state_url.startswith("sqlite") else state_url


def test_backup_taken_mid_traffic_restores_into_a_fresh_home_that_verifies(
    workspace: Workspace, signed_request: MakeRequest, tmp_path: Path, state_url: str
) -> None:
    made = [signed_request(f"R-OPS-{n}", n + 1) for n in range(REQUESTS)]
    first = threading.Event()
    worker = threading.Thread(target=_traffic, args=(workspace, made, first))
    worker.start()
    try:
        assert first.wait(120)
        summary = backup_workspace(workspace, tmp_path / "backups" / "mid.tar")
    finally:
        worker.join(300)
    assert summary.ledger_size > 0
    restored = restore_workspace(
        summary.archive, tmp_path / "restored", database_url=_restore_url(state_url)
    )
    try:
        home = open_workspace(restored.workspace.home)
        assert home.ledger_origin == workspace.ledger_origin
        assert restored.ledger_size == summary.ledger_size
        verified = runner.invoke(app, ["ledger", "verify", "--home", str(home.home)])
        assert verified.exit_code == 0, verified.output
        # The restored gateway finishes what was in flight at the snapshot, and every invariant
        # of the road holds for every request it holds.
        with Gateway.open(home) as gateway:
            for request_id in pending_request_ids(gateway):
                process_request(gateway, request_id)
            with gateway.engine.connect() as con:
                held = sorted(con.execute(sa.select(requests.c.request_id)).scalars())
        assert held and set(held) <= {f"R-OPS-{n}" for n in range(REQUESTS)}
        for request_id in held:
            assert_invariants(home, request_id, EXPECTED)
    finally:
        drop_dedicated_schema(restored.workspace.state_url)


@pytest.fixture
def archive(workspace: Workspace, signed_request: MakeRequest, tmp_path: Path) -> Path:
    """A backup of a workspace that has disclosed one request's items."""
    path, signed = signed_request("R-OPS-A", 1)
    with Gateway.open(workspace) as gateway:
        process_request(gateway, submit_request(gateway, path, signed).request_id)
    return backup_workspace(workspace, tmp_path / "backup.tar").archive


def _rewrite(src: Path, dest: Path, change: Callable[[str, bytes], bytes | None]) -> None:
    """Copy the archive, passing each member through `change` (None drops it)."""
    with tarfile.open(src) as old, tarfile.open(dest, "w") as new:
        for member in old:
            handle = old.extractfile(member)
            assert handle is not None
            data = change(member.name, handle.read())
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            new.addfile(info, io.BytesIO(data))


def _refused_leaves_nothing(target: Path, state_url: str) -> None:
    assert not target.exists()
    if not state_url.startswith("sqlite"):
        engine = sa.create_engine(state_url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as con:
            names = sa.inspect(con).get_schema_names()
        engine.dispose()
        assert not [name for name in names if name.startswith("ws_restored_")]


def test_a_file_altered_in_the_archive_is_refused_by_its_digest(
    archive: Path, tmp_path: Path, state_url: str
) -> None:
    def flip(name: str, data: bytes) -> bytes:
        return data.replace(b"ICE-ERO", b"ICE-ERX") if name == "state/items.jsonl" else data

    tampered = tmp_path / "tampered.tar"
    _rewrite(archive, tampered, flip)
    with pytest.raises(ArchiveInvalid, match=r"altered: state/items.jsonl has SHA-256"):
        restore_workspace(tampered, tmp_path / "restored", database_url=_restore_url(state_url))
    _refused_leaves_nothing(tmp_path / "restored", state_url)


def test_a_ledger_entry_altered_with_its_digest_mended_is_refused_by_the_ledger(
    archive: Path, tmp_path: Path, state_url: str
) -> None:
    changed: dict[str, bytes] = {}

    def alter(name: str, data: bytes) -> bytes:
        if name != "state/ledger_entries.jsonl":
            return data
        lines = data.decode().splitlines()
        row = json.loads(lines[-1])
        row["body"] = row["body"][:-4] + ("AAAA" if row["body"][-4:] != "AAAA" else "BBBB")
        lines[-1] = json.dumps(row)
        changed[name] = ("\n".join(lines) + "\n").encode()
        return changed[name]

    step = tmp_path / "step.tar"
    _rewrite(archive, step, alter)

    def mend(name: str, data: bytes) -> bytes:
        if name != MANIFEST_NAME:
            return data
        manifest = json.loads(data)
        for entry in manifest["files"]:
            if entry["path"] in changed:
                entry["sha256"] = hashlib.sha256(changed[entry["path"]]).hexdigest()
                entry["bytes"] = len(changed[entry["path"]])
        return json.dumps(manifest).encode()

    tampered = tmp_path / "tampered.tar"
    _rewrite(step, tampered, mend)
    with pytest.raises(RestoreRefused, match="ledger verification FAILED"):
        restore_workspace(tampered, tmp_path / "restored", database_url=_restore_url(state_url))
    _refused_leaves_nothing(tmp_path / "restored", state_url)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda name, data: None if name.endswith("ledger-signer.pub") else data,
            id="member-removed",
        ),
        pytest.param(
            lambda name, data: data + b"x" if name == MANIFEST_NAME else data,
            id="manifest-not-json",
        ),
    ],
)
def test_an_incomplete_or_malformed_archive_is_refused_in_one_line(
    archive: Path, tmp_path: Path, change: Callable[[str, bytes], bytes | None]
) -> None:
    broken = tmp_path / "broken.tar"
    _rewrite(archive, broken, change)
    result = runner.invoke(app, ["restore", str(broken), "--home", str(tmp_path / "restored")])
    assert result.exit_code == 1
    assert result.output.startswith("portcullis: ") and result.output.strip().count("\n") == 0
    assert not (tmp_path / "restored").exists()


def test_restore_refuses_an_occupied_folder_and_a_file_that_is_not_an_archive(
    archive: Path, workspace: Workspace, tmp_path: Path
) -> None:
    with pytest.raises(RestoreRefused, match="not empty"):
        restore_workspace(archive, workspace.home)
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"\x00not a tar" * 100)
    with pytest.raises(ArchiveInvalid, match=r"not a (readable )?backup archive"):
        restore_workspace(junk, tmp_path / "restored")


def test_backup_and_restore_through_the_command_line(
    workspace: Workspace, tmp_path: Path, state_url: str
) -> None:
    dest = tmp_path / "cli.tar"
    made = runner.invoke(app, ["backup", str(dest), "--home", str(workspace.home)])
    assert made.exit_code == 0, made.output
    assert "backup written" in made.output
    again = runner.invoke(app, ["backup", str(dest), "--home", str(workspace.home)])
    assert again.exit_code == 1 and "never overwrites" in again.output
    args = ["restore", str(dest), "--home", str(tmp_path / "back")]
    if not state_url.startswith("sqlite"):
        args += ["--database", state_url]
    restored = runner.invoke(app, args)
    assert restored.exit_code == 0, restored.output
    assert "restored and verified" in restored.output
    drop_dedicated_schema(open_workspace(tmp_path / "back").state_url)


def test_restored_rows_equal_the_backed_up_ones(
    archive: Path, workspace: Workspace, tmp_path: Path, state_url: str
) -> None:
    restored = restore_workspace(
        archive, tmp_path / "restored", database_url=_restore_url(state_url)
    )
    try:

        def bodies(ws: Workspace) -> list[bytes]:
            engine = sa.create_engine(
                ws.state_url.replace("postgresql://", "postgresql+psycopg://")
            )
            with engine.connect() as con:
                rows = con.execute(sa.select(ledger_entries.c.body).order_by(ledger_entries.c.idx))
                found = [bytes(body) for body in rows.scalars()]
            engine.dispose()
            return found

        assert bodies(restored.workspace) == bodies(workspace)
    finally:
        drop_dedicated_schema(restored.workspace.state_url)


def test_a_restore_recounts_the_decision_tallies_from_the_decisions(
    workspace: Workspace, archive: Path, tmp_path: Path, state_url: str
) -> None:
    with Gateway.open(workspace) as gateway, gateway.engine.connect() as con:
        before = _tallies(con)
    assert before and sum(before.values()) > 0
    with tarfile.open(archive) as tar:
        assert "state/decision_tallies.jsonl" not in tar.getnames()
    restored = restore_workspace(
        archive, tmp_path / "restored-tallies", database_url=_restore_url(state_url)
    )
    try:
        home = open_workspace(restored.workspace.home)
        with Gateway.open(home) as gateway, gateway.engine.connect() as con:
            assert _tallies(con) == before
    finally:
        drop_dedicated_schema(restored.workspace.state_url)


def _tallies(con: sa.Connection) -> Counter[tuple[str, str, str, str]]:
    query = sa.select(
        decision_tallies.c.request_id,
        decision_tallies.c.day,
        decision_tallies.c.outcome,
        decision_tallies.c.reason_codes,
        decision_tallies.c["items"],
    )
    return Counter(
        {(str(r), str(d)[:10], str(o), str(c)): int(n) for r, d, o, c, n in con.execute(query)}
    )
