"""The context-free item checks: everything the law and the program ask of one item on its own."""

from __future__ import annotations

import datetime as dt

from portcullis.checks.address import address_findings
from portcullis.checks.agreement import check_not_agency_address
from portcullis.checks.findings import Finding, finding
from portcullis.checks.names import name_findings
from portcullis.checks.periods import period_findings
from portcullis.checks.statute import statute_findings
from portcullis.contract.columns import REQUEST_OPTIONAL
from portcullis.contract.placeholders import is_placeholder
from portcullis.contract.records import RequestItem
from portcullis.programs import Program


def statutory_findings(
    item: RequestItem, program: Program, *, today: dt.date | None = None
) -> tuple[Finding, ...]:
    """Return every finding against one item that needs no other item or stored state."""
    # No argument, flag or program setting skips a check here: the release step re-runs this.
    day = today or dt.datetime.now(dt.UTC).date()
    return (
        *status_findings(program, today=day),
        *_field_error_findings(item),
        *_item_id_findings(item),
        *name_findings(item),
        *address_findings(item),
        *_agency_address_findings(item, program),
        *period_findings(item, program, today=day),
        *statute_findings(item, program),
        *purpose_findings(item, program),
        *_officer_findings(item),
        *_column_findings(item, program),
    )


def status_findings(program: Program, *, today: dt.date) -> tuple[Finding, ...]:
    """Refuse every item while the program is suspended, blocked, or out of its term."""
    found: list[Finding] = []
    if not program.term.covers(today):
        # A request accepted in term may be decided later; nothing goes out once the term ends.
        term = f"{program.term.start} to {program.term.end}"
        found.append(finding("program_out_of_term", f"program {program.id} is in force {term}"))
    if program.suspension is not None:
        reference = program.suspension.order_reference
        found.append(finding("program_suspended", f"program suspended by order {reference}"))
    if program.safeguards.block():
        message = "the recipient has open safeguard findings without a corrective plan"
        found.append(finding("safeguards_open", message))
    return tuple(found)


def purpose_findings(item: RequestItem, program: Program) -> tuple[Finding, ...]:
    """Refuse an item without a case number or a specific reason (6103(i)(2)(B)(iv))."""
    found: list[Finding] = []
    if item.case_number is None or is_placeholder(item.case_number):
        found.append(finding("case_number_missing", "no case number is given", "case_number"))
    if item.reason is None or not item.reason.strip():
        found.append(finding("reason_missing", "no reason is given", "reason"))
    elif is_placeholder(item.reason, address=True) or (
        len(item.reason.strip()) < program.specificity.min_reason_length
    ):
        minimum = program.specificity.min_reason_length
        message = f"the reason {item.reason!r} is not specific (at least {minimum} characters)"
        found.append(finding("reason_not_specific", message, "reason"))
    return tuple(found)


def _field_error_findings(item: RequestItem) -> tuple[Finding, ...]:
    return tuple(
        finding("field_malformed", error.describe(), error.field)
        for error in item.field_errors
        if error.field not in REQUEST_OPTIONAL
    )


def ignored_field_notes(item: RequestItem) -> tuple[Finding, ...]:
    """Name each optional field that could not be read: it is matched as not given, not refused."""
    return tuple(
        finding("field_ignored", f"{error.describe()}; treated as not given", error.field)
        for error in item.field_errors
        if error.field in REQUEST_OPTIONAL
    )


def _agency_address_findings(item: RequestItem, program: Program) -> tuple[Finding, ...]:
    found = check_not_agency_address(item, program)
    return (found,) if found is not None else ()


def _item_id_findings(item: RequestItem) -> tuple[Finding, ...]:
    if item.item_id is None or not item.item_id.strip():
        return (finding("item_id_missing", f"row {item.row} has no item_id", "item_id"),)
    return ()


def _officer_findings(item: RequestItem) -> tuple[Finding, ...]:
    named = [officer for officer in item.recipient_officers if not is_placeholder(officer)]
    if not named:
        message = "no recipient officer is named"
        return (finding("officers_missing", message, "recipient_officers"),)
    return ()


def _column_findings(item: RequestItem, program: Program) -> tuple[Finding, ...]:
    return tuple(
        finding("column_missing", f"the program requires {column}", column)
        for column in program.required_columns
        if not (item.extra.get(column) or "").strip()
    )
