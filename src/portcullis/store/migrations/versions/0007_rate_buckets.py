"""Rate-limit buckets in the state store, so every API process enforces one limit per client."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "rate_buckets",
        sa.Column("client", sa.String(length=300), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("client", name=op.f("pk_rate_buckets")),
    )


def downgrade() -> None:
    """Revert this revision."""
    op.drop_table("rate_buckets")
