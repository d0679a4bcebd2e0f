"""Release: for each disclosed decision, re-verify everything, then seal and keep the package."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from portcullis.checks import (
    load_exclusions,
    record_address_findings,
    screen_taxpayer,
    statutory_findings,
)
from portcullis.contract.records import item_from_json
from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.programs import Program, get_program
from portcullis.release.package import build_package, seal_package
from portcullis.release.recipients import AgeRecipient, CmsRecipient, Recipient
from portcullis.release.view import project_release_fields
from portcullis.store.tables import agencies, check_records, decisions, items, releases, requests

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
# A package is sealed into `<name>.sealing-<random>` beside its final name and put in place only
# once its release row is committed; a racer that loses the insert removes its own files.
_SEALING = ".sealing-"


class ReleaseBlocked(PortcullisError):
    """A disclosed decision that may not go out yet; it waits, and the reason is said."""


def release_ready(
    gateway: Gateway,
    request_id: str,
    *,
    now: dt.datetime | None = None,
    then: Callable[[sa.Connection], None] | None = None,
) -> int:
    """Seal a package for every disclosed, unreleased item of the request that may go out now.

    `then` writes the caller's own rows (the request's end) in the transaction of the packages'
    rows, or in one of its own when there is nothing to release.
    """
    released_at = now or dt.datetime.now(dt.UTC)
    rows = _sealed_ready(gateway, request_id, released_at)
    # The sealed files exist before their rows, under names of this run's own: a racer that loses
    # the insert removes them; the winner puts its files in place and clears other runs' leftovers
    # (a loser's or a crashed run's: no one else can record these items now).
    if not rows and then is None:
        return 0
    try:
        with gateway.engine.begin() as con:
            if rows:
                con.execute(releases.insert(), [_row(r) for r in rows])
            if then is not None:
                then(con)
    except sa.exc.DBAPIError:
        for row in rows:
            row["sealing"].unlink(missing_ok=True)
        raise
    for row in rows:
        final = Path(row["package_path"])
        # Another run's `_finish_sealing` may have seen the committed row and put it in place.
        with contextlib.suppress(FileNotFoundError):
            row["sealing"].replace(final)
        for other in final.parent.glob(f"{final.name}{_SEALING}*"):
            other.unlink(missing_ok=True)
    return len(rows)


def _sealed_ready(
    gateway: Gateway, request_id: str, released_at: dt.datetime
) -> list[dict[str, Any]]:
    """Seal, under this run's own names, a package for every item of the request that may go."""
    with gateway.engine.connect() as con:
        request = (
            con.execute(sa.select(requests).where(requests.c.request_id == request_id))
            .one()
            ._mapping
        )
        waiting = [
            dict(row._mapping)
            for row in con.execute(
                sa.select(decisions, items.c.row, items.c.item_id, items.c.record)
                .join(items, items.c.id == decisions.c.item_pk)
                .outerjoin(releases, releases.c.item_pk == decisions.c.item_pk)
                .where(
                    items.c.request_id == request_id,
                    decisions.c.outcome == "disclosed",
                    releases.c.item_pk.is_(None),
                )
                .order_by(items.c.row)
            )
        ]
    _finish_sealing(gateway, request_id)
    if not waiting:
        return []
    program = get_program(gateway.engine, request["program_id"])
    recipient = agency_recipient(gateway, str(request["requesting_agency"]))
    indexes = [d["ledger_index"] for d in waiting if d["ledger_index"] is not None]
    covered_below = gateway.integrator.covering_size(
        program.witness_quorum, beyond=max(indexes, default=-1)
    )
    passed = _passed_checks(gateway, [d["item_pk"] for d in waiting])
    excluded = load_exclusions(gateway.engine)
    ready = [
        decision
        for decision in waiting
        if _may_go(program, decision, decision["item_pk"] in passed, covered_below, excluded)
    ]
    if not ready or covered_below is None:
        return []
    receipts = gateway.ledger.receipts_at([d["ledger_index"] for d in ready], covered_below)
    return [
        _seal(
            gateway,
            program,
            recipient,
            request_id,
            d,
            receipts[d["ledger_index"]].to_json(),
            released_at,
        )
        for d in ready
    ]


def _row(sealed: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in sealed.items() if key != "sealing"}


