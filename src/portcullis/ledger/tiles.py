"""The ledger as C2SP tlog-tiles: tile paths, which tiles a tree size has, and their bytes."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Connection, select

from portcullis.ledger.checkpoint import is_plain_decimal
from portcullis.ledger.errors import LedgerError
from portcullis.ledger.stored import stored_bytes
from portcullis.ledger.tables import ledger_entries, ledger_nodes, node_key

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
# An entry bundle prefixes each entry with its length as a big-endian uint16.
MAX_BUNDLED_ENTRY = 0xFFFF
_INDEX_PART = re.compile(r"x\d{3}")
_LAST_PART = re.compile(r"\d{3}")


class TileNotFound(LedgerError):
    """The path names no tile, or one the signed tree does not (yet) hold."""


class EntryTooLargeForTiles(LedgerError):
    """An entry is longer than an entry bundle's 16-bit length prefix can say."""


@dataclass(frozen=True, slots=True)
class Tile:
    """A hash tile (`level` 0 to 63) or, with `level` None, an entry bundle."""

    level: int | None
    index: int
    width: int

    @property
    def path(self) -> str:
        """The tile's path below the log's prefix: tile/<L>/<N>[.p/<W>]."""
        groups: list[int] = []
        rest = self.index
        while True:
            groups.append(rest % 1000)
            rest //= 1000
            if rest == 0:
                break
        parts = [f"x{g:03d}" for g in reversed(groups[1:])] + [f"{groups[0]:03d}"]
        name = "entries" if self.level is None else str(self.level)
        suffix = "" if self.width == TILE_WIDTH else f".p/{self.width}"
        return f"tile/{name}/{'/'.join(parts)}{suffix}"

    def covered_by(self, size: int) -> bool:
        """Return True if a tree of `size` entries holds every hash or entry of this tile."""
        level = self.level or 0
        return (self.index * TILE_WIDTH + self.width) << (TILE_HEIGHT * level) <= size


def parse_tile_path(path: str) -> Tile:
    """Read a tile path (tile/<L>/<N>[.p/<W>]) back, refusing any other spelling."""
    parts = path.split("/")
    width = TILE_WIDTH
    if len(parts) >= 2 and parts[-2].endswith(".p"):
        if not is_plain_decimal(parts[-1]) or not 1 <= int(parts[-1]) < TILE_WIDTH:
            raise TileNotFound(f"{path}: a partial tile's width is 1 to 255")
        width = int(parts[-1])
        parts = [*parts[:-2], parts[-2].removesuffix(".p")]
    if len(parts) < 3 or parts[0] != "tile":
        raise TileNotFound(f"{path}: not a tile path")
    name, groups = parts[1], parts[2:]
    if name != "entries" and not (is_plain_decimal(name) and int(name) <= 63):
        raise TileNotFound(f"{path}: the level is entries or 0 to 63")
    if not _LAST_PART.fullmatch(groups[-1]) or not all(
        _INDEX_PART.fullmatch(g) for g in groups[:-1]
    ):
        raise TileNotFound(f"{path}: the index is written in x-prefixed groups of three digits")
    index = int("".join(g.removeprefix("x") for g in groups))
    tile = Tile(None if name == "entries" else int(name), index, width)
    if tile.path != path:
        raise TileNotFound(f"{path}: not the canonical spelling {tile.path}")
    return tile


def _levels(size: int) -> Iterator[tuple[int, int, int]]:
    # Per level: the number of full tiles and the width of the partial one (0 if none).
    level = 0
    while size >> (TILE_HEIGHT * level):
        full, partial = divmod(size >> (TILE_HEIGHT * level), TILE_WIDTH)
        yield level, full, partial
        level += 1


def _with_bundle(tile: Tile) -> list[Tile]:
    return [tile, Tile(None, tile.index, tile.width)] if tile.level == 0 else [tile]


def tiles_of(size: int) -> Iterator[Tile]:
    """Yield every hash tile and entry bundle of the tree of `size` entries."""
    for level, full, partial in _levels(size):
        for index in range(full):
            yield from _with_bundle(Tile(level, index, TILE_WIDTH))
        if partial:
            yield from _with_bundle(Tile(level, full, partial))


def partial_tiles_of(size: int) -> list[Tile]:
    """Return the partial tiles and bundle of the tree of `size` entries (one per level at most)."""
    return [
        tile
        for level, full, partial in _levels(size)
        if partial
        for tile in _with_bundle(Tile(level, full, partial))
    ]


def tile_bytes(conn: Connection, tile: Tile) -> bytes:
    """Return a tile's content: its hashes concatenated, or its entries length-prefixed."""
    first = tile.index * TILE_WIDTH
    if tile.level is None:
        return _bundle(conn, first, tile.width)
    ledger_level = TILE_HEIGHT * tile.level
    rows = conn.execute(
        select(ledger_nodes.c.node, ledger_nodes.c.hash)
        .where(
            ledger_nodes.c.node.between(
                node_key(ledger_level, first), node_key(ledger_level, first + tile.width - 1)
            )
        )
        .order_by(ledger_nodes.c.node)
    ).all()
    if len(rows) != tile.width:
        raise TileNotFound(f"{tile.path}: the ledger lacks some of its subtree hashes")
    return b"".join(stored_bytes(value, f"ledger_nodes row node={key},") for key, value in rows)


def _bundle(conn: Connection, first: int, width: int) -> bytes:
    rows = conn.execute(
        select(ledger_entries.c.idx, ledger_entries.c.body)
        .where(ledger_entries.c.idx >= first, ledger_entries.c.idx < first + width)
        .order_by(ledger_entries.c.idx)
    ).all()
    if len(rows) != width:
        raise TileNotFound(f"entries {first}..{first + width - 1}: some are missing")
    parts: list[bytes] = []
    for index, body in rows:
        data = stored_bytes(body, f"ledger_entries row idx={index}, column body,")
        if len(data) > MAX_BUNDLED_ENTRY:
            raise EntryTooLargeForTiles(f"entry {index} is {len(data)} bytes, over 65535")
        parts.append(struct.pack(">H", len(data)) + data)
    return b"".join(parts)
