"""Releases keep the receipt their package carries; the access log gets a head row to lock."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("releases", sa.Column("receipt", sa.JSON(), nullable=True))
    op.create_table(
        "access_log_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("access_log_head")
    op.drop_column("releases", "receipt")
