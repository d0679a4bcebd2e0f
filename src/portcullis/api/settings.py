"""Settings of one API instance: body size bound, rate limits, token lifetime."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portcullis.ledger.integrator import DEFAULT_INTERVAL
from portcullis.processing import ON_DEMAND_LIMIT


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """Bounds the API enforces on every client; the defaults suit one agency's on-demand use."""

    max_body_bytes: int = 32 * 1024 * 1024
    # Per client: a sustained rate, and a burst it may spend at once.
    requests_per_second: float = 20.0
    burst: int = 200
    token_ttl: dt.timedelta = dt.timedelta(minutes=15)
    # Requests of up to this many items are answered in the same HTTP exchange.
    on_demand_limit: int = ON_DEMAND_LIMIT
    # Run the queue worker in a thread of the app, started and stopped with it (`portcullis serve`).
    run_worker: bool = False
    # How often the ledger's integrator signs a checkpoint while answers wait for one (seconds).
    checkpoint_interval: float = DEFAULT_INTERVAL
    # Open the master read-only, as each of several server processes on one master must.
    read_only_master: bool = False
    # Networks (CIDR) whose clients may read /metrics without a token, e.g. ("127.0.0.1/32",) for a
    # Prometheus beside the server; anyone else needs a bearer token of the operator role.
    metrics_networks: tuple[str, ...] = ()
