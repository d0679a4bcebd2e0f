"""The parts of an item a requesting program fills in: statute, case, reason, periods, officers."""

from __future__ import annotations

import datetime as dt
import math
import random

from portcullis.synth.person import FIRST_TAX_YEAR, LAST_TAX_YEAR
from portcullis.synth.pools import make_weighted_pool

REMOVAL_STATUTE = "8 U.S.C. 1253(a)(1)"
REENTRY_STATUTE = "8 U.S.C. 1326(a)"
DOCUMENT_FRAUD_STATUTE = "18 U.S.C. 1546(a)"
CIVIL_STATUTE = "8 U.S.C. 1227(a)(1)(B)"
TAX_STATUTE = "26 U.S.C. 7201"
_VALID = make_weighted_pool(
    (REMOVAL_STATUTE, REENTRY_STATUTE, DOCUMENT_FRAUD_STATUTE), (0.85, 0.1, 0.05)
)
_OFFENCE = {
    REMOVAL_STATUTE: "willful failure to depart within the time a final order of removal set",
    REENTRY_STATUTE: "reentry after removal without the consent of the Attorney General",
    DOCUMENT_FRAUD_STATUTE: "use of a fraudulent immigration document",
    CIVIL_STATUTE: "being present in violation of law (civil removability)",
    TAX_STATUTE: "attempted evasion of income tax",
}
# Programs limit the tax years one item may name (six by default); stay within five.
MAX_PERIOD_YEARS = 5
# No officer should carry more than about 40 items in every 5,000 (program load limits).
OFFICER_SHARE_CAP = 40 / 5000


def draw_statute(rng: random.Random) -> str:
    """Return a criminal statute a valid item cites, mostly failure to depart."""
    return _VALID.draw(rng)


def make_case_number(statute: str, serial: int) -> str:
    """Return the case number of an item; serials are unique per batch so numbers are too."""
    office = "ERO" if statute in (REMOVAL_STATUTE, CIVIL_STATUTE) else "HSI"
    return f"ICE-{office}-2026-{serial:06d}"


def write_reason(rng: random.Random, statute: str, case: str, order_date: str, city: str) -> str:
    """Return a specific reason sentence naming the case, the offence and the order date."""
    offence = _OFFENCE[statute]
    templates = (
        f"The subject is under criminal investigation in case {case} for {offence} "
        f"({statute}) following a final order of removal entered {order_date}; the last known "
        "address is needed to locate the subject.",
        f"Case {case}: investigators believe the subject, ordered removed on {order_date}, "
        f"remains near {city}; the address is relevant to {offence} under {statute}.",
        f"In investigation {case} ({statute}), the subject's current address is needed to serve "
        f"process and establish presence after the removal order of {order_date}.",
    )
    return templates[rng.randrange(len(templates))]


def draw_order_date(rng: random.Random) -> str:
    """Return the ISO date of a final order of removal between 2012 and 2025."""
    start = dt.date(2012, 1, 1).toordinal()
    return dt.date.fromordinal(start + rng.randrange(5113)).isoformat()


def format_periods(years: list[int]) -> str:
    """Return tax years as a range ("2022-2024") when consecutive, else as a list ("2021,2023")."""
    years = sorted(set(years))
    if len(years) > 1 and years[-1] - years[0] == len(years) - 1:
        return f"{years[0]}-{years[-1]}"
    return ",".join(str(y) for y in years)


def draw_periods(rng: random.Random, filed: list[int], must_cover: int | None = None) -> str:
    """Return taxable periods covering recent filed years (and must_cover when given)."""
    if not filed:
        end = rng.randint(LAST_TAX_YEAR - 2, LAST_TAX_YEAR)
        return format_periods(list(range(max(FIRST_TAX_YEAR, end - rng.randint(0, 2)), end + 1)))
    filed = sorted(filed)
    window = [y for y in filed if y >= filed[-1] - rng.randint(0, 2)]
    if must_cover is not None and must_cover < window[0]:
        window = [y for y in filed if y >= must_cover]
        if len(window) > MAX_PERIOD_YEARS:
            # Programs cap the years per item; name the old year and the latest ones instead.
            window = [must_cover, *filed[-(MAX_PERIOD_YEARS - 1) :]]
            return ",".join(str(y) for y in window)
    if len(window) > 1 and rng.random() < 0.3:
        return ",".join(str(y) for y in window)
    return format_periods(window)


class OfficerRoster:
    """Hands out recipient officers so that none carries more than the program's load."""

    def __init__(self, rng: random.Random, n_items: int) -> None:
        """Make a roster large enough for n_items at about half the load cap."""
        self._rng = rng
        self._cap = max(5, math.ceil(n_items * OFFICER_SHARE_CAP))
        size = max(4, math.ceil(n_items * 1.3 * 2 / self._cap))
        first = rng.randrange(1000, 90000 - size)
        self._ids = [f"ICE-{rng.choice(('HSI', 'ERO'))}-{first + i:05d}" for i in range(size)]
        self._load = [0] * size

    def assign(self) -> str:
        """Return one or two officer ids, `;`-separated, for the next item."""
        rng = self._rng
        wanted = 2 if rng.random() < 0.3 else 1
        chosen: list[int] = []
        while len(chosen) < wanted:
            pick = rng.randrange(len(self._ids))
            if pick not in chosen and self._load[pick] < self._cap:
                chosen.append(pick)
        for pick in chosen:
            self._load[pick] += 1
        return ";".join(self._ids[pick] for pick in sorted(chosen))
