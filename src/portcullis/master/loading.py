"""Load master files into a workspace and rebuild the match index over them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from portcullis.master.loader import LoadProgress, LoadReport, load_master
from portcullis.matching import build_index
from portcullis.workspace import Workspace


def load_master_files(
    workspace: Workspace, paths: Sequence[Path], *, progress: LoadProgress | None = None
) -> LoadReport:
    """Load `paths` into the workspace's master store, then rebuild the match index."""
    with duckdb.connect(str(workspace.master_path)) as con:
        report = load_master(con, paths, progress=progress)
        build_index(con)
    return report
