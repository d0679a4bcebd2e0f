"""Accounts and tokens: hashed secrets, roles, service accounts, forged and expired tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine

from portcullis.auth import (
    AuthenticationFailed,
    Principal,
    TokenInvalid,
    UserExists,
    authenticate,
    create_account,
    issue_token,
    read_token,
)
from portcullis.auth.tables import accounts
from portcullis.auth.users import AccountInvalid
from portcullis.store.database import create_schema, open_engine

SECRET = "correct horse battery staple"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    created = open_engine(f"sqlite:///{tmp_path / 'state.sqlite'}")
    create_schema(created)
    yield created
    created.dispose()


def test_user_signs_in_with_the_right_secret_only(engine: Engine) -> None:
    create_account(engine, "ana", SECRET, ["reviewer"])
    assert authenticate(engine, "ana", SECRET).roles == frozenset({"reviewer"})
    with pytest.raises(AuthenticationFailed):
        authenticate(engine, "ana", SECRET + "!")
    with pytest.raises(AuthenticationFailed):
        authenticate(engine, "nobody", SECRET)


def test_secret_is_stored_hashed(engine: Engine) -> None:
    create_account(engine, "ana", SECRET, ["auditor"])
    with engine.connect() as con:
        stored = con.execute(sa.select(accounts.c.secret_hash)).scalar_one()
    assert SECRET not in stored and stored.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("roles", "secret", "kind", "agency"),
    [
        pytest.param([], SECRET, "user", None, id="no-role"),
        pytest.param(["superuser"], SECRET, "user", None, id="unknown-role"),
        pytest.param(["reviewer"], "short", "user", None, id="short-secret"),
        pytest.param(["requester"], SECRET, "service", None, id="service-without-agency"),
    ],
)
def test_invalid_accounts_are_refused(
    engine: Engine, roles: list[str], secret: str, kind: str, agency: str | None
) -> None:
    with pytest.raises(AccountInvalid):
        create_account(engine, "x", secret, roles, kind=kind, agency=agency)  # type: ignore[arg-type]


def test_duplicate_account_is_refused(engine: Engine) -> None:
    create_account(engine, "ana", SECRET, ["reviewer"])
    with pytest.raises(UserExists):
        create_account(engine, "ana", SECRET, ["auditor"])


def test_token_round_trip_keeps_roles_and_agency() -> None:
    principal = Principal("ice-client", "service", frozenset({"requester"}), "ICE")
    assert read_token(issue_token(principal, b"k" * 32), b"k" * 32) == principal


@pytest.mark.parametrize(
    ("secret", "issued", "reason"),
    [
        pytest.param(b"other" * 8, None, "Signature", id="forged"),
        pytest.param(b"k" * 32, dt.datetime(2020, 1, 1, tzinfo=dt.UTC), "expired", id="expired"),
    ],
)
def test_bad_tokens_are_rejected(secret: bytes, issued: dt.datetime | None, reason: str) -> None:
    principal = Principal("ana", "user", frozenset({"reviewer"}))
    token = issue_token(principal, b"k" * 32, now=issued)
    with pytest.raises(TokenInvalid, match=reason):
        read_token(token, secret)
