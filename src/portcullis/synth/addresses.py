"""Street addresses for synthetic households, kept column-wise so a million of them stay cheap."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache

from portcullis.synth.pools import (
    ORIGINS,
    WeightedPool,
    draw_range,
    load_places,
    make_weighted_pool,
)

# Share of returns whose address carries a ZIP+4.
ZIP4_SHARE = 0.08


@dataclass(frozen=True, slots=True)
class Address:
    """One postal address as a return reports it."""

    street: str
    unit: str | None
    city: str
    state: str
    zip: str


@dataclass(slots=True)
class AddressBook:
    """Every address generated, stored as parallel columns and referred to by index."""

    street: list[str] = field(default_factory=list)
    unit: list[str | None] = field(default_factory=list)
    city: list[str] = field(default_factory=list)
    state: list[str] = field(default_factory=list)
    zip: list[str] = field(default_factory=list)

    def add(self, address: Address) -> int:
        """Store an address and return its index."""
        self.street.append(address.street)
        self.unit.append(address.unit)
        self.city.append(address.city)
        self.state.append(address.state)
        self.zip.append(address.zip)
        return len(self.street) - 1

    def get(self, index: int) -> Address:
        """Return the address stored at an index."""
        return Address(
            self.street[index],
            self.unit[index],
            self.city[index],
            self.state[index],
            self.zip[index],
        )


@dataclass(frozen=True, slots=True)
class _Places:
    cities: tuple[tuple[str, str, str], ...]
    by_origin: dict[str, WeightedPool]
    street_names: tuple[str, ...]
    street_types: tuple[str, ...]


@cache
def _places() -> _Places:
    raw = load_places()
    cities = tuple((c[0], c[1], c[2]) for c in raw["cities"])
    keys = tuple(str(i) for i in range(len(cities)))
    by_origin = {
        # A community's cities are several times likelier, but anyone can live anywhere.
        origin: make_weighted_pool(
            keys, tuple(8.0 if origin in c[3].split() else 1.0 for c in raw["cities"])
        )
        for origin in ORIGINS
    }
    return _Places(cities, by_origin, tuple(raw["street_names"]), tuple(raw["street_types"]))


def draw_address(rng: random.Random, origin: str, near: Address | None = None) -> Address:
    """Return a new address, in the same city as `near` when given and the dice say so."""
    places = _places()
    if near is not None and rng.random() < 0.6:
        city, state, zip3 = near.city, near.state, near.zip[:3]
    else:
        city, state, zip3 = places.cities[int(places.by_origin[origin].draw(rng))]
    number = draw_range(rng, 100, 10000) if rng.random() < 0.85 else draw_range(rng, 10, 100)
    name = places.street_names[draw_range(rng, 0, len(places.street_names))]
    kind = places.street_types[draw_range(rng, 0, len(places.street_types))]
    unit: str | None = None
    roll = rng.random()
    if roll < 0.30:
        unit = f"Apt {draw_range(rng, 1, 40)}{'' if rng.random() < 0.7 else rng.choice('ABCD')}"
    elif roll < 0.34:
        unit = f"Unit {draw_range(rng, 1, 300)}"
    elif roll < 0.36:
        unit = f"Lot {draw_range(rng, 1, 120)}"
    zip_code = f"{zip3}{draw_range(rng, 1, 100):02d}"
    if len(set(zip_code)) == 1:
        # 33333 reads as a placeholder, like 00000; no such ZIP is issued.
        zip_code = zip_code[:4] + str((int(zip_code[4]) + 1) % 10)
    if rng.random() < ZIP4_SHARE:
        zip_code = f"{zip_code}-{draw_range(rng, 1, 10000):04d}"
    return Address(f"{number} {name} {kind}", unit, city, state, zip_code)
