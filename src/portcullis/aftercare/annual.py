"""The annual report to the Joint Committee on Taxation, computed from a workspace's accounting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from portcullis.accounting import accounting_rows, refused_request_rows
from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.reports.annual import (
    AnnualReport,
    ReportUnwritableError,
    annual_report,
    render_annual_html,
    write_annual_csv,
)
from portcullis.reports.annual_tallies import annual_report_from_tallies, counts_utc_years
from portcullis.reports.totals import count_recalls

# The years an annual report can cover: from the Tax Reform Act of 1976, which made the accounting
# and the report to the Joint Committee, to the last year whose end a calendar can still name.
FIRST_REPORT_YEAR = 1976
LAST_REPORT_YEAR = dt.MAXYEAR - 1


class ReportYearInvalid(PortcullisError):
    """An annual report was asked for a year it cannot cover."""


@dataclass(frozen=True, slots=True)
class AnnualReportFiles:
    """The files one annual report was written to."""

    csv_path: Path
    html_path: Path


def annual_report_for(gateway: Gateway, year: int, *, zone: dt.tzinfo = dt.UTC) -> AnnualReport:
    """Count one calendar year's requests, releases, taxpayers and purposes per agency."""
    if not FIRST_REPORT_YEAR <= year <= LAST_REPORT_YEAR:
        raise ReportYearInvalid(
            f"an annual report covers a year from {FIRST_REPORT_YEAR} to {LAST_REPORT_YEAR},"
            f" not {year}"
        )
    start = dt.datetime(year, 1, 1, tzinfo=zone)
    recalls = count_recalls(gateway.engine, start, start.replace(year=year + 1))
    if counts_utc_years(year, zone):
        # The dashboard's inputs: the tallies, and the requests refused as a whole.
        refused = refused_request_rows(gateway.engine)
        return annual_report_from_tallies(gateway.engine, year, refused, recalls=recalls)
    return annual_report(accounting_rows(gateway.engine), year, zone=zone, recalls=recalls)


def write_annual_report(
    gateway: Gateway, year: int, out_dir: Path, *, zone: dt.tzinfo = dt.UTC
) -> AnnualReportFiles:
    """Write the year's annual report as annual-YEAR.csv and annual-YEAR.html in `out_dir`."""
    report = annual_report_for(gateway, year, zone=zone)
    files = AnnualReportFiles(out_dir / f"annual-{year}.csv", out_dir / f"annual-{year}.html")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_annual_csv(report, files.csv_path)
        files.html_path.write_text(render_annual_html(report), encoding="utf-8")
    except OSError as exc:
        raise ReportUnwritableError(f"cannot write the annual report in {out_dir}: {exc}") from exc
    return files
