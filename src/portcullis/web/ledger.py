"""The ledger explorer: the latest checkpoint, its cosignatures, one entry's inclusion proof."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from portcullis.keys import public_key_b64
from portcullis.ledger.registry import registered_witnesses
from portcullis.web.access import PREFIX, Viewer, admit
from portcullis.web.proofs import ProofView, checkpoint_view, proof_view
from portcullis.web.session import gateway_of
from portcullis.web.templates import render

router = APIRouter()


@router.get(f"{PREFIX}/ledger")
def ledger_page(request: Request, index: str | None = None) -> Response:
    """Show the latest checkpoint and, when an index is asked for, that entry and its proof."""
    viewer = admit(request, "ledger")
    if not isinstance(viewer, Viewer):
        return viewer
    ledger = gateway_of(request).ledger
    proof: ProofView | None = None
    problem: str | None = None
    if index is not None and index.strip():
        if not index.strip().isdigit():
            problem = f"“{index}” is not an entry number; give a whole number from 0."
        else:
            found = proof_view(ledger, int(index))
            proof, problem = (found, None) if isinstance(found, ProofView) else (None, found)
    witnesses = sorted(
        (name, public_key_b64(key)) for name, key in registered_witnesses(ledger.engine).items()
    )
    return render(
        "ledger.html",
        viewer=viewer,
        size=ledger.size(),
        checkpoint=checkpoint_view(ledger),
        witnesses=witnesses,
        asked=index or "",
        proof=proof,
        problem=problem,
    )
