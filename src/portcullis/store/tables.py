"""Tables for requests, their items, check records, decisions and releases."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from portcullis.store.metadata import metadata

# One row per submitted request, accepted or refused as a whole.
requests = Table(
    "requests",
    metadata,
    Column("request_id", String(200), primary_key=True),
    Column("program_id", String(200), nullable=False),
    Column("program_version", Integer),
    Column("requesting_agency", String(200)),
    Column("signer_key_id", String(200)),
    Column("signer_name", String(200)),
    Column("file_name", String(500), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("manifest", JSON),
    # received → processing → done; or refused (as a whole); held means waiting for review.
    Column("status", String(20), nullable=False),
    Column("refusal_code", String(64)),
    Column("refusal_reason", Text),
    Column("item_count", Integer, nullable=False, default=0),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    # What the posterior says of the request's releases: expected wrong ones, precision bound.
    Column("release_estimate", JSON),
)

# One row per data row of an accepted request file, kept exactly as read (bad rows included).
items = Table(
    "items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", String(200), ForeignKey("requests.request_id"), nullable=False),
    Column("row", Integer, nullable=False),
    Column("item_id", String(200)),
    Column("record", JSON, nullable=False),
    Column("case_number", String(200)),
    Column("name_key", String(400)),
    Column("officers", Text),
    # received → checked → decided (final) or held (pending_review)
    Column("stage", String(20), nullable=False),
    UniqueConstraint("request_id", "row", name="uq_items_request_row"),
)

# The check record for an item: the findings at decision time, re-verified before any release.
check_records = Table(
    "check_records",
    metadata,
    Column("item_pk", Integer, ForeignKey("items.id"), primary_key=True),
    Column("passed", Boolean, nullable=False),
    Column("findings", JSON, nullable=False),
    Column("program_version", Integer, nullable=False),
    Column("checked_at", DateTime(timezone=True), nullable=False),
)

# One decision per item: pending_review may become final through review; a final one never changes.
decisions = Table(
    "decisions",
    metadata,
    Column("item_pk", Integer, ForeignKey("items.id"), primary_key=True),
    Column("outcome", String(20), nullable=False),
    Column("reason_codes", Text, nullable=False, default=""),
    Column("tin", String(9)),
    Column("address", JSON),
    Column("address_tax_year", Integer),
    Column("match_score", Float),
    Column("match_evidence", JSON),
    Column("model_version", String(100)),
    Column("decided_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", String(200), nullable=False),
    Column("approval", String(400)),
    Column("ledger_index", Integer),
)
# The review queue and the dashboards read decisions by outcome and time, at millions of rows.
Index("ix_decisions_outcome_decided_at", decisions.c.outcome, decisions.c.decided_at)
Index("ix_decisions_decided_at", decisions.c.decided_at)
Index("ix_decisions_outcome_match_score", decisions.c.outcome, decisions.c.match_score)
# The taxpayers released in a span are counted from this index alone, without reading the rows.
Index(
    "ix_decisions_outcome_decided_at_tin",
    decisions.c.outcome,
    decisions.c.decided_at,
    decisions.c.tin,
)

# A reviewer's claim on one held item: while it lasts, no other reviewer may settle the item.
review_claims = Table(
    "review_claims",
    metadata,
    Column("item_pk", Integer, ForeignKey("items.id"), primary_key=True),
    Column("reviewer", String(200), nullable=False, index=True),
    Column("claimed_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

# A release of a disclosed item: the sealed package and its lifecycle.
releases = Table(
    "releases",
    metadata,
    Column("item_pk", Integer, ForeignKey("items.id"), primary_key=True),
    Column("package_path", String(1000), nullable=False),
    Column("package_sha256", String(64), nullable=False),
    Column("released_at", DateTime(timezone=True), nullable=False),
    Column("retention_until", DateTime(timezone=True), nullable=False),
    Column("receipt_confirmed_at", DateTime(timezone=True)),
    Column("disposed_at", DateTime(timezone=True)),
    Column("recalled_at", DateTime(timezone=True)),
    Column("recall_reason", Text),
    # The receipt sealed into the package (checkpoint, inclusion proof), as it was given.
    Column("receipt", JSON),
)

# Requesting agencies and the key their packages are encrypted to.
agencies = Table(
    "agencies",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("recipient_kind", String(10), nullable=False),  # "age" or "cms"
    Column("recipient_key", Text, nullable=False),  # an age public key, or a PEM certificate
)

# Every submission as it arrived, accepted or refused as a whole: nothing sent is unaccounted for.
intake_events = Table(
    "intake_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", String(200)),
    Column("program_id", String(200)),
    Column("file_name", String(500), nullable=False),
    Column("file_sha256", String(64), nullable=False),
    Column("accepted", Boolean, nullable=False),
    Column("code", String(64)),
    Column("reason", Text),
    Column("received_at", DateTime(timezone=True), nullable=False),
    Column("ledger_index", Integer),
)
