"""`portcullis serve`: the HTTP API (and web pages), with the queue worker in the same process."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from portcullis.api import ApiSettings, create_app
from portcullis.cli.common import HomeOption, one_line_errors
from portcullis.workspace import open_workspace


def serve(
    home: HomeOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8000,
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Run the queue worker in this process.")
    ] = True,
) -> None:
    """Serve the HTTP API and web UI; batch requests are worked by an in-process worker."""
    with one_line_errors():
        app = create_app(open_workspace(home), settings=ApiSettings(run_worker=worker))
    uvicorn.run(app, host=host, port=port, log_level="info")
