"""`portcullis ledger verify` runs the audit: each problem on its own line, a one-line verdict."""

from __future__ import annotations

from typer.testing import CliRunner

from portcullis.cli.app import app
from portcullis.gateway import Gateway
from portcullis.store.tables import decisions

from .conftest import Accounted

runner = CliRunner()


def test_verify_reconciles_then_names_an_edited_decision(
    gateway: Gateway, accounted: Accounted
) -> None:
    home = str(gateway.workspace.home)
    result = runner.invoke(app, ["ledger", "verify", "--home", home])
    assert result.exit_code == 0, result.output
    assert "reconciled:" in result.stdout and "4 releases" in result.stdout
    with gateway.engine.begin() as conn:
        conn.execute(
            decisions.update()
            .where(decisions.c.item_pk == accounted.refused)
            .values(outcome="disclosed")
        )
    result = runner.invoke(app, ["ledger", "verify", "--home", home])
    assert result.exit_code == 1
    assert f"decisions row item_pk={accounted.refused} " in result.stdout
    assert "outcome 'disclosed' in the table, 'refused' in the ledger" in result.stdout
    assert "audit FAILED with 1 problem" in result.stderr
