"""Name normalisation on the hard cases: accents, compounds, nicknames, transliteration."""

from __future__ import annotations

import pytest

from portcullis.matching.names import (
    clean_text,
    given_forms,
    given_token,
    sound_code,
    suffix_code,
    surname_key,
    surname_tokens,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("José", "jose", id="accent-dropped"),
        pytest.param("Nguyễn", "nguyen", id="vietnamese-diacritics"),
        pytest.param("O'Brien", "obrien", id="apostrophe-joined"),
        pytest.param("  MARY-ANN  ", "mary ann", id="hyphen-and-case"),
        pytest.param("Müller", "muller", id="umlaut"),
        pytest.param("Дмитрий", "dmitriy", id="cyrillic-transliterated"),
        pytest.param(None, "", id="none"),
    ],
)
def test_clean_text(raw: str | None, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "tokens", "key"),
    [
        pytest.param("García López", ["garcia", "lopez"], "garcialopez", id="compound"),
        pytest.param("García-López", ["garcia", "lopez"], "garcialopez", id="hyphenated"),
        pytest.param("de la Cruz", ["cruz"], "cruz", id="particles"),
        pytest.param("Al-Sayed", ["sayed"], "sayed", id="arabic-article"),
        pytest.param("Alsayed", ["alsayed"], "alsayed", id="joined-article"),
        pytest.param("De", ["de"], "de", id="only-a-particle"),
    ],
)
def test_surname_parts(raw: str, tokens: list[str], key: str) -> None:
    assert surname_tokens(raw) == tokens
    assert surname_key(raw) == key


@pytest.mark.parametrize(
    ("nickname", "formal"),
    [
        pytest.param("bob", "robert", id="bob-robert"),
        pytest.param("bill", "william", id="bill-william"),
        pytest.param("pepe", "jose", id="pepe-jose"),
        pytest.param("chuy", "jesus", id="chuy-jesus"),
        pytest.param("paco", "francisco", id="paco-francisco"),
    ],
)
def test_nickname_shares_a_form_with_the_formal_name(nickname: str, formal: str) -> None:
    assert set(given_forms(nickname)) & set(given_forms(formal))


def test_unrelated_given_names_share_no_form() -> None:
    assert not set(given_forms("maria")) & set(given_forms("ana"))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        pytest.param("mohammed", "muhammad", id="mohammed-muhammad"),
        pytest.param("nguyen", "nguyen", id="same"),
        pytest.param("catherine", "kathryn", id="catherine-kathryn"),
    ],
)
def test_transliteration_variants_sound_alike(left: str, right: str) -> None:
    assert sound_code(left) == sound_code(right)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        pytest.param("Jr.", "JR", id="jr-dot"),
        pytest.param("junior", "JR", id="junior"),
        pytest.param("SR", "SR", id="sr"),
        pytest.param("3rd", "III", id="third"),
        pytest.param("", None, id="blank"),
        pytest.param("Esq", None, id="not-generational"),
    ],
)
def test_suffix_code(raw: str, code: str | None) -> None:
    assert suffix_code(raw) == code


def test_given_token_takes_the_first_name_only() -> None:
    assert given_token("María José") == "maria"
    assert given_token("  ") is None
    assert given_token("- Ana") == "ana"


def test_a_hyphenated_given_name_is_one_name() -> None:
    assert given_token("Jean-Robert") == "jeanrobert"
    assert given_token("Jean-Robert") != given_token("Jean-Claude")
