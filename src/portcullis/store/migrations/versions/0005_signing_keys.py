"""Retired signing keys stay public with their validity, so rotation breaks no old proof."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "signing_keys",
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=True),
        sa.Column("valid_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_size", sa.BigInteger(), nullable=True),
        sa.Column("last_size", sa.BigInteger(), nullable=True),
        sa.Column("retired_by", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.PrimaryKeyConstraint("role", "public_key", name=op.f("pk_signing_keys")),
    )


def downgrade() -> None:
    """Undo this revision."""
    op.drop_table("signing_keys")
