"""`portcullis serve`: the HTTP API (and web pages), with the queue worker in each process."""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

from portcullis.api import ApiSettings
from portcullis.api.serving import serve_api
from portcullis.cli.common import HomeOption, one_line_errors
from portcullis.workspace import open_workspace

_DEFAULTS = ApiSettings()


def serve(
    home: HomeOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)
    ] = 8000,
    worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Run the queue worker in each process.")
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Server processes behind the one port (master opened read-only).",
            min=1,
            max=64,
        ),
    ] = 1,
    requests_per_second: Annotated[
        float,
        typer.Option(
            "--requests-per-second", help="Sustained requests a second per client.", min=0.001
        ),
    ] = _DEFAULTS.requests_per_second,
    burst: Annotated[
        int, typer.Option("--burst", help="Requests a client may send at once.", min=1)
    ] = _DEFAULTS.burst,
    checkpoint_interval: Annotated[
        float,
        typer.Option(
            "--checkpoint-interval",
            help="Seconds between checkpoints while answers wait.",
            min=0.01,
            max=5.0,
        ),
    ] = _DEFAULTS.checkpoint_interval,
    metrics_network: Annotated[
        list[str] | None,
        typer.Option(
            "--metrics-network",
            help="A network (CIDR) whose clients may read /metrics without a token; repeatable.",
        ),
    ] = None,
) -> None:
    """Serve the HTTP API and web UI; batch requests are worked by an in-process worker."""
    with one_line_errors():
        workspace = open_workspace(home)
        settings = ApiSettings(
            run_worker=worker,
            requests_per_second=requests_per_second,
            burst=burst,
            checkpoint_interval=checkpoint_interval,
            metrics_networks=tuple(_network(text) for text in metrics_network or ()),
        )
        serve_api(workspace, settings, host=host, port=port, workers=workers)


def _network(text: str) -> str:
    try:
        return str(ipaddress.ip_network(text, strict=False))
    except ValueError as exc:
        raise typer.BadParameter(f"--metrics-network {text!r} is not a network: {exc}") from exc
