"""The `portcullis witness` commands: an oversight body runs a witness in its own home."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from portcullis.cli.common import console, one_line_errors
from portcullis.keys import public_key_b64
from portcullis.ledger.witness_home import init_witness_home, open_witness_home
from portcullis.ledger.witness_server import witness_app

app = typer.Typer(help="A witness that cosigns the ledger, in its own home.", no_args_is_help=True)

WitnessHomeOption = Annotated[
    Path, typer.Option("--home", help="The witness's own folder (its key, config and state).")
]


@app.command()
def init(
    home: WitnessHomeOption,
    name: Annotated[str, typer.Option(help="The witness's name, as its cosignatures carry it.")],
    origin: Annotated[str, typer.Option(help="The origin line of the ledger to follow.")],
    log_key: Annotated[str, typer.Option(help="The ledger's base64 Ed25519 public key.")],
    adopt_key: Annotated[
        Path | None, typer.Option(help="Take over this key file instead of making a new key.")
    ] = None,
) -> None:
    """Create a witness home and print the public key the gateway is to be given."""
    with one_line_errors():
        created = init_witness_home(
            home, name=name, origin=origin, log_key=log_key, adopt_key=adopt_key
        )
        public = public_key_b64(created.open().public_key)
    console.print(f"witness {created.name} at {home}; public key {public}", highlight=False)


@app.command()
def serve(
    home: WitnessHomeOption,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8100,
) -> None:
    """Serve C2SP tlog-witness add-checkpoint for the ledger this witness follows."""
    with one_line_errors():
        witness = open_witness_home(home).open()
    uvicorn.run(witness_app(witness), host=host, port=port, log_level="warning")
