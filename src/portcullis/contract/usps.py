"""USPS state and territory codes and ZIP code forms, defined once for every reader and check."""

from __future__ import annotations

import re

# USPS Publication 28, Appendix B: the states and DC, the territories, the freely associated
# states (served as domestic mail) and the three military "states" of APO/FPO/DPO mail.
USPS_STATE_CODES: frozenset[str] = frozenset(
    {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN",
        "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV",
        "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN",
        "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
    }
)  # fmt: skip
# UM (the Minor Outlying Islands) is not in Publication 28, whose mail goes by APO or Honolulu;
# it is the ISO 3166-2:US and ANSI code that federal records carry, so it is read as a state too.
USPS_TERRITORY_CODES: frozenset[str] = frozenset({"AS", "GU", "MP", "PR", "VI", "UM"})
USPS_FREELY_ASSOCIATED_CODES: frozenset[str] = frozenset({"FM", "MH", "PW"})
USPS_MILITARY_CODES: frozenset[str] = frozenset({"AA", "AE", "AP"})
USPS_STATES: frozenset[str] = (
    USPS_STATE_CODES | USPS_TERRITORY_CODES | USPS_FREELY_ASSOCIATED_CODES | USPS_MILITARY_CODES
)

# Publication 28, section 225: military mail names APO, FPO or DPO as its city and AA, AE or AP
# as its state, with a ZIP code from that state's range.
USPS_MILITARY_CITIES: frozenset[str] = frozenset({"APO", "FPO", "DPO"})
USPS_MILITARY_ZIP_PREFIXES: dict[str, frozenset[str]] = {
    "AA": frozenset({"340"}),
    "AE": frozenset(f"{prefix:03d}" for prefix in range(90, 99)),
    "AP": frozenset(f"{prefix:03d}" for prefix in range(962, 967)),
}

# A ZIP code as stored: five digits, or ZIP+4 written 12345-6789. No ZIP code begins 000.
ZIP_CODE_PATTERN = r"\d{5}(?:-\d{4})?"
ZIP_CODE = re.compile(rf"^{ZIP_CODE_PATTERN}$")
UNISSUED_ZIP_PREFIX = "000"
