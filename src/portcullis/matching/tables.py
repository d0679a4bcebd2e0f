"""Names and Arrow schemas of the derived `match_` tables and of the query relation."""

from __future__ import annotations

import pyarrow as pa

TAXPAYER_TABLE = "match_taxpayer"
KEY_TABLE = "match_key"
META_TABLE = "match_meta"
GIVEN_FREQ_TABLE = "match_given_freq"
# The shape of the tables above; an index of another layout is rebuilt before use.
INDEX_LAYOUT = 5
# Tables of earlier layouts, dropped when the index is rebuilt.
RETIRED_TABLES = ("match_address",)

_STR = pa.string()
_LIST = pa.list_(pa.string())

IDENTITY_FIELDS = [
    pa.field("fn", _STR),
    pa.field("fn_forms", _LIST),
    pa.field("fn_sound", _STR),
    pa.field("fn_variant", _STR),
    pa.field("mn", _STR),
    pa.field("ln", _STR),
    pa.field("ln_tokens", _LIST),
    pa.field("ln_sound", _STR),
    pa.field("ln_variant", _STR),
    pa.field("sfx", _STR),
    pa.field("dob", pa.date32()),
]
# Surnames the taxpayer filed under in earlier years (normalised), beside the latest identity.
FORMER_SURNAMES = "ln_former"
ADDRESS_FIELDS = [
    pa.field("house", _STR),
    pa.field("street_name", _STR),
    pa.field("unit", _STR),
    pa.field("city", _STR),
    pa.field("state", _STR),
    pa.field("zip5", _STR),
]

RAW_ADDRESS = ("street", "unit", "city", "state", "zip")
# Each taxpayer row carries its whole address history as a list of these structs, one per
# distinct address with the tax years it was filed from, the latest last: one read of a
# taxpayer's row brings everything the comparison and the release need.
ADDRESSES = "addresses"
ADDRESS_VALUE_FIELDS = (
    *(f.name for f in ADDRESS_FIELDS),
    *(f"raw_{name}" for name in RAW_ADDRESS),
)
ADDRESS_STRUCT_FIELDS = ("years", *ADDRESS_VALUE_FIELDS)
QUERY_SCHEMA = pa.schema(
    [
        pa.field("qid", pa.int64()),
        pa.field("tin", _STR),
        *IDENTITY_FIELDS,
        *ADDRESS_FIELDS,
        pa.field("years", pa.list_(pa.int32())),
    ]
)
