"""Hypothesis strategies: addresses that must be refused, and real ones that must never be.

The vocabulary here is written independently of `portcullis.contract.placeholders`, so that the
generated adversaries test the rule rather than restate it.
"""

from __future__ import annotations

from hypothesis import strategies as st

# Placeholder words a clerk types where an address should be, wherever they stand in a line.
ANYWHERE_WORDS = (
    "UNKNOWN", "UNK", "NOT KNOWN", "NOT AVAILABLE", "UNAVAILABLE", "NOT PROVIDED", "NOT GIVEN",
    "NOT APPLICABLE", "NO ADDRESS", "ADDRESS UNKNOWN", "UNKNOWN ADDRESS", "MISSING", "REDACTED",
    "NULL", "TBD", "TBA", "NONE GIVEN", "UNDISCLOSED", "WITHHELD", "FAKE", "DUMMY",
    "PLACEHOLDER", "DESCONOCIDO", "SIN DIRECCION", "NO FIXED ADDRESS", "NOT ON FILE",
)  # fmt: skip
# Words that are placeholders when they are the whole street name or field.
WHOLE_WORDS = ("NONE", "NIL", "BLANK", "EMPTY", "TEST", "HOMELESS", "SEE FILE", "SAME AS ABOVE")
# Long words that are still recognisable with one slip of the keyboard.
SLIPPABLE = ("UNKNOWN", "REDACTED", "UNAVAILABLE", "NOTPROVIDED", "PLACEHOLDER", "UNDISCLOSED")
NOT_APPLICABLE = ("N/A", "n/a", "N\\A", "N.A.", "n.a.", "N / A")
STREET_TYPES = ("", " St", " Street", " Ave", " Rd", " Blvd", " Dr", " Ln", " Way", " Ct")
UNITS = ("", " Apt 4", " #12", " Ste 100", " Unit 2B")
DIRECTIONALS = ("", "N ", "S ", "E ", "W ", "NW ")


@st.composite
def disguised(draw: st.DrawFn, words: tuple[str, ...]) -> str:
    """A placeholder word disguised: case, letters split or punctuated, doubled, slipped, 0/O."""
    word = draw(st.sampled_from(words))
    how = draw(st.sampled_from(["plain", "split", "double", "slip", "lookalike", "case"]))
    if how == "split" and " " not in word:
        word = draw(st.sampled_from([".", "-", " ", "*", "_", ". "])).join(word)
    elif how == "double":
        at = draw(st.integers(0, len(word) - 1))
        if word[at].isalpha():
            word = word[:at] + word[at] * draw(st.integers(2, 4)) + word[at + 1 :]
    elif how == "slip" and word.replace(" ", "") in SLIPPABLE:
        word = word.replace(" ", "")
        at = draw(st.integers(1, len(word) - 2))
        slip = draw(st.sampled_from(["drop", "swap", "wrong"]))
        if slip == "drop":
            word = word[:at] + word[at + 1 :]
        elif slip == "swap":
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        else:
            word = word[:at] + draw(st.sampled_from("AEIOUKNT")) + word[at + 1 :]
    elif how == "lookalike" and "O" in word:
        word = word.replace("O", "0", 1)
    case = draw(st.sampled_from([str.upper, str.lower, str.title, str.capitalize]))
    return case(word)


def house_numbers() -> st.SearchStrategy[str]:
    """House numbers as written, including those that are no number at all."""
    return st.one_of(
        st.integers(1, 99999).map(str),
        st.sampled_from(["0", "00", "000", "00000", "12A", "45-12", "123 1/2", "#5", "No. 7"]),
    )


def _non_address_streets() -> st.SearchStrategy[str]:
    number = house_numbers()
    anywhere = st.one_of(disguised(ANYWHERE_WORDS), st.sampled_from(NOT_APPLICABLE))
    whole = st.one_of(disguised(WHOLE_WORDS), st.sampled_from(NOT_APPLICABLE))
    kinds = st.sampled_from(STREET_TYPES)
    units = st.sampled_from(UNITS)
    directional = st.sampled_from(DIRECTIONALS)
    return st.one_of(
        # A house number dressed in front of a placeholder (the held-out failure of 2025).
        st.builds(
            lambda n, d, w, k, u: f"{n} {d}{w}{k}{u}", number, directional, anywhere, kinds, units
        ),
        st.builds(lambda n, w, k: f"{n} {w}{k}", number, whole, kinds),
        # A real street carrying a placeholder anywhere else in the line.
        st.builds(lambda n, w: f"{n} Main St {w}", number, anywhere),
        st.builds(lambda n, w: f"{n} Main St Apt {w}", number, anywhere),
        st.builds(lambda w, n: f"{w} {n}", anywhere, number),
        st.builds(lambda w: f"PO Box {w}", anywhere),
        st.builds(lambda w: f"RR 2 Box {w}", anywhere),
        anywhere,
        whole,
        # No delivery point: no number, no street, no box number, a ZIP or a city in the line.
        st.sampled_from(
            [
                "123", "Main St", "Main Street Apt 4", "62701", "62701-1234", "Springfield",
                "Springfield IL 62701", "Apt 4", "Suite 100", "PO Box", "PO Box 0", "Box",
                "RR 2", "Rural Route", "HC 3", "General", "Main St & Oak Ave",
                "Corner of Main and Oak", "c/o John Smith", "0 Main St", "00 Elm St",
                "XX Main St", "??", "---", "123 Street", "123 St", "ZIP 62701", "#",
                "PSC Box 12", "Unit Box 5", "Calle #", "Urb Las Flores",
            ]
        ),
    )  # fmt: skip


