"""Small populations and requests shared by the synth tests (generated once per session)."""

from __future__ import annotations

import pytest

from portcullis.synth import Population, RequestBatch, generate_population, generate_request

POPULATION_SIZE = 3000
REQUEST_SIZE = 1200


@pytest.fixture(scope="session")
def population() -> Population:
    """A population small enough to generate in about a second."""
    return generate_population(POPULATION_SIZE, seed=11)


@pytest.fixture(scope="session")
def batch(population: Population) -> RequestBatch:
    """A request large enough for every kind of item to appear at least twice."""
    return generate_request(population, REQUEST_SIZE, seed=12)


@pytest.fixture(scope="session")
def people_by_id(population: Population) -> dict[str, dict[str, object]]:
    """Everyone in the population, keyed by person_id."""
    return {row["person_id"]: row for row in population.people.to_pylist()}


@pytest.fixture(scope="session")
def master_by_tin(population: Population) -> dict[str, list[dict[str, object]]]:
    """Master rows grouped by TIN, in ascending tax year."""
    grouped: dict[str, list[dict[str, object]]] = {}
    for row in population.master.to_pylist():
        grouped.setdefault(str(row["tin"]), []).append(row)
    for rows in grouped.values():
        rows.sort(key=lambda r: int(str(r["tax_year"])))
    return grouped
