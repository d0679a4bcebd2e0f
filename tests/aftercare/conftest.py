"""A workspace with one processed request whose three items were all released."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from portcullis.gateway import Gateway
from portcullis.intake import submit_request
from portcullis.processing import process_request
from portcullis.programs import get_program
from portcullis.submission import sign_request_file

PROGRAM = "ice-address-verification"

# Three different taxpayers of the shared master, each requested with a complete address.
THREE_PEOPLE: tuple[dict[str, str], ...] = (
    {},
    {
        "first_name": "Minh",
        "last_name": "Nguyễn",
        "date_of_birth": "1985-11-30",
        "street": "9 Lotus Lane",
        "unit": "",
        "city": "Garden Grove",
        "state": "CA",
        "zip": "92840",
    },
    {
        "first_name": "Emily",
        "last_name": "Walker",
        "date_of_birth": "1991-01-20",
        "street": "12 Elm Street",
        "unit": "",
        "city": "Dayton",
        "state": "OH",
        "zip": "45402",
    },
)


def submit_and_process(gateway: Gateway, path: Path) -> str:
    """Sign a request file with the demo signer, submit it and run it to its releases."""
    signed = sign_request_file(
        path, get_program(gateway.engine, PROGRAM), gateway.workspace.demo_signer_key_path
    )
    request_id = submit_request(gateway, path, signed).request_id
    process_request(gateway, request_id)
    return request_id


@pytest.fixture
def released(gateway: Gateway, request_file: Callable[..., Path]) -> str:
    """The id of a processed request whose three items were all released."""
    return submit_and_process(gateway, request_file(*THREE_PEOPLE))