def _finish_sealing(gateway: Gateway, request_id: str) -> None:
    """Put in place each package whose row was committed before its file was (a crash between).

    A half-way file of an item already recorded with other bytes is a loser's or a crashed run's
    leftover and is removed; one of an item not recorded may be another run's, still sealing, and
    is left to that run.
    """
    folder = gateway.workspace.packages_dir / _SAFE.sub("_", request_id)
    pending = sorted(folder.glob(f"*{_SEALING}*")) if folder.is_dir() else []
    if not pending:
        return
    finals = [str(path.with_name(path.name.split(_SEALING)[0])) for path in pending]
    with gateway.engine.connect() as con:
        recorded = dict(
            con.execute(
                sa.select(releases.c.package_path, releases.c.package_sha256).where(
                    releases.c.package_path.in_(finals)
                )
            ).all()
        )
    for path, final in zip(pending, finals, strict=True):
        digest = recorded.get(final)
        if digest is None:
            continue
        if hashlib.sha256(path.read_bytes()).hexdigest() == digest:
            path.replace(final)
        else:
            path.unlink(missing_ok=True)


def _passed_checks(gateway: Gateway, item_pks: list[int]) -> set[int]:
    with gateway.engine.connect() as con:
        return {
            pk
            for (pk,) in con.execute(
                sa.select(check_records.c.item_pk).where(
                    check_records.c.item_pk.in_(item_pks), check_records.c.passed.is_(True)
                )
            )
        }


def _may_go(
    program: Program,
    decision: dict[str, Any],
    check_passed: bool,
    covered_below: int | None,
    excluded: frozenset[str],
) -> bool:
    # Defence in depth: the decision alone is not enough; every precondition is looked at again,
    # including the exclusion list, which may have grown since the decision.
    if program.status != "active" or not check_passed:
        return False
    if statutory_findings(item_from_json(decision["record"]), program):
        return False
    if decision["tin"] is None or screen_taxpayer(decision["tin"], excluded) is not None:
        return False
    if record_address_findings(decision["address"] or {}):
        return False
    index = decision["ledger_index"]
    return index is not None and covered_below is not None and index < covered_below


def _seal(
    gateway: Gateway,
    program: Program,
    recipient: Recipient,
    request_id: str,
    decision: dict[str, Any],
    receipt: dict[str, object],
    released_at: dt.datetime,
) -> dict[str, Any]:
    address = dict(decision["address"] or {})
    address["address_tax_year"] = decision["address_tax_year"]
    view = project_release_fields(address, program.release_fields)
    retention_until = released_at.date() + dt.timedelta(days=program.retention_days)
    package = build_package(
        view,
        request_id=request_id,
        item_id=str(decision["item_id"] or f"row-{decision['row']}"),
        program_id=program.id,
        recipient_officers=list(decision["record"].get("recipient_officers") or []),
        match_confidence=float(decision["match_score"] or 0.0),
        receipt=receipt,
        released_at=released_at,
        retention_until=retention_until,
    )
    sealed = seal_package(package, signer=gateway.release_key, recipient=recipient)
    folder = gateway.workspace.packages_dir / _SAFE.sub("_", request_id)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"row-{decision['row']:07d}.{recipient_suffix(recipient)}"
    sealing = path.with_name(f"{path.name}{_SEALING}{secrets.token_hex(8)}")
    sealing.write_bytes(sealed)
    return {
        "sealing": sealing,
        "item_pk": decision["item_pk"],
        "package_path": str(path),
        "package_sha256": hashlib.sha256(sealed).hexdigest(),
        "released_at": released_at,
        "retention_until": dt.datetime.combine(retention_until, dt.time(), dt.UTC),
        "receipt": receipt,
    }


def agency_recipient(gateway: Gateway, agency: str) -> Recipient:
    """Return the key that packages for `agency` are encrypted to."""
    with gateway.engine.connect() as con:
        row = con.execute(sa.select(agencies).where(agencies.c.name == agency)).first()
    if row is None:
        raise ReleaseBlocked(f"no recipient key registered for agency {agency}")
    if row.recipient_kind == "cms":
        return CmsRecipient(row.recipient_key.encode("ascii"))
    return AgeRecipient(row.recipient_key)


def recipient_suffix(recipient: Recipient) -> str:
    """The file suffix of a sealed package: .age or .p7m."""
    return "age" if isinstance(recipient, AgeRecipient) else "p7m"
