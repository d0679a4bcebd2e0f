"""Find the people suited to each kind of item (movers, twins, namesakes, non-filing relatives)."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from portcullis.matching.names import given_token, variant_key
from portcullis.synth.model import Population
from portcullis.synth.perturb import nickname_keys, transliteration_keys

# Requests name adults: anyone at least 18 at the end of the last tax year.
ADULT_BORN_BY = "2007-12-31"

_PEOPLE = f"""
CREATE TEMP TABLE p AS
SELECT CAST(substr(person_id, 2) AS BIGINT) AS idx, person_id, tin, household_id, is_filer,
       twin_of, first_name, middle_name, last_name, maternal_surname, former_last_name,
       date_of_birth, street, zip,
       lower(strip_accents(first_name)) AS fkey, lower(strip_accents(last_name)) AS lkey,
       split_part(replace(lower(strip_accents(last_name)), '-', ' '), ' ', 1) AS pkey,
       spelling, spelling_group,
       date_of_birth <= '{ADULT_BORN_BY}' AS adult
FROM people_in JOIN spelling_in USING (person_id)
"""
_LAST_KNOWN = """
CREATE TEMP TABLE last_known AS
SELECT tin, arg_max(street, tax_year) AS street, arg_max(zip, tax_year) AS zip,
       count(DISTINCT street || '|' || zip) AS addresses
FROM master_in GROUP BY tin
"""
_SIMPLE: dict[str, str] = {
    "filer": "is_filer AND adult",
    "maternal": "is_filer AND adult AND maternal_surname IS NOT NULL",
    "renamed": "is_filer AND adult AND former_last_name IS NOT NULL",
    "accented": "is_filer AND adult AND NOT regexp_matches("
    "first_name || coalesce(middle_name, '') || last_name, '^[ -~]*$')",
    "dob_swappable": "is_filer AND adult AND day(CAST(date_of_birth AS DATE)) <= 12 "
    "AND day(CAST(date_of_birth AS DATE)) <> month(CAST(date_of_birth AS DATE))",
    "nickname": "is_filer AND adult AND split_part(first_name, ' ', 1) IN (SELECT unnest($nick))",
    "transliteration": "is_filer AND adult AND (split_part(first_name, ' ', 1) IN "
    "(SELECT unnest($translit)) OR split_part(last_name, ' ', 1) IN (SELECT unnest($translit)))",
    "mover": "is_filer AND adult AND tin IN (SELECT tin FROM last_known WHERE addresses > 1)",
    "not_in_master": "NOT is_filer AND adult AND household_id NOT IN "
    "(SELECT household_id FROM p WHERE is_filer)",
}
# Pools whose members come with a person they can be confused with.
_PAIRED: dict[str, str] = {
    "twin": """SELECT a.idx, b.idx FROM p a JOIN p b ON b.person_id = a.twin_of
               WHERE a.is_filer AND b.is_filer AND a.adult""",
    "jr_sr": """SELECT a.idx, min(b.idx) FROM p a JOIN p b
               ON a.household_id = b.household_id AND a.fkey = b.fkey AND a.lkey = b.lkey
               AND a.street = b.street AND a.zip = b.zip
               AND a.idx <> b.idx AND a.date_of_birth <> b.date_of_birth
               WHERE a.is_filer AND b.is_filer AND a.adult GROUP BY a.idx""",
    "namesake": """WITH f AS (SELECT idx, household_id, fkey, lkey FROM p WHERE is_filer AND adult),
               g AS (SELECT fkey, lkey, arg_min(household_id, idx) AS h0, min(idx) AS i0
                     FROM f GROUP BY fkey, lkey),
               g2 AS (SELECT f.fkey, f.lkey, min(f.idx) AS i1 FROM f JOIN g USING (fkey, lkey)
                      WHERE f.household_id <> g.h0 GROUP BY f.fkey, f.lkey)
               SELECT f.idx, CASE WHEN f.household_id = g.h0 THEN g2.i1 ELSE g.i0 END
               FROM f JOIN g USING (fkey, lkey) JOIN g2 USING (fkey, lkey)""",
    "cousin": """SELECT a.idx, min(b.idx) FROM p a JOIN p b
               ON a.lkey = b.lkey AND a.spelling_group = b.spelling_group
               AND a.spelling <> b.spelling AND a.household_id <> b.household_id
               WHERE a.is_filer AND b.is_filer AND a.adult AND b.adult GROUP BY a.idx""",
    "nonfiler_relative": """SELECT a.idx, min(b.idx) FROM p a JOIN p b
               ON a.household_id = b.household_id AND a.street = b.street AND a.zip = b.zip
               AND a.pkey = b.pkey
               JOIN last_known k ON k.tin = b.tin AND k.street = b.street AND k.zip = b.zip
               WHERE NOT a.is_filer AND a.adult AND b.is_filer GROUP BY a.idx""",
}


@dataclass(frozen=True, slots=True)
class Candidates:
    """People (row numbers in Population.people) eligible for each pool, in ascending order."""

    pools: dict[str, list[int]]
    partner: dict[str, dict[int, int]]


def _spellings(population: Population) -> pa.Table:
    """Return each person's given-name token and its transliteration group (None if in none)."""
    tokens = [given_token(name) for name in population.people["first_name"].to_pylist()]
    return pa.table(
        {
            "person_id": population.people["person_id"],
            "spelling": pa.array(tokens, pa.string()),
            "spelling_group": pa.array(
                [variant_key(t) if t else None for t in tokens], pa.string()
            ),
        }
    )


def find_candidates(population: Population) -> Candidates:
    """Return, for every pool a kind draws from, the eligible people and their look-alikes."""
    con = duckdb.connect()
    try:
        con.register("people_in", population.people)
        con.register("spelling_in", _spellings(population))
        con.register("master_in", population.master)
        con.execute(_PEOPLE)
        con.execute(_LAST_KNOWN)
        params = {"nick": list(nickname_keys()), "translit": list(transliteration_keys())}
        pools: dict[str, list[int]] = {}
        for name, where in _SIMPLE.items():
            used = {k: v for k, v in params.items() if f"${k}" in where}
            rows = con.execute(f"SELECT idx FROM p WHERE {where} ORDER BY idx", used).fetchall()
            pools[name] = [row[0] for row in rows]
        partner: dict[str, dict[int, int]] = {}
        for name, query in _PAIRED.items():
            rows = con.execute(f"SELECT * FROM ({query}) ORDER BY 1").fetchall()
            partner[name] = {int(a): int(b) for a, b in rows if b is not None}
            pools[name] = sorted(partner[name])
        return Candidates(pools, partner)
    finally:
        con.close()
