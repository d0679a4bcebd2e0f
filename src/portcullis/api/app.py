"""The API application: one open gateway, the routers, and the layers around them."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
from fastapi import FastAPI

import portcullis.api.tables  # noqa: F401  (registers the API's tables before the schema is made)
from portcullis import web
from portcullis.api.access_chain import ensure_access_head
from portcullis.api.failures import install_failure_handlers
from portcullis.api.limits import RateLimiter
from portcullis.api.metrics import build_registry
from portcullis.api.middleware import AccessLog, BodyLimit
from portcullis.api.openapi import build_openapi
from portcullis.api.problems import install_problem_handlers
from portcullis.api.routes import (
    health,
    items,
    ledger,
    metrics,
    oversight,
    programs,
    queue,
    requests,
    review,
    tlog,
    token,
)
from portcullis.api.settings import ApiSettings
from portcullis.gateway import Gateway
from portcullis.ledger.integrator import CommitSettings
from portcullis.worker import run_worker
from portcullis.workspace import Workspace

DESCRIPTION = (
    "Portcullis decides, item by item, whether 26 U.S.C. 6103(i)(2) allows releasing a named "
    "person's last known address to a requesting federal agency, and accounts for every decision "
    "in a tamper-evident ledger. Errors are RFC 9457 problem documents."
)


def create_app(workspace: Workspace, *, settings: ApiSettings | None = None) -> FastAPI:
    """Open the workspace's gateway and return the API application that serves it."""
    chosen = settings or ApiSettings()
    gateway = Gateway.open(
        workspace,
        read_only_master=chosen.read_only_master,
        commit=CommitSettings(interval=chosen.checkpoint_interval),
    )
    ensure_access_head(gateway.engine)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        worker = threading.Thread(
            target=run_worker,
            args=(gateway, stop),
            name="portcullis-worker",
            daemon=True,
        )
        if chosen.run_worker:
            worker.start()
        yield
        # The worker stops (finishing its current job) before the gateway it uses is closed.
        stop.set()
        if chosen.run_worker:
            await anyio.to_thread.run_sync(worker.join)
        gateway.close()

    app = FastAPI(title="Portcullis", version="1", description=DESCRIPTION, lifespan=lifespan)
    app.state.gateway = gateway
    app.state.settings = chosen
    app.state.limiter = RateLimiter(gateway.engine, chosen.requests_per_second, chosen.burst)
    app.state.metrics, app.state.request_metrics = build_registry(gateway.engine)
    app.state.token_secret = workspace.token_secret_path.read_bytes()
    install_problem_handlers(app)
    install_failure_handlers(app)
    routes = (
        health,
        metrics,
        token,
        items,
        requests,
        review,
        programs,
        ledger,
        tlog,
        oversight,
        queue,
    )
    for module in routes:
        app.include_router(module.router)
    app.include_router(web.router)
    app.add_middleware(BodyLimit)
    # Outermost, so refusals made by the layers inside are logged too.
    app.add_middleware(AccessLog, engine=gateway.engine, metrics=app.state.request_metrics)
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    return app
