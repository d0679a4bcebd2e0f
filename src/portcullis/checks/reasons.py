"""Every reason code the checks can give, with its legal citation and its meaning in plain words."""

from __future__ import annotations

from dataclasses import dataclass

I2 = "26 U.S.C. 6103(i)(2)"


@dataclass(frozen=True, slots=True)
class Reason:
    """What a reason code cites and means; a silent code is never shown to the requester."""

    code: str
    citation: str
    meaning: str
    silent: bool = False


_ALL: tuple[Reason, ...] = (
    # Whole-request refusals.
    Reason("manifest_malformed", f"{I2}(B) (written request)",
           "The signed written request is missing a field or has one of the wrong form."),
    Reason("program_mismatch", f"{I2}(A)",
           "The request names a different program from the one it was submitted under."),
    Reason("agency_mismatch", f"{I2}(A)",
           "The requesting agency in the request is not the program's agency."),
    Reason("signer_not_authorized", f"{I2}(A)-(B)",
           "The request was not signed by an official the program authorizes to sign."),
    Reason("signer_key_retired", f"{I2}(A)-(B)",
           "The request was signed with a key the program retired before the day it was received; "
           "the official signs with the key that replaced it."),
    Reason("signature_invalid", f"{I2}(B)",
           "The signature does not verify: the request was altered or signed with another key."),
    Reason("file_hash_mismatch", f"{I2}(B) (written request)",
           "The request file is not the file the signed request describes."),
    Reason("item_count_mismatch", f"{I2}(B) (written request)",
           "The request file holds a different number of items from the signed count."),
    Reason("certification_missing", f"{I2}(A)",
           "The request lacks the certification that the data serves only the criminal matter."),
    Reason("manifest_from_future", f"{I2}(B)",
           "The request is dated later than the time it was received."),
    Reason("program_out_of_term", "the program's agreement (term)",
           "The agreement is not in force on the day of receipt or of decision."),
    Reason("batch_too_large", "program batch limit (agreement)",
           "The request holds more items than the program allows in one request."),
    Reason("signer_load_exceeded", "program per-signer limit (agreement)",
           "The signer has already requested as many items today as the program allows."),
    # A note beside an item's outcome, never a refusal.
    Reason("field_ignored", "request file format (optional field)",
           "An optional field (such as the date of birth) could not be read, or held a placeholder "
           "(unit N/A, middle name NMN), and was treated as not given for matching. Not a "
           "refusal: it is noted beside the item's outcome."),
    # Per-item refusals.
    Reason("field_malformed", "request file format",
           "A field of the item could not be read in the contract's form."),
    Reason("item_id_missing", "request file format", "The item has no item_id."),
    Reason("item_id_duplicate", "request file format",
           "An earlier item of the same request has the same item_id."),
    Reason("name_missing", f"{I2}(B)(i)", "The item lacks the taxpayer's given or family name."),
    Reason("name_placeholder", f"{I2}(B)(i)",
           "A name part is a placeholder (such as UNKNOWN), not a name."),
    Reason("address_incomplete", f"{I2}(B)(i)",
           "The address lacks its street line, city, state or ZIP code."),
    Reason("address_placeholder", f"{I2}(B)(i)",
           "An address part is a placeholder (such as UNKNOWN, N/A or 00000) in any disguise (a "
           "house number before it, spaced, punctuated, doubled or slipped letters, spelled "
           "out), not an address."),
    Reason("address_street_unparseable", f"{I2}(B)(i)",
           "The street line names no delivery point: it is not a house number and street name, "
           "a PO box, a rural route or highway contract box, General Delivery or military mail "
           "(e.g. only a ZIP, an intersection, a box without its number)."),
    Reason("address_not_taxpayers", f"{I2}(B)(i); the program's list of agency addresses",
           "The address is one the program lists as not a taxpayer's own (an agency office, a "
           "detention facility, a court)."),
    Reason("address_state_invalid", f"{I2}(B)(i)",
           "The state is not a USPS state code, or not the one its city takes (APO, FPO and DPO "
           "take AA, AE or AP, and those codes take nothing else)."),
    Reason("address_zip_invalid", f"{I2}(B)(i)",
           "The ZIP code is not 5 or 5+4 digits, begins 000 (never issued), or lies outside its "
           "military state's range."),
    Reason("periods_missing", f"{I2}(B)(ii)", "The item names no taxable period."),
    Reason("periods_invalid", f"{I2}(B)(ii)",
           "The taxable periods are malformed, outside the allowed years, or too many."),
    Reason("statute_missing", f"{I2}(B)(iii)", "The item names no statute."),
    Reason("statute_unparseable", f"{I2}(B)(iii)", "The statute is not a U.S. Code citation."),
    Reason("statute_tax", f"{I2}(A)",
           "The statute is a tax statute; this disclosure serves only non-tax criminal matters."),
    Reason("statute_civil", f"{I2}(A)",
           "The statute is a civil provision (such as removability), not a criminal one."),
    Reason("statute_not_allowed", f"{I2}(A), (B)(iii)",
           "The statute is not on the program's list of designated criminal statutes."),
    Reason("case_number_missing", f"{I2}(B)(iv)", "The item names no case or proceeding number."),
    Reason("case_number_shared", f"{I2}(B)(iv); program specificity rule",
           "The program requires a case number per item and an earlier item used this one."),
    Reason("reason_missing", f"{I2}(B)(iv)",
           "The item gives no reason why the information is relevant."),
    Reason("reason_not_specific", f"{I2}(B)(iv)",
           "The reason is a placeholder or shorter than the program's minimum."),
    Reason("officers_missing", f"{I2}(A)",
           "The item names no officer personally and directly engaged in the investigation."),
    Reason("officer_cap_exceeded", f"{I2}(A); program officer cap",
           "A named officer already holds as many open items as the program allows."),
    Reason("column_missing", "the program's required columns",
           "A column the program requires (e.g. final_order_date) is empty or absent."),
    Reason("item_duplicate", "request file format",
           "An earlier item of the same request names the same person in the same case."),
    Reason("item_duplicate_prior", "request file format",
           "An earlier request already named the same person in the same case."),
    Reason("program_suspended", "court order (program suspension)",
           "A court order suspends the program; nothing is released while it stands."),
    Reason("safeguards_open", "26 U.S.C. 6103(p)(4)",
           "The recipient agency has open safeguard findings and no corrective action plan."),
    Reason("withheld", "26 U.S.C. 6103(i)(6)",
           "Disclosure is withheld; shown to the requester only as no_match.", silent=True),
    Reason("record_address_unusable", f"{I2}(A) (the address disclosed)",
           "The matched taxpayer's address of record is not a complete street address (only a ZIP "
           "code, a placeholder, a city); nothing is released. Shown to the requester only as "
           "no_match.", silent=True),
    Reason("address_disagrees", f"{I2}(B)(i); program address agreement rule",
           "The program requires the requester's address to agree with ours, and it does not."),
    # Whole-batch review.
    Reason("batch_held_for_review", "program review threshold (agreement)",
           "So many items were refused that the whole request waits for a reviewer."),
    # Given at intake and decision (registered here so every recorded code has a citation).
    Reason("file_unreadable", f"{I2}(B) (written request)",
           "The request file cannot be read at all (missing, wrong format, no header)."),
    Reason("columns_missing", f"{I2}(B) (written request)",
           "The request file lacks columns every item needs, so no item could pass."),
    Reason("program_not_found", f"{I2}(A)",
           "The request names a program that is not registered."),
    Reason("request_replayed", "26 U.S.C. 6103(p)(3)(A) (accounting)",
           "A request with this request_id was already submitted; it is not processed twice."),
    Reason("match_needs_review", "26 U.S.C. 6103(i)(2)(B)(i) (the named taxpayer)",
           "The match is not certain enough to release; an IRS reviewer decides."),
    Reason("request_refused", f"{I2}(B) (written request)",
           "The request was refused as a whole for a reason stated with the refusal."),
    Reason("reviewer_refused", "Delegation Order 11-2 (approving official)",
           "An IRS reviewer looked at the held item and refused to release it, giving a reason."),
)  # fmt: skip

REASONS: dict[str, Reason] = {reason.code: reason for reason in _ALL}
