"""The ledger, for auditors, witnesses and requesters: checkpoint, entries, proofs, export."""

from __future__ import annotations

import base64
import io
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from portcullis.api.params import IndexPath, SizeQuery
from portcullis.api.problems import ApiProblem
from portcullis.api.road import gateway_of
from portcullis.api.schemas import CheckpointOut, ProofOut
from portcullis.api.security import require
from portcullis.auth import Principal
from portcullis.keys import public_key_b64
from portcullis.ledger import export_ledger
from portcullis.ledger.registry import registered_witnesses

router = APIRouter(prefix="/v1/ledger", tags=["ledger"])

CheckpointReader = Annotated[
    Principal, Depends(require("auditor", "witness", "operator", "requester"))
]
ProofReader = Annotated[Principal, Depends(require("auditor", "witness"))]
Auditor = Annotated[Principal, Depends(require("auditor"))]
Size = SizeQuery
Index = IndexPath


@router.get("/checkpoint", response_model=CheckpointOut, summary="The latest checkpoint")
def get_checkpoint(request: Request, principal: CheckpointReader) -> CheckpointOut:
    """Return the newest signed checkpoint with its cosignatures and the keys that verify it."""
    gateway = gateway_of(request)
    checkpoint = gateway.ledger.latest_checkpoint()
    if checkpoint is None:
        raise ApiProblem(404, "no_checkpoint", "the ledger has no signed checkpoint yet")
    witnesses = registered_witnesses(gateway.engine)
    return CheckpointOut(
        origin=checkpoint.origin,
        size=checkpoint.size,
        root=base64.b64encode(checkpoint.root).decode(),
        note=checkpoint.note,
        ledger_public_key=public_key_b64(gateway.ledger.public_key),
        witness_keys={name: public_key_b64(key) for name, key in witnesses.items()},
    )


@router.get("/entries/{index}", summary="One ledger entry")
def get_entry(request: Request, principal: ProofReader, index: Index) -> dict[str, object]:
    """Return the entry recorded at `index`."""
    return gateway_of(request).ledger.entry(index)


@router.get("/proofs/inclusion", response_model=ProofOut, summary="Inclusion proof")
def get_inclusion(request: Request, principal: ProofReader, index: Size, size: Size) -> ProofOut:
    """Return the proof that entry `index` is in the tree of `size` entries."""
    if index >= size:
        raise ApiProblem(422, "index_beyond_size", "the index must be below the tree size")
    proof = gateway_of(request).ledger.inclusion_proof(index, size)
    return ProofOut(hashes=[base64.b64encode(h).decode() for h in proof])


@router.get("/proofs/consistency", response_model=ProofOut, summary="Consistency proof")
def get_consistency(
    request: Request, principal: ProofReader, first: Size, second: Size
) -> ProofOut:
    """Return the proof that the tree of `first` entries is a prefix of that of `second`."""
    if first > second:
        raise ApiProblem(422, "sizes_out_of_order", "the first size must not exceed the second")
    proof = gateway_of(request).ledger.consistency_proof(first, second)
    return ProofOut(hashes=[base64.b64encode(h).decode() for h in proof])


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"application/zip": {}}, "description": "The ledger export"}},
    summary="Export the ledger",
)
def get_export(request: Request, principal: Auditor) -> Response:
    """Return the whole ledger export (entries, checkpoints, keys) as a zip archive."""
    with tempfile.TemporaryDirectory(prefix="portcullis-ledger-") as folder:
        export_ledger(gateway_of(request).engine, Path(folder))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(folder).iterdir()):
                archive.write(path, path.name)
    return Response(
        buffer.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": 'attachment; filename="ledger-export.zip"'},
    )
