"""The workspace: one folder holding the embedded stores, keys, programs and outputs."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from portcullis.errors import PortcullisError, WorkspaceMissing

HOME_ENV = "PORTCULLIS_HOME"
DATABASE_ENV = "PORTCULLIS_DATABASE_URL"
DEFAULT_HOME = Path("portcullis-home")
CONFIG_NAME = "portcullis.toml"
BatchEngine = Literal["duckdb", "spark"]
BATCH_ENGINES: tuple[BatchEngine, ...] = ("duckdb", "spark")


class SettingInvalid(PortcullisError):
    """A workspace setting in portcullis.toml has a value it may not take."""


@dataclass(frozen=True, slots=True)
class Workspace:
    """Paths inside one workspace folder, and the state database it uses."""

    home: Path
    state_url: str
    ledger_origin: str
    # The `[spark]` table of portcullis.toml: `batch_engine`, `master`, `index_dir`, `conf`.
    spark: Mapping[str, Any] = field(default_factory=dict)

    @property
    def batch_engine(self) -> BatchEngine:
        """The engine that decides batches unless a command names one: duckdb or spark."""
        configured = self.spark.get("batch_engine", "duckdb")
        for engine in BATCH_ENGINES:
            if engine == configured:
                return engine
        raise SettingInvalid(
            f"[spark] batch_engine in {CONFIG_NAME} must be duckdb or spark, not {configured!r}"
        )

    @property
    def spark_index_dir(self) -> Path:
        """Where the Spark index lives: `[spark] index_dir`, else `spark/` in the workspace."""
        configured = self.spark.get("index_dir")
        return Path(str(configured)) if configured else self.home / "spark"

    @property
    def config_path(self) -> Path:
        return self.home / CONFIG_NAME

    @property
    def master_path(self) -> Path:
        """The DuckDB file holding the taxpayer master and the match index."""
        return self.home / "master.duckdb"

    @property
    def integrator_lock_path(self) -> Path:
        """Return the lock file held by the one process whose integrator checkpoints the ledger."""
        return self.home / "integrator.lock"

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"

    @property
    def programs_dir(self) -> Path:
        return self.home / "programs"

    @property
    def match_dir(self) -> Path:
        """Trained match parameters, one versioned file each."""
        return self.home / "match"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def packages_dir(self) -> Path:
        return self.home / "packages"

    @property
    def inbox_dir(self) -> Path:
        """Submitted request files and their signed manifests, kept byte for byte."""
        return self.home / "inbox"

    @property
    def ledger_key_path(self) -> Path:
        return self.keys_dir / "ledger-signer.key"

    @property
    def release_key_path(self) -> Path:
        return self.keys_dir / "release-signer.key"

    @property
    def demo_signer_key_path(self) -> Path:
        return self.keys_dir / "demo-signer.key"

    @property
    def recipient_identity_path(self) -> Path:
        """The demo requesting agency's age identity (its private decryption key)."""
        return self.keys_dir / "demo-recipient.agekey"

    @property
    def tin_hash_key_path(self) -> Path:
        """The secret that keys the TIN hashes written into the public ledger."""
        return self.keys_dir / "tin-hash.key"

    @property
    def token_secret_path(self) -> Path:
        """The secret that signs the API's bearer tokens."""
        return self.keys_dir / "api-token.key"

    def witness_key_path(self, name: str) -> Path:
        return self.keys_dir / f"witness-{name}.key"

    def exists(self) -> bool:
        return self.config_path.is_file()


def resolve_home(home: Path | None) -> Path:
    """Pick the workspace folder: `--home`, then $PORTCULLIS_HOME, then ./portcullis-home."""
    if home is not None:
        return home.expanduser().resolve()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser().resolve()
    return DEFAULT_HOME.resolve()


def default_state_url(home: Path) -> str:
    """The embedded SQLite state database inside `home`."""
    return f"sqlite:///{home / 'state.sqlite'}"


def open_workspace(home: Path | None) -> Workspace:
    """Return the existing workspace at `home` or fail with a one-line reason."""
    path = resolve_home(home)
    config = path / CONFIG_NAME
    if not config.is_file():
        raise WorkspaceMissing(f"no workspace at {path}: run 'portcullis init --home {path}' first")
    with config.open("rb") as handle:
        settings = tomllib.load(handle)
    url = os.environ.get(DATABASE_ENV) or str(settings.get("state_url") or default_state_url(path))
    origin = str(settings.get("ledger_origin") or default_ledger_origin(path))
    spark = settings.get("spark", {})
    return Workspace(home=path, state_url=url, ledger_origin=origin, spark=dict(spark))


def default_ledger_origin(home: Path) -> str:
    """The checkpoint origin line: unique per workspace, stable for its lifetime."""
    return f"portcullis.local/{home.name}/ledger"
