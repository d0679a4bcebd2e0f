"""Hand-made scored candidates for the decision rules' tests."""

from __future__ import annotations

from typing import Any


def candidate(weight: float, **levels: Any) -> dict[str, Any]:
    """Return a scored candidate whose fields agree unless `levels` says otherwise."""
    base: dict[str, Any] = {
        "cand_tin": "123456789",
        "weight": weight,
        "weight_without_tin": weight,
        "scope_year": 2023,
        "given": "exact",
        "surname": "exact",
        "middle": "missing",
        "suffix": "missing",
        "dob": "exact",
        "address": "exact",
        "tin": "missing",
    }
    base.update(levels)
    return base
