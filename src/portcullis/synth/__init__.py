"""Synthetic taxpayers and request batches with ground truth, deterministic by seed."""

from __future__ import annotations

from portcullis.synth.model import Population, RequestBatch
from portcullis.synth.population import generate_population
from portcullis.synth.request import generate_request
from portcullis.synth.writing import write_population, write_request

__all__ = [
    "Population",
    "RequestBatch",
    "generate_population",
    "generate_request",
    "write_population",
    "write_request",
]