@st.composite
def non_addresses(draw: st.DrawFn) -> dict[str, str | None]:
    """An address with one part missing, a placeholder, no delivery point, or parts that clash."""
    address: dict[str, str | None] = {
        "street": "123 Main St",
        "city": "Springfield",
        "state": "IL",
        "zip": "62701",
    }
    fault = draw(st.sampled_from(["street", "missing", "city", "state", "zip", "military"]))
    if fault == "street":
        address["street"] = draw(_non_address_streets())
    elif fault == "missing":
        for part in draw(st.sets(st.sampled_from(sorted(address)), min_size=1)):
            address[part] = draw(st.sampled_from([None, "", "   "]))
    elif fault == "city":
        address["city"] = draw(
            st.one_of(
                disguised(ANYWHERE_WORDS),
                st.sampled_from(NOT_APPLICABLE),
                st.sampled_from(["62701", "1", "XXX", "Anytown", "City Unknown", "None", "-"]),
            )
        )
    elif fault == "state":
        address["state"] = draw(st.sampled_from(["XX", "ZZ", "U.S.", "NA", "00", "??", "USA"]))
    elif fault == "zip":
        address["zip"] = draw(
            st.sampled_from(["6270", "627011", "ABCDE", "00000", "99999", "11111", "00012", "0"])
        )
    else:
        address.update(
            draw(
                st.sampled_from(
                    [
                        {"street": "PSC 1234 Box 5678"},
                        {"city": "APO", "state": "AE", "zip": "09012"},
                        {"street": "Unit 2050 Box 4190", "city": "APO", "state": "IL"},
                        {"street": "Unit 2050 Box 4190", "city": "APO", "state": "AE"},
                        {"state": "AP"},
                    ]
                )
            )
        )
    return address


# Real street names that look odd; none of them is a placeholder.
STREET_NAMES = (
    "Main", "Oak", "Martin Luther King Jr", "Unkel", "Nunez", "Nona", "Xavier", "Na Pali",
    "Box Elder", "Nowhere", "Old Mill", "St Marks", "Saint Paul", "Ho'olai", "Sunset",
    "Ocean View", "El Camino Real", "La Cienega", "Nguyen", "Kamehameha", "Bluemound",
    "Queens", "Elm", "Willow Creek", "Ridge", "Park", "Nothing",
)  # fmt: skip
CITIES = (
    "Springfield", "St. Louis", "Winston-Salem", "Coeur d'Alene", "Ste. Genevieve",
    "Truth or Consequences", "New York", "Los Angeles", "Nothing", "Why", "Hagåtña",
)  # fmt: skip
# (state, city, ZIP) of the territories and the freely associated states.
TERRITORIES = (
    ("PR", "San Juan", "00926"), ("PR", "Mayagüez", "00680"), ("VI", "Charlotte Amalie", "00802"),
    ("VI", "Christiansted", "00820"), ("GU", "Hagåtña", "96910"), ("AS", "Pago Pago", "96799"),
    ("MP", "Saipan", "96950"), ("FM", "Kolonia", "96941"), ("FM", "Weno", "96942"),
    ("MH", "Majuro", "96960"), ("MH", "Ebeye", "96970"), ("PW", "Koror", "96940"),
    ("UM", "Wake Island", "96898"),
)  # fmt: skip
# (street, city, state, ZIP) of military mail.
MILITARY = (
    ("PSC 1234 Box 5678", "APO", "AE", "09012"), ("Unit 2050 Box 4190", "APO", "AP", "96278"),
    ("CMR 450 Box 123", "APO", "AE", "09058"), ("PSC 802 Box 74", "FPO", "AP", "96515"),
    ("Unit 8400 Box 12", "DPO", "AE", "09701"), ("USNS Comfort", "FPO", "AA", "34092"),
    ("USS Ronald Reagan (CVN 76)", "FPO", "AP", "96616"),
    ("PSC 1234, Box 5678", "APO", "AA", "34002"),
)  # fmt: skip


def _house_number() -> st.SearchStrategy[str]:
    plain = st.integers(1, 99999).map(str)
    return st.one_of(
        plain,
        st.builds(lambda n, s: f"{n}{s}", plain, st.sampled_from("ABCD")),
        st.builds(lambda n: f"{n} 1/2", plain),
        st.builds(lambda a, b: f"{a}-{b:02d}", st.integers(1, 250), st.integers(1, 99)),
        st.builds(lambda a, b: f"N{a}W{b}", st.integers(1, 99), st.integers(10000, 29999)),
        st.sampled_from(["One", "Two", "Twelve"]),
    )


