"""The ledger explorer: the checkpoint's signers, an entry's proof, and the server's verdict."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import sqlalchemy as sa

from portcullis.gateway import Gateway
from portcullis.ledger.tables import ledger_entries
from tests.web.conftest import TestClient, create_accounts, sign_in

SignedIn = Callable[[str], TestClient]


def test_the_latest_checkpoint_lists_its_valid_signers(signed_in: SignedIn) -> None:
    html = signed_in("avery.auditor").get("/ui/ledger").text
    assert '<dd data-figure="size">7</dd>' in html
    for witness in ("jct", "tigta"):
        assert f"<tr><td>{witness}</td><td>witness</td>" in html
    assert html.count('<span class="level agree">yes</span>') == 3


def test_an_entry_comes_with_its_proof_verified_on_the_server(signed_in: SignedIn) -> None:
    html = signed_in("avery.auditor").get("/ui/ledger?index=2").text
    assert '<h2 id="entry-heading">Entry 2</h2>' in html
    assert "Verified on the server" in html
    assert "Cosigned by jct, tigta." in html
    assert '<script type="application/json" id="proof-data">' in html
    assert '<script src="/ui/static/verify.js" defer></script>' in html


@pytest.mark.parametrize(
    ("asked", "message"),
    [
        pytest.param("99", "There is no entry 99; the ledger holds 7 entries.", id="beyond-end"),
        pytest.param(
            "99999999999999999999999",
            "There is no entry 99999999999999999999999; the ledger holds 7 entries.",
            id="beyond-any-integer-column",
        ),
        pytest.param("two", "is not an entry number", id="not-a-number"),
        pytest.param("-1", "is not an entry number", id="negative"),
    ],
)
def test_a_bad_lookup_says_why(signed_in: SignedIn, asked: str, message: str) -> None:
    html = signed_in("avery.auditor").get("/ui/ledger", params={"index": asked}).text
    assert message in html
    assert 'id="proof-data"' not in html


def test_an_altered_entry_fails_the_servers_check(
    gateway: Gateway, held_request: str, client_for: Callable[[Gateway], TestClient]
) -> None:
    with gateway.engine.begin() as con:
        body = bytes(
            con.execute(
                sa.select(ledger_entries.c.body).where(ledger_entries.c.idx == 1)
            ).scalar_one()
        )
        altered = body.replace(b'"pending_review"', b'"disclosed"')
        con.execute(ledger_entries.update().where(ledger_entries.c.idx == 1).values(body=altered))
    create_accounts(gateway, "avery.auditor")
    client = client_for(gateway)
    sign_in(client, "avery.auditor")
    html = client.get("/ui/ledger?index=1").text
    assert "The server could not verify this entry" in html
    assert "leaf hash" in html
