"""Intake: verify a signed request, keep its bytes, record it and every row, or refuse it whole."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portcullis.checks import ManifestRejected, RequestRefused, duplicate_key, verify_request
from portcullis.contract.manifest import file_sha256
from portcullis.contract.records import RequestItem, item_to_json
from portcullis.contract.request_file import read_request_file
from portcullis.entries import intake_refusal_entry
from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.jobs_tables import jobs
from portcullis.programs import get_program
from portcullis.store.tables import intake_events, items, requests

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class RequestReplayed(PortcullisError):
    """A request id that was already submitted arrives again."""

    code = "request_replayed"


@dataclass(frozen=True, slots=True)
class Submission:
    """An accepted request: its id, program and how many rows it holds."""

    request_id: str
    program_id: str
    item_count: int
    rows_with_errors: int


@dataclass(frozen=True, slots=True)
class JobPlan:
    """How intake queues an accepted request in the same transaction that records it.

    A request of up to `claim_up_to` items is queued already leased to `owner` (the exchange
    that answers it), so no worker can take it first; a larger one is queued for the workers.
    """

    owner: str
    claim_up_to: int
    lease: dt.timedelta = dt.timedelta(seconds=60)

    def row(self, request_id: str, item_count: int, now: dt.datetime) -> dict[str, object]:
        """Return the jobs row for an accepted request of `item_count` items."""
        if item_count > self.claim_up_to:
            return {"request_id": request_id, "state": "queued", "attempts": 0, "queued_at": now}
        return {
            "request_id": request_id,
            "state": "running",
            "lease_owner": self.owner,
            "lease_until": now + self.lease,
            "attempts": 1,
            "queued_at": now,
        }


def submit_request(
    gateway: Gateway,
    file_path: Path,
    signed_manifest: dict[str, Any],
    *,
    now: dt.datetime | None = None,
) -> Submission:
    """Verify, keep and record a request file; on any failure record the refusal and raise it."""
    received_at = now or dt.datetime.now(dt.UTC)
    try:
        file_bytes = file_path.read_bytes()
    except OSError as exc:
        raise _refuse(
            gateway, None, None, file_path.name, b"", "file_unreadable", str(exc), received_at
        ) from exc
    return submit_bytes(gateway, file_path.name, file_bytes, signed_manifest, now=received_at)


def submit_bytes(
    gateway: Gateway,
    file_name: str,
    file_bytes: bytes,
    signed_manifest: dict[str, Any],
    *,
    now: dt.datetime | None = None,
    job: JobPlan | None = None,
) -> Submission:
    """Verify, keep and record a request received as bytes; with `job`, queue it too."""
    received_at = now or dt.datetime.now(dt.UTC)
    manifest = signed_manifest.get("manifest", {}) if isinstance(signed_manifest, dict) else {}
    request_id = str(manifest.get("request_id") or "") or None
    program_id = str(manifest.get("program") or "") or None
    try:
        if request_id is None or program_id is None:
            raise ManifestRejected("the manifest names no request_id or program")
        if _exists(gateway, request_id):
            raise RequestReplayed(f"request {request_id} was already submitted")
        program = get_program(gateway.engine, program_id)
        kept = _keep(gateway, request_id, file_name, file_bytes, signed_manifest)
        request_file = read_request_file(kept, max_items=program.limits.max_batch_items)
        verify_request(
            signed_manifest,
            file_bytes,
            program,
            now=received_at,
            items_read=len(request_file.items),
            signer_items_today=_signer_items_today(gateway, manifest, received_at),
        )
        _record(
            gateway,
            program.id,
            program.version,
            manifest,
            file_name,
            file_bytes,
            request_file.items,
            received_at,
            job,
        )
    except PortcullisError as exc:
        code = str(getattr(exc, "code", None) or _code_for(exc))
        raise _refuse(
            gateway, request_id, program_id, file_name, file_bytes, code, str(exc), received_at
        ) from exc
    return Submission(
        request_id=request_id,
        program_id=program.id,
        item_count=len(request_file.items),
        rows_with_errors=sum(1 for item in request_file.items if item.field_errors),
    )


def _exists(gateway: Gateway, request_id: str) -> bool:
    with gateway.engine.connect() as con:
        found = con.execute(
            sa.select(requests.c.request_id).where(requests.c.request_id == request_id)
        ).first()
    return found is not None


def _signer_items_today(gateway: Gateway, manifest: dict[str, Any], now: dt.datetime) -> int:
    signer = manifest.get("signer") if isinstance(manifest.get("signer"), dict) else {}
    key_id = str((signer or {}).get("key_id") or "")
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    query = sa.select(sa.func.coalesce(sa.func.sum(requests.c.item_count), 0)).where(
        requests.c.signer_key_id == key_id,
        requests.c.received_at >= start,
        requests.c.status != "refused",
    )
    with gateway.engine.connect() as con:
        return int(con.execute(query).scalar_one())


def _keep(
    gateway: Gateway, request_id: str, file_name: str, file_bytes: bytes, signed: dict[str, Any]
) -> Path:
    # The kept copy is written from the very bytes whose hash is verified, never re-read.
    folder = gateway.workspace.inbox_dir / _SAFE.sub("_", request_id)
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / (_SAFE.sub("_", Path(file_name).name) or "request.csv")
    kept.write_bytes(file_bytes)
    (folder / "manifest.json").write_text(json.dumps(signed, indent=2, sort_keys=True))
    return kept


def _record(
    gateway: Gateway,
    program_id: str,
    program_version: int,
    manifest: dict[str, Any],
    file_name: str,
    file_bytes: bytes,
    request_items: tuple[RequestItem, ...],
    received_at: dt.datetime,
    job: JobPlan | None,
) -> None:
    try:
        with gateway.engine.begin() as con:
            signer = manifest.get("signer") or {}
            request_id = str(manifest["request_id"])
            con.execute(
                requests.insert().values(
                    request_id=request_id,
                    program_id=program_id,
                    program_version=program_version,
                    requesting_agency=manifest.get("requesting_agency"),
                    signer_key_id=signer.get("key_id"),
                    signer_name=signer.get("name"),
                    file_name=file_name,
                    file_sha256=file_sha256(file_bytes),
                    manifest=manifest,
                    status="received",
                    item_count=len(request_items),
                    received_at=received_at,
                )
            )
            con.execute(
                items.insert(),
                [
                    {
                        "request_id": request_id,
                        "row": item.row,
                        "item_id": item.item_id,
                        "record": item_to_json(item),
                        # The duplicate key, so later requests can find this person in this case.
                        "case_number": (key[0] if (key := duplicate_key(item)) else None),
                        "name_key": key[1] if key else None,
                        "officers": ";".join(item.recipient_officers),
                        "stage": "received",
                    }
                    for item in request_items
                ],
            )
            con.execute(
                intake_events.insert().values(
                    request_id=request_id,
                    program_id=program_id,
                    file_name=file_name,
                    file_sha256=file_sha256(file_bytes),
                    accepted=True,
                    received_at=received_at,
                )
            )
            if job is not None:
                con.execute(
                    jobs.insert().values(**job.row(request_id, len(request_items), received_at))
                )
    except IntegrityError as exc:
        # Another exchange recorded the same request id between the check and this write.
        raise RequestReplayed(f"request {manifest['request_id']} was already submitted") from exc


def _refuse(
    gateway: Gateway,
    request_id: str | None,
    program_id: str | None,
    file_name: str,
    file_bytes: bytes,
    code: str,
    reason: str,
    received_at: dt.datetime,
) -> PortcullisError:
    digest = file_sha256(file_bytes)
    with gateway.engine.begin() as con:
        event_id = con.execute(
            intake_events.insert().values(
                request_id=request_id,
                program_id=program_id,
                file_name=file_name,
                file_sha256=digest,
                accepted=False,
                code=code,
                reason=reason,
                received_at=received_at,
            )
        ).inserted_primary_key
    assert event_id is not None
    entry = intake_refusal_entry(
        request_id=request_id,
        program_id=program_id,
        file_sha256=digest,
        code=code,
        reason=reason,
        received_at=received_at,
    )
    index = gateway.ledger.append(entry, decision_key=f"intake/{event_id[0]}")
    with gateway.engine.begin() as con:
        con.execute(
            intake_events.update()
            .where(intake_events.c.id == event_id[0])
            .values(ledger_index=index)
        )
    return RequestRefused(f"request refused ({code}): {reason}", code=code)


def _code_for(exc: PortcullisError) -> str:
    name = type(exc).__name__
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
