"""Reviewers' settlements as labels: the items a person confirmed, for the model to learn from."""

from __future__ import annotations

import sqlalchemy as sa

from portcullis.checks import tax_years
from portcullis.contract.records import item_from_json
from portcullis.matching import MatchQuery, query_from_item
from portcullis.recording import AUTOMATIC
from portcullis.store.tables import decisions, items, releases, requests

# The newest settlements a model learns from: enough to refine m, bounded in cost.
LABEL_LIMIT = 5_000


def settled_labels(
    engine: sa.Engine, program_id: str, *, limit: int = LABEL_LIMIT
) -> list[tuple[MatchQuery, str]]:
    """Return the program's items a reviewer approved, each with the taxpayer confirmed.

    Only approvals are labels: a reviewer who refuses may do so for reasons other than
    identity, so a refusal says nothing sure about who the item names. A release later
    recalled is no label either.
    """
    query = (
        sa.select(items.c.record, decisions.c.tin)
        .join(decisions, decisions.c.item_pk == items.c.id)
        .join(requests, requests.c.request_id == items.c.request_id)
        .outerjoin(releases, releases.c.item_pk == items.c.id)
        .where(
            requests.c.program_id == program_id,
            decisions.c.outcome == "disclosed",
            decisions.c.decided_by != AUTOMATIC,
            decisions.c.tin.is_not(None),
            releases.c.recalled_at.is_(None),
        )
        .order_by(decisions.c.decided_at.desc(), items.c.id.desc())
        .limit(limit)
    )
    with engine.connect() as con:
        rows = con.execute(query).all()
    labels: list[tuple[MatchQuery, str]] = []
    for row in rows:
        item = item_from_json(row.record)
        labels.append((query_from_item(item, tax_years(item)), str(row.tin)))
    return labels
