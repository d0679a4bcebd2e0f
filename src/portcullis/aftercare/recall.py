"""Recall releases: record each recall in the ledger, mark the release, and tell the recipient."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portcullis.aftercare.entries import recall_entry, recall_key
from portcullis.aftercare.moments import as_utc, require_zone
from portcullis.aftercare.notices import NoticeItem, build_recall_notice, seal_recall_notice
from portcullis.aftercare.selectors import Selector, release_query
from portcullis.aftercare.tables import create_aftercare_tables, recall_notices
from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.releasing import agency_recipient, recipient_suffix
from portcullis.store.tables import releases


class RecallUnexplained(PortcullisError):
    """A recall was asked for without a reason or without the operator who orders it."""


@dataclass(frozen=True, slots=True)
class RecalledRelease:
    """One release recalled by this call, with the index of its recall entry in the ledger."""

    request_id: str
    row: int
    item_id: str | None
    ledger_index: int


@dataclass(frozen=True, slots=True)
class RecallReport:
    """What a recall did: the releases it recalled, the notices it wrote, those recalled before."""

    selector: str
    recalled: tuple[RecalledRelease, ...]
    notices: tuple[Path, ...]
    already_recalled: int


def recall_releases(
    gateway: Gateway,
    selector: Selector,
    *,
    reason: str,
    recalled_by: str,
    at: dt.datetime | None = None,
) -> RecallReport:
    """Recall every release the selector reaches that has not been recalled and notified yet."""
    if not reason.strip() or not recalled_by.strip():
        raise RecallUnexplained("a recall needs a reason and the name of the operator ordering it")
    recalled_at = require_zone(at, "the recall time") if at else dt.datetime.now(dt.UTC)
    create_aftercare_tables(gateway.engine)
    pending, already = _candidates(gateway, selector)
    if not pending:
        return RecallReport(selector.description, (), (), already)
    # The ledger comes first: on a retry its stored entry (first reason, first time) wins.
    indexes = gateway.ledger.append_many(
        [
            (
                recall_key(release["item_pk"]),
                recall_entry(
                    request_id=release["request_id"],
                    row=release["row"],
                    item_id=release["item_id"],
                    program_id=release["program_id"],
                    decision_index=release["decision_index"],
                    reason=reason.strip(),
                    recalled_by=recalled_by.strip(),
                    recalled_at=recalled_at,
                ),
            )
            for release in pending
        ]
    )
    recorded = [gateway.ledger.entry(index) for index in indexes]
    with gateway.engine.begin() as con:
        for release, entry in zip(pending, recorded, strict=True):
            con.execute(
                releases.update()
                .where(releases.c.item_pk == release["item_pk"], releases.c.recalled_at.is_(None))
                .values(
                    recalled_at=dt.datetime.fromisoformat(str(entry["recalled_at"])),
                    recall_reason=str(entry["reason"]),
                )
            )
    gateway.integrator.checkpoint()  # signed and cosigned by the integrator that leads
    notices = _send_notices(gateway, pending, indexes, recorded)
    return RecallReport(
        selector.description,
        tuple(
            RecalledRelease(release["request_id"], release["row"], release["item_id"], index)
            for release, index in zip(pending, indexes, strict=True)
        ),
        notices,
        already,
    )


def _candidates(gateway: Gateway, selector: Selector) -> tuple[list[dict[str, Any]], int]:
    # A release recalled earlier whose notice was never written (an interrupted recall) is
    # taken up again; one recalled and notified is only counted.
    query = release_query(selector).add_columns(recall_notices.c.item_pk.label("notified"))
    query = query.outerjoin(recall_notices, recall_notices.c.item_pk == releases.c.item_pk)
    pending: list[dict[str, Any]] = []
    already = 0
    with gateway.engine.connect() as con:
        for row in con.execute(query):
            release = dict(row._mapping)
            if not selector.keeps(release["record"] or {}):
                continue
            if release["recalled_at"] is not None and release["notified"] is not None:
                already += 1
            else:
                pending.append(release)
    return pending, already


def _send_notices(
    gateway: Gateway,
    pending: Sequence[dict[str, Any]],
    indexes: Sequence[int],
    recorded: Sequence[dict[str, object]],
) -> tuple[Path, ...]:
    groups: dict[tuple[str, str, str], list[tuple[dict[str, Any], int]]] = {}
    for release, index, entry in zip(pending, indexes, recorded, strict=True):
        key = (release["request_id"], str(entry["reason"]), str(entry["recalled_at"]))
        groups.setdefault(key, []).append((release, index))
    written: list[Path] = []
    for (request_id, reason, recalled_at), members in sorted(groups.items()):
        written.append(_send_notice(gateway, request_id, reason, recalled_at, members))
    return tuple(written)


def _send_notice(
    gateway: Gateway,
    request_id: str,
    reason: str,
    recalled_at: str,
    members: Sequence[tuple[dict[str, Any], int]],
) -> Path:
    first = members[0][0]
    notice = build_recall_notice(
        request_id=request_id,
        program_id=first["program_id"],
        reason=reason,
        recalled_at=dt.datetime.fromisoformat(recalled_at),
        recalled=[
            NoticeItem(
                item_id=release["item_id"],
                row=release["row"],
                released_at=as_utc(release["released_at"]),
                package=Path(release["package_path"]).name,
                package_sha256=release["package_sha256"],
                recall_receipt=gateway.ledger.receipt(index).to_json(),
            )
            for release, index in members
        ],
    )
    recipient = agency_recipient(gateway, str(first["requesting_agency"]))
    sealed = seal_recall_notice(notice, signer=gateway.release_key, recipient=recipient)
    # Named from the recall entries, so a retried recall rewrites the same notice file.
    digest = hashlib.sha256(",".join(str(index) for _, index in members).encode()).hexdigest()
    name = f"recall-{digest[:12]}.{recipient_suffix(recipient)}"
    path = Path(first["package_path"]).parent / name
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_bytes(sealed)
    partial.replace(path)
    sent_at = dt.datetime.now(dt.UTC)
    with gateway.engine.begin() as con:
        con.execute(
            recall_notices.insert(),
            [
                {
                    "item_pk": release["item_pk"],
                    "notice_path": str(path),
                    "notice_sha256": hashlib.sha256(sealed).hexdigest(),
                    "sent_at": sent_at,
                }
                for release, _ in members
            ],
        )
    return path
