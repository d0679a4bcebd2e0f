"""Structured logs: one JSON object a line, a request id on each, and no taxpayer data in any."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from portcullis.api.logs import JsonLines
from portcullis.gateway import Gateway
from tests.api.conftest import Headers, TestClient, item_signer

# A person the request names, with values no other part of a log line could hold by chance.
KNOWN = {
    "first_name": "Zebulon",
    "last_name": "Quackenbushova",
    "date_of_birth": "1961-07-23",
    "tin": "900117733",
    "street": "9917 Xylophone Terrace",
    "city": "Quixotic Falls",
}


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything logged while the test runs, formatted as the server formats it."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonLines())
    # The test client's own logger (httpx) records what the test sent; it is not the server's.
    handler.addFilter(lambda record: not record.name.startswith("httpx"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield out
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def test_a_request_carrying_a_person_logs_json_lines_with_a_request_id_and_none_of_the_person(
    client: TestClient, headers: Headers, road: Gateway, log_lines: io.StringIO
) -> None:
    sign = item_signer(road.workspace)
    body = sign(None, case_number="ICE-LOG-000001", recipient_officers="ICE-HSI-L00001", **KNOWN)
    answered = client.post("/v1/items", headers=headers("requester"), json=body)
    assert answered.status_code in (200, 201, 422), answered.text
    request_id = answered.headers["x-request-id"]
    # The same person in a body the API refuses, and in a query string.
    refused = client.post("/v1/items", headers=headers("requester"), json={"item": KNOWN})
    assert refused.status_code >= 400
    client.get(f"/v1/requests?name={KNOWN['last_name']}&tin={KNOWN['tin']}", headers=headers())

    text = log_lines.getvalue()
    lines = [json.loads(line) for line in text.splitlines()]
    requests = [line for line in lines if line["event"] == "request"]
    assert len(requests) >= 3
    assert all(line["request_id"] for line in requests)
    assert any(
        line["request_id"] == request_id and line["route"] == "/v1/items" for line in requests
    )
    assert len({line["request_id"] for line in requests}) == len(requests)
    for value in KNOWN.values():
        assert value not in text
    assert "Quackenbush" not in text and "1961" not in text


def test_a_plain_caller_request_id_is_kept_and_a_hostile_one_replaced(client: TestClient) -> None:
    assert (
        client.get("/health", headers={"X-Request-Id": "abc-123"}).headers["x-request-id"]
        == "abc-123"
    )
    hostile = client.get("/health", headers={"X-Request-Id": "Zebulon Quackenbushova 900117733"})
    assert hostile.headers["x-request-id"] != "Zebulon Quackenbushova 900117733"
    assert len(hostile.headers["x-request-id"]) == 32


def test_an_exception_is_logged_by_its_type_never_its_message(log_lines: io.StringIO) -> None:
    try:
        raise ValueError(f"bad date of birth {KNOWN['date_of_birth']} for {KNOWN['last_name']}")
    except ValueError:
        logging.getLogger("portcullis.api").exception("unhandled error")
    [line] = [json.loads(text) for text in log_lines.getvalue().splitlines()]
    assert line["error"] == "ValueError" and line["at_code"]
    assert KNOWN["date_of_birth"] not in log_lines.getvalue()
    assert KNOWN["last_name"] not in log_lines.getvalue()
