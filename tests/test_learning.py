"""A large request teaches its program's model; a model of another master load never decides."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa

from portcullis.contract.columns import MASTER_COLUMNS
from portcullis.gateway import Gateway
from portcullis.initialise import init_workspace
from portcullis.intake import submit_request
from portcullis.master.loading import load_master_files
from portcullis.matching import LEARN_MIN_ITEMS, MatchParams, ModelStale, train
from portcullis.matching.params import read_params
from portcullis.processing import process_request
from portcullis.programs import get_program
from portcullis.review import review_queue, settle_review
from portcullis.review_labels import settled_labels
from portcullis.store.tables import decisions, items, requests
from portcullis.submission import sign_request_file
from portcullis.synth import (
    Population,
    generate_population,
    generate_request,
    write_population,
    write_request,
)
from portcullis.workspace import Workspace

PROGRAM = "ice-address-verification"


def _submit(gateway: Gateway, path: Path) -> str:
    program = get_program(gateway.engine, PROGRAM)
    signed = sign_request_file(path, program, gateway.workspace.demo_signer_key_path)
    return submit_request(gateway, path, signed).request_id


def _request(population: Population, n: int, seed: int, out: Path) -> tuple[Path, dict[int, str]]:
    batch = generate_request(population, n, seed)
    path = next(p for p in write_request(batch, out, "csv") if p.name.startswith("request"))
    truth = batch.truth.to_pydict()
    tins = {row: tin for row, tin in zip(truth["row"], truth["true_tin"], strict=True) if tin}
    return path, tins


def _trained_workspace(
    tmp_path: Path, size: int, seed: int
) -> tuple[Workspace, Population, Path, MatchParams]:
    """A workspace with a synthetic master of ``size`` taxpayers loaded and its model trained."""
    workspace = init_workspace(tmp_path / "home")
    population = generate_population(size, seed)
    master = next(
        p
        for p in write_population(population, tmp_path / "data", "parquet")
        if p.name.startswith("master")
    )
    load_master_files(workspace, [master])
    with duckdb.connect(str(workspace.master_path)) as con:
        model = train(con, workspace.match_dir)
    return workspace, population, master, model


def test_a_large_request_is_decided_with_the_model_learned_from_it(tmp_path: Path) -> None:
    workspace, population, _, base = _trained_workspace(tmp_path, 3_000, 41)
    path, true_tins = _request(population, LEARN_MIN_ITEMS + 100, 42, tmp_path / "req")
    with Gateway.open(workspace) as gateway:
        request_id = _submit(gateway, path)
        report = process_request(gateway, request_id)
        with gateway.engine.connect() as con:
            rows = con.execute(
                sa.select(
                    items.c.row,
                    decisions.c.outcome,
                    decisions.c.tin,
                    decisions.c.model_version,
                    decisions.c.match_evidence,
                )
                .join(decisions, decisions.c.item_pk == items.c.id)
                .where(items.c.request_id == request_id)
            ).all()
    learned = read_params(workspace.match_dir / f"model-{report.model_version}.json")
    assert learned.program == PROGRAM and learned.version != base.version
    assert learned.u == base.u and learned.data_fingerprint == base.data_fingerprint
    assert learned.m != base.m and "EM" in report.learned
    matched = [r for r in rows if r.match_evidence]
    assert matched and {r.model_version for r in matched} == {learned.version}
    assert all(r.match_evidence["model"]["program"] == PROGRAM for r in matched)
    released = [r for r in rows if r.outcome == "disclosed"]
    assert released, "the learned model releases the clear matches"
    assert all(true_tins.get(r.row) == r.tin for r in released)
    assert report.release_estimate is not None
    assert report.release_estimate.released == len(released)
    with Gateway.open(workspace) as gateway, gateway.engine.connect() as con:
        stored = con.execute(
            sa.select(requests.c.release_estimate).where(requests.c.request_id == request_id)
        ).scalar_one()
    assert stored == report.release_estimate.as_json()
    assert stored["expected_wrong"] <= (1 - 0.9999) * stored["released"]


def test_after_a_new_master_load_a_stale_model_is_refused_until_trained(tmp_path: Path) -> None:
    workspace, population, _, _ = _trained_workspace(tmp_path, 500, 7)
    # A new taxpayer's return: the index is rebuilt over it and the model no longer fits.
    newer = tmp_path / "newer.csv"
    newer.write_text(
        ",".join(MASTER_COLUMNS)
        + "\n900112222,Ada,,Quill,,1980-05-06,12 Elm St,,Dayton,OH,45402,2024\n",
        encoding="utf-8",
    )
    assert load_master_files(workspace, [newer]).index_rebuilt
    path, _ = _request(population, 20, 8, tmp_path / "req")
    with Gateway.open(workspace) as gateway:
        request_id = _submit(gateway, path)
        with pytest.raises(ModelStale, match="portcullis match train"):
            process_request(gateway, request_id)
    with duckdb.connect(str(workspace.master_path)) as con:
        fresh = train(con, workspace.match_dir)
    with Gateway.open(workspace) as gateway:
        report = process_request(gateway, request_id)
    assert report.model_version == fresh.version
    assert sum(report.outcomes.values()) == 20


def test_the_same_master_loaded_again_keeps_the_index_and_its_trained_model(
    tmp_path: Path,
) -> None:
    workspace, population, master, model = _trained_workspace(tmp_path, 500, 7)
    with duckdb.connect(str(workspace.master_path)) as con:
        built = con.execute("SELECT built_at FROM match_meta").fetchone()
    report = load_master_files(workspace, [master])
    assert not report.index_rebuilt and report.rows_written == 0
    with duckdb.connect(str(workspace.master_path)) as con:
        assert con.execute("SELECT built_at FROM match_meta").fetchone() == built
    path, _ = _request(population, 20, 8, tmp_path / "req")
    with Gateway.open(workspace) as gateway:
        result = process_request(gateway, _submit(gateway, path))
    assert result.model_version == model.version
    assert sum(result.outcomes.values()) == 20


def test_items_a_reviewer_confirmed_teach_the_next_model(tmp_path: Path) -> None:
    workspace, population, _, _ = _trained_workspace(tmp_path, 3_000, 41)
    first, true_tins = _request(population, LEARN_MIN_ITEMS + 50, 44, tmp_path / "first")
    with Gateway.open(workspace) as gateway:
        first_id = _submit(gateway, first)
        process_request(gateway, first_id)
        held = review_queue(gateway, limit=1_000)
        # The reviewer confirms the held items whose candidate is the person, refuses one other.
        right = [h for h in held if h.candidate and true_tins.get(h.row) == h.candidate["tin"]]
        wrong = [h for h in held if h not in right]
        assert right and wrong, "the request sends both kinds of item to review"
        for h in right:
            settle_review(gateway, h.item_pk, reviewer="A. Reviewer", approve=True, reason="ok")
        settle_review(gateway, wrong[0].item_pk, reviewer="A. Reviewer", approve=False, reason="no")
        assert len(settled_labels(gateway.engine, PROGRAM)) == len(right)
        assert settled_labels(gateway.engine, "another-program") == []
        second, _ = _request(population, LEARN_MIN_ITEMS + 50, 45, tmp_path / "second")
        report = process_request(gateway, _submit(gateway, second))
    assert f"and {len(right)} items settled in review" in report.learned
