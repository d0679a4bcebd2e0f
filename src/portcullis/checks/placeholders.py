"""Recognise values that stand in for missing data (UNKNOWN, N/A, 00000) rather than carry it."""

from __future__ import annotations

import re

from anyascii import anyascii

# Compared after dropping everything but letters and digits, so "N/A", "n.a." and "N A" agree.
# Words that are also real surnames (Blank, Test, Na) belong only in the address list.
_ANYWHERE = frozenset(
    {
        "UNKNOWN", "UNK", "UNKN", "NULL", "TBD", "TBA", "NOTKNOWN", "NOTAVAILABLE",
        "UNAVAILABLE", "NOTGIVEN", "NOTPROVIDED", "NOTAPPLICABLE", "MISSING", "REDACTED",
        "FNU", "LNU", "NMN", "NONAME",
    }
)  # fmt: skip
_ADDRESS_ONLY = frozenset(
    {
        "NA", "NONE", "NIL", "BLANK", "EMPTY", "NOADDRESS", "NOFIXEDADDRESS", "NFA", "HOMELESS",
        "SEEFILE", "SEEABOVE", "SAMEASABOVE", "VARIOUS", "ANY", "TEST", "GENERALDELIVERY",
    }
)  # fmt: skip
# Words that only label a field: "ADDRESS UNKNOWN" or "UNKNOWN CITY" say nothing more than UNKNOWN.
_LABELS = frozenset({"ADDRESS", "STREET", "CITY", "STATE", "ZIP", "CODE", "ZIPCODE", "AVAILABLE"})
# X or a digit repeated (X, XXX, 00000, 99999), or any character three times or more (AAA);
# a single letter other than X stays acceptable, since some people have an initial for a name.
_FILLER = re.compile(r"^(?:X+|(\d)\1*|(.)\2{2,})$")


def is_placeholder(text: str, *, address: bool = False) -> bool:
    """Tell whether `text` stands in for a missing name (or, with `address`, address) value."""
    # Transliterate first: "Đỗ" is a real surname, not an empty string.
    text = anyascii(text)
    compact = re.sub(r"[^0-9A-Za-z]", "", text).upper()
    if not compact or _FILLER.match(compact) or compact in _ANYWHERE:
        return True
    if compact == "NA" and compact != text.strip().upper():
        return True  # "N/A" and "n.a." are never a name, though "Na" is a surname
    if not address:
        return False
    if compact in _ADDRESS_ONLY:
        return True
    words = re.sub(r"[^0-9A-Za-z]+", " ", text).upper().split()
    return all(word in _ANYWHERE | _ADDRESS_ONLY | _LABELS for word in words)
