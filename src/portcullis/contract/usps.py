"""USPS state and territory codes, defined once for the master loader, request reader and checks."""

from __future__ import annotations

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
USPS_TERRITORY_CODES: frozenset[str] = frozenset({"AS", "GU", "MP", "PR", "VI"})
USPS_FREELY_ASSOCIATED_CODES: frozenset[str] = frozenset({"FM", "MH", "PW"})
USPS_MILITARY_CODES: frozenset[str] = frozenset({"AA", "AE", "AP"})
USPS_STATES: frozenset[str] = (
    USPS_STATE_CODES | USPS_TERRITORY_CODES | USPS_FREELY_ASSOCIATED_CODES | USPS_MILITARY_CODES
)
