"""Create accounts and check their secrets (argon2id)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Literal

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from portcullis.auth.roles import ROLES, Principal, Role
from portcullis.auth.tables import accounts
from portcullis.errors import PortcullisError

_HASHER = PasswordHasher()
MIN_SECRET_LENGTH = 12


class AuthenticationFailed(PortcullisError):
    """The name or the secret is wrong, or the account is disabled (never said which)."""


class UserExists(PortcullisError):
    """An account of that name already exists."""


class AccountInvalid(PortcullisError):
    """An account is asked for with an unknown role, a short secret or a missing agency."""


def create_account(
    engine: Engine,
    name: str,
    secret: str,
    roles: Iterable[Role],
    *,
    kind: Literal["user", "service"] = "user",
    agency: str | None = None,
) -> Principal:
    """Create an account with a hashed secret; service accounts must name their agency."""
    wanted = frozenset(roles)
    unknown = sorted(set(wanted) - set(ROLES))
    if unknown or not wanted:
        raise AccountInvalid(f"roles must be some of {', '.join(ROLES)}; got {sorted(wanted)}")
    if len(secret) < MIN_SECRET_LENGTH:
        raise AccountInvalid(f"a secret needs at least {MIN_SECRET_LENGTH} characters")
    if kind == "service" and not agency:
        raise AccountInvalid("a service account must name its requesting agency")
    try:
        with engine.begin() as con:
            con.execute(
                accounts.insert().values(
                    name=name,
                    kind=kind,
                    secret_hash=_HASHER.hash(secret),
                    roles=";".join(sorted(wanted)),
                    agency=agency,
                    disabled=False,
                    created_at=dt.datetime.now(dt.UTC),
                )
            )
    except IntegrityError as exc:
        raise UserExists(f"an account named {name} already exists") from exc
    return Principal(name=name, kind=kind, roles=wanted, agency=agency)


def authenticate(engine: Engine, name: str, secret: str) -> Principal:
    """Return the principal for a correct name and secret, else raise AuthenticationFailed.

    A name holding a NUL character is no account's (PostgreSQL text cannot hold one): it fails
    as an unknown name does, without asking the database.
    """
    if "\x00" in name:
        _HASHER.hash(secret)
        raise AuthenticationFailed("unknown account or wrong secret")
    with engine.connect() as con:
        row = con.execute(sa.select(accounts).where(accounts.c.name == name)).first()
    if row is None or row.disabled:
        # Spend the same effort as a real check so timing does not reveal which names exist.
        _HASHER.hash(secret)
        raise AuthenticationFailed("unknown account or wrong secret")
    try:
        _HASHER.verify(row.secret_hash, secret)
    except (VerificationError, InvalidHashError) as exc:
        raise AuthenticationFailed("unknown account or wrong secret") from exc
    return _principal(row)


def list_accounts(engine: Engine) -> list[Principal]:
    """Return every enabled account."""
    with engine.connect() as con:
        rows = con.execute(sa.select(accounts).where(accounts.c.disabled.is_(False))).all()
    return [_principal(row) for row in rows]


def _principal(row: sa.Row[tuple[object, ...]]) -> Principal:
    roles = frozenset(r for r in str(row.roles).split(";") if r in ROLES)
    kind: Literal["user", "service"] = "service" if row.kind == "service" else "user"
    return Principal(name=str(row.name), kind=kind, roles=roles, agency=row.agency)
