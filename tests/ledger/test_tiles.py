"""Tile paths and the tiles of a tree size, as C2SP tlog-tiles spells and counts them."""

from __future__ import annotations

import pytest

from portcullis.ledger.tiles import Tile, TileNotFound, parse_tile_path, partial_tiles_of, tiles_of


@pytest.mark.parametrize(
    ("tile", "path"),
    [
        pytest.param(Tile(0, 1234067, 256), "tile/0/x001/x234/067", id="spec-example"),
        pytest.param(Tile(0, 0, 256), "tile/0/000", id="first"),
        pytest.param(Tile(3, 1000, 256), "tile/3/x001/000", id="thousand"),
        pytest.param(Tile(None, 5, 3), "tile/entries/005.p/3", id="partial-bundle"),
        pytest.param(Tile(2, 0, 1), "tile/2/000.p/1", id="partial-level-2"),
    ],
)
def test_paths_are_written_and_read_back(tile: Tile, path: str) -> None:
    assert tile.path == path
    assert parse_tile_path(path) == tile


@pytest.mark.parametrize(
    "path",
    [
        pytest.param("tile/0/0", id="short-group"),
        pytest.param("tile/0/x000/001", id="leading-zero-group"),
        pytest.param("tile/00/000", id="leading-zero-level"),
        pytest.param("tile/64/000", id="level-too-high"),
        pytest.param("tile/0/000.p/256", id="full-width-as-partial"),
        pytest.param("tile/0/000.p/0", id="empty-partial"),
        pytest.param("tile/0/001/002", id="group-without-x"),
        pytest.param("tile/data/000", id="unknown-level"),
        pytest.param("checkpoint", id="not-a-tile"),
    ],
)
def test_other_spellings_are_refused(path: str) -> None:
    with pytest.raises(TileNotFound):
        parse_tile_path(path)


def test_the_spec_example_of_size_70000() -> None:
    tiles = list(tiles_of(70000))
    level0 = [t for t in tiles if t.level == 0]
    assert len([t for t in level0 if t.width == 256]) == 273
    assert [t.width for t in level0 if t.width < 256] == [112]
    assert [(t.level, t.width) for t in tiles if t.level in (1, 2)] == [(1, 256), (1, 17), (2, 1)]
    assert len([t for t in tiles if t.level is None]) == 274
    assert [t.path for t in partial_tiles_of(70000)] == [
        "tile/0/273.p/112",
        "tile/entries/273.p/112",
        "tile/1/001.p/17",
        "tile/2/000.p/1",
    ]


def test_a_tree_of_256_has_a_full_tile_and_a_partial_one_above() -> None:
    assert [t.path for t in tiles_of(256)] == ["tile/0/000", "tile/entries/000", "tile/1/000.p/1"]
    assert list(tiles_of(0)) == []


def test_coverage_follows_the_signed_size() -> None:
    assert Tile(0, 0, 256).covered_by(256) and not Tile(0, 0, 256).covered_by(255)
    assert Tile(1, 0, 1).covered_by(256) and not Tile(1, 0, 2).covered_by(511)
    assert Tile(None, 1, 4).covered_by(260) and not Tile(None, 1, 5).covered_by(260)
