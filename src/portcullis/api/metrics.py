"""Prometheus metrics: request counts and durations of this process, and the state store's truth.

Figures that live in the state store (items by outcome, review backlog, queue depth, checkpoint age,
witness latency) are read from it at scrape time, so every API process of one workspace reports the
same values. Request counts and durations and matching times are this process's own (label
`process`).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Iterable, Iterator, Sequence

import sqlalchemy as sa
from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from portcullis.jobs_tables import jobs
from portcullis.ledger.tables import ledger_checkpoints, ledger_cosignatures
from portcullis.match_timing import MATCH_BUCKETS, MATCH_TIMINGS
from portcullis.reports.rows import OUTCOMES, PENDING_REVIEW
from portcullis.store.tables import decisions

# Witness latency is read over this many of the latest checkpoints at each scrape.
WITNESS_WINDOW = 500
WITNESS_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
JOB_STATES = ("queued", "running", "done", "failed")
UNMATCHED_ROUTE = "unmatched"


class RequestMetrics:
    """This process's request counter and duration histogram, by route template and status."""

    def __init__(self, registry: CollectorRegistry) -> None:
        process = str(os.getpid())
        self._requests = Counter(
            "portcullis_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ("process", "method", "route", "status"),
            registry=registry,
        ).labels
        self._durations = Histogram(
            "portcullis_http_request_duration_seconds",
            "Time from a request's arrival to its response's start, by route template.",
            ("process", "route"),
            buckets=REQUEST_BUCKETS,
            registry=registry,
        ).labels
        self._process = process

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request and its duration."""
        self._requests(self._process, method, route, str(status)).inc()
        self._durations(self._process, route).observe(seconds)


class StoreCollector(Collector):
    """Reads the state store's figures at each scrape."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[Metric]:
        now = dt.datetime.now(dt.UTC)
        with self.engine.connect() as con:
            outcomes: dict[str, int] = dict(
                con.execute(
                    sa.select(decisions.c.outcome, sa.func.count()).group_by(decisions.c.outcome)
                ).all()
            )
            states: dict[str, int] = dict(
                con.execute(sa.select(jobs.c.state, sa.func.count()).group_by(jobs.c.state)).all()
            )
            latest = con.execute(sa.select(sa.func.max(ledger_checkpoints.c.signed_at))).scalar()
            recent = (
                sa.select(ledger_checkpoints.c.size)
                .order_by(ledger_checkpoints.c.size.desc())
                .limit(WITNESS_WINDOW)
                .subquery()
            )
            waits = con.execute(
                sa.select(
                    ledger_cosignatures.c.witness,
                    ledger_checkpoints.c.signed_at,
                    ledger_cosignatures.c.received_at,
                )
                .join(ledger_checkpoints, ledger_checkpoints.c.size == ledger_cosignatures.c.size)
                .where(ledger_cosignatures.c.size.in_(sa.select(recent.c.size)))
            ).all()
        items = GaugeMetricFamily(
            "portcullis_items", "Items decided, by their current outcome.", labels=("outcome",)
        )
        for outcome in OUTCOMES:
            items.add_metric((outcome,), float(outcomes.get(outcome, 0)))
        yield items
        yield GaugeMetricFamily(
            "portcullis_review_backlog",
            "Items waiting for a reviewer's decision.",
            value=float(outcomes.get(PENDING_REVIEW, 0)),
        )
        queue = GaugeMetricFamily(
            "portcullis_queue_jobs", "Batch jobs in the queue, by state.", labels=("state",)
        )
        for state in JOB_STATES:
            queue.add_metric((state,), float(states.get(state, 0)))
        yield queue
        yield GaugeMetricFamily(
            "portcullis_queue_depth",
            "Batch jobs queued or running.",
            value=float(states.get("queued", 0) + states.get("running", 0)),
        )
        age = GaugeMetricFamily(
            "portcullis_checkpoint_age_seconds",
            "Seconds since the latest ledger checkpoint was signed (absent before the first).",
        )
        if latest is not None:
            age.add_metric((), max(0.0, (now - _aware(latest)).total_seconds()))
        yield age
        yield _witness_histogram(
            (witness, (_aware(got) - _aware(signed)).total_seconds())
            for witness, signed, got in waits
        )


class MatchCollector(Collector):
    """This process's per-item matching times, by mode (on demand, batch, Spark)."""

    def collect(self) -> Iterator[Metric]:
        family = HistogramMetricFamily(
            "portcullis_match_seconds",
            "Matching time per item in this process, by mode (a batch's items at their mean).",
            labels=("process", "mode"),
        )
        process = str(os.getpid())
        for mode, timings in MATCH_TIMINGS.snapshot().items():
            buckets = [
                (str(bound), float(count))
                for bound, count in zip(MATCH_BUCKETS, timings.buckets, strict=True)
            ]
            buckets.append(("+Inf", float(timings.count)))
            family.add_metric((process, mode), buckets, timings.total)
        yield family


def _witness_histogram(waits: Iterable[tuple[str, float]]) -> HistogramMetricFamily:
    family = HistogramMetricFamily(
        "portcullis_witness_latency_seconds",
        f"Time from a checkpoint's signing to each witness's cosignature, over the latest"
        f" {WITNESS_WINDOW} checkpoints.",
        labels=("witness",),
    )
    by_witness: dict[str, list[float]] = {}
    for witness, seconds in waits:
        by_witness.setdefault(witness, []).append(max(0.0, seconds))
    for witness, values in sorted(by_witness.items()):
        buckets = [
            (str(bound), float(sum(v <= bound for v in values))) for bound in WITNESS_BUCKETS
        ]
        buckets.append(("+Inf", float(len(values))))
        family.add_metric((witness,), buckets, sum(values))
    return family


def _aware(moment: dt.datetime) -> dt.datetime:
    # SQLite gives back naive UTC, PostgreSQL aware times.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def build_registry(engine: Engine) -> tuple[CollectorRegistry, RequestMetrics]:
    """Return one app's registry, holding its request metrics and the state store's collector."""
    registry = CollectorRegistry(auto_describe=False)
    requests = RequestMetrics(registry)
    registry.register(StoreCollector(engine))
    registry.register(MatchCollector())
    return registry, requests


def in_networks(address: str | None, networks: Sequence[str]) -> bool:
    """Tell whether a client address lies in one of the configured networks (CIDR text)."""
    if address is None:
        return False
    try:
        client = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(client in ipaddress.ip_network(network, strict=False) for network in networks)
