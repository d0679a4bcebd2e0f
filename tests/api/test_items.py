"""The single-item door: one signed item answered in its exchange, with package and receipt."""

from __future__ import annotations

import base64
import itertools
import threading
from collections.abc import Callable
from typing import Any

import pytest
import sqlalchemy as sa

from portcullis import worker
from portcullis.api.lookup import record_submitter
from portcullis.api.tables import submitters
from portcullis.client import GatewayClient
from portcullis.gateway import Gateway
from portcullis.intake import JobPlan, submit_bytes
from portcullis.item_request import ITEM_FILE_NAME, item_file_bytes
from portcullis.keys import public_key_from_b64
from portcullis.ledger import verify_receipt
from portcullis.programs import get_program
from portcullis.release.package import open_package
from portcullis.release.recipients import load_age_identity
from portcullis.store.tables import decisions, intake_events, items, releases, requests
from portcullis.worker import claim_job, job_status, new_worker_id
from tests.api.conftest import PROGRAM, Headers, TestClient, item_signer
from tests.test_processing import QUICK, unreachable_witnesses

Body = Callable[..., dict[str, Any]]
_CASES = itertools.count(1)


@pytest.fixture(scope="module")
def body(road: Gateway) -> Body:
    """Sign one item with a fresh case number and officer as the demo agency."""
    sign = item_signer(road.workspace)

    def make(request_id: str | None = None, **overrides: str) -> dict[str, Any]:
        n = next(_CASES)
        return sign(request_id, case_number=f"ICE-ITEM-{n:06d}",
                    recipient_officers=f"ICE-HSI-I{n:05d}", **overrides)  # fmt: skip

    return make


def _count(road: Gateway, table: sa.Table) -> int:
    with road.engine.connect() as con:
        return int(con.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def _decisions_of(road: Gateway, request_id: str) -> int:
    query = (
        sa.select(sa.func.count())
        .select_from(decisions.join(items, items.c.id == decisions.c.item_pk))
        .where(items.c.request_id == request_id)
    )
    with road.engine.connect() as con:
        return int(con.execute(query).scalar_one())


def test_a_good_item_is_answered_at_once_with_a_package_under_a_witnessed_checkpoint(
    client: TestClient, headers: Headers, body: Body, road: Gateway
) -> None:
    answer = client.post("/v1/items", headers=headers("requester"), json=body())
    assert answer.status_code == 201, answer.json()
    found = answer.json()
    assert found["item"]["outcome"] == "disclosed"
    assert found["status"] == "done"
    checkpoint = client.get("/v1/ledger/checkpoint", headers=headers("requester")).json()
    witnesses = {name: public_key_from_b64(k) for name, k in checkpoint["witness_keys"].items()}
    quorum = get_program(road.engine, PROGRAM).witness_quorum
    index = found["receipt"]["leaf_index"]
    package = open_package(
        base64.b64decode(found["package"]),
        identity=load_age_identity(road.workspace.recipient_identity_path),
        release_public_key=road.release_key.public_key(),
        verify_receipt=lambda opened: verify_receipt(
            opened["receipt"],
            road.ledger.entry(index),
            public_key_from_b64(checkpoint["ledger_public_key"]),
            witnesses,
            quorum,
        ),
    )
    assert package["receipt"] == found["receipt"]
    assert job_status(road.engine, found["request_id"]).state == "done"  # type: ignore[union-attr]


def test_the_same_request_sent_again_gets_the_same_answer_and_no_second_decision(
    client: TestClient, headers: Headers, body: Body, road: Gateway
) -> None:
    signed = body()
    first = client.post("/v1/items", headers=headers("requester"), json=signed)
    events = _count(road, intake_events)
    again = client.post("/v1/items", headers=headers("requester"), json=signed)
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert _decisions_of(road, first.json()["request_id"]) == 1
    assert _count(road, intake_events) == events


def test_another_item_under_a_used_request_id_is_a_replay_and_recorded(
    client: TestClient, headers: Headers, body: Body, road: Gateway
) -> None:
    first = client.post("/v1/items", headers=headers("requester"), json=body()).json()
    replay = body(request_id=first["request_id"], first_name="Emily", last_name="Walker")
    events = _count(road, intake_events)
    answer = client.post("/v1/items", headers=headers("requester"), json=replay)
    assert answer.status_code == 409
    assert answer.json()["code"] == "request_replayed"
    assert _count(road, intake_events) == events + 1
    assert _decisions_of(road, first["request_id"]) == 1


def test_a_copied_manifest_with_a_forged_signature_gets_no_answer(
    client: TestClient, headers: Headers, body: Body
) -> None:
    signed = body()
    client.post("/v1/items", headers=headers("requester"), json=signed)
    forged = {**signed, "signature": {"algorithm": "ed25519", "value": base64.b64encode(
        bytes(64)).decode()}}  # fmt: skip
    answer = client.post("/v1/items", headers=headers("requester"), json=forged)
    assert answer.status_code == 409
    assert answer.json()["code"] == "request_replayed"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        pytest.param({"item": {"zip": "78209"}}, "file_hash_mismatch", id="item-altered"),
        pytest.param({"manifest": {"certification": "x" * 40}}, "signature_invalid",
                     id="manifest-altered"),
        pytest.param({"manifest": {"item_count": 2}}, "signature_invalid", id="count-altered"),
    ],
)  # fmt: skip
def test_an_altered_body_is_refused_whole_and_recorded(
    client: TestClient,
    headers: Headers,
    body: Body,
    road: Gateway,
    change: dict[str, dict[str, Any]],
    code: str,
) -> None:
    signed = body()
    altered = {
        "manifest": {**signed["manifest"], **change.get("manifest", {})},
        "item": {**signed["item"], **change.get("item", {})},
        "signature": signed["signature"],
    }
    before = (_count(road, requests), _count(road, intake_events))
    answer = client.post("/v1/items", headers=headers("requester"), json=altered)
    assert answer.status_code == 422
    assert answer.json()["code"] == code
    assert (_count(road, requests), _count(road, intake_events)) == (before[0], before[1] + 1)


