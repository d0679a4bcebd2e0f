"""Verify a signed written request as a whole before any of its items is considered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from portcullis.checks import refusals as r
from portcullis.contract.manifest import (
    ManifestMalformed,
    check_signed_manifest,
    manifest_time,
    signature_valid,
)
from portcullis.keys import public_key_from_b64
from portcullis.programs import Program

# Clocks of sender and gateway differ a little; more than this is a dating error, not skew.
CLOCK_SKEW = timedelta(minutes=5)
_MIN_CERTIFICATION = 20


@dataclass(frozen=True, slots=True)
class VerifiedRequest:
    """A request whose signature, signer, file, count, term and load all checked out."""

    request_id: str
    program_id: str
    program_version: int
    requesting_agency: str
    signer_key_id: str
    signer_name: str
    signer_title: str
    signer_authority: str
    signer_delegation: str | None
    certification: str
    item_count: int
    file_sha256: str
    created_at: datetime
    received_at: datetime
    signed_manifest: dict[str, Any]


def verify_request(
    signed_manifest: dict[str, Any],
    file_digest: str,
    program: Program,
    *,
    now: datetime,
    items_read: int,
    signer_items_today: int = 0,
) -> VerifiedRequest:
    """Verify the request as a whole (its file by digest), raising a RequestRefused on a failure."""
    # A suspended or blocked program does not refuse here: its items are refused one by one, so
    # the request is still recorded. `items_read` is required: the signed count is always checked.
    try:
        check_signed_manifest(signed_manifest)
        created_at = manifest_time(signed_manifest["manifest"])
    except ManifestMalformed as exc:
        raise r.ManifestRejected(str(exc)) from exc
    manifest = signed_manifest["manifest"]
    if manifest["program"] != program.id:
        raise r.ProgramMismatch(
            f"request names program {manifest['program']!r}, not {program.id!r}"
        )
    named = manifest["signer"]
    signer = program.signer(named["key_id"])
    if signer is None:
        raise r.SignerNotAuthorized(f"key {named['key_id']!r} is not an authorized signer")
    received = now.astimezone(UTC)
    if signer.retired_on(received.date()):
        raise r.SignerKeyRetired(
            f"key {signer.key_id!r} was retired from {signer.retired_from}; "
            "requests received since must be signed with the key that replaced it"
        )
    if not signature_valid(signed_manifest, public_key_from_b64(signer.public_key)):
        raise r.SignatureInvalid(f"the signature does not verify under key {signer.key_id!r}")
    if (named["name"], named["title"]) != (signer.name, signer.title):
        raise r.SignerNotAuthorized(f"key {signer.key_id!r} is registered to {signer.name}")
    if manifest["requesting_agency"] != program.requesting_agency:
        raise r.AgencyMismatch(f"{manifest['requesting_agency']!r} is not this program's agency")
    if manifest["file_sha256"] != file_digest:
        raise r.FileHashMismatch("the request file is not the file the signed request describes")
    if manifest["item_count"] != items_read:
        raise r.ItemCountMismatch(
            f"signed for {manifest['item_count']} items, file holds {items_read}"
        )
    if len(manifest["certification"].strip()) < _MIN_CERTIFICATION:
        raise r.CertificationMissing("the request lacks the use certification")
    if created_at > received + CLOCK_SKEW:
        raise r.ManifestFromFuture(f"the request is dated {created_at.isoformat()}, after receipt")
    if not program.term.covers(received.date()):
        term = program.term
        raise r.ProgramOutOfTerm(f"program {program.id} is in force {term.start} to {term.end}")
    _check_load(program, items_read, signer_items_today)
    return VerifiedRequest(
        request_id=manifest["request_id"],
        program_id=program.id,
        program_version=program.version,
        requesting_agency=manifest["requesting_agency"],
        signer_key_id=signer.key_id,
        signer_name=signer.name,
        signer_title=signer.title,
        signer_authority=signer.authority,
        signer_delegation=signer.delegation,
        certification=manifest["certification"],
        item_count=items_read,
        file_sha256=manifest["file_sha256"],
        created_at=created_at,
        received_at=received,
        signed_manifest=signed_manifest,
    )


def _check_load(program: Program, items: int, signer_items_today: int) -> None:
    limits = program.limits
    if items > limits.max_batch_items:
        raise r.BatchTooLarge(f"{items} items; the program allows {limits.max_batch_items}")
    if signer_items_today + items > limits.max_signer_items_per_day:
        raise r.SignerLoadExceeded(
            f"signer already requested {signer_items_today} items today; "
            f"the program allows {limits.max_signer_items_per_day}"
        )
