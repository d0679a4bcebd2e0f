"""The request pages: the list with progress and refusal rate, one request's outcomes by reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa

from portcullis.gateway import Gateway
from portcullis.processing import process_request
from portcullis.review import review_queue, settle_review
from portcullis.store.tables import decisions, items
from portcullis.web.progress import request_progress
from tests.test_processing import submit
from tests.web.conftest import TestClient, create_accounts, sign_in, write_held_batch

SignedIn = Callable[[str], TestClient]


@pytest.mark.parametrize(
    "account", [pytest.param(name, id=name) for name in ("rita.reviewer", "omar.operator")]
)
def test_the_list_shows_progress_and_refusal_rate(
    signed_in: SignedIn, site_request_id: str, account: str
) -> None:
    html = signed_in(account).get("/ui/requests").text
    assert f'href="/ui/requests/{site_request_id}"' in html
    assert f'max="7" value="7" aria-label="Items processed for {site_request_id}"' in html
    assert ">29%<" in html  # two refused of seven decided
    assert 'http-equiv="refresh"' not in html  # nothing is running


def test_the_detail_counts_outcomes_by_reason(signed_in: SignedIn, site_request_id: str) -> None:
    html = signed_in("omar.operator").get(f"/ui/requests/{site_request_id}").text
    assert '<td class="number">5</td>' in html  # five pending review
    assert (
        '<span data-figure="decided">7</span> of <span data-figure="total">7</span> items '
        "processed, 5 waiting for a reviewer;"
    ) in html
    assert '<span data-figure="rate">finished</span>' in html
    assert "<code>address_placeholder</code>" in html
    assert "<code>batch_held_for_review</code>" in html
    assert 'aria-labelledby="outcomes-by-reason-title outcomes-by-reason-desc"' in html
    assert "29% (2 refused of 7 decided)" in html


@pytest.mark.parametrize(
    ("account", "linked"),
    [
        pytest.param("avery.auditor", True, id="auditor-gets-ledger-links"),
        pytest.param("omar.operator", False, id="operator-gets-plain-indexes"),
    ],
)
def test_ledger_links_appear_only_for_roles_that_open_the_ledger(
    signed_in: SignedIn, site_request_id: str, account: str, linked: bool
) -> None:
    html = signed_in(account).get(f"/ui/requests/{site_request_id}").text
    assert ('href="/ui/ledger?index=' in html) is linked


def test_an_unknown_request_is_a_clear_404(signed_in: SignedIn) -> None:
    response = signed_in("rita.reviewer").get("/ui/requests/REQ-NOPE")
    assert response.status_code == 404
    assert "There is no request REQ-NOPE." in response.text


def test_a_request_still_running_shows_its_progress_and_refreshes(
    gateway: Gateway, tmp_path: Path, client_for: Callable[[Gateway], TestClient]
) -> None:
    request_id = submit(gateway, write_held_batch(tmp_path / "waiting.csv"))
    create_accounts(gateway, "omar.operator")
    client = client_for(gateway)
    sign_in(client, "omar.operator")
    listing = client.get("/ui/requests").text
    assert '<meta http-equiv="refresh" content="5">' in listing
    assert f'max="7" value="0" aria-label="Items processed for {request_id}"' in listing
    detail = client.get(f"/ui/requests/{request_id}").text
    assert '<span data-figure="decided">0</span> of <span data-figure="total">7</span>' in detail
    assert "no item decided in the last minute" in detail
    assert f'data-progress-url="/ui/requests/{request_id}/progress"' in detail
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in detail
    figures = client.get(f"/ui/requests/{request_id}/progress").json()
    assert figures == {
        "request_id": request_id,
        "status": "received",
        "running": True,
        "total": 7,
        "decided": 0,
        "per_second": None,
        "seconds_left": None,
        "text": "no item decided in the last minute",
    }


def test_progress_counts_decisions_and_their_rate_over_the_last_minute(
    gateway: Gateway, tmp_path: Path
) -> None:
    request_id = submit(gateway, write_held_batch(tmp_path / "half.csv", good=10))
    # Four of the request's items decided twenty seconds ago, as a running batch records them.
    with gateway.engine.connect() as con:
        pks = list(
            con.execute(
                sa.select(items.c.id).where(items.c.request_id == request_id).order_by(items.c.row)
            ).scalars()
        )
    now = dt.datetime.now(dt.UTC)
    with gateway.engine.begin() as con:
        con.execute(
            decisions.insert(),
            [
                {
                    "item_pk": pk,
                    "outcome": "no_match",
                    "reason_codes": "",
                    "decided_at": now - dt.timedelta(seconds=20),
                    "decided_by": "portcullis (automatic)",
                }
                for pk in pks[:4]
            ],
        )
    progress = request_progress(gateway.engine, request_id, now=now)
    assert progress is not None
    assert (progress.decided, progress.total) == (4, len(pks))
    assert progress.per_second == pytest.approx(4 / 60)
    assert progress.seconds_left == pytest.approx((len(pks) - 4) / (4 / 60))
    later = request_progress(gateway.engine, request_id, now=now + dt.timedelta(minutes=2))
    assert later is not None and later.per_second is None and later.decided == 4


def test_progress_of_an_unknown_request_is_a_404(signed_in: SignedIn) -> None:
    response = signed_in("omar.operator").get("/ui/requests/REQ-NOPE/progress")
    assert response.status_code == 404
    assert response.json() == {"error": "there is no request REQ-NOPE"}


def test_the_list_recounts_a_request_with_items_waiting_after_a_settlement(
    gateway: Gateway, tmp_path: Path, client_for: Callable[[Gateway], TestClient]
) -> None:
    held = submit(gateway, write_held_batch(tmp_path / "held.csv"))
    process_request(gateway, held)
    refused = submit(gateway, request_file_of(tmp_path / "bad.csv"))
    process_request(gateway, refused)
    create_accounts(gateway, "omar.operator")
    client = client_for(gateway)
    sign_in(client, "omar.operator")
    first = client.get("/ui/requests").text
    item = review_queue(gateway)[0]
    settle_review(gateway, item.item_pk, reviewer="rita.reviewer", approve=False, reason="thin")
    second = client.get("/ui/requests").text
    assert f'max="7" value="7" aria-label="Items processed for {held}"' in second
    assert ">43%<" in second and ">29%<" in first  # three refused of seven, then two
    assert second.count(">100%<") == first.count(">100%<") == 1  # the request refused item by item


def request_file_of(path: Path) -> Path:
    """Write a request whose two items are both refused, so it is done with every item final."""
    return write_held_batch(path, good=0, series="2031")