def test_another_agencys_account_is_refused_before_anything_is_written(
    client: TestClient, headers: Headers, body: Body, road: Gateway
) -> None:
    before = (_count(road, requests), _count(road, intake_events))
    answer = client.post(
        "/v1/items", headers=headers("requester", agency_name="Another Agency"), json=body()
    )
    assert answer.status_code == 403
    assert answer.json()["code"] == "agency_mismatch"
    assert (_count(road, requests), _count(road, intake_events)) == before


@pytest.mark.parametrize(
    "broken",
    [
        pytest.param({"item": {"first_name": 7}}, id="number-in-item"),
        pytest.param({"item": {}}, id="empty-item"),
        pytest.param({"extra": 1}, id="unknown-field"),
    ],
)
def test_a_malformed_body_is_refused_naming_the_field(
    client: TestClient, headers: Headers, body: Body, broken: dict[str, Any]
) -> None:
    answer = client.post("/v1/items", headers=headers("requester"), json={**body(), **broken})
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid_fields"


def test_a_refused_item_is_answered_with_its_reason_and_no_package(
    client: TestClient, headers: Headers, body: Body
) -> None:
    answer = client.post("/v1/items", headers=headers("requester"), json=body(street="UNKNOWN"))
    assert answer.status_code == 201
    assert answer.json()["item"]["outcome"] == "refused"
    assert answer.json()["package"] is None and answer.json()["receipt"] is None


def test_no_worker_can_claim_an_on_demand_job_before_its_exchange_runs_it(road: Gateway) -> None:
    # Intake queues a small request already leased to its exchange, in the same transaction.
    signed = item_signer(road.workspace)(case_number="ICE-ITEM-RACE", recipient_officers="R-1")
    item = signed["item"]
    owner = new_worker_id()
    manifest = {"manifest": signed["manifest"], "signature": signed["signature"]}
    accepted = submit_bytes(
        road, ITEM_FILE_NAME, item_file_bytes(item), manifest, job=JobPlan(owner, 1)
    )
    job = job_status(road.engine, accepted.request_id)
    assert job is not None and (job.state, job.lease_owner) == ("running", owner)
    assert claim_job(road.engine, new_worker_id()) != accepted.request_id
    assert claim_job(road.engine, new_worker_id(), request_id=accepted.request_id) is None


