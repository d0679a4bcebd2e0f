"""Households: a head, perhaps a spouse, children (twins, a Jr), a parent, and where they lived."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from portcullis.synth.addresses import Address, AddressBook, draw_address
from portcullis.synth.names import (
    compose_last,
    draw_first,
    draw_given,
    draw_style,
    draw_surname,
    other_spellings,
    two_spellings,
)
from portcullis.synth.person import FIRST_TAX_YEAR, LAST_TAX_YEAR, History, Person
from portcullis.synth.pools import ORIGIN_SHARES, ORIGINS, draw_range, make_weighted_pool

_SHAPES = make_weighted_pool(
    ("single", "couple", "family", "single_parent", "multigenerational"),
    (0.28, 0.22, 0.32, 0.10, 0.08),
)
# Share of wives who file under the husband's family name, by origin.
_TAKES_NAME = {"anglo": 0.8, "indian": 0.7, "haitian": 0.6, "arabic": 0.3}
# Share of fathers with a son named after them, by origin.
_JUNIOR = {"anglo": 0.3, "hispanic": 0.2, "haitian": 0.2, "arabic": 0.05}
_TWIN_SHARE = 0.06
# Share of wives who took the husband's name that did so within the master's years.
_RECENTLY_MARRIED = 0.25
_OLDEST_HEAD_WITH_PARENT = 1965
# Share of households headed by a brother of the previous household's head, by origin: where the
# first son is named after his paternal grandfather, cousins carry one name, often spelt apart.
_BROTHERS = {"arabic": 0.3}
_BROTHERS_ELSEWHERE = 0.05
_COUSIN_NAMESAKE = 0.5


@dataclass(slots=True)
class HouseholdMaker:
    """Draws households, issuing addresses into a shared address book."""

    rng: random.Random
    book: AddressBook
    # Kinship draws have their own stream, so the rest of a seed's population stays as it was.
    kin_rng: random.Random = field(default_factory=lambda: random.Random("portcullis-kin"))
    last_of_origin: dict[str, list[Person]] = field(default_factory=dict)

    def draw_history(self, origin: str, near: Address | None = None) -> History:
        """Return an address history from the first tax year, with zero to three moves."""
        rng = self.rng
        first = draw_address(rng, origin, near)
        history: History = [(FIRST_TAX_YEAR, self.book.add(first))]
        moves = sum(rng.random() < p for p in (0.5, 0.4, 0.3))
        years = sorted(rng.sample(range(FIRST_TAX_YEAR + 1, LAST_TAX_YEAR + 1), moves))
        previous = first
        for year in years:
            previous = draw_address(rng, origin, previous)
            history.append((year, self.book.add(previous)))
        return history

    def _birth(self, low: int, high: int) -> dt.date:
        year = draw_range(self.rng, low, max(low, high) + 1)
        return dt.date(year, 1, 1) + dt.timedelta(days=draw_range(self.rng, 0, 365))

    def _adult(self, origin: str, sex: str, relation: str, birth: dt.date, h: History) -> Person:
        first, middle = draw_first(self.rng, origin, sex)
        paternal = draw_surname(self.rng, origin)
        maternal = draw_surname(self.rng, origin) if origin == "hispanic" else None
        if maternal == paternal:
            # "Torres Torres" exists but is rare; one redraw keeps it rare.
            maternal = draw_surname(self.rng, origin)
        style = draw_style(self.rng)
        return Person(origin, sex, first, middle, paternal, maternal, style, birth, relation, h)

    def build(self) -> list[Person]:
        """Return the members of one new household; twin_of holds positions within it."""
        rng = self.rng
        origin = _draw_origin(rng)
        shape = _SHAPES.draw(rng)
        home = self.draw_history(origin)
        couple = shape in ("couple", "family", "multigenerational")
        head_sex = "M" if couple and rng.random() < 0.9 else _draw_sex(rng)
        head = self._adult(origin, head_sex, "head", self._birth(1946, 2004), home)
        cousins = self._brother_of(head)
        members = [head]
        parents = [head]
        if couple:
            spouse_sex = "F" if head_sex == "M" or rng.random() < 0.5 else "M"
            born = head.birth.year + rng.randint(-8, 4)
            spouse = self._adult(origin, spouse_sex, "spouse", self._birth(born, born), home)
            if (
                spouse_sex == "F"
                and head_sex == "M"
                and rng.random() < _TAKES_NAME.get(origin, 0.1)
            ):
                maiden = compose_last(spouse.paternal, spouse.maternal, spouse.style)
                spouse.paternal, spouse.maternal = head.paternal, None
                if rng.random() < _RECENTLY_MARRIED and maiden != head.paternal:
                    # Married during the master's years: earlier returns carry the maiden name.
                    spouse.former, spouse.renamed_in = maiden, draw_range(rng, 2020, 2025)
            members.append(spouse)
            parents.append(spouse)
        if shape in ("family", "single_parent", "multigenerational"):
            father = next((p for p in parents if p.sex == "M"), None)
            mother = next((p for p in parents if p.sex == "F"), None)
            children = self._children(head, father, mother, home, cousins)
            for child in children:
                if child.twin_of is not None:
                    child.twin_of += len(members)
            members.extend(children)
        # A live-in parent of an older head would be past a hundred; those homes skip the parent.
        if shape == "multigenerational" and head.birth.year >= _OLDEST_HEAD_WITH_PARENT:
            members.append(self._parent(head, home))
        self.last_of_origin[origin] = members
        return members

    def _brother_of(self, head: Person) -> list[Person]:
        """Perhaps make the head a brother of the last head of his origin; return their children."""
        kin = self.last_of_origin.get(head.origin)
        share = _BROTHERS.get(head.origin, _BROTHERS_ELSEWHERE)
        if kin is None or head.sex != "M" or kin[0].sex != "M" or self.kin_rng.random() >= share:
            return []
        head.paternal, head.maternal = kin[0].paternal, kin[0].maternal
        return [m for m in kin if m.relation == "child"]

    def _children(
        self,
        head: Person,
        father: Person | None,
        mother: Person | None,
        home: History,
        cousins: list[Person],
    ) -> list[Person]:
        rng = self.rng
        eldest = max(head.birth.year, mother.birth.year if mother else 0) + 18
        youngest = min(head.birth.year + 45, LAST_TAX_YEAR)
        count = 1 + sum(rng.random() < p for p in (0.65, 0.35, 0.15))
        # Siblings share the absent parent's surname, so it is drawn once for the household.
        absent = draw_surname(rng, head.origin)
        junior_left = father is not None and rng.random() < _JUNIOR.get(head.origin, 0.02)
        children: list[Person] = []
        while len(children) < count:
            sex = _draw_sex(rng)
            twin = bool(children) and children[-1].twin_of is None and rng.random() < _TWIN_SHARE
            birth = children[-1].birth if twin else self._birth(eldest, youngest)
            first, middle = draw_first(rng, head.origin, sex)
            paternal, maternal = _child_surnames(father, mother, head, absent)
            child = Person(
                head.origin, sex, first, middle, paternal, maternal, draw_style(rng), birth,
                "child", home,
            )  # fmt: skip
            self._after_cousin(child, cousins)
            # Siblings never carry two spellings of one name, and twins never one name.
            while any(two_spellings(child.first, s.first) for s in children) or (
                twin and child.first == children[-1].first
            ):
                child.first = draw_given(rng, head.origin, sex)
            if twin:
                # Positions within the children for now; build() shifts them past the adults.
                child.twin_of = len(children) - 1
                children[-1].twin_of = len(children)
            elif (
                junior_left
                and father is not None
                and sex == "M"
                and not any(two_spellings(father.first, s.first) for s in children)
            ):
                child.first, child.middle, junior_left = father.first, father.middle, False
                child.suffix = "JR" if rng.random() < 0.85 else "II"
                if child.suffix == "JR" and rng.random() < 0.45:
                    father.suffix = "SR"
            if twin:
                child.history = children[-1].history
            elif birth.year <= LAST_TAX_YEAR - 18 and rng.random() < 0.45:
                child.history = self.draw_history(head.origin, self.book.get(home[0][1]))
            children.append(child)
        return children

    def _after_cousin(self, child: Person, cousins: list[Person]) -> None:
        """Perhaps name the child as a cousin of the same sex is named, in another spelling."""
        for cousin in cousins:
            if cousin.sex != child.sex:
                continue
            spellings = other_spellings(cousin.first, child.origin, child.sex)
            if spellings and self.kin_rng.random() < _COUSIN_NAMESAKE:
                child.first = spellings[self.kin_rng.randrange(len(spellings))]
                return

    def _parent(self, head: Person, home: History) -> Person:
        rng = self.rng
        sex = _draw_sex(rng)
        born = head.birth.year - rng.randint(20, 38)
        parent = self._adult(head.origin, sex, "parent", self._birth(born, born), home)
        if sex == "M":
            parent.paternal = head.paternal
        elif head.maternal is not None:
            parent.paternal = head.maternal
        elif rng.random() < _TAKES_NAME.get(head.origin, 0.1):
            parent.paternal, parent.maternal = head.paternal, None
        return parent


def _child_surnames(
    father: Person | None, mother: Person | None, head: Person, absent: str
) -> tuple[str, str | None]:
    if head.origin != "hispanic":
        return (father or head).paternal, None
    # Hispanic children carry the father's first surname, then the mother's first surname.
    paternal = father.paternal if father else absent
    maternal = mother.paternal if mother else absent
    return paternal, maternal


def _draw_sex(rng: random.Random) -> str:
    return "F" if rng.random() < 0.5 else "M"


def _draw_origin(rng: random.Random) -> str:
    point = rng.random()
    for origin, share in zip(ORIGINS, ORIGIN_SHARES, strict=True):
        point -= share
        if point < 0:
            return origin
    return ORIGINS[0]
