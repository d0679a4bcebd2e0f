"""GET /metrics: who may read it, request counts by route, and the state store's figures."""

from __future__ import annotations

import dataclasses
import re

import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from portcullis.api import create_app
from portcullis.api.metrics import in_networks
from portcullis.gateway import Gateway
from portcullis.match_timing import MATCH_BUCKETS, MatchTimings
from portcullis.reports.rows import OUTCOMES
from portcullis.store.tables import decisions
from portcullis.workspace import Workspace
from tests.api.conftest import SETTINGS, Headers, TestClient, item_signer


def sample(text: str, name: str, **labels: str) -> float | None:
    """Return the value of the series `name{labels}` in an exposition, or None if absent."""
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        match = re.fullmatch(r"([a-z_]+)(?:\{(.*)\})? (\S+)", line)
        if match is None or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(k) == v for k, v in labels.items()):
            return float(match.group(3))
    return None


def test_metrics_are_refused_to_the_public_and_to_other_roles(
    client: TestClient, headers: Headers
) -> None:
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=headers("requester")).status_code == 403
    assert client.get("/metrics", headers=headers("reviewer")).status_code == 403
    answer = client.get("/metrics", headers=headers("operator"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")


def test_an_item_shows_in_the_request_count_and_in_the_outcomes(
    client: TestClient, headers: Headers, road: Gateway
) -> None:
    sign = item_signer(road.workspace)
    answer = client.post(
        "/v1/items",
        headers=headers("requester"),
        json=sign(None, case_number="ICE-MET-000001", recipient_officers="ICE-HSI-M00001"),
    )
    assert answer.status_code == 201, answer.text
    text = client.get("/metrics", headers=headers("operator")).text
    posted = sample(
        text, "portcullis_http_requests_total", method="POST", route="/v1/items", status="201"
    )
    assert posted is not None and posted >= 1
    matched = sample(text, "portcullis_match_seconds_count", mode="on_demand")
    assert matched is not None and matched >= 1
    slowest = sample(text, "portcullis_match_seconds_bucket", mode="on_demand", le="+Inf")
    assert slowest == matched
    assert (
        sample(text, "portcullis_http_request_duration_seconds_count", route="/v1/items")
        is not None
    )
    with road.engine.connect() as con:
        stored = dict(
            con.execute(
                sa.select(decisions.c.outcome, sa.func.count()).group_by(decisions.c.outcome)
            ).all()
        )
    assert stored.get("disclosed", 0) >= 1
    for outcome in OUTCOMES:
        assert sample(text, "portcullis_items", outcome=outcome) == stored.get(outcome, 0)
    assert sample(text, "portcullis_review_backlog") == stored.get("pending_review", 0)
    age = sample(text, "portcullis_checkpoint_age_seconds")
    assert age is not None and age >= 0
    assert sample(text, "portcullis_queue_depth") is not None


def test_a_path_with_an_id_is_counted_under_its_route_template(
    client: TestClient, headers: Headers
) -> None:
    client.get("/v1/requests/R-NOT-THERE-42", headers=headers("requester"))
    client.get("/no/such/page/R-NOT-THERE-42")
    text = client.get("/metrics", headers=headers("operator")).text
    assert "R-NOT-THERE-42" not in text
    assert sample(text, "portcullis_http_requests_total", route="unmatched", status="404")


def test_a_second_process_reports_the_same_store_figures_and_admits_its_network(
    api_workspace: Workspace, client: TestClient, headers: Headers, app: FastAPI
) -> None:
    first = client.get("/metrics", headers=headers("operator")).text
    settings = dataclasses.replace(SETTINGS, metrics_networks=("127.0.0.0/8",))
    other: FastAPI = create_app(api_workspace, settings=settings)
    with TestClient(other, client=("127.0.0.1", 40000)) as local:
        second = local.get("/metrics")
        assert second.status_code == 200
        for outcome in OUTCOMES:
            assert sample(second.text, "portcullis_items", outcome=outcome) == sample(
                first, "portcullis_items", outcome=outcome
            )
    with TestClient(other, client=("192.0.2.7", 40000)) as remote:
        assert remote.get("/metrics").status_code == 401


@pytest.mark.parametrize(
    ("address", "admitted"),
    [
        pytest.param("127.0.0.1", True, id="loopback"),
        pytest.param("10.1.2.3", True, id="inside"),
        pytest.param("10.2.0.1", False, id="outside"),
        pytest.param("testclient", False, id="not-an-address"),
        pytest.param(None, False, id="none"),
    ],
)
def test_a_network_admits_only_its_own_addresses(address: str | None, admitted: bool) -> None:
    assert in_networks(address, ("127.0.0.0/8", "10.1.0.0/16")) is admitted


def test_the_metrics_networks_reach_every_server_process() -> None:
    from portcullis.api.serving import settings_from_text, settings_text

    chosen = dataclasses.replace(SETTINGS, metrics_networks=("10.1.0.0/16",))
    assert settings_from_text(settings_text(chosen)) == chosen


def test_match_timings_count_items_into_cumulative_buckets() -> None:
    timings = MatchTimings()
    timings.observe("on_demand", 1, 0.003)
    timings.observe("batch", 1000, 0.5)  # 0.5 ms an item
    timings.observe("batch", 0, 1.0)  # nothing matched: nothing counted
    seen = timings.snapshot()
    assert (seen["on_demand"].count, seen["batch"].count, seen["spark"].count) == (1, 1000, 0)
    assert seen["on_demand"].total == pytest.approx(0.003)
    assert seen["batch"].total == pytest.approx(0.5)
    # Cumulative: an item counts in every bucket at or above its time.
    for bound, count in zip(MATCH_BUCKETS, seen["on_demand"].buckets, strict=True):
        assert count == (1 if bound >= 0.003 else 0)
    for bound, count in zip(MATCH_BUCKETS, seen["batch"].buckets, strict=True):
        assert count == (1000 if bound >= 0.0005 else 0)
