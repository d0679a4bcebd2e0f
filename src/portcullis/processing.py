"""Run an accepted request along the road: checks, matching, decision, ledger, release."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from portcullis.checks import (
    Finding,
    ItemContext,
    check_address_agreement,
    check_batch,
    check_items,
    ignored_field_notes,
    load_exclusions,
    record_address_findings,
    screen_taxpayer,
    tax_years,
)
from portcullis.contract.records import RequestItem, item_from_json
from portcullis.decisions import Decision, decide
from portcullis.errors import PortcullisError
from portcullis.gateway import Gateway
from portcullis.match_timing import MATCH_TIMINGS
from portcullis.matching import (
    LEARN_MIN_ITEMS,
    MatchResult,
    learn_from_requests,
    query_from_item,
)
from portcullis.matching.release_line import ReleaseEstimate, hold_to_bound
from portcullis.programs import Program, get_program
from portcullis.recording import record_decisions
from portcullis.releasing import release_ready
from portcullis.review_labels import settled_labels
from portcullis.store.tables import items, requests
from portcullis.workspace import BatchEngine

# Up to this many items are matched one by one on the on-demand index; more go to the batch path.
ON_DEMAND_LIMIT = 100
# Keys per IN (...) lookup: well under every backend's limit on bound parameters.
_LOOKUP_CHUNK = 500

Stage = Callable[[str, int, int], None]


class RequestNotProcessable(PortcullisError):
    """The request does not exist or was refused as a whole."""


@dataclass(slots=True)
class ProcessReport:
    """What processing one request did: outcomes, reason codes, time per stage."""

    request_id: str
    outcomes: Counter[str] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)
    released: int = 0
    batch_held: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    model_version: str = ""
    learned: str = ""
    release_estimate: ReleaseEstimate | None = None


def process_request(
    gateway: Gateway,
    request_id: str,
    *,
    now: dt.datetime | None = None,
    engine: BatchEngine | None = None,
    settle: Callable[[sa.Connection], None] = lambda _: None,
) -> ProcessReport:
    """Decide every undecided item of a request, record each decision, release what may go out.

    Safe to run again at any time: decided items are skipped, the ledger write is idempotent and a
    release happens once. `engine` decides the batch on DuckDB or Spark (default: the
    workspace's setting); either way the same decision, ledger and release follow. `settle`
    writes the caller's own record of the end (a job done) in the transaction that records it.
    """
    report = ProcessReport(request_id)
    clock = _Clock(report)
    request = _load_request(gateway, request_id)
    program = get_program(gateway.engine, request["program_id"])
    rows = _load_items(gateway, request_id)
    request_items = [item_from_json(row["record"]) for row in rows]
    with clock("checks"):
        context = _item_context(gateway, request_id, rows)
        findings = check_items(request_items, program, context)
        verdict = check_batch(findings, program)
    pending = [i for i, row in enumerate(rows) if row["stage"] in ("received", "checked")]
    with clock("matching"):
        to_match = [request_items[i] for i in pending if not findings[i]]
        engine = engine or gateway.workspace.batch_engine
        matches = _match(gateway, to_match, program, report, engine)
    with clock("decisions"):
        excluded = load_exclusions(gateway.engine)
        decided: list[tuple[dict[str, Any], RequestItem, Decision]] = []
        for i in pending:
            item = request_items[i]
            match = matches.get(item.row) if not findings[i] else None
            after = _after_match(item, match, program, excluded) if match else ()
            decision = decide(
                findings[i],
                match,
                after_match=after,
                batch_held=verdict.hold,
                notes=ignored_field_notes(item),
            )
            decided.append((rows[i], item, decision))
    with clock("ledger"):
        checked = _check_rows(rows, findings, program, now)
        record_decisions(gateway, request, program, decided, checks=checked, now=now)
    with clock("release"):
        # The packages' rows, the request's end state and the caller's own (its job's) are
        # written in one transaction.
        def finish(con: sa.Connection) -> None:
            _finish(con, request_id, verdict.hold, report.release_estimate)
            settle(con)

        report.released = release_ready(gateway, request_id, now=now, then=finish)
    report.batch_held = verdict.hold
    for _, _, decision in decided:
        report.outcomes[decision.outcome] += 1
        report.reasons.update(decision.reason_codes)
    return report


def _load_request(gateway: Gateway, request_id: str) -> dict[str, Any]:
    with gateway.engine.connect() as con:
        row = con.execute(sa.select(requests).where(requests.c.request_id == request_id)).first()
    if row is None:
        raise RequestNotProcessable(f"no request {request_id}")
    if row.status == "refused":
        raise RequestNotProcessable(f"request {request_id} was refused as a whole")
    return dict(row._mapping)


def _load_items(gateway: Gateway, request_id: str) -> list[dict[str, Any]]:
    query = sa.select(items).where(items.c.request_id == request_id).order_by(items.c.row)
    with gateway.engine.connect() as con:
        return [dict(row._mapping) for row in con.execute(query)]


def _item_context(gateway: Gateway, request_id: str, rows: Sequence[dict[str, Any]]) -> ItemContext:
    # Only the cases and officers this request names are looked up, so the cost follows the
    # request's size, not the size of everything ever submitted.
    cases = sorted({row["case_number"] for row in rows if row["case_number"]})
    named = sorted({o for row in rows for o in (row["officers"] or "").split(";") if o})
    others = items.c.request_id != request_id
    prior: dict[tuple[str, str], str] = {}
    officers: Counter[str] = Counter()
    with gateway.engine.connect() as con:
        for start in range(0, len(cases), _LOOKUP_CHUNK):
            chunk = cases[start : start + _LOOKUP_CHUNK]
            query = sa.select(items.c.case_number, items.c.name_key, items.c.request_id).where(
                others, items.c.case_number.in_(chunk)
            )
            for row in con.execute(query.order_by(items.c.id)):
                if row.name_key:
                    prior.setdefault((row.case_number, row.name_key), row.request_id)
        for start in range(0, len(named), _LOOKUP_CHUNK):
            chunk = named[start : start + _LOOKUP_CHUNK]
            # Open items are those of other requests not yet decided or waiting for a reviewer.
            query = sa.select(items.c.officers).where(
                others,
                items.c.stage.in_(("received", "checked", "held")),
                sa.or_(*(items.c.officers.contains(officer) for officer in chunk)),
            )
            wanted = set(chunk)
            for row in con.execute(query):
                officers.update(o for o in (row.officers or "").split(";") if o in wanted)
    return ItemContext(open_items_by_officer=dict(officers), prior_case_items=prior)


def _check_rows(
    rows: Sequence[dict[str, Any]],
    findings: Sequence[tuple[Finding, ...]],
    program: Program,
    now: dt.datetime | None,
) -> list[dict[str, Any]]:
    """Return the check record of every item, stored with the decisions (those kept stay)."""
    checked_at = now or dt.datetime.now(dt.UTC)
    return [
        {
            "item_pk": row["id"],
            "passed": not found,
            "findings": [_finding_json(f) for f in found],
            "program_version": program.version,
            "checked_at": checked_at,
        }
        for row, found in zip(rows, findings, strict=True)
    ]


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "citation": finding.citation,
        "message": finding.message,
        "field": finding.field,
    }


def _match(
    gateway: Gateway,
    to_match: list[RequestItem],
    program: Program,
    report: ProcessReport,
    engine: BatchEngine,
) -> dict[int, MatchResult]:
    if not to_match:
        return {}
    program_id = program.id
    matcher = gateway.matcher(program_id)
    queries = [query_from_item(item, tax_years(item)) for item in to_match]
    if len(queries) >= LEARN_MIN_ITEMS and matcher.params.data_fingerprint:
        # Enough items to learn this program's m and prior from: the batch is decided with the
        # model learned from it (and from the program's items reviewers confirmed), saved first
        # so that every decision names a model on file.
        settled = settled_labels(gateway.engine, program_id)
        fit = learn_from_requests(
            matcher, queries, gateway.workspace.match_dir, program_id, settled
        )
        report.learned = fit.params.notes
        matcher = gateway.matcher(program_id)
    report.model_version = matcher.params.version
    started = time.perf_counter()
    if engine == "spark":
        results = gateway.spark_matcher(matcher.params).match_batch(queries)
        MATCH_TIMINGS.observe("spark", len(queries), time.perf_counter() - started)
    elif len(queries) <= ON_DEMAND_LIMIT:
        results = []
        for query in queries:
            results.append(matcher.match_one(query))
            MATCH_TIMINGS.observe("on_demand", 1, time.perf_counter() - started)
            started = time.perf_counter()
    else:
        results = matcher.match_batch(queries)
        MATCH_TIMINGS.observe("batch", len(queries), time.perf_counter() - started)
    results, report.release_estimate = hold_to_bound(
        results, matcher.params.thresholds.precision, program.review.match_review_at
    )
    return {item.row: result for item, result in zip(to_match, results, strict=True)}


def _after_match(
    item: RequestItem, match: MatchResult, program: Program, excluded: frozenset[str]
) -> tuple[Finding, ...]:
    found: list[Finding] = []
    if match.tin is not None:
        screened = screen_taxpayer(match.tin, excluded)
        if screened is not None:
            found.append(screened)
    if match.address is not None:
        found.extend(record_address_findings(_address_mapping(match)))
    if program.address_must_agree and match.address is not None:
        disagreement = check_address_agreement(item, _address_mapping(match), program)
        if disagreement is not None:
            found.append(disagreement)
    return tuple(found)


def _address_mapping(match: MatchResult) -> dict[str, object]:
    address = match.address
    assert address is not None
    return {
        "street": address.street,
        "unit": address.unit,
        "city": address.city,
        "state": address.state,
        "zip": address.zip,
        "tax_year": address.tax_year,
    }


def _finish(
    con: sa.Connection, request_id: str, held: bool, estimate: ReleaseEstimate | None
) -> None:
    # One statement, so that the count is read under the write it decides.
    open_left = (
        sa.select(sa.func.count())
        .where(items.c.request_id == request_id, items.c.stage != "decided")
        .scalar_subquery()
    )
    status = sa.case((open_left == 0, "done"), else_="held" if held else "review")
    values: dict[str, object] = {"status": status, "finished_at": dt.datetime.now(dt.UTC)}
    if estimate is not None:
        values["release_estimate"] = estimate.as_json()
    con.execute(requests.update().where(requests.c.request_id == request_id).values(values))


class _Clock:
    def __init__(self, report: ProcessReport) -> None:
        self.report = report

    def __call__(self, stage: str) -> _Timer:
        return _Timer(self.report, stage)


class _Timer:
    def __init__(self, report: ProcessReport, stage: str) -> None:
        self.report, self.stage = report, stage

    def __enter__(self) -> None:
        self.started = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        self.report.seconds[self.stage] = time.perf_counter() - self.started


def pending_request_ids(gateway: Gateway) -> list[str]:
    """Ids of accepted requests that still have undecided items, oldest first."""
    query = (
        sa.select(requests.c.request_id)
        .where(requests.c.status.in_(("received", "processing")))
        .order_by(requests.c.received_at)
    )
    with gateway.engine.connect() as con:
        return [row.request_id for row in con.execute(query)]
