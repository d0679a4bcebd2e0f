"""Intake: verify a signed request, keep its bytes, record it and every row, or refuse it whole."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
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
from portcullis.errors import FileUnreadable, PortcullisError
from portcullis.gateway import Gateway
from portcullis.jobs_tables import jobs
from portcullis.programs import get_program
from portcullis.store.tables import intake_events, items, requests
from portcullis.workspace import Workspace

_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
_CHUNK = 1 << 20

# A caller's own write about an accepted request, given the recording transaction and the id.
Recorded = Callable[[sa.Connection, str], None]


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
    """Verify, keep and record a request file, streamed from disk; on failure record and raise."""
    received_at = now or dt.datetime.now(dt.UTC)
    return _submit(gateway, file_path.name, file_path, signed_manifest, received_at, None, None)


def submit_bytes(
    gateway: Gateway,
    file_name: str,
    file_bytes: bytes,
    signed_manifest: dict[str, Any],
    *,
    now: dt.datetime | None = None,
    job: JobPlan | None = None,
    then: Recorded | None = None,
) -> Submission:
    """Verify, keep and record a request received as bytes; with `job`, queue it too.

    `then` writes the caller's own rows about the request (who sent it) in the transaction that
    records it, so the request is never stored without them.
    """
    received_at = now or dt.datetime.now(dt.UTC)
    return _submit(gateway, file_name, file_bytes, signed_manifest, received_at, job, then)


def _submit(
    gateway: Gateway,
    file_name: str,
    source: bytes | Path,
    signed_manifest: dict[str, Any],
    received_at: dt.datetime,
    job: JobPlan | None,
    then: Recorded | None,
) -> Submission:
    manifest = signed_manifest.get("manifest", {}) if isinstance(signed_manifest, dict) else {}
    request_id = str(manifest.get("request_id") or "") or None
    program_id = str(manifest.get("program") or "") or None
    digest: str | None = None
    try:
        if request_id is None or program_id is None:
            raise ManifestRejected("the manifest names no request_id or program")
        if _exists(gateway, request_id):
            raise RequestReplayed(f"request {request_id} was already submitted")
        program = get_program(gateway.engine, program_id)
        kept, digest = _keep(gateway, request_id, file_name, source, signed_manifest)
        request_file = read_request_file(kept, max_items=program.limits.max_batch_items)
        verify_request(
            signed_manifest,
            digest,
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
            digest,
            request_file.items,
            received_at,
            job,
            then,
        )
    except PortcullisError as exc:
        code = str(getattr(exc, "code", None) or _code_for(exc))
        digest = digest if digest is not None else _digest(source)
        raise _refuse(
            gateway, request_id, program_id, file_name, digest, code, str(exc), received_at
        ) from exc
    return Submission(
        request_id=request_id,
        program_id=program.id,
        item_count=len(request_file.items),
        rows_with_errors=sum(1 for item in request_file.items if item.field_errors),
    )


def inbox_folder(workspace: Workspace, request_id: str) -> Path:
    """Return the inbox folder that keeps a request's file and its signed manifest."""
    return workspace.inbox_dir / _SAFE.sub("_", request_id)


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
    gateway: Gateway, request_id: str, file_name: str, source: bytes | Path, signed: dict[str, Any]
) -> tuple[Path, str]:
    folder = inbox_folder(gateway.workspace, request_id)
    folder.mkdir(parents=True, exist_ok=True)
    kept = folder / (_SAFE.sub("_", Path(file_name).name) or "request.csv")
    digest = _copy(source, kept)
    (folder / "manifest.json").write_text(json.dumps(signed, indent=2, sort_keys=True))
    return kept, digest


def _copy(source: bytes | Path, kept: Path) -> str:
    # The kept copy is written from the very bytes whose hash is verified, never re-read; a file
    # is copied a chunk at a time, so its size never sits in memory.
    if isinstance(source, bytes):
        kept.write_bytes(source)
        return file_sha256(source)
    if kept.exists() and source.exists() and kept.samefile(source):
        return _digest(source)  # submitted from its own inbox copy: writing it would empty it
    hasher = hashlib.sha256()
    try:
        with source.open("rb") as incoming, kept.open("wb") as out:
            while chunk := incoming.read(_CHUNK):
                hasher.update(chunk)
                out.write(chunk)
    except OSError as exc:
        kept.unlink(missing_ok=True)  # no part of a file that could not be read is kept
        raise FileUnreadable(f"{source.name}: cannot be read: {exc.strerror or exc}") from exc
    return hasher.hexdigest()


def _digest(source: bytes | Path) -> str:
    # The digest a refusal records when it came before the file was kept (b"" if unreadable).
    if isinstance(source, bytes):
        return file_sha256(source)
    hasher = hashlib.sha256()
    try:
        with source.open("rb") as incoming:
            while chunk := incoming.read(_CHUNK):
                hasher.update(chunk)
    except OSError:
        return file_sha256(b"")
    return hasher.hexdigest()


def _record(
    gateway: Gateway,
    program_id: str,
    program_version: int,
    manifest: dict[str, Any],
    file_name: str,
    digest: str,
    request_items: tuple[RequestItem, ...],
    received_at: dt.datetime,
    job: JobPlan | None,
    then: Recorded | None,
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
                    file_sha256=digest,
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
                    file_sha256=digest,
                    accepted=True,
                    received_at=received_at,
                )
            )
            if job is not None:
                con.execute(
                    jobs.insert().values(**job.row(request_id, len(request_items), received_at))
                )
            if then is not None:
                then(con, request_id)
    except IntegrityError as exc:
        # Another exchange recorded the same request id between the check and this write.
        raise RequestReplayed(f"request {manifest['request_id']} was already submitted") from exc


def _refuse(
    gateway: Gateway,
    request_id: str | None,
    program_id: str | None,
    file_name: str,
    digest: str,
    code: str,
    reason: str,
    received_at: dt.datetime,
) -> PortcullisError:
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
