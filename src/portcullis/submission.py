"""Make and sign the manifest for a request file, as a requesting agency's own tool would."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

from portcullis.contract.manifest import build_manifest, sign_manifest
from portcullis.contract.request_file import read_request_file
from portcullis.errors import PortcullisError
from portcullis.keys import load_private_key, public_key_b64
from portcullis.programs import Program

DEFAULT_CERTIFICATION = (
    "The information requested will be used solely in the preparation for a judicial or "
    "administrative proceeding pertaining to the enforcement of the specifically designated "
    "Federal criminal statute named for each item, or in an investigation which may result in "
    "such a proceeding, and for no other purpose (26 U.S.C. 6103(i)(2)(A))."
)


class SignerKeyUnknown(PortcullisError):
    """The signing key is not registered for the program, so the agency cannot name its signer."""


def sign_request_file(
    file_path: Path,
    program: Program,
    signer_key_path: Path,
    *,
    request_id: str | None = None,
    certification: str = DEFAULT_CERTIFICATION,
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """Return the signed manifest for `file_path`, naming the program's signer for the key."""
    key = load_private_key(signer_key_path)
    public = public_key_b64(key.public_key())
    signer = next((s for s in program.signers if s.public_key == public), None)
    if signer is None:
        raise SignerKeyUnknown(
            f"the key {signer_key_path.name} is not a registered signer of program {program.id}"
        )
    file_bytes = file_path.read_bytes()
    manifest = build_manifest(
        file_bytes,
        request_id=request_id or f"REQ-{uuid.uuid4().hex[:16].upper()}",
        program_id=program.id,
        requesting_agency=program.requesting_agency,
        signer_name=signer.name,
        signer_title=signer.title,
        key_id=signer.key_id,
        certification=certification,
        item_count=len(
            read_request_file(file_path, max_items=program.limits.max_batch_items).items
        ),
        created_at=now or dt.datetime.now(dt.UTC),
    )
    return sign_manifest(manifest, key)
