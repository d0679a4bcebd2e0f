"""All item checks of one request: the context-free ones plus duplicates and officer load."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from portcullis.checks.duplicates import duplicate_key, normalise_case_number
from portcullis.checks.findings import Finding, finding
from portcullis.checks.statutory import statutory_findings
from portcullis.contract.records import RequestItem
from portcullis.programs import Program


@dataclass(frozen=True, slots=True)
class ItemContext:
    """What the checks need from stored state: open items per officer and earlier case items."""

    open_items_by_officer: Mapping[str, int] = field(default_factory=dict)
    # (case number as stored, `normalised_name_key` of the item) -> the earlier request's id;
    # case numbers are normalised here, so raw or normalised ones both work.
    prior_case_items: Mapping[tuple[str, str], str] = field(default_factory=dict)
    today: dt.date | None = None


def check_items(
    items: Sequence[RequestItem], program: Program, ctx: ItemContext
) -> list[tuple[Finding, ...]]:
    """Return the findings for every item, in order; an empty tuple means the item passes."""
    seen_ids: set[str] = set()
    seen_keys: set[tuple[str, str]] = set()
    seen_cases: set[str] = set()
    load: Counter[str] = Counter(ctx.open_items_by_officer)
    prior = {
        (normalise_case_number(case), name): request_id
        for (case, name), request_id in ctx.prior_case_items.items()
    }
    results: list[tuple[Finding, ...]] = []
    for item in items:
        found = list(statutory_findings(item, program, today=ctx.today))
        if item.item_id is not None and item.item_id in seen_ids:
            found.append(finding("item_id_duplicate", f"item_id {item.item_id} repeats", "item_id"))
        key = duplicate_key(item)
        if key is not None and key in seen_keys:
            message = "the same person in the same case appears earlier in this request"
            found.append(finding("item_duplicate", message))
        if key is not None and key in prior:
            message = f"request {prior[key]} already named this person in this case"
            found.append(finding("item_duplicate_prior", message))
        case = normalise_case_number(item.case_number) if item.case_number else None
        if program.specificity.unique_case_per_item and case and case in seen_cases:
            message = f"case number {item.case_number} is used by an earlier item"
            found.append(finding("case_number_shared", message, "case_number"))
        if not found:
            found.extend(_officer_load(item, program, load))
        _remember(item, key, case, seen_ids, seen_keys, seen_cases)
        results.append(tuple(found))
    return results


def _officer_load(item: RequestItem, program: Program, load: Counter[str]) -> list[Finding]:
    # Only an item that would otherwise pass becomes an open item, so only it counts toward a cap.
    cap = program.limits.max_open_items_per_officer
    over = [officer for officer in item.recipient_officers if load[officer] >= cap]
    if over:
        message = f"officer {over[0]} already holds {load[over[0]]} open items (cap {cap})"
        return [finding("officer_cap_exceeded", message, "recipient_officers")]
    load.update(item.recipient_officers)
    return []


def _remember(
    item: RequestItem,
    key: tuple[str, str] | None,
    case: str | None,
    seen_ids: set[str],
    seen_keys: set[tuple[str, str]],
    seen_cases: set[str],
) -> None:
    if item.item_id is not None:
        seen_ids.add(item.item_id)
    if key is not None:
        seen_keys.add(key)
    if case:
        seen_cases.add(case)
