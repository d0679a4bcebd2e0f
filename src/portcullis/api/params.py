"""Bounds on path and query parameters, so every value the API accepts fits the state database."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

# The widest integer every state database column holds (PostgreSQL INTEGER).
MAX_KEY = 2**31 - 1

Key = Annotated[int, Path(ge=1, le=MAX_KEY)]
IndexPath = Annotated[int, Path(ge=0, le=MAX_KEY)]
SizeQuery = Annotated[int, Query(ge=0, le=MAX_KEY)]
Name = Annotated[str, Path(min_length=1)]
