"""Load master files into a workspace and rebuild the match index over them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from portcullis.master.loader import LoadProgress, LoadReport, load_master
from portcullis.master.loads import store_version
from portcullis.matching import IndexMissing, Matcher, build_index, default_params
from portcullis.matching.index import built_from_version
from portcullis.workspace import Workspace


def load_master_files(
    workspace: Workspace, paths: Sequence[Path], *, progress: LoadProgress | None = None
) -> LoadReport:
    """Load `paths` into the workspace's master store, then rebuild the match index over it.

    A load that wrote nothing leaves the store at the version the index was built from: then an
    index that opens (this engine's version and layout, its lookup beside it) is kept as it is.
    """
    with duckdb.connect(str(workspace.master_path)) as con:
        report = load_master(con, paths, progress=progress)
        if index_is_current(con):
            report.index_rebuilt = False
        else:
            build_index(con)
    return report


def index_is_current(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the match index was built from the store as it is now and can be opened."""
    if built_from_version(con) != store_version(con):
        return False
    try:
        matcher = Matcher.open(con, default_params())
    except IndexMissing:
        return False
    matcher.lookup.close()
    return True
