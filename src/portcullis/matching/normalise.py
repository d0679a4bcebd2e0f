"""Stage tables holding the normalised form of each distinct raw value of the master's columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from portcullis.master.schema import MASTER_TABLE
from portcullis.matching.address import city_part, state_part, street_parts, unit_part, zip5_part
from portcullis.matching.names import suffix_code
from portcullis.matching.profile import given_parts, middle_part, surname_parts

_STR = pa.string()
_LIST = pa.list_(pa.string())


@dataclass(frozen=True, slots=True)
class ColumnStage:
    """How one master column is normalised: its stage table, output fields and function."""

    column: str
    table: str
    fields: tuple[pa.Field, ...]
    normalise: Callable[[Any], Any]


def _one(function: Callable[[Any], Any]) -> Callable[[Any], tuple[Any, ...]]:
    return lambda raw: (function(raw),)


# Every normalised field depends on one raw column only (profile.py and address.py say how), so
# each distinct value of a column is normalised once: a few hundred thousand calls at most, where
# whole rows would be millions.
STAGES = (
    ColumnStage(
        "first_name",
        "match_stage_given",
        (
            pa.field("fn", _STR),
            pa.field("fn_forms", _LIST),
            pa.field("fn_sound", _STR),
            pa.field("fn_variant", _STR),
        ),
        given_parts,
    ),
    ColumnStage("middle_name", "match_stage_middle", (pa.field("mn", _STR),), _one(middle_part)),
    ColumnStage(
        "last_name",
        "match_stage_surname",
        (
            pa.field("ln", _STR),
            pa.field("ln_tokens", _LIST),
            pa.field("ln_sound", _STR),
            pa.field("ln_variant", _STR),
        ),
        surname_parts,
    ),
    ColumnStage("name_suffix", "match_stage_suffix", (pa.field("sfx", _STR),), _one(suffix_code)),
    ColumnStage(
        "street",
        "match_stage_street",
        (pa.field("house", _STR), pa.field("street_name", _STR), pa.field("inline_unit", _STR)),
        street_parts,
    ),
    ColumnStage("unit", "match_stage_unit", (pa.field("unit_code", _STR),), _one(unit_part)),
    ColumnStage("city", "match_stage_city", (pa.field("city", _STR),), _one(city_part)),
    ColumnStage("state", "match_stage_state", (pa.field("state", _STR),), _one(state_part)),
    ColumnStage("zip", "match_stage_zip", (pa.field("zip5", _STR),), _one(zip5_part)),
)


def stage_distinct_values(con: duckdb.DuckDBPyConnection, stage: ColumnStage) -> None:
    """Create `stage.table` with each distinct value of the column (NULL too) and its form."""
    raw = con.execute(f"SELECT DISTINCT {stage.column} FROM {MASTER_TABLE}").fetchall()
    values = [row[0] for row in raw]
    outputs = [stage.normalise(value) for value in values]
    columns = [pa.array(values, _STR)] + [
        pa.array([output[i] for output in outputs], field.type)
        for i, field in enumerate(stage.fields)
    ]
    table = pa.Table.from_arrays(columns, schema=pa.schema([pa.field("raw", _STR), *stage.fields]))
    # Temporary tables belong to one connection, so the stage is written through `con` itself.
    con.register("match_stage_in", table)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {stage.table} AS SELECT * FROM match_stage_in")
    finally:
        con.unregister("match_stage_in")


def staged_rows_sql(master_columns: str) -> str:
    """Return SQL selecting `master_columns` of every master row `m` and its normalised fields."""
    joins = "\n".join(
        f"JOIN {s.table} s{i} ON m.{s.column} IS NOT DISTINCT FROM s{i}.raw"
        for i, s in enumerate(STAGES)
    )
    fields = {f.name: f"s{i}.{f.name}" for i, s in enumerate(STAGES) for f in s.fields}
    # A unit written in its own field wins over one found inside the street line.
    fields["unit"] = f"coalesce({fields.pop('unit_code')}, {fields.pop('inline_unit')})"
    columns = ", ".join(f"{sql} AS {name}" for name, sql in fields.items())
    return f"SELECT {master_columns}, {columns}\nFROM {MASTER_TABLE} m\n{joins}"
