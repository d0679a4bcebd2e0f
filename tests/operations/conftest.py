"""Requests to drive traffic through a workspace while an operation runs beside it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from portcullis.gateway import Gateway
from portcullis.programs import get_program
from portcullis.submission import sign_request_file
from portcullis.workspace import Workspace

PROGRAM = "ice-address-verification"
MakeRequest = Callable[[str, int], tuple[Path, dict[str, object]]]


@pytest.fixture
def signed_request(
    workspace: Workspace, request_file: Callable[..., Path], tmp_path: Path
) -> Callable[[str, int], tuple[Path, dict[str, object]]]:
    """Return a maker of six-item requests (five disclose, one refused) and their manifests."""

    def make(request_id: str, number: int) -> tuple[Path, dict[str, object]]:
        officer = {"recipient_officers": f"ICE-HSI-{number:05d}"}
        cases = [
            {**officer, "case_number": f"ICE-ERO-2026-{number * 10 + n:06d}"} for n in range(6)
        ]
        path = request_file(*cases[:5], {**cases[5], "street": "UNKNOWN"})
        with Gateway.open(workspace) as gateway:
            program = get_program(gateway.engine, PROGRAM)
        signed = sign_request_file(
            path, program, workspace.demo_signer_key_path, request_id=request_id
        )
        (tmp_path / f"{request_id}.manifest.json").write_text(json.dumps(signed))
        return path, signed

    return make
