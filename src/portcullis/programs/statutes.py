"""Statute citations: one normal spelling, and the kinds of provision a program may never allow."""

from __future__ import annotations

import re
from dataclasses import dataclass

from portcullis.errors import PortcullisError


class CitationUnparseable(PortcullisError):
    """A statute citation is not of the form 'TITLE U.S.C. SECTION(subsections)'."""


# Title, "U.S.C." in any common spelling, an optional section sign, the section, subsections.
_CITATION = re.compile(
    r"""^\s*(?P<title>\d{1,2})\s*
        U\.?\s*S\.?\s*C\.?(?:\s*A\.?)?\s*
        (?:§{1,2}|sec(?:tion)?\.?)?\s*
        (?P<section>\d+[a-z]?(?:-\d+[a-z]?)?)\s*
        (?P<subsections>(?:\(\s*[0-9A-Za-z]+\s*\)\s*)*)$""",
    re.IGNORECASE | re.VERBOSE,
)

TAX_TITLE = 26

# Sections whose provisions are civil (grounds of removability or inadmissibility, removal
# proceedings, civil detention): a program under 6103(i)(2) may only name criminal statutes.
CIVIL_SECTIONS: frozenset[tuple[int, str]] = frozenset(
    {
        (8, "1182"),
        (8, "1225"),
        (8, "1226"),
        (8, "1227"),
        (8, "1229"),
        (8, "1229a"),
        (8, "1229b"),
        (8, "1229c"),
        (8, "1231"),
    }
)


@dataclass(frozen=True, slots=True)
class Citation:
    """A parsed statute citation: title, section and subsection path."""

    title: int
    section: str
    subsections: tuple[str, ...]

    def __str__(self) -> str:
        path = "".join(f"({part})" for part in self.subsections)
        return f"{self.title} U.S.C. {self.section}{path}"

    def is_tax(self) -> bool:
        """Tell whether the citation is in Title 26, the Internal Revenue Code."""
        return self.title == TAX_TITLE

    def is_civil(self) -> bool:
        """Tell whether the citation falls in a section known to be civil, not criminal."""
        return (self.title, self.section) in CIVIL_SECTIONS

    def within(self, other: Citation) -> bool:
        """Tell whether this citation is `other` or one of its subdivisions."""
        depth = len(other.subsections)
        return (
            self.title == other.title
            and self.section == other.section
            and self.subsections[:depth] == other.subsections
        )


def parse_citation(text: str) -> Citation:
    """Parse a citation such as '8 USC § 1253(a)(1)' into its parts."""
    found = _CITATION.match(text)
    if found is None:
        raise CitationUnparseable(f"not a U.S.C. citation: {text!r}")
    subsections = tuple(re.findall(r"\(\s*([0-9A-Za-z]+)\s*\)", found["subsections"]))
    return Citation(int(found["title"]), found["section"].lower(), subsections)


def normalise_citation(text: str) -> str:
    """Return the one spelling used for comparison, e.g. '8 U.S.C. 1253(a)(1)'."""
    return str(parse_citation(text))
