"""Taxable periods (26 U.S.C. 6103(i)(2)(B)(ii)): parse them and keep them within the program."""

from __future__ import annotations

import datetime as dt
import re

from portcullis.checks.findings import Finding, finding
from portcullis.contract.records import RequestItem
from portcullis.errors import PortcullisError
from portcullis.programs import Program

_PART = re.compile(r"^(\d{4})(?:\s*-\s*(\d{4}))?$")
# A guard on the size of the set built from one range, before the program's own limit applies.
_LONGEST_RANGE = 100


class TaxablePeriodsInvalid(PortcullisError):
    """The taxable periods are not a list of years or year ranges such as '2022-2024,2020'."""


def tax_years(item: RequestItem) -> frozenset[int]:
    """Return the tax years an item names: the scope of the lookup."""
    if item.taxable_periods is None or not item.taxable_periods.strip():
        raise TaxablePeriodsInvalid("no taxable period is given")
    years: set[int] = set()
    for raw in re.split(r"[,;]", item.taxable_periods):
        part = raw.strip()
        found = _PART.match(part)
        if found is None:
            raise TaxablePeriodsInvalid(f"{part!r} is not a year or a range of years")
        first = int(found[1])
        last = int(found[2]) if found[2] else first
        if last < first or last - first >= _LONGEST_RANGE:
            raise TaxablePeriodsInvalid(f"{part!r} is not a forward range of years")
        years.update(range(first, last + 1))
    return frozenset(years)


def period_findings(item: RequestItem, program: Program, *, today: dt.date) -> tuple[Finding, ...]:
    """Refuse an item naming no taxable period, a malformed one, or years the program excludes."""
    if item.taxable_periods is None or not item.taxable_periods.strip():
        return (finding("periods_missing", "no taxable period is given", "taxable_periods"),)
    try:
        years = tax_years(item)
    except TaxablePeriodsInvalid as exc:
        return (finding("periods_invalid", str(exc), "taxable_periods"),)
    earliest, latest = program.periods.earliest_tax_year, today.year
    outside = sorted(year for year in years if not earliest <= year <= latest)
    if outside:
        message = f"tax year {outside[0]} is outside {earliest}-{latest}"
        return (finding("periods_invalid", message, "taxable_periods"),)
    if len(years) > program.periods.max_years:
        message = f"{len(years)} tax years named; the program allows {program.periods.max_years}"
        return (finding("periods_invalid", message, "taxable_periods"),)
    return ()
