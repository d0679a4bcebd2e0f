"""Indexes for the review queue's search (identifier prefixes, name and officer trigrams) and
for the decisions still waiting for a ledger entry; the taxpayers released, tallied per year."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portcullis.store.search_indexes import TRIGRAM_INDEXES, trigram_schema
from portcullis.store.taxpayer_tallies import install_taxpayer_tallies

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

PREFIXES = ("item_id", "request_id", "case_number")


def upgrade() -> None:
    """Apply this revision."""
    for column in PREFIXES:
        op.create_index(
            f"ix_items_search_{column}",
            "items",
            [column],
            postgresql_ops={column: "text_pattern_ops"},
        )
    schema = trigram_schema(op.get_bind())
    for index, column in TRIGRAM_INDEXES:
        if schema is None:
            op.create_index(str(index.name), "items", [column])
        else:
            op.create_index(
                str(index.name),
                "items",
                [column],
                postgresql_using="gin",
                postgresql_ops={column: f"{schema}.gin_trgm_ops"},
            )
    op.create_index(
        "ix_decisions_unsequenced",
        "decisions",
        ["item_pk"],
        sqlite_where=sa.text("ledger_index IS NULL"),
        postgresql_where=sa.text("ledger_index IS NULL"),
    )
    op.create_table(
        "taxpayer_tallies",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("tin", sa.String(length=9), nullable=False),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", "tin", name=op.f("pk_taxpayer_tallies")),
    )
    install_taxpayer_tallies(op.get_bind())


def downgrade() -> None:
    """Revert this revision (the extension, shared by the database, stays)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS taxpayer_tallies_follow ON decisions")
        op.execute("DROP FUNCTION IF EXISTS taxpayer_tallies_follow()")
    else:
        for name in ("added", "changed", "removed"):
            op.execute(f"DROP TRIGGER IF EXISTS taxpayer_tallies_{name}")
    op.drop_table("taxpayer_tallies")
    op.drop_index("ix_decisions_unsequenced", table_name="decisions")
    for index, _ in TRIGRAM_INDEXES:
        op.drop_index(str(index.name), table_name="items")
    for column in PREFIXES:
        op.drop_index(f"ix_items_search_{column}", table_name="items")
