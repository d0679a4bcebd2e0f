"""Recall notices: built complete, sealed to the agency, opened only with the right keys."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from portcullis.aftercare.notices import (
    INSTRUCTION,
    NoticeInvalid,
    NoticeItem,
    build_recall_notice,
    open_recall_notice,
    seal_recall_notice,
)
from portcullis.release.package import open_package
from portcullis.release.recipients import create_age_identity, load_age_identity
from portcullis.release.signing import PackageMalformedError, SignatureInvalidError

RECALLED_AT = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.UTC)
ITEM = NoticeItem(
    item_id="I-2",
    row=2,
    released_at=dt.datetime(2025, 8, 7, 12, 0, tzinfo=dt.UTC),
    package="row-0000002.age",
    package_sha256="ab" * 32,
    recall_receipt={"leaf_index": 9, "tree_size": 10},
)


def notice() -> dict[str, object]:
    return build_recall_notice(
        request_id="R-2025-0001",
        program_id="ice-address-verification",
        reason="The request gave a ZIP code, not an address.",
        recalled_at=RECALLED_AT,
        recalled=[ITEM],
    )


def test_a_sealed_notice_opens_for_the_agency_with_its_instruction(tmp_path: Path) -> None:
    signer = Ed25519PrivateKey.generate()
    recipient = create_age_identity(tmp_path / "agency.agekey")
    sealed = seal_recall_notice(notice(), signer=signer, recipient=recipient)
    opened = open_recall_notice(
        sealed,
        identity=load_age_identity(tmp_path / "agency.agekey"),
        release_public_key=signer.public_key(),
    )
    assert opened == notice()
    assert opened["instruction"] == INSTRUCTION
    assert opened["recalled_at"] == "2026-01-15T09:00:00Z"
    assert opened["items"] == [
        {
            "item_id": "I-2",
            "row": 2,
            "released_at": "2025-08-07T12:00:00Z",
            "package": "row-0000002.age",
            "package_sha256": "ab" * 32,
            "recall_receipt": {"leaf_index": 9, "tree_size": 10},
        }
    ]


def test_a_notice_signed_by_another_key_is_rejected(tmp_path: Path) -> None:
    recipient = create_age_identity(tmp_path / "agency.agekey")
    sealed = seal_recall_notice(notice(), signer=Ed25519PrivateKey.generate(), recipient=recipient)
    with pytest.raises(SignatureInvalidError):
        open_recall_notice(
            sealed,
            identity=load_age_identity(tmp_path / "agency.agekey"),
            release_public_key=Ed25519PrivateKey.generate().public_key(),
        )


def test_a_notice_never_passes_for_a_release_package(tmp_path: Path) -> None:
    signer = Ed25519PrivateKey.generate()
    recipient = create_age_identity(tmp_path / "agency.agekey")
    sealed = seal_recall_notice(notice(), signer=signer, recipient=recipient)
    with pytest.raises(PackageMalformedError):
        open_package(
            sealed,
            identity=load_age_identity(tmp_path / "agency.agekey"),
            release_public_key=signer.public_key(),
        )


@pytest.mark.parametrize(
    ("reason", "items"),
    [pytest.param(" ", [ITEM], id="no-reason"), pytest.param("Wrong address.", [], id="no-items")],
)
def test_a_notice_needs_a_reason_and_items(reason: str, items: list[NoticeItem]) -> None:
    with pytest.raises(NoticeInvalid):
        build_recall_notice(
            request_id="R-1",
            program_id="p",
            reason=reason,
            recalled_at=RECALLED_AT,
            recalled=items,
        )
