"""Day-two operations: backup and verified restore of a workspace, and key rotation."""

from __future__ import annotations

from portcullis.operations.backup import BackupSummary, backup_workspace
from portcullis.operations.restore import RestoreSummary, restore_workspace

__all__ = ["BackupSummary", "RestoreSummary", "backup_workspace", "restore_workspace"]
