"""Audit a workspace: verify the ledger, then reconcile the state tables it accounts for."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from portcullis.audit.decisions import reconcile_decisions
from portcullis.audit.findings import AuditReport, Finding
from portcullis.audit.heads import compare_heads
from portcullis.audit.intake import reconcile_intake
from portcullis.audit.ledger_view import read_ledger
from portcullis.audit.releases import reconcile_releases
from portcullis.audit.signatures import reconcile_signatures
from portcullis.errors import PortcullisError
from portcullis.keys import public_key_from_b64
from portcullis.ledger.coverage import largest_covering_size
from portcullis.ledger.demo import load_witnesses
from portcullis.ledger.ledger import Ledger
from portcullis.ledger.opening import open_ledger
from portcullis.ledger.witness_protocol import Cosigner
from portcullis.programs import Program, get_program
from portcullis.workspace import Workspace

# What a damaged table can raise while it is read; each becomes a finding, never a traceback.
_UNREADABLE = (SQLAlchemyError, PortcullisError, TypeError, ValueError, KeyError, AttributeError)

T = TypeVar("T")


class _TableUnreadable(Exception):
    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.problem)
        self.finding = finding


def _read(table: str, step: Callable[[], T]) -> T:
    try:
        return step()
    except _UNREADABLE as exc:
        raise _TableUnreadable(Finding(table, None, None, f"cannot be read: {exc}")) from exc


def audit_workspace(workspace: Workspace) -> AuditReport:
    """Verify the ledger, reconcile the tables it accounts for, check every request signature."""
    with open_ledger(workspace) as ledger:
        try:
            witnesses = load_witnesses(ledger.engine, workspace)
            tin_hash_key = workspace.tin_hash_key_path.read_bytes()
        except (PortcullisError, OSError) as exc:
            # Without its witnesses or the hash key the reconciliation cannot run: say so.
            unreadable = Finding("workspace", None, None, f"the audit cannot start: {exc}")
            return AuditReport(ledger.verify(), (unreadable,), {})
        report = audit_ledger(ledger, tin_hash_key, witnesses)
        with ledger.engine.connect() as conn:
            signed = reconcile_signatures(conn, ledger.engine, workspace)
    checked = {**report.checked, "signed requests": signed.requests}
    return AuditReport(report.ledger, (*report.findings, *signed.findings), checked)


def audit_ledger(ledger: Ledger, tin_hash_key: bytes, witnesses: Sequence[Cosigner]) -> AuditReport:
    """Verify `ledger`, compare its head with the witnesses', and reconcile the state tables."""
    verified = ledger.verify()
    findings: list[Finding] = []
    checked: dict[str, int] = {}
    programs = cache(lambda program_id: get_program(ledger.engine, program_id))
    with ledger.engine.connect() as conn:
        try:
            view = _read("ledger_entries", lambda: read_ledger(conn))
            decided = _read(
                "decisions", lambda: reconcile_decisions(conn, view, tin_hash_key, programs)
            )
            findings += decided.findings
            checked |= {"decisions": len(decided.decided), "reviews": decided.reviews}
            coverage = _coverage(conn, ledger, programs)
            released = _read(
                "releases", lambda: reconcile_releases(conn, view, decided.decided, coverage)
            )
            findings += released.findings
            checked |= {"releases": released.releases, "recalls": released.recalls}
            refused = _read("intake_events", lambda: reconcile_intake(conn, view))
            findings += refused.findings
            checked["refused requests"] = refused.refusals
            findings += _read(
                "ledger_checkpoints",
                lambda: compare_heads(conn, ledger.origin, ledger.size(), witnesses),
            )
            checked["witness heads"] = len(witnesses)
        except _TableUnreadable as unreadable:
            findings.append(unreadable.finding)
    return AuditReport(verified, tuple(findings), checked)


def _coverage(
    conn: Connection, ledger: Ledger, programs: Callable[[str], Program]
) -> Callable[[str], tuple[int | None, int]]:
    # Only the witnesses the program itself names count, with the keys the program gives them.
    @cache
    def covering(program_id: str) -> tuple[int | None, int]:
        program = programs(program_id)
        witnesses = {w.name: public_key_from_b64(w.public_key) for w in program.witnesses}
        quorum = program.witness_quorum
        size = largest_covering_size(conn, ledger.origin, ledger.public_key, witnesses, quorum)
        return size, quorum

    return covering