def _street_lines() -> st.SearchStrategy[str]:
    box = st.integers(1, 99999)
    route = st.integers(1, 99)
    return st.one_of(
        st.builds(
            lambda n, d, name, kind, unit: f"{n} {d}{name}{kind}{unit}",
            _house_number(),
            st.sampled_from(DIRECTIONALS),
            st.sampled_from(STREET_NAMES),
            st.sampled_from([" St", " Street", " Ave", " Rd", " Blvd", " Dr", " Ln", " Pl"]),
            st.sampled_from(["", *UNITS[1:], " Bldg 5 Rm 12", " Lot 7", " Trlr 3", " Fl 2"]),
        ),
        st.builds(
            lambda n, s: f"{n} E {s} S",
            st.integers(1, 9999),
            st.integers(1, 99).map(lambda x: x * 100),
        ),
        st.builds(lambda n, r: f"{n} State Route {r}", _house_number(), route),
        st.builds(lambda n, r: f"{n} US Highway {r}", _house_number(), route),
        st.builds(lambda n, r: f"{n} County Road {r}", _house_number(), route),
        st.builds(lambda n, letter: f"{n} {letter} St", _house_number(), st.sampled_from("ABCQX")),
        st.builds(
            lambda n, s: f"{n} {s}",
            _house_number(),
            st.sampled_from(["Broadway", "5th Ave", "1st St", "W 42nd St"]),
        ),
        st.builds(
            lambda kind, b: f"{kind} {b}",
            st.sampled_from(["PO Box", "P.O. Box", "P O Box", "POB", "Post Office Box", "Box"]),
            box,
        ),
        st.builds(
            lambda kind, r, b: f"{kind} {r} Box {b}",
            st.sampled_from(["RR", "Rural Route", "RFD"]),
            route,
            box,
        ),
        st.builds(
            lambda kind, r, b: f"{kind} {r} Box {b}",
            st.sampled_from(["HC", "HCR", "Highway Contract Route"]),
            route,
            box,
        ),
        st.just("General Delivery"),
    )


def _puerto_rico_lines() -> st.SearchStrategy[str]:
    number = st.integers(1, 2999)
    return st.one_of(
        st.builds(
            lambda n, c: f"{n} Calle {c}",
            number,
            st.sampled_from(["Sol", "Luna", "A", "2", "San Jose"]),
        ),
        st.builds(lambda c, n: f"Calle {c} #{n}", st.sampled_from(["Sol", "2", "Luna"]), number),
        st.builds(
            lambda u, n: f"Urb {u} {n} Calle A",
            st.sampled_from(["Las Gladiolas", "Villa Carolina", "Royal Oak"]),
            number,
        ),
        st.builds(
            lambda b, a: f"Cond {b} Apt {a}",
            st.sampled_from(["Puerta del Sol", "Torre Mar"]),
            number,
        ),
        st.builds(
            lambda r, k: f"Carr {r} Km {k / 10:.1f}", st.integers(1, 999), st.integers(1, 999)
        ),
        st.builds(lambda r, b: f"HC {r:02d} Box {b}", st.integers(1, 9), st.integers(1, 99999)),
    )


def _zip(base: str) -> st.SearchStrategy[str]:
    return st.one_of(st.just(base), st.integers(1, 9999).map(lambda plus: f"{base}-{plus:04d}"))


def _restyled(text: str, style: str) -> str:
    return {"upper": text.upper(), "lower": text.lower()}.get(style, text)


@st.composite
def real_addresses(draw: st.DrawFn) -> dict[str, str | None]:
    """A real address in one of the unusual forms USPS delivers to, written as people write it."""
    place = draw(st.sampled_from(["states", "territory", "puerto_rico", "military"]))
    if place == "military":
        street, city, state, zip_code = draw(st.sampled_from(MILITARY))
    elif place == "puerto_rico":
        street, city, state = draw(_puerto_rico_lines()), "San Juan", "PR"
        zip_code = draw(st.sampled_from(["00926", "00901", "00680"]))
    elif place == "territory":
        state, city, zip_code = draw(st.sampled_from(TERRITORIES))
        street = draw(_street_lines())
    else:
        street, city = draw(_street_lines()), draw(st.sampled_from(CITIES))
        state = draw(st.sampled_from(["IL", "NY", "CA", "TX", "WI", "UT", "DC", "AK", "HI"]))
        zip_code = draw(st.sampled_from(["62701", "10001", "90012", "53188", "84111", "99801"]))
    style = draw(st.sampled_from(["as is", "upper", "lower"]))
    return {
        "street": _restyled(street, style),
        "unit": draw(st.sampled_from([None, "Apt 4B", "#12", "Ste 100", "Unit 2", "Lot 5", "PH"])),
        "city": _restyled(city, style),
        "state": state,
        "zip": draw(_zip(zip_code)),
    }
