"""Back up a workspace into one archive: the state store, the master and lookup, keys and files."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb

from portcullis.errors import PortcullisError
from portcullis.ledger.demo import WITNESSES_DIR
from portcullis.matching.lookup import SUFFIX as LOOKUP_SUFFIX
from portcullis.matching.lookup import Lookup
from portcullis.operations.archive import seal_archive, write_archive
from portcullis.operations.state import dump_state
from portcullis.release.recipients import AgeRecipient
from portcullis.workspace import Workspace

HOME_DIR = "home"
# Files of a home that the backup writes its own way (state, master, lookup) or rewrites (config).
_STATE_FILES = ("state.sqlite", "state.sqlite-wal", "state.sqlite-shm")


class BackupRefused(PortcullisError):
    """A backup cannot be taken as asked (its destination, or a copy that does not open)."""


@dataclass(frozen=True, slots=True)
class BackupSummary:
    """What a backup holds: the archive, its files, rows per table, the ledger's size, its keys."""

    archive: Path
    files: int
    tables: dict[str, int]
    ledger_size: int
    master_rows: int
    encrypted_to: tuple[str, ...] = ()


def backup_workspace(
    workspace: Workspace, dest: Path, *, encrypt_to: Sequence[AgeRecipient] = ()
) -> BackupSummary:
    """Write one archive of `workspace` at `dest`, taken while the gateway keeps working.

    The state store is read first, from one consistent snapshot; files are copied after it, so
    every package or request file that a stored row names is already complete on disk. Given
    `encrypt_to`, the archive is sealed with age to those keys, and only the sealed file is kept.
    """
    dest = dest.expanduser().resolve()
    if dest.is_relative_to(workspace.home):
        raise BackupRefused(f"write the backup outside the workspace, not at {dest}")
    if dest.exists():
        raise BackupRefused(f"{dest} exists already; a backup never overwrites a file")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".portcullis-backup-") as scratch:
        staging = Path(scratch)
        home = staging / HOME_DIR
        # The in-process witnesses' memories are read before the state: a witness cosigns only
        # checkpoints already committed, so the snapshot then holds every tree they remember.
        # Read after it, a witness could remember a newer tree, and the restore would look
        # rolled back.
        witnessed = _copy_witness_memories(workspace, home)
        dump = dump_state(workspace.state_url, staging)
        _copy_home_files(workspace, home, witnessed)
        master_rows = _copy_master(workspace, home)
        fields = {
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "source_home": str(workspace.home),
            "ledger_origin": workspace.ledger_origin,
            "state": {"backend": dump.backend, "method": "sqlalchemy-rows", "tables": dump.tables},
            "ledger": None
            if dump.ledger is None
            else {
                "origin": dump.ledger.origin,
                "public_key": dump.ledger.public_key,
                "size": dump.ledger.size,
            },
            "master": {"rows": master_rows},
        }
        if encrypt_to:
            with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".portcullis-seal-") as seal:
                plain = Path(seal) / dest.name
                manifest = write_archive(staging, fields, plain)
                seal_archive(plain, dest, encrypt_to)
        else:
            manifest = write_archive(staging, fields, dest)
    return BackupSummary(
        dest,
        len(manifest["files"]),
        dump.tables,
        0 if dump.ledger is None else dump.ledger.size,
        master_rows,
        tuple(recipient.public_key for recipient in encrypt_to),
    )


def _copy_witness_memories(workspace: Workspace, home: Path) -> set[Path]:
    """Copy every in-process witness's home (its key and memory); return the files copied."""
    copied: set[Path] = set()
    witnesses = workspace.home / WITNESSES_DIR
    for path in sorted(witnesses.rglob("*")) if witnesses.is_dir() else ():
        if path.is_file():
            target = home / path.relative_to(workspace.home)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            copied.add(path)
    return copied


def _copy_home_files(workspace: Workspace, home: Path, copied: set[Path]) -> None:
    master = workspace.master_path
    skipped = {
        *copied,
        workspace.config_path,
        master,
        master.with_name(master.name + ".wal"),
        Path(str(master) + LOOKUP_SUFFIX),
        *(workspace.home / name for name in _STATE_FILES),
    }
    spill = master.with_name(master.name + ".tmp")
    for path in sorted(workspace.home.rglob("*")):
        if path in skipped or not path.is_file() or path.name.endswith(".partial"):
            continue
        if path.is_relative_to(spill):
            continue
        target = home / path.relative_to(workspace.home)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)


def _copy_master(workspace: Workspace, home: Path) -> int:
    """Copy the master and its lookup, fold any WAL in, and prove the copies open together."""
    master = workspace.master_path
    copy = home / master.name
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy2(master, copy)
    wal = master.with_name(master.name + ".wal")
    if wal.exists():
        shutil.copy2(wal, copy.with_name(copy.name + ".wal"))
    lookup = Path(str(master) + LOOKUP_SUFFIX)
    if lookup.exists():
        with (
            sqlite3.connect(lookup.resolve().as_uri() + "?mode=ro", uri=True) as src,
            sqlite3.connect(Path(str(copy) + LOOKUP_SUFFIX)) as dst,
        ):
            src.backup(dst)
        src.close()
        dst.close()
    try:
        with duckdb.connect(str(copy)) as con:
            con.execute("CHECKPOINT")
            rows = con.execute("SELECT count(*) FROM master_address").fetchone()
            Lookup.open(con).close()
    except (duckdb.Error, PortcullisError) as exc:
        raise BackupRefused(
            f"the copy of the master does not open with its lookup ({exc}); a master load may be"
            " running: back up again when it has finished"
        ) from exc
    return 0 if rows is None else int(rows[0])
