"""The dashboard's figures as CSV downloads, with every text cell safe to open in a spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Literal, get_args

from portcullis.contract.spreadsheet import safe_csv_writer
from portcullis.web.glance import COUNTED, Glance

Table = Literal["periods", "reasons", "backlog"]
TABLES: tuple[Table, ...] = get_args(Table)


def parse_table(text: str) -> Table | None:
    """Return the table of that name, or None if the dashboard has no such table."""
    for table in TABLES:
        if table == text:
            return table
    return None


def _rows(glance: Glance, table: Table) -> tuple[Sequence[str], Iterable[Sequence[object]]]:
    if table == "periods":
        header = (glance.period, "requesting_agency", "program_id", "items", *COUNTED)
        return header, (
            (
                f.period,
                f.requesting_agency,
                f.program_id,
                f.items,
                *(f.outcomes[o] for o in COUNTED),
            )
            for f in (*glance.rows, glance.total)
        )
    if table == "reasons":
        return ("reason_code", "refusals"), glance.refusal_reasons
    return ("requesting_agency", "program_id", "waiting", "oldest_held_at"), (
        (b.requesting_agency, b.program_id, b.waiting, b.oldest.isoformat() if b.oldest else "")
        for b in glance.backlog
    )


def figures_csv(glance: Glance, table: Table) -> str:
    """Write one of the dashboard's tables for the year as CSV text."""
    header, rows = _rows(glance, table)
    out = io.StringIO()
    writer = safe_csv_writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()