def test_the_submitter_is_written_in_the_transaction_that_records_the_request(
    road: Gateway,
) -> None:
    sign = item_signer(road.workspace)

    def submit(case: str, then: Callable[[sa.Connection, str], None]) -> str:
        signed = sign(case_number=case, recipient_officers=f"{case}-O")
        manifest = {"manifest": signed["manifest"], "signature": signed["signature"]}
        data = item_file_bytes(signed["item"])
        submit_bytes(
            road, ITEM_FILE_NAME, data, manifest, job=JobPlan(new_worker_id(), 1), then=then
        )
        return str(signed["manifest"]["request_id"])

    kept = submit("ICE-ITEM-SUBMITTER", lambda con, rid: record_submitter(con, rid, "svc", "ICE"))
    with road.engine.connect() as con:
        row = con.execute(sa.select(submitters).where(submitters.c.request_id == kept)).one()
    assert (row.account, row.agency) == ("svc", "ICE")

    def fails(con: sa.Connection, request_id: str) -> None:
        record_submitter(con, request_id, "svc", "ICE")
        raise RuntimeError("the submitter could not be written")

    before = (_count(road, requests), _count(road, items), _count(road, submitters))
    with pytest.raises(RuntimeError, match="submitter"):
        submit("ICE-ITEM-SUBMITTER-LOST", fails)
    # Nothing of a request is stored without the account that sent it.
    assert (_count(road, requests), _count(road, items), _count(road, submitters)) == before


def test_an_exchange_runs_its_item_without_a_lease_thread_and_a_batch_job_keeps_one(
    client: TestClient,
    headers: Headers,
    body: Body,
    road: Gateway,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keepers: list[list[str]] = []
    process = worker.process_request

    def spying(*args: Any, **kwargs: Any) -> Any:
        keepers.append(sorted(t.name for t in threading.enumerate() if t.name.startswith("lease-")))
        return process(*args, **kwargs)

    monkeypatch.setattr(worker, "process_request", spying)
    answer = client.post("/v1/items", headers=headers("requester"), json=body())
    assert answer.status_code == 201, answer.json()
    signed = item_signer(road.workspace)(case_number="ICE-ITEM-QUEUED", recipient_officers="Q-1")
    manifest = {"manifest": signed["manifest"], "signature": signed["signature"]}
    queued = submit_bytes(road, ITEM_FILE_NAME, item_file_bytes(signed["item"]), manifest)
    worker.enqueue_request(road.engine, queued.request_id)
    assert worker.work_once(road, new_worker_id()) == queued.request_id
    assert keepers == [[], [f"lease-{queued.request_id}"]]


def test_concurrent_items_are_each_answered_once(
    client: TestClient, headers: Headers, body: Body, road: Gateway
) -> None:
    bodies = [body() for _ in range(8)] * 2  # each sent twice, by two threads at once
    answers: list[tuple[int, dict[str, Any]]] = []
    lock = threading.Lock()
    auth = headers("requester")

    def send(signed: dict[str, Any]) -> None:
        response = client.post("/v1/items", headers=auth, json=signed)
        with lock:
            answers.append((response.status_code, response.json()))

    threads = [threading.Thread(target=send, args=(b,)) for b in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(status for status, _ in answers) == [200] * 8 + [201] * 8
    by_id: dict[str, list[dict[str, Any]]] = {}
    for _, answer in answers:
        by_id.setdefault(answer["request_id"], []).append(answer)
    assert len(by_id) == 8
    for request_id, pair in by_id.items():
        assert pair[0] == pair[1]
        assert pair[0]["item"]["outcome"] == "disclosed"
        assert _decisions_of(road, request_id) == 1
    assert road.ledger.verify().ok


def test_the_package_client_signs_and_sends_an_item(
    client: TestClient, headers: Headers, body: Body
) -> None:
    token = headers("requester")["Authorization"].split()[1]
    gateway = GatewayClient(str(client.base_url), token, http=client)
    signed = body()
    answer = gateway.ask(signed)
    assert (answer.status, answer.outcome) == (201, "disclosed")
    assert answer.package is not None
    assert gateway.ask(signed).body == answer.body


def test_without_the_witnesses_the_answer_fails_closed_and_asking_again_gets_it(
    client: TestClient,
    headers: Headers,
    body: Body,
    road: Gateway,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(road.integrator, "settings", QUICK)
    signed = body()
    released = _count(road, releases)
    with unreachable_witnesses(road):
        refused = client.post("/v1/items", headers=headers("requester"), json=signed)
    assert refused.status_code == 503
    assert refused.json()["code"] == "not_witnessed"
    assert "nothing was released" in refused.json()["detail"]
    assert _count(road, releases) == released
    again = client.post("/v1/items", headers=headers("requester"), json=signed)
    assert again.status_code == 200, again.json()
    assert again.json()["item"]["outcome"] == "disclosed" and again.json()["package"]
    assert _decisions_of(road, again.json()["request_id"]) == 1
