"""Reviewer endpoints: the queue with its evidence, settling, and separation of duties."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import Headers, SignRequest, TestClient, upload

APPROVE = {"approve": False, "reason": "the requester's address does not fit the evidence"}


@pytest.fixture(scope="module")
def held(client: TestClient, headers: Headers, signed_module: SignRequest) -> list[dict[str, Any]]:
    """A request by account 'sam' whose five good items are held (two of seven are refused)."""
    path, manifest = signed_module({}, {}, {}, {}, {}, {"street": "UNKNOWN"}, {"street": "N/A"})
    sam = headers("requester", "reviewer", name="sam")
    request_id = client.post("/v1/requests", headers=sam, **upload(path, manifest)).json()[
        "request_id"
    ]
    queue = client.get("/v1/review/queue", headers=headers("reviewer")).json()
    return [item for item in queue if item["request_id"] == request_id]


def test_the_queue_shows_the_evidence(held: list[dict[str, Any]]) -> None:
    assert len(held) == 5
    first = held[0]
    assert first["reason_codes"] == ["batch_held_for_review"]
    assert first["candidate"]["tin"] == "222334444"
    assert first["request_item"]["last_name"] == "García López"


def test_whoever_submitted_cannot_review(
    client: TestClient, headers: Headers, held: list[dict[str, Any]]
) -> None:
    own = headers("requester", "reviewer", name="sam")
    response = client.post(f"/v1/review/items/{held[0]['item_pk']}", headers=own, json=APPROVE)
    assert (response.status_code, response.json()["code"]) == (403, "separation_of_duties")


def test_a_reviewer_settles_an_item_once(
    client: TestClient, headers: Headers, held: list[dict[str, Any]]
) -> None:
    path = f"/v1/review/items/{held[1]['item_pk']}"
    settled = client.post(path, headers=headers("reviewer", name="rita"), json=APPROVE)
    assert settled.json() == {"item_pk": held[1]["item_pk"], "outcome": "refused"}
    again = client.post(path, headers=headers("reviewer", name="rita"), json=APPROVE)
    assert (again.status_code, again.json()["code"]) == (409, "review_not_possible")
