"""Restore a workspace from a backup archive, accepting it only once it verifies."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import Engine, select, update

from portcullis.errors import PortcullisError
from portcullis.initialise import workspace_schema_name, write_config
from portcullis.keys import load_private_key
from portcullis.ledger.verify import verify_ledger
from portcullis.matching.lookup import Lookup
from portcullis.operations.archive import (
    ArchiveInvalid,
    ArchiveLocked,
    is_sealed,
    read_archive,
    unseal_archive,
)
from portcullis.operations.backup import HOME_DIR
from portcullis.operations.reconcile import HOME_PATH_COLUMNS, reconcile
from portcullis.operations.state import load_state
from portcullis.release.recipients import AgeIdentity
from portcullis.store.database import dedicated_schema_url, drop_dedicated_schema, open_engine
from portcullis.workspace import DATABASE_ENV, Workspace, default_state_url, resolve_home


class RestoreRefused(PortcullisError):
    """A restore is refused: its target is in use, or the restored workspace does not verify."""


@dataclass(frozen=True, slots=True)
class RestoreSummary:
    """A restored, verified workspace: where, its ledger and what the ledger check said."""

    workspace: Workspace
    ledger_size: int
    ledger_report: str
    master_rows: int


def restore_workspace(
    src: Path,
    home: Path | None,
    *,
    database_url: str | None = None,
    identity: AgeIdentity | None = None,
) -> RestoreSummary:
    """Unpack `src` into a new workspace at `home`, verify it whole, and only then accept it.

    An archive sealed with age is first decrypted with `identity`, beside the target. The digests
    are checked as the archive is read; then the ledger is recomputed from the restored entries,
    decisions, releases and kept files are reconciled with it, and the master must open with its
    lookup. A workspace that fails any of this is removed again.
    """
    target = resolve_home(home)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise RestoreRefused(f"{target} is not empty; restore into a new folder")
    _check_sealing(src, identity)
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        _plain_archive(src, identity, target) as plain,
        tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.restoring-") as t,
    ):
        scratch = Path(t)
        manifest = read_archive(plain, scratch)
        unpacked = scratch / HOME_DIR
        if not unpacked.is_dir():
            raise ArchiveInvalid(f"{src} holds no workspace files")
        if target.exists():
            target.rmdir()
        unpacked.rename(target)
        url = database_url or os.environ.get(DATABASE_ENV) or default_state_url(target)
        url = dedicated_schema_url(url, workspace_schema_name(target))
        origin = manifest.get("ledger_origin")
        if not isinstance(origin, str) or not origin:
            raise ArchiveInvalid(f"{src}: the manifest names no ledger origin")
        workspace = Workspace(target, url, origin)
        try:
            summary = _restore_state(workspace, scratch, manifest)
        except BaseException:
            drop_dedicated_schema(url)
            shutil.rmtree(target, ignore_errors=True)
            raise
    write_config(workspace)
    return summary


def _check_sealing(src: Path, identity: AgeIdentity | None) -> None:
    """Refuse a sealed `src` without an identity, and an identity for a plain one."""
    sealed = is_sealed(src)
    if sealed and identity is None:
        raise ArchiveLocked(
            f"{src} is encrypted with age: give the operator's age identity (--identity FILE)"
        )
    if not sealed and identity is not None:
        raise ArchiveLocked(f"{src} is not encrypted; an identity was given for a plain archive")


@contextmanager
def _plain_archive(src: Path, identity: AgeIdentity | None, target: Path) -> Iterator[Path]:
    """Yield the plain tar of `src`: itself, or its decryption beside `target`, removed after."""
    if identity is None:
        yield src
        return
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=f".{target.name}.unsealing-") as t:
        yield unseal_archive(src, identity, Path(t) / "backup.tar")


def _restore_state(workspace: Workspace, scratch: Path, manifest: dict[str, Any]) -> RestoreSummary:
    state = manifest.get("state")
    if not isinstance(state, dict) or not isinstance(state.get("tables"), dict):
        raise ArchiveInvalid("the backup manifest does not describe the state store")
    engine = open_engine(workspace.state_url)
    try:
        load_state(engine, scratch, {str(k): int(v) for k, v in state["tables"].items()})
        _reroot_paths(engine, Path(str(manifest.get("source_home", ""))), workspace.home)
        report, size = _verify_ledger(engine, workspace, manifest)
        checked = reconcile(engine, workspace.home)
        if not checked.ok:
            raise RestoreRefused(f"the restored state store {checked.describe()}")
    finally:
        engine.dispose()
    return RestoreSummary(workspace, size, report, _verify_master(workspace, manifest))


def _reroot_paths(engine: Engine, source: Path, target: Path) -> None:
    # Packages and notices were written under the old home; they now live under this one.
    with engine.begin() as conn:
        for table, column, _digest in HOME_PATH_COLUMNS:
            (key,) = table.primary_key.columns
            for pk, path in conn.execute(select(key, table.c[column])).all():
                if Path(path).is_relative_to(source):
                    moved = str(target / Path(path).relative_to(source))
                    conn.execute(update(table).where(key == pk).values({column: moved}))


def _verify_ledger(
    engine: Engine, workspace: Workspace, manifest: dict[str, Any]
) -> tuple[str, int]:
    key = load_private_key(workspace.ledger_key_path).public_key()
    report = verify_ledger(engine, workspace.ledger_origin, key)
    if not report.ok:
        raise RestoreRefused(f"the restored {report.describe()}")
    ledger = manifest.get("ledger")
    expected = int(ledger["size"]) if isinstance(ledger, dict) else 0
    if report.entries != expected:
        raise RestoreRefused(
            f"the restored ledger holds {report.entries} entries, the manifest says {expected}"
        )
    return report.describe(), report.entries


def _verify_master(workspace: Workspace, manifest: dict[str, Any]) -> int:
    master = manifest.get("master")
    expected = int(master["rows"]) if isinstance(master, dict) else -1
    try:
        with duckdb.connect(str(workspace.master_path), read_only=True) as con:
            row = con.execute("SELECT count(*) FROM master_address").fetchone()
            Lookup.open(con).close()
    except (duckdb.Error, PortcullisError) as exc:
        raise RestoreRefused(f"the restored master does not open with its lookup: {exc}") from exc
    rows = 0 if row is None else int(row[0])
    if rows != expected:
        raise RestoreRefused(f"the restored master holds {rows} rows, the manifest says {expected}")
    return rows
