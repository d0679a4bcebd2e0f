"""The annual report to the Joint Committee on Taxation under 26 U.S.C. 6103(p)(3)(C)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from portcullis.contract.spreadsheet import safe_csv_writer
from portcullis.errors import PortcullisError
from portcullis.reports.charts import Bar, render_bar_chart
from portcullis.reports.rows import DISCLOSED, OUTCOMES, AccountingRow
from portcullis.reports.templates import render_page
from portcullis.reports.totals import OutcomeUnknownError, Totals

__all__ = ["OutcomeUnknownError"]

ALL = "All"
ANNUAL_COLUMNS: tuple[str, ...] = (
    "year",
    "requesting_agency",
    "program_id",
    "requests",
    "items",
    "releases",
    "refusals",
    "no_match",
    "ambiguous",
    "pending_review",
    "taxpayers_affected",
    "purposes",
)


class ReportUnwritableError(PortcullisError):
    """A report file cannot be written where it was asked for."""


@dataclass(frozen=True, slots=True)
class PurposeCount:
    """How many items named one statute as their purpose, and how many of those were released."""

    statute: str
    items: int
    releases: int


@dataclass(frozen=True, slots=True)
class AgencyFigures:
    """One requesting agency's figures under one program for the year (or the totals over all)."""

    requesting_agency: str
    program_id: str
    requests: int
    items: int
    releases: int
    refusals: int
    no_match: int
    ambiguous: int
    pending_review: int
    taxpayers_affected: int
    purposes: tuple[PurposeCount, ...]
    refusal_reasons: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True, slots=True)
class AnnualReport:
    """The figures for one calendar year: one entry per agency and program, and the totals."""

    year: int
    agencies: tuple[AgencyFigures, ...]
    total: AgencyFigures
    recalls: int = 0


def annual_report(
    rows: Iterable[AccountingRow], year: int, *, zone: dt.tzinfo = dt.UTC, recalls: int = 0
) -> AnnualReport:
    """Count the year's requests, items, releases, refusals, taxpayers and purposes per agency."""
    final = final_rows(rows, year, zone)
    groups: dict[tuple[str, str], list[AccountingRow]] = {}
    for row in final.values():
        groups.setdefault((row.requesting_agency, row.program_id), []).append(row)
    agencies = tuple(
        _figures(agency, program, groups[agency, program]) for agency, program in sorted(groups)
    )
    return AnnualReport(
        year=year,
        agencies=agencies,
        total=_figures(ALL, ALL, list(final.values())),
        recalls=recalls,
    )


def final_rows(
    rows: Iterable[AccountingRow], year: int, zone: dt.tzinfo = dt.UTC
) -> dict[tuple[str, str | int], AccountingRow]:
    """Keep the year's rows, each (request, item) once under its last decision.

    An item is known by its row in the request when the row is given, so items whose ids repeat
    or are blank each count; otherwise (a request refused as a whole) by its id.
    """
    final: dict[tuple[str, str | int], AccountingRow] = {}
    for row in rows:
        if row.outcome not in OUTCOMES:
            raise OutcomeUnknownError(
                f"item {row.item_id} of {row.request_id}: outcome {row.outcome!r}"
            )
        if _local_year(row.decided_at, zone) != year:
            continue
        # An item decided twice in the year (held for review, then settled) counts once, as its
        # last decision says.
        key = (row.request_id, row.item_id if row.item_row is None else row.item_row)
        kept = final.get(key)
        if kept is None or _order(row) >= _order(kept):
            final[key] = row
    return final


def write_annual_csv(report: AnnualReport, path: Path) -> None:
    """Write one CSV row per agency and program, then a totals row."""
    try:
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = safe_csv_writer(handle)
            writer.writerow(ANNUAL_COLUMNS)
            for figures in (*report.agencies, report.total):
                writer.writerow(_csv_cells(report.year, figures))
    except OSError as exc:
        raise ReportUnwritableError(f"cannot write the annual report {path}: {exc}") from exc


def render_annual_html(report: AnnualReport) -> str:
    """Return the annual report as one self-contained HTML page with charts and tables."""
    releases = render_bar_chart(
        "releases",
        f"Releases per agency and program, {report.year}",
        "Horizontal bars, one per requesting agency and program, giving the items released.",
        [Bar(f"{f.requesting_agency} · {f.program_id}", f.releases) for f in report.agencies],
    )
    purposes = render_bar_chart(
        "purposes",
        f"Items requested per purpose, {report.year}",
        "Horizontal bars, one per criminal statute named as the purpose, giving the items.",
        [Bar(p.statute, p.items) for p in report.total.purposes],
    )
    return render_page("annual.html", report=report, charts=(releases, purposes))


@dataclass(slots=True)
class Tally:
    """What one agency's and program's figures are made of, counted row by row or from tallies."""

    totals: Totals = field(default_factory=Totals)
    statutes: Counter[str] = field(default_factory=Counter)
    released: Counter[str] = field(default_factory=Counter)
    requests: set[str] = field(default_factory=set)

    def count(
        self,
        request_id: str,
        outcome: str,
        codes: Iterable[str],
        statute: str,
        number: int,
        what: str,
    ) -> None:
        """Count `number` items of one request, outcome, reason codes and statute."""
        self.totals.count(outcome, codes, number, what=what)
        self.statutes[statute] += number
        if outcome == DISCLOSED:
            self.released[statute] += number
        self.requests.add(request_id)

    def figures(self, agency: str, program: str, taxpayers: int) -> AgencyFigures:
        """Return the counted figures, with the distinct taxpayers released counted elsewhere."""
        totals = self.totals
        return AgencyFigures(
            requesting_agency=agency,
            program_id=program,
            requests=len(self.requests),
            items=totals.items,
            releases=totals.releases,
            refusals=totals.refusals,
            no_match=totals.no_match,
            ambiguous=totals.ambiguous,
            pending_review=totals.pending_review,
            taxpayers_affected=taxpayers,
            purposes=tuple(
                PurposeCount(statute, self.statutes[statute], self.released[statute])
                for statute in sorted(self.statutes)
            ),
            refusal_reasons=tuple(
                sorted(totals.refusal_reasons.items(), key=lambda p: (-p[1], p[0]))
            ),
        )


def _figures(agency: str, program: str, rows: list[AccountingRow]) -> AgencyFigures:
    tally = Tally()
    for row in rows:
        what = f"item {row.item_id} of {row.request_id}"
        tally.count(row.request_id, row.outcome, row.reason_codes, row.statute, 1, what)
    taxpayers = {row.tin for row in rows if row.disclosed and row.tin}
    return tally.figures(agency, program, len(taxpayers))


def _csv_cells(year: int, figures: AgencyFigures) -> list[object]:
    purposes = ";".join(f"{p.statute}={p.items}/{p.releases}" for p in figures.purposes)
    return [
        year,
        figures.requesting_agency,
        figures.program_id,
        figures.requests,
        figures.items,
        figures.releases,
        figures.refusals,
        figures.no_match,
        figures.ambiguous,
        figures.pending_review,
        figures.taxpayers_affected,
        purposes,
    ]


def _local_year(moment: dt.datetime, zone: dt.tzinfo) -> int:
    # Naive times are taken to be UTC, the store's convention.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(zone).year


def _order(row: AccountingRow) -> tuple[dt.datetime, int]:
    moment = (
        row.decided_at
        if row.decided_at.tzinfo is not None
        else row.decided_at.replace(tzinfo=dt.UTC)
    )
    return moment, -1 if row.ledger_index is None else row.ledger_index
