"""Unique SSNs and ITINs in the shapes the Social Security Administration and the IRS issue."""

from __future__ import annotations

import random

from portcullis.synth.pools import draw_range

# ITIN group digits (4th and 5th) the IRS has assigned.
ITIN_GROUPS: tuple[int, ...] = (
    *range(50, 66),
    *range(70, 89),
    *range(90, 93),
    *range(94, 100),
)


def is_valid_ssn(tin: str) -> bool:
    """Tell whether a 9-digit string has a shape the SSA issues as an SSN."""
    return (
        len(tin) == 9
        and tin.isdigit()
        and tin[0] != "9"
        and tin[:3] not in ("000", "666")
        and tin[3:5] != "00"
        and tin[5:] != "0000"
    )


def is_valid_itin(tin: str) -> bool:
    """Tell whether a 9-digit string has a shape the IRS issues as an ITIN."""
    return len(tin) == 9 and tin.isdigit() and tin[0] == "9" and int(tin[3:5]) in ITIN_GROUPS


class TinIssuer:
    """Issues SSNs and ITINs, never the same number twice."""

    def __init__(self, rng: random.Random) -> None:
        """Start an issuer drawing from the given random source."""
        self._rng = rng
        self._issued: set[int] = set()

    def issue_ssn(self) -> str:
        """Return a new SSN (area 001-899 except 666, group 01-99, serial 0001-9999)."""
        rng = self._rng
        while True:
            area = draw_range(rng, 1, 900)
            if area == 666:
                continue
            group = draw_range(rng, 1, 100)
            number = area * 1_000_000 + group * 10_000 + draw_range(rng, 1, 10_000)
            if number not in self._issued:
                self._issued.add(number)
                return f"{number:09d}"

    def issue_itin(self) -> str:
        """Return a new ITIN (9XX, a valid group, any serial)."""
        rng = self._rng
        while True:
            group = ITIN_GROUPS[draw_range(rng, 0, len(ITIN_GROUPS))]
            number = (
                900_000_000
                + draw_range(rng, 0, 100) * 1_000_000
                + group * 10_000
                + draw_range(rng, 1, 10_000)
            )
            if number not in self._issued:
                self._issued.add(number)
                return f"{number:09d}"
