"""Program administration: a change needs two admins; suspension acts at once."""

from __future__ import annotations

from tests.api.conftest import PROGRAM, Headers, TestClient

BASE = f"/v1/programs/{PROGRAM}"
CHANGE = {"changes": {"limits.max_open_items_per_officer": 150}, "why": "reduce officer load"}


def test_a_change_applies_only_when_a_second_admin_confirms(
    client: TestClient, headers: Headers
) -> None:
    alice, bob = headers("program_admin", name="alice"), headers("program_admin", name="bob")
    version = client.get(BASE, headers=alice).json()["version"]
    proposed = client.post(f"{BASE}/proposals", headers=alice, json=CHANGE)
    assert proposed.status_code == 201 and proposed.json()["state"] == "pending"
    assert client.get(BASE, headers=alice).json()["version"] == version  # nothing changed yet
    confirm = f"{BASE}/proposals/{proposed.json()['id']}/confirm"
    same = client.post(confirm, headers=alice)
    assert (same.status_code, same.json()["code"]) == (403, "separation_of_duties")
    confirmed = client.post(confirm, headers=bob)
    assert confirmed.json()["state"] == "applied" and confirmed.json()["confirmed_by"] == "bob"
    program = client.get(BASE, headers=alice).json()
    assert program["version"] == version + 1
    assert program["limits"]["max_open_items_per_officer"] == 150
    [last] = client.get(f"{BASE}/history", headers=alice).json()[-1:]
    assert last["actor"] == "alice (confirmed by bob)"
    again = client.post(confirm, headers=headers("program_admin", name="carol"))
    assert (again.status_code, again.json()["code"]) == (409, "proposal_not_pending")


def test_an_unknown_program_is_not_found(client: TestClient, headers: Headers) -> None:
    response = client.get("/v1/programs/no-such-program", headers=headers("auditor"))
    assert (response.status_code, response.json()["code"]) == (404, "program_not_found")


def test_suspension_takes_one_admin_and_resuming_takes_two(
    client: TestClient, headers: Headers
) -> None:
    alice, bob = headers("program_admin", name="alice"), headers("program_admin", name="bob")
    order = {"order_reference": "D.D.C. 25-cv-0001", "why": "stay ordered by the court"}
    suspended = client.post(f"{BASE}/suspend", headers=alice, json=order)
    assert suspended.status_code == 200 and suspended.json()["suspension"] is not None
    resume = {"changes": {"suspension": None}, "why": "stay lifted on appeal"}
    proposed = client.post(f"{BASE}/proposals", headers=alice, json=resume).json()
    client.post(f"{BASE}/proposals/{proposed['id']}/confirm", headers=bob)
    assert client.get(BASE, headers=bob).json()["suspension"] is None
