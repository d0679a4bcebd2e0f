"""`portcullis demo`: the whole road on generated data, scored against the data's ground truth."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow.csv as pacsv
import sqlalchemy as sa

from portcullis.accounting import export_accounting
from portcullis.gateway import Gateway
from portcullis.initialise import init_workspace
from portcullis.intake import submit_request
from portcullis.master.loader import LoadProgress
from portcullis.master.loading import load_master_files
from portcullis.matching import train
from portcullis.processing import ProcessReport, process_request
from portcullis.programs import get_program
from portcullis.reports.run_report import (
    GroundTruthCounts,
    RunSummary,
    SampleDecision,
    render_run_report,
)
from portcullis.store.tables import decisions, items
from portcullis.submission import sign_request_file
from portcullis.synth import generate_population, generate_request, write_population, write_request
from portcullis.workspace import Workspace

PROGRAM_ID = "ice-address-verification"
SAMPLE_SIZE = 25


@dataclass(frozen=True, slots=True)
class DemoSettings:
    """How big the generated world is and which seed makes it."""

    taxpayers: int = 200_000
    items: int = 5_000
    seed: int = 2025


@dataclass(slots=True)
class DemoResult:
    """Everything the demo's summary shows."""

    workspace: Workspace
    process: ProcessReport
    truth: GroundTruthCounts
    wrong_by_kind: Counter[str]
    checkpoint: str
    report_path: Path
    accounting_path: Path
    stage_seconds: dict[str, float] = field(default_factory=dict)
    master_rows: int = 0


@contextmanager
def _timed(seconds: dict[str, float], stage: str, say: Callable[[str], None]) -> Iterator[None]:
    say(stage)
    started = time.perf_counter()
    yield
    seconds[stage] = time.perf_counter() - started


def run_demo(
    home: Path | None,
    settings: DemoSettings = DemoSettings(),
    *,
    say: Callable[[str], None] = lambda _: None,
    load_progress: LoadProgress | None = None,
) -> DemoResult:
    """Create a workspace, generate data, load it, submit and process a request, and score it."""
    seconds: dict[str, float] = {}
    with _timed(seconds, "create workspace", say):
        workspace = init_workspace(home)
    data_dir = workspace.home / "demo-data"
    with _timed(seconds, "generate taxpayers and request", say):
        population = generate_population(settings.taxpayers, settings.seed)
        batch = generate_request(population, settings.items, settings.seed + 1)
        master_files = write_population(population, data_dir, "parquet")
        request_files = write_request(batch, data_dir, "csv")
    master_file = next(p for p in master_files if p.name.startswith("master"))
    request_file = next(p for p in request_files if p.name.startswith("request"))
    with _timed(seconds, "load master and build index", say):
        load = load_master_files(workspace, [master_file], progress=load_progress)
    with (
        _timed(seconds, "train the match model", say),
        duckdb.connect(str(workspace.master_path)) as con,
    ):
        train(con, workspace.match_dir)
    with Gateway.open(workspace) as gateway:
        with _timed(seconds, "sign and submit", say):
            program = get_program(gateway.engine, PROGRAM_ID)
            signed = sign_request_file(request_file, program, workspace.demo_signer_key_path)
            submission = submit_request(gateway, request_file, signed)
        with _timed(seconds, "process", say):
            report = process_request(gateway, submission.request_id)
        with _timed(seconds, "score and report", say):
            truth_path = data_dir / "truth.csv"
            truth, wrong_by_kind, samples = _score(gateway, submission.request_id, truth_path)
            checkpoint = gateway.ledger.latest_checkpoint()
            checkpoint_text = checkpoint.note if checkpoint is not None else "(none)"
            accounting_path = workspace.reports_dir / "accounting.csv"
            export_accounting(gateway.engine, accounting_path)
    seconds.update({f"process: {k}": v for k, v in report.seconds.items()})
    summary = RunSummary(
        title="Portcullis demo run",
        generated_at=dt.datetime.now(dt.UTC),
        outcome_counts=dict(report.outcomes),
        reason_counts=dict(report.reasons),
        ground_truth=truth,
        stage_seconds=seconds,
        checkpoint=checkpoint_text,
        samples=tuple(samples),
        facts={
            "taxpayers": f"{settings.taxpayers:,}",
            "master rows": f"{load.rows_loaded:,}",
            "request items": f"{settings.items:,}",
            "seed": str(settings.seed),
            "match model": report.model_version,
            "learned from the request": report.learned or "(too few items; base model)",
        },
    )
    report_path = workspace.reports_dir / "demo-report.html"
    report_path.write_text(render_run_report(summary), encoding="utf-8")
    return DemoResult(
        workspace=workspace,
        process=report,
        truth=truth,
        wrong_by_kind=wrong_by_kind,
        checkpoint=checkpoint_text,
        report_path=report_path,
        accounting_path=accounting_path,
        stage_seconds=seconds,
        master_rows=load.rows_loaded,
    )


def _score(
    gateway: Gateway, request_id: str, truth_path: Path
) -> tuple[GroundTruthCounts, Counter[str], list[SampleDecision]]:
    truth = pacsv.read_csv(
        truth_path,
        convert_options=pacsv.ConvertOptions(
            column_types={"true_tin": "string", "item_id": "string"}
        ),
    ).to_pylist()
    by_row = {int(str(t["row"])): t for t in truth}
    query = (
        sa.select(
            items.c.row,
            items.c.item_id,
            decisions.c.outcome,
            decisions.c.tin,
            decisions.c.reason_codes,
            decisions.c.match_score,
        )
        .join(decisions, decisions.c.item_pk == items.c.id)
        .where(items.c.request_id == request_id)
        .order_by(items.c.row)
    )
    right = wrong = missed = lawful_refused = address_refused = 0
    wrong_by_kind: Counter[str] = Counter()
    samples: list[SampleDecision] = []
    with gateway.engine.connect() as con:
        for row in con.execute(query):
            fact = by_row.get(row.row, {})
            true_tin = fact.get("true_tin") or None
            disclosed = row.outcome == "disclosed"
            if disclosed and fact.get("expected") == "refused":
                # Right person or not, the law forbade this one: counted against the gateway.
                wrong += 1
                wrong_by_kind[f"unlawful:{fact.get('kind')}"] += 1
                verdict = "RELEASED ALTHOUGH IT MUST BE REFUSED"
            elif disclosed and true_tin is not None and row.tin == true_tin:
                right += 1
                verdict = "right person"
            elif disclosed:
                wrong += 1
                wrong_by_kind[str(fact.get("kind"))] += 1
                verdict = "WRONG PERSON"
            elif row.outcome == "refused" and fact.get("expected") != "refused":
                lawful_refused += 1
                codes = row.reason_codes.split(";")
                address_refused += any(code.startswith("address_") for code in codes)
                missed += fact.get("expected") == "disclosed"
                verdict = "LAWFUL ITEM REFUSED"
            elif fact.get("expected") == "disclosed":
                missed += 1
                verdict = "matchable, not released"
            else:
                verdict = f"expected {fact.get('expected')}"
            if len(samples) < SAMPLE_SIZE or verdict.isupper():
                samples.append(
                    SampleDecision(
                        request_id=request_id,
                        item_id=str(row.item_id or ""),
                        outcome=row.outcome,
                        reason_codes=tuple(c for c in row.reason_codes.split(";") if c),
                        match_score=row.match_score,
                        truth=f"{fact.get('kind')}: {verdict}",
                    )
                )
    counts = GroundTruthCounts(right, wrong, missed, lawful_refused, address_refused)
    return counts, wrong_by_kind, samples
