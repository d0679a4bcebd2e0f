"""The annual report of a UTC year from the database's tallies, the inputs the dashboard reads.

The items are counted from `decision_tallies` (request, day, outcome, reason codes, statute) by the
same `Tally` the accounting rows go through, the taxpayers of the whole year from
`taxpayer_tallies`, and only the taxpayers per agency and program and the requests refused as a
whole are read row by row. A report in another time zone needs each decision's moment, so it still
folds the accounting (`portcullis.reports.annual.annual_report`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Engine

from portcullis.reports.annual import ALL, AnnualReport, Tally, final_rows
from portcullis.reports.rows import DISCLOSED, AccountingRow
from portcullis.store.tables import decisions, items, requests
from portcullis.store.tallies import decision_tallies
from portcullis.store.taxpayer_tallies import taxpayer_tallies

Group = tuple[str, str]


def _tallied(engine: Engine, year: int) -> Sequence[sa.Row[Any, Any, Any, Any, Any, Any, Any]]:
    tallied = decision_tallies.c
    query = (
        sa.select(
            sa.func.coalesce(requests.c.requesting_agency, "").label("agency"),
            requests.c.program_id,
            tallied.request_id,
            tallied.outcome,
            tallied.reason_codes,
            tallied.statute,
            sa.func.sum(tallied["items"]).label("number"),
        )
        .join(requests, requests.c.request_id == tallied.request_id)
        .where(tallied.day >= dt.date(year, 1, 1), tallied.day < dt.date(year + 1, 1, 1))
        .group_by(
            requests.c.requesting_agency,
            requests.c.program_id,
            tallied.request_id,
            tallied.outcome,
            tallied.reason_codes,
            tallied.statute,
        )
    )
    with engine.connect() as con:
        return con.execute(query).all()


def _taxpayers(engine: Engine, year: int) -> tuple[dict[Group, int], int]:
    """Count the distinct TINs released per agency and program, and over the whole year."""
    start, end = dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    agency = sa.func.coalesce(requests.c.requesting_agency, "").label("agency")
    distinct = (
        sa.select(agency, requests.c.program_id, decisions.c.tin)
        .join(items, items.c.id == decisions.c.item_pk)
        .join(requests, requests.c.request_id == items.c.request_id)
        .where(
            decisions.c.outcome == DISCLOSED,
            decisions.c.tin.is_not(None),
            decisions.c.decided_at >= start,
            decisions.c.decided_at < end,
        )
        .group_by(agency, requests.c.program_id, decisions.c.tin)
        .subquery()
    )
    per_group = sa.select(distinct.c.agency, distinct.c.program_id, sa.func.count()).group_by(
        distinct.c.agency, distinct.c.program_id
    )
    whole = sa.select(sa.func.count()).where(taxpayer_tallies.c.year == year)
    with engine.connect() as con:
        groups = {(str(a), str(p)): int(n) for a, p, n in con.execute(per_group)}
        return groups, int(con.execute(whole).scalar_one())


def counts_utc_years(year: int, zone: dt.tzinfo) -> bool:
    """Whether `year` in `zone` begins and ends when the UTC year does, so the tallies serve."""
    return all(
        dt.datetime(y, 1, 1, tzinfo=zone).utcoffset() == dt.timedelta(0) for y in (year, year + 1)
    )


def annual_report_from_tallies(
    engine: Engine, year: int, refused_requests: Iterable[AccountingRow], *, recalls: int = 0
) -> AnnualReport:
    """Count a UTC year's figures per agency and program from the tallies, as the accounting would.

    `refused_requests` are the accounting's rows of requests refused as a whole
    (`portcullis.accounting.refused_request_rows`); they are kept and counted as the report keeps
    and counts any accounting row.
    """
    tallies: dict[Group, Tally] = {}
    total = Tally()
    for row in _tallied(engine, year):
        what = f"the tallies of {row.request_id}"
        codes = str(row.reason_codes).split(";")
        for tally in (tallies.setdefault((str(row.agency), str(row.program_id)), Tally()), total):
            tally.count(row.request_id, row.outcome, codes, row.statute, int(row.number), what)
    for refused in final_rows(refused_requests, year).values():
        what = f"request {refused.request_id}"
        group = (refused.requesting_agency, refused.program_id)
        for tally in (tallies.setdefault(group, Tally()), total):
            tally.count(
                refused.request_id, refused.outcome, refused.reason_codes, refused.statute, 1, what
            )
    per_group, whole = _taxpayers(engine, year)
    return AnnualReport(
        year=year,
        agencies=tuple(
            tallies[group].figures(*group, per_group.get(group, 0)) for group in sorted(tallies)
        ),
        total=total.figures(ALL, ALL, whole),
        recalls=recalls,
    )
