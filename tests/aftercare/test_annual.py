"""The annual report from a processed workspace: the figures, and both files written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from portcullis.aftercare.annual import (
    LAST_REPORT_YEAR,
    ReportYearInvalid,
    annual_report_for,
    write_annual_report,
)
from portcullis.aftercare.recall import recall_releases
from portcullis.aftercare.selectors import whole_request
from portcullis.api.app import create_app
from portcullis.api.settings import ApiSettings
from portcullis.auth import Principal, issue_token
from portcullis.gateway import Gateway
from tests.aftercare.conftest import PROGRAM, submit_and_process
from tests.api.conftest import TestClient

AGENCY = "U.S. Immigration and Customs Enforcement"
PURPOSE = "8 U.S.C. 1253(a)(1)"


def test_the_year_counts_requests_releases_taxpayers_and_purposes(
    gateway: Gateway, released: str, request_file: Callable[..., Path], tmp_path: Path
) -> None:
    # A second request: the 2025 case (name, TIN and a ZIP code standing in for an address).
    zip_only = {"tin": "222-33-4444", "street": "", "unit": "", "city": "", "zip": "78205"}
    submit_and_process(gateway, request_file(zip_only))
    year = dt.datetime.now(dt.UTC).year
    report = annual_report_for(gateway, year)
    [ice] = report.agencies
    assert (ice.requesting_agency, ice.program_id) == (AGENCY, PROGRAM)
    figures = (ice.requests, ice.items, ice.releases, ice.refusals, ice.taxpayers_affected)
    assert figures == (2, 4, 3, 1, 3)
    assert [(p.statute, p.items, p.releases) for p in ice.purposes] == [(PURPOSE, 4, 3)]
    assert report.total.taxpayers_affected == 3
    files = write_annual_report(gateway, year, tmp_path / "annual")
    lines = files.csv_path.read_text(encoding="utf-8").splitlines()
    assert lines[1] == f"{year},{AGENCY},{PROGRAM},2,4,3,1,0,0,0,3,{PURPOSE}=4/3"
    assert lines[2].startswith(f"{year},All,All,2,4,3,1,")
    page = files.html_path.read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and AGENCY in page
    assert annual_report_for(gateway, 2001).total.items == 0  # a year without decisions


def test_the_api_serves_the_same_annual_report_as_the_command_line(
    gateway: Gateway, released: str, tmp_path: Path
) -> None:
    # A recall in the year, so both roads have every kind of figure to count.
    recall_releases(gateway, whole_request(released), reason="A ZIP code only.", recalled_by="ops")
    year = dt.datetime.now(dt.UTC).year
    files = write_annual_report(gateway, year, tmp_path / "annual")
    app = create_app(gateway.workspace, settings=ApiSettings())
    auditor = Principal(name="audra", kind="user", roles=frozenset({"auditor"}), agency=None)
    token = issue_token(auditor, app.state.token_secret)
    with TestClient(app) as client:
        answer = client.get(
            f"/v1/oversight/annual?year={year}", headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 200
    assert answer.text.splitlines() == files.csv_path.read_text(encoding="utf-8").splitlines()
    assert annual_report_for(gateway, year).recalls == 3


def test_a_year_no_report_can_cover_is_refused_with_its_range(
    gateway: Gateway, tmp_path: Path
) -> None:
    # The last year a calendar can end (9999) was once accepted and failed inside the count.
    for year in (1975, LAST_REPORT_YEAR + 1, 0):
        with pytest.raises(ReportYearInvalid, match=f"from 1976 to {LAST_REPORT_YEAR}, not {year}"):
            annual_report_for(gateway, year)
    assert annual_report_for(gateway, LAST_REPORT_YEAR).total.items == 0
    app = create_app(gateway.workspace, settings=ApiSettings())
    auditor = Principal(name="audra", kind="user", roles=frozenset({"auditor"}), agency=None)
    token = issue_token(auditor, app.state.token_secret)
    with TestClient(app) as client:
        answer = client.get(
            f"/v1/oversight/annual?year={LAST_REPORT_YEAR + 1}",
            headers={"Authorization": f"Bearer {token}"},
        )
    assert answer.status_code == 422
