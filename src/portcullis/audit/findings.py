"""What an audit found: each disagreement names the table, the row and the ledger entry."""

from __future__ import annotations

from dataclasses import dataclass

from portcullis.ledger.verify import VerifyReport

# How many findings a summary spells out before it only counts the rest.
SHOWN = 20


@dataclass(frozen=True, slots=True)
class Finding:
    """One disagreement between the state tables and the ledger, or within the ledger."""

    table: str
    row: str | None
    entry: int | None
    problem: str

    def describe(self) -> str:
        """Return one line naming where the problem is and what it is."""
        where = self.table if self.row is None else f"{self.table} row {self.row}"
        if self.entry is not None:
            where += f", ledger entry {self.entry}"
        return f"{where}: {self.problem}"


@dataclass(frozen=True, slots=True)
class AuditReport:
    """The verdict of a full audit: the ledger's own verification and every reconciliation."""

    ledger: VerifyReport
    findings: tuple[Finding, ...]
    checked: dict[str, int]

    @property
    def ok(self) -> bool:
        """True only if the ledger verifies and nothing disagrees with it."""
        return self.ledger.ok and not self.findings

    def problems(self) -> list[str]:
        """Return one line per problem, the ledger's own first."""
        lines = [] if self.ledger.ok else [self.ledger.describe()]
        return lines + [finding.describe() for finding in self.findings]

    def describe(self) -> str:
        """Return the verdict in one line."""
        counted = ", ".join(f"{count} {what}" for what, count in self.checked.items())
        if self.ok:
            return f"{self.ledger.describe()}; reconciled: {counted}"
        problems = self.problems()
        return f"audit FAILED with {len(problems)} problem(s); first: {problems[0]}"
