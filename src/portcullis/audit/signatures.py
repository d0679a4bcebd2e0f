"""Check each accepted request's kept signed manifest under the program version that accepted it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from portcullis.audit.findings import Finding
from portcullis.contract.manifest import signature_valid
from portcullis.errors import PortcullisError
from portcullis.intake import inbox_folder
from portcullis.keys import public_key_from_b64
from portcullis.programs import get_program_version
from portcullis.store.tables import requests
from portcullis.workspace import Workspace

TABLE = "requests"


@dataclass(slots=True)
class SignatureAudit:
    """The findings of the signature check and how many signed requests it read."""

    findings: list[Finding]
    requests: int


def reconcile_signatures(conn: Connection, engine: Engine, workspace: Workspace) -> SignatureAudit:
    """Verify each accepted request's kept signature with the key its program version names."""
    audit = SignatureAudit([], 0)
    columns = (
        requests.c.request_id,
        requests.c.program_id,
        requests.c.program_version,
        requests.c.manifest,
    )
    for row in conn.execute(select(*columns).order_by(requests.c.request_id)).mappings():
        audit.requests += 1
        problem = _problem(engine, workspace, dict(row))
        if problem is not None:
            audit.findings.append(Finding(TABLE, f"request_id={row['request_id']}", None, problem))
    return audit


def _problem(engine: Engine, workspace: Workspace, row: Mapping[str, Any]) -> str | None:
    path = inbox_folder(workspace, str(row["request_id"])) / "manifest.json"
    try:
        signed = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"its signed manifest cannot be read from the inbox: {exc}"
    if not isinstance(signed, dict) or signed.get("manifest") != row["manifest"]:
        return "the signed manifest kept in the inbox is not the one recorded"
    version = row["program_version"]
    try:
        program = get_program_version(engine, str(row["program_id"]), int(version))
        key_id = str(signed["manifest"]["signer"]["key_id"])
        signer = program.signer(key_id)
        if signer is None:
            return f"key {key_id!r} is not a signer of program version {version}"
        if not signature_valid(signed, public_key_from_b64(signer.public_key)):
            return f"the signature does not verify under key {key_id!r} of version {version}"
    except (PortcullisError, KeyError, TypeError) as exc:
        return f"its signature cannot be checked: {exc}"
    return None
