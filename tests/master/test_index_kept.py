"""A master load that writes nothing keeps the match index it would only build again."""

from __future__ import annotations

from pathlib import Path

import duckdb

from portcullis.initialise import init_workspace
from portcullis.master.loading import load_master_files
from portcullis.matching.lookup import SUFFIX
from portcullis.workspace import Workspace
from tests.master.files import write_lines

ROWS = (
    "111223333,Bo,,Ng,,1990-02-01,2 C St,,Troy,NY,12180,2024",
    "222334444,Al,,Wu,,1985-07-09,3 D St,,Troy,NY,12180,2024",
)


def built_at(workspace: Workspace) -> object:
    with duckdb.connect(str(workspace.master_path), read_only=True) as con:
        row = con.execute("SELECT built_at FROM match_meta").fetchone()
    assert row is not None
    return row[0]


def loaded(tmp_path: Path) -> tuple[Workspace, Path]:
    workspace = init_workspace(tmp_path / "home")
    master = write_lines(tmp_path / "master.csv", *ROWS)
    assert load_master_files(workspace, [master]).index_rebuilt
    return workspace, master


def test_the_same_file_again_keeps_the_index(tmp_path: Path) -> None:
    workspace, master = loaded(tmp_path)
    before = built_at(workspace)
    report = load_master_files(workspace, [master])
    assert not report.index_rebuilt
    assert built_at(workspace) == before


def test_a_load_that_writes_a_row_builds_the_index_again(tmp_path: Path) -> None:
    workspace, master = loaded(tmp_path)
    before = built_at(workspace)
    newer = write_lines(
        tmp_path / "newer.csv", "333445555,Cy,,Oh,,1970-01-02,1 B St,,Troy,NY,12180,2024"
    )
    report = load_master_files(workspace, [newer])
    assert report.index_rebuilt and report.rows_written == 1
    assert built_at(workspace) != before
    # And the first file, now overlaid by a later write, is read again but changes nothing.
    assert load_master_files(workspace, [master]).rows_written == 0


def test_an_index_whose_lookup_is_gone_is_built_again(tmp_path: Path) -> None:
    workspace, master = loaded(tmp_path)
    lookup = workspace.master_path.with_name(workspace.master_path.name + SUFFIX)
    assert lookup.exists()
    lookup.unlink()
    assert load_master_files(workspace, [master]).index_rebuilt
    assert lookup.exists()


def test_an_index_of_an_earlier_layout_is_built_again(tmp_path: Path) -> None:
    workspace, master = loaded(tmp_path)
    with duckdb.connect(str(workspace.master_path)) as con:
        con.execute("UPDATE match_meta SET layout = layout - 1")
    assert load_master_files(workspace, [master]).index_rebuilt
