"""The SQL dialects matching is written in, DuckDB and Spark SQL: their differences, here only.

Every comparison level, weight and key is written once (compare.py, score.py, keys.py) through
the small vocabulary below; each engine's dialect says how its SQL spells that word. The two
string measures are DuckDB's built-ins there; on Spark they are functions registered under names
of their own (matching/spark/functions.py) computing DuckDB's values. Spark 4.3 has a built-in
`jaro_winkler_similarity` that gives other values, and a built-in wins over a registered function
of the same name, so the names below must never be Spark's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

DialectName = Literal["duckdb", "spark"]

# The names the Spark engine registers the string measures under (none is a Spark built-in).
SPARK_EDIT_DISTANCE = "portcullis_damerau_levenshtein"
SPARK_SIMILARITY = "portcullis_jaro_winkler"
SPARK_SIMILARITY_EACH = "portcullis_jaro_winkler_each"


@dataclass(frozen=True, slots=True)
class Dialect:
    """How one engine's SQL spells the list, date, hash and struct operations matching needs."""

    name: DialectName

    @property
    def spark(self) -> bool:
        return self.name == "spark"

    def edit_distance(self, left: str, right: str) -> str:
        """Return SQL for the unrestricted Damerau-Levenshtein distance of two strings."""
        name = SPARK_EDIT_DISTANCE if self.spark else "damerau_levenshtein"
        return f"{name}({left}, {right})"

    def similarity(self, left: str, right: str) -> str:
        """Return SQL for the Jaro-Winkler similarity (prefix weight 0.1) of two strings."""
        name = SPARK_SIMILARITY if self.spark else "jaro_winkler_similarity"
        return f"{name}({left}, {right})"

    def contains(self, values: str, item: str) -> str:
        """Return SQL for whether the list `values` holds `item`."""
        return f"{'array_contains' if self.spark else 'list_contains'}({values}, {item})"

    def intersect(self, left: str, right: str) -> str:
        """Return SQL for the distinct elements two lists share."""
        return f"{'array_intersect' if self.spark else 'list_intersect'}({left}, {right})"

    def size(self, values: str) -> str:
        """Return SQL for the number of elements of a list."""
        return f"{'size' if self.spark else 'length'}({values})"

    def keep(self, values: str, var: str, body: str) -> str:
        """Return SQL for the elements of `values` for which `body` (over `var`) holds."""
        if self.spark:
            return f"filter({values}, {var} -> {body})"
        return f"list_filter({values}, lambda {var}: {body})"

    def largest_intersection(self, lists: str, var: str, field: str, other: str) -> str:
        """Return SQL for the largest element any `var.field` of `lists` shares with `other`."""
        shared = self.intersect(f"{var}.{field}", other)
        if self.spark:
            return f"array_max(transform({lists}, {var} -> array_max({shared})))"
        return f"list_max(list_transform({lists}, lambda {var}: list_max({shared})))"

    def best_address_rank(self, addresses: str, street: str, rank_of: Callable[[str], str]) -> str:
        """Return SQL for the best rank over `addresses`, each ranked by `rank_of(similarity)`.

        `rank_of` is given the SQL of the street-name similarity of the address `a` to `street`.
        Spark runs no registered Python function inside a lambda, so there the similarities are
        computed for the whole list first and zipped in as `s`.
        """
        if self.spark:
            names = f"transform({addresses}, a -> a.street_name)"
            similar = f"{SPARK_SIMILARITY_EACH}({street}, {names})"
            return f"array_max(zip_with({addresses}, {similar}, (a, s) -> {rank_of('s')}))"
        similar = self.similarity(street, "a.street_name")
        return f"list_max(list_transform({addresses}, lambda a: {rank_of(similar)}))"

    def first(self, values: str) -> str:
        """Return SQL for the first element of a list, NULL when it is empty."""
        return f"try_element_at({values}, 1)" if self.spark else f"({values})[1]"

    def struct(self, fields: dict[str, str]) -> str:
        """Return SQL building a struct from field names and SQL values, in order."""
        if self.spark:
            return "named_struct(" + ", ".join(f"'{k}', {v}" for k, v in fields.items()) + ")"
        return "{" + ", ".join(f"'{k}': {v}" for k, v in fields.items()) + "}"

    def date_digits(self, date: str) -> str:
        """Return SQL writing a date as its eight digits YYYYMMDD."""
        if self.spark:
            return f"date_format({date}, 'yyyyMMdd')"
        return f"strftime({date}, '%Y%m%d')"

    def text(self, value: str) -> str:
        """Return SQL casting a value to text (a date as YYYY-MM-DD)."""
        return f"CAST({value} AS STRING)" if self.spark else f"{value}::VARCHAR"

    def tokens_or_null(self, tokens: str) -> str:
        """Return a select-list expression giving one row per token, a NULL row for none."""
        if self.spark:
            return f"explode_outer({tokens})"
        return f"unnest(CASE WHEN len({tokens}) = 0 THEN [NULL::VARCHAR] ELSE {tokens} END)"

    def key_hash(self, text: str) -> str:
        """Return SQL for the 64-bit key of `text`: MD5 digest bytes 8-15, little-endian.

        DuckDB gives it unsigned (UBIGINT); Spark has no unsigned type and gives the same bits
        as a signed BIGINT (keys.spark_key turns a Python key into that form).
        """
        if not self.spark:
            return f"md5_number_lower({text})"
        digest = f"md5({text})"
        # Hex digits 17-32 are bytes 8-15; reversing the byte order reads them little-endian.
        swapped = ", ".join(f"substr({digest}, {start}, 2)" for start in range(31, 15, -2))
        return f"CAST(conv(concat({swapped}), 16, -10) AS BIGINT)"

    def sorted_distinct(self, value: str) -> str:
        """Return SQL aggregating the distinct non-null values of a group as a sorted list."""
        if self.spark:
            return f"array_sort(collect_set({value}))"
        # Sorted after grouping: an ordered aggregate sorts each group apart, half again slower.
        return f"list_sort(list_distinct(list({value})))"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")
