"""The key that tells two items apart: the same person in the same case is a duplicate."""

from __future__ import annotations

import re

from anyascii import anyascii

from portcullis.contract.records import RequestItem


def normalise_token(text: str) -> str:
    """Fold accents and case and keep only letters and digits, single-spaced."""
    words = re.sub(r"[^0-9A-Z]+", " ", anyascii(text).upper()).split()
    return " ".join(words)


def normalise_case_number(case_number: str) -> str:
    """Return a case number without case, accents, spaces or punctuation (idempotent)."""
    return normalise_token(case_number).replace(" ", "")


def normalised_name_key(item: RequestItem) -> str | None:
    """Return the person part of the duplicate key ('FAMILY/GIVEN'), or None without both names."""
    if not (item.first_name and item.last_name):
        return None
    return f"{normalise_token(item.last_name)}/{normalise_token(item.first_name)}"


def duplicate_key(item: RequestItem) -> tuple[str, str] | None:
    """Return (normalised case number, normalised name key), or None when a part is missing."""
    name_key = normalised_name_key(item)
    if not item.case_number or name_key is None:
        return None
    return normalise_case_number(item.case_number), name_key
