"""A finding: one reason, with its citation, why one item or request cannot proceed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from portcullis.checks.reasons import REASONS


@dataclass(frozen=True, slots=True)
class Finding:
    """One failed check: reason code, citation, a one-line message and the field concerned."""

    code: str
    citation: str
    message: str
    field: str | None = None


def finding(code: str, message: str, field: str | None = None) -> Finding:
    """Make a finding for a registered reason code, taking the citation from the registry."""
    return Finding(code, REASONS[code].citation, message, field)


def outward_codes(findings: Iterable[Finding]) -> tuple[str, ...]:
    """Return the codes a requester may see: silent codes are left out."""
    return tuple(item.code for item in findings if not REASONS[item.code].silent)
