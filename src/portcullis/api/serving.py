"""Serve the API with uvicorn: one process, or several worker processes behind one port.

With several processes each opens its own gateway: its own state-store connections (PostgreSQL
takes them concurrently; SQLite in WAL mode lets one of them write at a time), the master
read-only (DuckDB allows many read-only processes), its own ledger integrator. Uvicorn starts the
processes from `app_from_environment`, which reads the workspace and settings the parent put in
the environment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os

import duckdb
import uvicorn
from fastapi import FastAPI

from portcullis.api.app import create_app
from portcullis.api.logs import configure_json_logs
from portcullis.api.settings import ApiSettings
from portcullis.master.schema import create_master_tables
from portcullis.workspace import HOME_ENV, Workspace, open_workspace

SETTINGS_ENV = "PORTCULLIS_SERVE_SETTINGS"


def serve_api(
    workspace: Workspace, settings: ApiSettings, *, host: str, port: int, workers: int = 1
) -> None:
    """Run the API until stopped, in `workers` processes sharing one listening port."""
    # Uvicorn's own access lines would carry the path and query: the app logs each request instead.
    configure_json_logs()
    if workers == 1:
        app = create_app(workspace, settings=settings)
        uvicorn.run(app, host=host, port=port, log_config=None, access_log=False)
        return
    # The master must exist before read-only processes open it; only this one may create it.
    with duckdb.connect(str(workspace.master_path)) as master:
        create_master_tables(master)
    os.environ[HOME_ENV] = str(workspace.home)
    os.environ[SETTINGS_ENV] = settings_text(dataclasses.replace(settings, read_only_master=True))
    uvicorn.run(
        "portcullis.api.serving:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=None,
        access_log=False,
    )


def app_from_environment() -> FastAPI:
    """Build the app of one worker process from the workspace and settings in the environment."""
    settings = settings_from_text(os.environ[SETTINGS_ENV])
    configure_json_logs()
    return create_app(open_workspace(None), settings=settings)


def settings_text(settings: ApiSettings) -> str:
    """Return the settings as JSON (the token lifetime in seconds)."""
    values = dataclasses.asdict(settings)
    values["token_ttl"] = settings.token_ttl.total_seconds()
    return json.dumps(values)


def settings_from_text(text: str) -> ApiSettings:
    """Read settings written by `settings_text`."""
    values = json.loads(text)
    values["token_ttl"] = dt.timedelta(seconds=values["token_ttl"])
    values["metrics_networks"] = tuple(values.get("metrics_networks", ()))
    return ApiSettings(**values)
