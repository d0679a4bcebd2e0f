from __future__ import annotations

import pytest

from portcullis.programs.statutes import CitationUnparseable, normalise_citation, parse_citation


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("8 U.S.C. 1253(a)(1)", id="canonical"),
        pytest.param("8 USC 1253(a)(1)", id="no-dots"),
        pytest.param("8 U.S.C. § 1253(a)(1)", id="section-sign"),
        pytest.param("8 u.s.c. sec. 1253 (a) (1)", id="lower-case-spaced"),
        pytest.param("  8 U. S. C. §§1253(a)(1) ", id="spaced-dots"),
    ],
)
def test_spellings_of_one_citation_agree(text: str) -> None:
    assert normalise_citation(text) == "8 U.S.C. 1253(a)(1)"


def test_subsection_case_is_kept() -> None:
    assert normalise_citation("8 usc 1227(a)(1)(B)") == "8 U.S.C. 1227(a)(1)(B)"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("Section 1253", id="no-title"),
        pytest.param("8 CFR 241.4", id="regulation"),
        pytest.param("8 U.S.C. 1253(a", id="open-paren"),
    ],
)
def test_non_citations_are_refused(text: str) -> None:
    with pytest.raises(CitationUnparseable):
        parse_citation(text)


@pytest.mark.parametrize(
    ("text", "tax", "civil"),
    [
        pytest.param("26 U.S.C. 7201", True, False, id="tax-evasion"),
        pytest.param("8 U.S.C. 1227(a)(1)(B)", False, True, id="removability"),
        pytest.param("8 U.S.C. 1229a", False, True, id="removal-proceedings"),
        pytest.param("8 U.S.C. 1253(a)(1)", False, False, id="failure-to-depart"),
    ],
)
def test_tax_and_civil_provisions_are_recognised(text: str, tax: bool, civil: bool) -> None:
    citation = parse_citation(text)
    assert (citation.is_tax(), citation.is_civil()) == (tax, civil)


@pytest.mark.parametrize(
    ("inner", "outer", "within"),
    [
        pytest.param("8 U.S.C. 1253(a)(1)(A)", "8 U.S.C. 1253(a)(1)", True, id="subdivision"),
        pytest.param("8 U.S.C. 1253(a)(1)", "8 U.S.C. 1253(a)(1)", True, id="same"),
        pytest.param("8 U.S.C. 1253(a)", "8 U.S.C. 1253(a)(1)", False, id="broader"),
        pytest.param("8 U.S.C. 1253(b)", "8 U.S.C. 1253(a)", False, id="sibling"),
        pytest.param("18 U.S.C. 1253(a)", "8 U.S.C. 1253(a)", False, id="other-title"),
    ],
)
def test_within(inner: str, outer: str, within: bool) -> None:
    assert parse_citation(inner).within(parse_citation(outer)) is within
