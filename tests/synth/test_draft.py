"""Tests for portcullis.synth.draft."""

from __future__ import annotations

from portcullis.synth.draft import ITEM_COLUMNS

from .subject_fixture import LAST, NOW, make_draft


def test_draft_names_the_subject_with_full_paperwork() -> None:
    for seed in range(40):
        draft = make_draft(seed)
        item = draft.item
        assert list(item) == list(ITEM_COLUMNS)
        assert (item["first_name"], item["last_name"]) == ("José Luis", "García López")
        assert item["date_of_birth"] == "1984-03-07"
        assert item["middle_name"] in (None, "Á", "Ángel")
        assert item["tin"] in (None, "123456789", "123-45-6789")
        assert (item["tin"] == "123-45-6789") == ("tin_dashed" in draft.defects)
        assert item["item_id"] == "ITEM-0000041"
        assert str(item["case_number"]).endswith("-2026-000041")
        assert all(item[f] for f in ("street", "city", "state", "zip", "reason", "statute"))


def test_draft_uses_the_master_address_or_notes_a_newer_one() -> None:
    cities = set()
    for seed in range(60):
        draft = make_draft(seed, current=NOW)
        city = str(draft.item["city"]).title()
        cities.add(city)
        assert ("address_newer_than_master" in draft.defects) == (city == NOW.city)
    assert cities == {LAST.city, NOW.city}
