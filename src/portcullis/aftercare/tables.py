"""The recall notices sent for recalled releases, so that an interrupted recall can be finished."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Engine, ForeignKey, Integer, String, Table

from portcullis.store.metadata import metadata

# One row per recalled release once the recipient's notice about it has been written.
recall_notices = Table(
    "recall_notices",
    metadata,
    Column("item_pk", Integer, ForeignKey("releases.item_pk"), primary_key=True),
    Column("notice_path", String(1000), nullable=False),
    Column("notice_sha256", String(64), nullable=False),
    Column("sent_at", DateTime(timezone=True), nullable=False),
)


def create_aftercare_tables(engine: Engine) -> None:
    """Create the aftercare tables if the workspace's schema does not have them yet."""
    recall_notices.create(engine, checkfirst=True)
