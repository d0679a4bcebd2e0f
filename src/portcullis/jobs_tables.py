"""The processing queue: one job per accepted request, claimed by a worker under a lease."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Table, Text

from portcullis.store.metadata import metadata

# A job is queued when its request is accepted; a worker holds it while its lease is current, and
# a lease that runs out (the worker died) lets another worker take the job up where it stopped.
jobs = Table(
    "jobs",
    metadata,
    Column("request_id", String(200), primary_key=True),
    Column("state", String(10), nullable=False),  # queued | running | done | failed
    Column("lease_owner", String(200)),
    Column("lease_until", DateTime(timezone=True)),
    Column("attempts", Integer, nullable=False, default=0),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    Column("error", Text),
)
