"""Tests for the release view: exactly the allowed fields, nothing else, immutable."""

from __future__ import annotations

import datetime as dt

import pytest

from portcullis.release.view import (
    LAST_KNOWN_ADDRESS_FIELDS,
    AllowedFieldsInvalidError,
    FieldBeyondStatuteError,
    FieldValueUnsupportedError,
    ReleaseView,
    project_release_fields,
)

MATCHED = {
    "tin": "123456789",
    "first_name": "Ana",
    "last_name": "García López",
    "date_of_birth": dt.date(1980, 2, 3),
    "street": "12 Elm St",
    "unit": None,
    "city": "Springfield",
    "state": "IL",
    "zip": "62701",
    "address_tax_year": 2024,
}


def test_copies_exactly_the_allowed_fields() -> None:
    view = project_release_fields(MATCHED, LAST_KNOWN_ADDRESS_FIELDS)
    assert dict(view) == {
        "street": "12 Elm St",
        "unit": None,
        "city": "Springfield",
        "state": "IL",
        "zip": "62701",
        "address_tax_year": 2024,
    }


def test_allowed_field_missing_from_record_is_none() -> None:
    view = project_release_fields({"street": "1 Main St"}, ("street", "zip"))
    assert dict(view) == {"street": "1 Main St", "zip": None}


def test_fields_the_record_has_but_the_program_does_not_allow_are_absent() -> None:
    view = project_release_fields(MATCHED, ("city",))
    assert "tin" not in view
    assert "date_of_birth" not in view
    assert list(view) == ["city"]


def test_dates_become_iso_text() -> None:
    view = project_release_fields({"zip": dt.date(2024, 1, 2)}, ("zip",))
    assert view["zip"] == "2024-01-02"


def test_view_does_not_follow_later_changes_to_the_record() -> None:
    record = dict(MATCHED)
    view = project_release_fields(record, ("city",))
    record["city"] = "Elsewhere"
    assert view["city"] == "Springfield"


def test_view_is_immutable() -> None:
    view = project_release_fields(MATCHED, ("city",))
    with pytest.raises(AttributeError):
        view._fields = {"tin": "123456789"}
    with pytest.raises(TypeError):
        view["city"] = "Elsewhere"  # type: ignore[index]


def test_view_cannot_be_made_directly() -> None:
    with pytest.raises(TypeError):
        ReleaseView({"tin": "123456789"}, token=object())


@pytest.mark.parametrize(
    "allowed",
    [
        pytest.param((), id="empty"),
        pytest.param(("city", "city"), id="duplicate"),
        pytest.param("city", id="one-string"),
    ],
)
def test_malformed_allow_lists_are_refused(allowed: tuple[str, ...]) -> None:
    with pytest.raises(AllowedFieldsInvalidError):
        project_release_fields(MATCHED, allowed)


@pytest.mark.parametrize(
    "field",
    [
        pytest.param("date_of_birth", id="date-of-birth"),
        pytest.param("income", id="return-information"),
    ],
)
def test_fields_beyond_taxpayer_identity_are_refused_even_if_allowed(field: str) -> None:
    with pytest.raises(FieldBeyondStatuteError, match=field):
        project_release_fields(MATCHED, ("city", field))


def test_values_that_are_not_json_are_refused() -> None:
    with pytest.raises(FieldValueUnsupportedError):
        project_release_fields({"city": object()}, ("city",))
