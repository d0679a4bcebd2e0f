"""The statute check (26 U.S.C. 6103(i)(2)(A), (B)(iii)): a designated criminal, non-tax statute."""

from __future__ import annotations

from portcullis.checks.findings import Finding, finding
from portcullis.contract.records import RequestItem
from portcullis.programs import CitationUnparseable, Program, parse_citation


def statute_findings(item: RequestItem, program: Program) -> tuple[Finding, ...]:
    """Refuse an item whose statute is missing, a tax or civil provision, or not allowed."""
    if item.statute is None or not item.statute.strip():
        return (finding("statute_missing", "no statute is given", "statute"),)
    try:
        citation = parse_citation(item.statute)
    except CitationUnparseable as exc:
        return (finding("statute_unparseable", str(exc), "statute"),)
    if citation.is_tax():
        return (finding("statute_tax", f"{citation} is a tax statute", "statute"),)
    if citation.is_civil():
        return (finding("statute_civil", f"{citation} is a civil provision", "statute"),)
    if not program.allows_statute(citation):
        message = f"{citation} is not on the allow-list of program {program.id}"
        return (finding("statute_not_allowed", message, "statute"),)
    return ()
