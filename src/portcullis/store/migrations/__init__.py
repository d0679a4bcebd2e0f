"""Alembic migrations of the state database, and the function that applies them."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from portcullis.store.database import open_engine

HERE = Path(__file__).resolve().parent


def alembic_config(url: str | None = None) -> Config:
    """Return the Alembic configuration of the packaged migrations, for `url` if given."""
    config = Config(str(HERE / "alembic.ini"))
    config.set_main_option("script_location", str(HERE))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate_database(url: str, revision: str = "head") -> None:
    """Bring the state database at `url` up to `revision` (the newest by default)."""
    config = alembic_config()
    engine = open_engine(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
