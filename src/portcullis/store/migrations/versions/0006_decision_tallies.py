"""Decisions tallied per request, day, outcome, reasons and statute by triggers; a TIN index."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portcullis.store.tallies import install_tallies

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Apply this revision: the table, its triggers and a first count of every decision."""
    op.create_table(
        "decision_tallies",
        sa.Column("request_id", sa.String(length=200), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("reason_codes", sa.Text(), nullable=False),
        sa.Column("statute", sa.String(length=200), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "request_id",
            "day",
            "outcome",
            "reason_codes",
            "statute",
            name=op.f("pk_decision_tallies"),
        ),
    )
    op.create_index(
        "ix_decisions_outcome_decided_at_tin", "decisions", ["outcome", "decided_at", "tin"]
    )
    install_tallies(op.get_bind())


def downgrade() -> None:
    """Undo this revision."""
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS decision_tallies_follow ON decisions")
        op.execute("DROP FUNCTION IF EXISTS decision_tallies_follow()")
    else:
        for name in ("added", "changed", "removed"):
            op.execute(f"DROP TRIGGER IF EXISTS decision_tallies_{name}")
    op.drop_index("ix_decisions_outcome_decided_at_tin", table_name="decisions")
    op.drop_table("decision_tallies")
