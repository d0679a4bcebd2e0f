"""The name check (26 U.S.C. 6103(i)(2)(B)(i)): a structured given and family name."""

from __future__ import annotations

from portcullis.checks.findings import Finding, finding
from portcullis.contract.placeholders import is_placeholder
from portcullis.contract.records import RequestItem


def name_findings(item: RequestItem) -> tuple[Finding, ...]:
    """Refuse an item whose given or family name is missing or a placeholder."""
    found: list[Finding] = []
    for field, label in (("first_name", "given name"), ("last_name", "family name")):
        value = getattr(item, field)
        if value is None or not any(char.isalpha() for char in value):
            found.append(finding("name_missing", f"the {label} is missing", field))
        elif is_placeholder(value):
            found.append(
                finding("name_placeholder", f"the {label} {value!r} is a placeholder", field)
            )
    return tuple(found)
