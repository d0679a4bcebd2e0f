from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.checks import (
    REASONS,
    AgencyMismatch,
    BatchTooLarge,
    CertificationMissing,
    FileHashMismatch,
    ItemCountMismatch,
    ManifestFromFuture,
    ManifestRejected,
    ProgramMismatch,
    ProgramOutOfTerm,
    RequestRefused,
    SignatureInvalid,
    SignerKeyRetired,
    SignerLoadExceeded,
    SignerNotAuthorized,
    verify_request,
)
from portcullis.contract.manifest import build_manifest, file_sha256, sign_manifest
from portcullis.programs import Program

FILE = b"item_id,first_name\nA-1,Maria\nA-2,Jose\n"
DIGEST = file_sha256(FILE)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def signed(key: Ed25519PrivateKey, program: Program, **changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "request_id": "R-1",
        "program_id": program.id,
        "requesting_agency": program.requesting_agency,
        "signer_name": program.signers[0].name,
        "signer_title": program.signers[0].title,
        "key_id": program.signers[0].key_id,
        "certification": "Used solely for the criminal matters named in each item.",
        "item_count": 2,
        "created_at": NOW - timedelta(hours=1),
    }
    fields.update(changes)
    return sign_manifest(build_manifest(FILE, **fields), key)


def test_a_sound_request_verifies(signer_key: Ed25519PrivateKey, program: Program) -> None:
    verified = verify_request(signed(signer_key, program), DIGEST, program, now=NOW, items_read=2)
    assert (verified.request_id, verified.signer_key_id, verified.item_count) == (
        "R-1",
        "demo-signer",
        2,
    )
    assert verified.program_version == program.version


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        pytest.param({"program_id": "other-program"}, ProgramMismatch, id="other-program"),
        pytest.param({"key_id": "someone-else"}, SignerNotAuthorized, id="unknown-key-id"),
        pytest.param({"signer_name": "Impostor"}, SignerNotAuthorized, id="wrong-signer-name"),
        pytest.param({"requesting_agency": "Another Agency"}, AgencyMismatch, id="other-agency"),
        pytest.param({"item_count": 3}, ItemCountMismatch, id="count-differs"),
        pytest.param({"certification": "ok"}, CertificationMissing, id="no-certification"),
        pytest.param({"created_at": NOW + timedelta(hours=1)}, ManifestFromFuture, id="future"),
    ],
)
def test_a_flawed_request_is_refused_whole(
    changes: dict[str, Any],
    refusal: type[RequestRefused],
    signer_key: Ed25519PrivateKey,
    program: Program,
) -> None:
    with pytest.raises(refusal) as raised:
        verify_request(
            signed(signer_key, program, **changes), DIGEST, program, now=NOW, items_read=2
        )
    assert raised.value.code in REASONS
    assert "\n" not in str(raised.value)


def test_a_signature_by_another_key_is_refused(program: Program) -> None:
    forged = signed(Ed25519PrivateKey.generate(), program)
    with pytest.raises(SignatureInvalid):
        verify_request(forged, DIGEST, program, now=NOW, items_read=2)


def test_an_altered_manifest_is_refused(signer_key: Ed25519PrivateKey, program: Program) -> None:
    document = signed(signer_key, program)
    document["manifest"]["request_id"] = "R-2"
    with pytest.raises(SignatureInvalid):
        verify_request(document, DIGEST, program, now=NOW, items_read=2)


def test_another_file_is_refused(signer_key: Ed25519PrivateKey, program: Program) -> None:
    with pytest.raises(FileHashMismatch):
        verify_request(
            signed(signer_key, program),
            file_sha256(FILE + b"A-3,Ana\n"),
            program,
            now=NOW,
            items_read=2,
        )


def test_a_malformed_manifest_is_refused(signer_key: Ed25519PrivateKey, program: Program) -> None:
    document = signed(signer_key, program)
    del document["manifest"]["file_sha256"]
    with pytest.raises(ManifestRejected, match="file_sha256"):
        verify_request(document, DIGEST, program, now=NOW, items_read=2)


@pytest.mark.parametrize(
    "now",
    [
        pytest.param(datetime(2025, 4, 6, 23, 0, tzinfo=UTC), id="before-term"),
        pytest.param(datetime(2027, 10, 7, 1, 0, tzinfo=UTC), id="after-term"),
    ],
)
def test_a_request_outside_the_term_is_refused(
    now: datetime, signer_key: Ed25519PrivateKey, program: Program
) -> None:
    document = signed(signer_key, program, created_at=now - timedelta(minutes=1))
    with pytest.raises(ProgramOutOfTerm):
        verify_request(document, DIGEST, program, now=now, items_read=2)


def test_a_batch_over_the_limit_is_refused(signer_key: Ed25519PrivateKey, program: Program) -> None:
    small = program.model_copy(
        update={"limits": program.limits.model_copy(update={"max_batch_items": 1})}
    )
    with pytest.raises(BatchTooLarge):
        verify_request(signed(signer_key, small), DIGEST, small, now=NOW, items_read=2)


@pytest.mark.parametrize(
    ("today", "refused"),
    [pytest.param(19_998, False, id="at-limit"), pytest.param(19_999, True, id="over-limit")],
)
def test_signer_load(
    today: int, refused: bool, signer_key: Ed25519PrivateKey, program: Program
) -> None:
    document = signed(signer_key, program)
    if refused:
        with pytest.raises(SignerLoadExceeded):
            verify_request(
                document, DIGEST, program, now=NOW, items_read=2, signer_items_today=today
            )
    else:
        verify_request(document, DIGEST, program, now=NOW, items_read=2, signer_items_today=today)


def test_a_suspended_program_does_not_refuse_the_request_whole(
    signer_key: Ed25519PrivateKey, program: Program
) -> None:
    suspension = {"order_reference": "No. 1", "since": "2026-02-01"}
    stopped = Program.model_validate({**program.model_dump(mode="json"), "suspension": suspension})
    verified = verify_request(signed(signer_key, stopped), DIGEST, stopped, now=NOW, items_read=2)
    assert verified.request_id == "R-1"


def test_a_key_is_refused_from_its_retirement_day_and_accepted_the_day_before(
    signer_key: Ed25519PrivateKey, program: Program
) -> None:
    def retiring(day: datetime) -> Program:
        retired = program.signers[0].model_copy(update={"retired_from": day.date()})
        return program.model_copy(update={"signers": (retired,)})

    document = signed(signer_key, program)
    tomorrow = retiring(NOW + timedelta(days=1))
    assert verify_request(document, DIGEST, tomorrow, now=NOW, items_read=2)
    with pytest.raises(SignerKeyRetired, match="retired from 2026-03-01") as refused:
        verify_request(document, DIGEST, retiring(NOW), now=NOW, items_read=2)
    assert refused.value.code == "signer_key_retired" and "signer_key_retired" in REASONS
