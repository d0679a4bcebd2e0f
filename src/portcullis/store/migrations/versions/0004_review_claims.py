"""Reviewers claim held items for a while; decisions are indexed by outcome and time."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "review_claims",
        sa.Column("item_pk", sa.Integer(), nullable=False),
        sa.Column("reviewer", sa.String(length=200), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_pk"], ["items.id"], name=op.f("fk_review_claims_item_pk_items")
        ),
        sa.PrimaryKeyConstraint("item_pk", name=op.f("pk_review_claims")),
    )
    op.create_index(op.f("ix_review_claims_reviewer"), "review_claims", ["reviewer"])
    op.create_index("ix_decisions_outcome_decided_at", "decisions", ["outcome", "decided_at"])
    op.create_index("ix_decisions_decided_at", "decisions", ["decided_at"])
    op.create_index("ix_decisions_outcome_match_score", "decisions", ["outcome", "match_score"])


def downgrade() -> None:
    """Undo this revision."""
    op.drop_index("ix_decisions_outcome_match_score", table_name="decisions")
    op.drop_index("ix_decisions_decided_at", table_name="decisions")
    op.drop_index("ix_decisions_outcome_decided_at", table_name="decisions")
    op.drop_index(op.f("ix_review_claims_reviewer"), table_name="review_claims")
    op.drop_table("review_claims")
