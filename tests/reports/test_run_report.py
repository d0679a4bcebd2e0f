"""Tests for the demo run report."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from portcullis.reports.run_report import (
    GroundTruthCounts,
    RunSummary,
    SampleDecision,
    order_outcomes,
    render_run_report,
)

SUMMARY = RunSummary(
    title="Portcullis demo run",
    generated_at=dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC),
    outcome_counts={"disclosed": 80, "refused": 12, "no_match": 6, "ambiguous": 2},
    reason_counts={"address_incomplete": 7, "zip_only": 5, "statute_not_allowed": 7},
    ground_truth=GroundTruthCounts(released_right=78, released_wrong=2, matchable_not_released=10),
    stage_seconds={"intake": 0.25, "checks": 0.5, "matching": 3.75},
    checkpoint="portcullis.local/demo/ledger\n100\nq83u1PjEKMJ0bpn5yEUE8ZMgrRFUGOmtcCUjFU+yrX0=\n",
    samples=(
        SampleDecision("R1", "I1", "disclosed", (), 0.991, "right person"),
        SampleDecision("R1", "I2", "refused", ("zip_only",), None, "<not a filer>"),
    ),
    facts={"Program": "ice-address-verification"},
)


@pytest.mark.parametrize(
    ("truth", "precision", "recall"),
    [
        pytest.param(GroundTruthCounts(78, 2, 10), 0.975, 78 / 88, id="typical"),
        pytest.param(GroundTruthCounts(0, 0, 5), None, 0.0, id="nothing-released"),
        pytest.param(GroundTruthCounts(0, 3, 0), 0.0, None, id="nobody-matchable"),
    ],
)
def test_precision_and_recall(
    truth: GroundTruthCounts, precision: float | None, recall: float | None
) -> None:
    assert truth.precision == (None if precision is None else pytest.approx(precision))
    assert truth.recall == (None if recall is None else pytest.approx(recall))


def test_outcomes_follow_the_contract_order_with_zeros_and_extras_last() -> None:
    assert order_outcomes({"refused": 3, "recalled": 1, "disclosed": 2}) == [
        ("disclosed", 2),
        ("refused", 3),
        ("no_match", 0),
        ("ambiguous", 0),
        ("pending_review", 0),
        ("recalled", 1),
    ]


def test_report_has_three_accessible_charts_and_their_tables() -> None:
    page = render_run_report(SUMMARY)
    assert '<html lang="en">' in page
    assert page.count("<svg") == 3
    assert page.count("<desc id=") == 3
    for caption in ("Items by outcome", "Items by reason code", "Wall-clock seconds per stage"):
        assert f"<caption>{caption}" in page


def test_report_shows_accuracy_figures() -> None:
    page = render_run_report(SUMMARY)
    assert re.search(r"Released to a wrong person</th><td[^>]*>2<", page)
    assert "97.50%" in page  # precision 78 / 80
    assert "88.64%" in page  # recall 78 / 88


def test_reasons_are_listed_most_frequent_first_then_by_name() -> None:
    page = render_run_report(SUMMARY)
    order = [
        page.index(f'<th scope="row">{code}</th>')
        for code in ("address_incomplete", "statute_not_allowed", "zip_only")
    ]
    assert order == sorted(order)


def test_report_shows_checkpoint_and_escaped_samples() -> None:
    page = render_run_report(SUMMARY)
    assert "<pre>portcullis.local/demo/ledger\n100\n" in page
    assert "&lt;not a filer&gt;" in page
    assert "0.991" in page


def test_report_without_ground_truth_says_so() -> None:
    summary = RunSummary(
        title="Run",
        generated_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        outcome_counts={},
        reason_counts={},
        ground_truth=None,
        stage_seconds={},
        checkpoint="",
        samples=(),
    )
    page = render_run_report(summary)
    assert "No ground truth was available" in page
    assert "No sample decisions." in page
