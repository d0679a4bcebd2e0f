"""Take one uploaded request through intake, then answer it now (on demand) or queue it (batch)."""

from __future__ import annotations

import json
from typing import Any

from portcullis.api.lookup import record_submitter
from portcullis.api.problems import ApiProblem
from portcullis.auth import Principal
from portcullis.checks import RequestRefused
from portcullis.contract.manifest import ManifestMalformed, check_signed_manifest
from portcullis.gateway import Gateway
from portcullis.item_request import ITEM_FILE_NAME, split_item_request
from portcullis.on_demand import Handled, submit_and_answer

# Refusals whose HTTP status is not the general 422.
_STATUS = {"request_replayed": 409}


def read_signed_manifest_text(text: str) -> dict[str, Any]:
    """Parse the manifest form field, answering 400 for bad JSON and 422 for a bad shape."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ApiProblem(400, "malformed_json", f"the manifest is not JSON: {exc.msg}") from exc
    try:
        check_signed_manifest(document)
    except ManifestMalformed as exc:
        raise ApiProblem(422, "manifest_malformed", str(exc)) from exc
    return dict(document)


def read_item_request(document: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Split a single-item body into its signed manifest and file, answering 422 for a bad shape."""
    try:
        return split_item_request(document)
    except ManifestMalformed as exc:
        raise ApiProblem(422, "manifest_malformed", str(exc)) from exc


def submit_upload(
    gateway: Gateway,
    principal: Principal,
    file_name: str,
    file_bytes: bytes,
    signed: dict[str, Any],
    *,
    on_demand_limit: int,
    wait: float,
    repeatable: bool = False,
) -> Handled:
    """Submit a request for `principal`, deciding it in this exchange when it is small."""
    agency = signed["manifest"]["requesting_agency"]
    if principal.agency != agency:
        # Checked before intake: another agency's request is not this account's to send.
        raise ApiProblem(
            403, "agency_mismatch", f"this account may only submit for {principal.agency}"
        )
    try:
        return submit_and_answer(
            gateway,
            file_name or "request.csv",
            file_bytes,
            signed,
            on_demand_limit=on_demand_limit,
            wait=wait,
            repeatable=repeatable,
            on_recorded=lambda con, rid: record_submitter(
                con, rid, principal.name, principal.agency
            ),
        )
    except RequestRefused as exc:
        raise ApiProblem(_STATUS.get(exc.code, 422), exc.code, str(exc)) from exc


def submit_item(
    gateway: Gateway, principal: Principal, document: dict[str, Any], *, wait: float
) -> Handled:
    """Submit a single signed item and decide it in this exchange; a repeat gets the same answer."""
    signed, file_bytes = read_item_request(document)
    return submit_upload(
        gateway,
        principal,
        ITEM_FILE_NAME,
        file_bytes,
        signed,
        on_demand_limit=1,
        wait=wait,
        repeatable=True,
    )
