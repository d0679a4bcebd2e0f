"""Errors of the match index."""

from __future__ import annotations

from portcullis.errors import PortcullisError


class IndexMissing(PortcullisError):
    """The match index is missing or out of date: run 'portcullis match index'."""
