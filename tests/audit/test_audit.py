"""Insider edits of the state database: each one is found, and the verdict names where it is."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
import sqlalchemy as sa
from sqlalchemy import Connection

from portcullis.audit import AuditReport, audit_workspace
from portcullis.gateway import Gateway
from portcullis.intake import inbox_folder
from portcullis.ledger.tables import ledger_checkpoints, ledger_cosignatures, ledger_entries
from portcullis.ledger.witness_state import WitnessState
from portcullis.programs import get_program
from portcullis.programs.tables import program_versions
from portcullis.store.tables import decisions, intake_events, releases, requests

from .conftest import Accounted

Edit = Callable[[Connection, Accounted], None]


def _audit(gateway: Gateway) -> AuditReport:
    return audit_workspace(gateway.workspace)


def test_an_untouched_workspace_reconciles(gateway: Gateway, accounted: Accounted) -> None:
    report = _audit(gateway)
    assert report.ok, report.problems()
    assert report.checked["releases"] == 4
    assert report.checked["recalls"] == 1
    assert report.checked["reviews"] == 2
    assert report.checked["refused requests"] == 1
    assert "reconciled" in report.describe()


def _outcome_edited(conn: Connection, at: Accounted) -> None:
    conn.execute(
        decisions.update().where(decisions.c.item_pk == at.refused).values(outcome="no_match")
    )


def _decision_deleted(conn: Connection, at: Accounted) -> None:
    conn.execute(decisions.delete().where(decisions.c.item_pk == at.refused))


def _reviewer_edited(conn: Connection, at: Accounted) -> None:
    conn.execute(
        decisions.update().where(decisions.c.item_pk == at.reviewed).values(decided_by="nobody")
    )


def _released_decision_refused(conn: Connection, at: Accounted) -> None:
    conn.execute(
        decisions.update().where(decisions.c.item_pk == at.released).values(outcome="refused")
    )


def _cosignatures_deleted(conn: Connection, at: Accounted) -> None:
    conn.execute(ledger_cosignatures.delete())


def _recall_erased(conn: Connection, at: Accounted) -> None:
    conn.execute(
        releases.update()
        .where(releases.c.item_pk == at.recalled)
        .values(recalled_at=None, recall_reason=None)
    )


def _recall_reason_edited(conn: Connection, at: Accounted) -> None:
    conn.execute(
        releases.update().where(releases.c.item_pk == at.recalled).values(recall_reason="Typo.")
    )


def _recalled_release_deleted(conn: Connection, at: Accounted) -> None:
    conn.execute(sa.text("DELETE FROM recall_notices"))
    conn.execute(releases.delete().where(releases.c.item_pk == at.recalled))


def _receipt_erased(conn: Connection, at: Accounted) -> None:
    conn.execute(
        releases.update().where(releases.c.item_pk == at.released).values(receipt_confirmed_at=None)
    )


def _refusal_edited(conn: Connection, at: Accounted) -> None:
    conn.execute(
        intake_events.update()
        .where(intake_events.c.id == at.intake_refusal)
        .values(reason="signature accepted")
    )


def _refusal_deleted(conn: Connection, at: Accounted) -> None:
    conn.execute(intake_events.delete().where(intake_events.c.id == at.intake_refusal))


def _entry_edited(conn: Connection, at: Accounted) -> None:
    conn.execute(ledger_entries.update().where(ledger_entries.c.idx == 1).values(body=b"{}"))


@pytest.mark.parametrize(
    ("edit", "table", "item", "words"),
    [
        pytest.param(_outcome_edited, "decisions", "refused", "outcome", id="decision-outcome"),
        pytest.param(_decision_deleted, "decisions", None, "deleted", id="decision-deleted"),
        pytest.param(_reviewer_edited, "decisions", "reviewed", "decided_by", id="review-edited"),
        pytest.param(
            _released_decision_refused, "releases", "released", "'refused'", id="release-refused"
        ),
        pytest.param(
            _cosignatures_deleted, "releases", "released", "cosignature", id="cosignatures-deleted"
        ),
        pytest.param(_recall_erased, "releases", "recalled", "recall", id="recall-erased"),
        pytest.param(_recall_reason_edited, "releases", "recalled", "reason", id="recall-edited"),
        pytest.param(
            _recalled_release_deleted, "releases", "recalled", "deleted", id="release-deleted"
        ),
        pytest.param(_receipt_erased, "releases", "released", "receipt", id="receipt-erased"),
        pytest.param(_refusal_edited, "intake_events", None, "reason", id="intake-refusal-edited"),
        pytest.param(
            _refusal_deleted, "intake_events", None, "deleted", id="intake-refusal-deleted"
        ),
    ],
)
def test_an_insider_edit_is_named(
    gateway: Gateway,
    accounted: Accounted,
    edit: Edit,
    table: str,
    item: str | None,
    words: str,
) -> None:
    with gateway.engine.begin() as conn:
        edit(conn, accounted)
    report = _audit(gateway)
    assert not report.ok
    named = [line for line in report.problems() if line.startswith(f"{table} row")]
    assert named, report.problems()
    if item is not None:
        named = [line for line in named if f"item_pk={getattr(accounted, item)} " in line]
    assert any(words in line for line in named), report.problems()
    assert all("ledger entry" in line for line in named), named
    assert report.describe().startswith("audit FAILED")


def test_an_edited_ledger_entry_is_named(gateway: Gateway, accounted: Accounted) -> None:
    with gateway.engine.begin() as conn:
        _entry_edited(conn, accounted)
    report = _audit(gateway)
    assert not report.ledger.ok
    assert report.ledger.first_bad_index == 1
    assert "entry 1" in report.problems()[0]


def _wrong_type(conn: Connection, kind: str) -> None:
    if conn.dialect.name == "postgresql":
        sql_type, value = ("bigint", "7") if kind == "integer" else ("text", "'not a hash'")
        conn.execute(
            sa.text(
                f"ALTER TABLE ledger_checkpoints ALTER COLUMN root_hash TYPE {sql_type}"
                f" USING {value}"
            )
        )
        return
    value = 7 if kind == "integer" else "not a hash"
    conn.execute(ledger_checkpoints.update().values(root_hash=sa.literal(value)))


@pytest.mark.parametrize("kind", ["integer", "text"])
def test_a_wrong_typed_checkpoint_root_gives_a_verdict(
    gateway: Gateway, accounted: Accounted, kind: str
) -> None:
    with gateway.engine.begin() as conn:
        _wrong_type(conn, kind)
    report = _audit(gateway)
    assert not report.ok
    first = report.problems()[0]
    assert "ledger_checkpoints" in first and "root_hash" in first, first
    assert ("int" if kind == "integer" else "str") in first


def _newest_checkpoint_deleted(conn: Connection) -> int:
    newest = conn.execute(sa.select(sa.func.max(ledger_checkpoints.c.size))).scalar_one()
    conn.execute(ledger_cosignatures.delete().where(ledger_cosignatures.c.size == newest))
    conn.execute(ledger_checkpoints.delete().where(ledger_checkpoints.c.size == newest))
    return int(newest)


def test_a_rolled_back_head_is_found_by_the_witnesses(
    gateway: Gateway, accounted: Accounted
) -> None:
    with gateway.engine.begin() as conn:
        newest = _newest_checkpoint_deleted(conn)
    report = _audit(gateway)
    assert report.ledger.ok  # the ledger alone cannot tell: what is left is self-consistent
    rolled = [line for line in report.problems() if "rolled back" in line]
    assert rolled, report.problems()
    assert rolled[0].startswith(f"ledger_checkpoints row size={newest}: witness ")


def test_a_witness_remembering_another_root_names_the_rewrite(
    gateway: Gateway, accounted: Accounted
) -> None:
    witness = gateway.witnesses[0]
    size, _ = witness.latest(gateway.ledger.origin) or (0, b"")
    state = WitnessState(witness.home)
    state.advance(gateway.ledger.origin, state.latest(gateway.ledger.origin), size, bytes(32))
    report = _audit(gateway)
    assert any(
        line.startswith(f"ledger_checkpoints row size={size}: witness {witness.name}")
        and "rewritten" in line
        for line in report.problems()
    ), report.problems()


def test_a_missing_hash_key_is_a_verdict(gateway: Gateway, accounted: Accounted) -> None:
    gateway.workspace.tin_hash_key_path.unlink()
    report = _audit(gateway)
    assert not report.ok
    assert report.problems()[0].startswith("workspace: the audit cannot start")


def test_each_accepted_request_signature_is_checked_under_the_version_that_accepted_it(
    gateway: Gateway, accounted: Accounted
) -> None:
    accepted = _audit(gateway).checked["signed requests"]
    assert accepted >= 2
    # A program version that drops the signer (instead of retiring its key) strands its requests.
    program = get_program(gateway.engine, "ice-address-verification")
    with gateway.engine.begin() as conn:
        conn.execute(
            program_versions.update()
            .where(program_versions.c.version == program.version)
            .values(document=program.model_copy(update={"signers": ()}).model_dump_json())
        )
    report = _audit(gateway)
    assert not report.ok
    assert {f.table for f in report.findings} == {"requests"}
    assert len(report.findings) == accepted
    assert "is not a signer of program version" in report.findings[0].problem


def test_a_kept_signed_manifest_that_was_altered_is_named(
    gateway: Gateway, accounted: Accounted
) -> None:
    with gateway.engine.connect() as conn:
        request_id = conn.execute(sa.select(requests.c.request_id).limit(1)).scalar_one()
    kept = inbox_folder(gateway.workspace, request_id) / "manifest.json"
    signed = json.loads(kept.read_text())
    signed["signature"]["value"] = signed["signature"]["value"][::-1]
    kept.write_text(json.dumps(signed))
    report = _audit(gateway)
    assert [f.row for f in report.findings] == [f"request_id={request_id}"]
    assert "the signature does not verify under key 'demo-signer'" in report.findings[0].problem
    kept.unlink()
    assert "cannot be read from the inbox" in _audit(gateway).findings[0].problem
