"""What is matched: one named person from a request item, scoped to its tax years."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from portcullis.contract.records import RequestItem
from portcullis.matching.profile import Profile, build_profile


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """One person to find in the master; a TIN given is evidence, never a substitute for a name."""

    key: str
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    name_suffix: str | None
    date_of_birth: dt.date | None
    tin: str | None
    street: str | None
    unit: str | None
    city: str | None
    state: str | None
    zip: str | None
    tax_years: frozenset[int]


def query_from_item(item: RequestItem, tax_years: frozenset[int]) -> MatchQuery:
    """Return the query for one request item, keyed by its item id (else its row number)."""
    return MatchQuery(
        key=item.item_id or f"row-{item.row}",
        first_name=item.first_name,
        middle_name=item.middle_name,
        last_name=item.last_name,
        name_suffix=item.name_suffix,
        date_of_birth=item.date_of_birth,
        tin=item.tin,
        street=item.street,
        unit=item.unit,
        city=item.city,
        state=item.state,
        zip=item.zip,
        tax_years=tax_years,
    )


def profile_query(query: MatchQuery) -> Profile:
    """Return the normalised profile of a query, built exactly as taxpayers' profiles are."""
    return build_profile(
        first_name=query.first_name,
        middle_name=query.middle_name,
        last_name=query.last_name,
        name_suffix=query.name_suffix,
        date_of_birth=query.date_of_birth,
        tin=query.tin,
        street=query.street,
        unit=query.unit,
        city=query.city,
        state=query.state,
        zip_code=query.zip,
    )
