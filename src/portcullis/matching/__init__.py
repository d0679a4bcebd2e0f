"""Matching: find the one taxpayer a request item names, or say plainly that none or several fit."""

from __future__ import annotations

from portcullis.matching.errors import IndexMissing
from portcullis.matching.index import build_index
from portcullis.matching.matcher import Matcher
from portcullis.matching.params import (
    MatchParams,
    ModelStale,
    Thresholds,
    default_params,
    load_current_params,
)
from portcullis.matching.query import MatchQuery, query_from_item
from portcullis.matching.result import MatchResult, ReleaseAddress, Verdict
from portcullis.matching.train import (
    LEARN_MIN_ITEMS,
    data_fingerprint,
    learn_from_requests,
    train,
)

__all__ = [
    "LEARN_MIN_ITEMS",
    "IndexMissing",
    "MatchParams",
    "MatchQuery",
    "MatchResult",
    "Matcher",
    "ModelStale",
    "ReleaseAddress",
    "Thresholds",
    "Verdict",
    "build_index",
    "data_fingerprint",
    "default_params",
    "learn_from_requests",
    "load_current_params",
    "query_from_item",
    "train",
]
