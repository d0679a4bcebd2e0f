"""The oversight audit: the ledger verified, and every state table reconciled with it."""

from __future__ import annotations

from portcullis.audit.audit import audit_ledger, audit_workspace
from portcullis.audit.findings import AuditReport, Finding

__all__ = ["AuditReport", "Finding", "audit_ledger", "audit_workspace"]
