"""Write the ledger as static C2SP tlog-tiles files that any web server can serve as they are."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from portcullis.ledger.checkpoints import latest_checkpoint
from portcullis.ledger.errors import EntryNotCheckpointed
from portcullis.ledger.files import replace_file
from portcullis.ledger.tables import ledger_checkpoints
from portcullis.ledger.tiles import TILE_WIDTH, Tile, partial_tiles_of, tile_bytes, tiles_of

CHECKPOINT_FILE = "checkpoint"


@dataclass(frozen=True, slots=True)
class Publication:
    """What a publication wrote: the checkpoint's size and the tile files written or kept."""

    size: int
    written: int
    kept: int


def _tiles(size: int, earlier: list[int]) -> list[Tile]:
    # Partial tiles of earlier checkpoints stay until the full tile replaces them (tlog-tiles).
    wanted = list(tiles_of(size))
    for checkpoint_size in earlier:
        wanted += [
            tile
            for tile in partial_tiles_of(checkpoint_size)
            if not Tile(tile.level, tile.index, TILE_WIDTH).covered_by(size)
        ]
    return list(dict.fromkeys(wanted))


def publish_ledger(engine: Engine, origin: str, folder: Path) -> Publication:
    """Write the newest checkpoint and every tile and entry bundle under it into `folder`.

    Full tiles never change, so those already there are kept; the checkpoint is written last, so
    the tiles it needs are in place before a reader can see it.
    """
    with engine.connect() as conn:
        checkpoint = latest_checkpoint(conn, origin)
        if checkpoint is None:
            raise EntryNotCheckpointed("the ledger has no signed checkpoint to publish yet")
        earlier = [
            int(size)
            for size in conn.execute(
                select(ledger_checkpoints.c.size).where(ledger_checkpoints.c.size < checkpoint.size)
            ).scalars()
        ]
        written = kept = 0
        for tile in _tiles(checkpoint.size, earlier):
            path = folder / tile.path
            if tile.width == TILE_WIDTH and path.is_file():
                kept += 1
                continue
            replace_file(path, tile_bytes(conn, tile))
            written += 1
    replace_file(folder / CHECKPOINT_FILE, checkpoint.note.encode("utf-8"))
    return Publication(checkpoint.size, written, kept)
