"""Tests for portcullis.synth.subjects."""

from __future__ import annotations

from portcullis.synth import Population
from portcullis.synth.subjects import load_subjects

from .subject_fixture import LAST, OLD, make_subject


def test_last_known_and_earlier_addresses() -> None:
    subject = make_subject()
    assert subject.last_known == LAST
    assert subject.filed_years == [2021, 2022, 2023, 2024]
    assert subject.earlier_addresses() == [(2022, OLD)]


def test_load_subjects_matches_the_tables(
    population: Population, master_by_tin: dict[str, list[dict[str, object]]]
) -> None:
    subjects = load_subjects(population, [0, 1, 2, 3, 4, 2])
    assert sorted(subjects) == [0, 1, 2, 3, 4]
    for index, subject in subjects.items():
        assert subject.person_id == f"P{index:08d}"
        if subject.is_filer:
            assert subject.tin is not None
            rows = master_by_tin[subject.tin]
            assert subject.filed_years == [row["tax_year"] for row in rows]
            assert subject.last_known is not None
            assert subject.last_known.street == rows[-1]["street"]
        else:
            assert subject.history == () and subject.last_known is None
