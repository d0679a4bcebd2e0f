"""Comparison levels as SQL CASE expressions over a query row `q` and a taxpayer row `t`."""

from __future__ import annotations

from collections.abc import Callable

from portcullis.matching.dialect import DUCKDB, Dialect

# A misspelt given name is one edit from a common name and itself far rarer; a sibling's name
# (Maria and Mario, Gina and Tina) is one edit away too but is common itself, so it is no typo.
# The slip may be on either side: in the request ("Jesica" asked, Jessica on file) or on the
# return as keyed ("Jmaes" on file, James asked); the rarer spelling is the slip.
TYPO_RARITY = 20


def _swapped(d: Dialect) -> str:
    # Each side's given name is the other's surname, as a token or whole: a hyphenated name is
    # one given name (Jean-Claude is "jeanclaude") and its surname key is joined the same way
    # (Trujillo-Aguilar is "trujilloaguilar"), so a swapped pair meets in the joined form.
    given_is_surname = f"({d.contains('t.ln_tokens', 'q.fn')} OR q.fn = t.ln)"
    surname_is_given = f"({d.contains('q.ln_tokens', 't.fn')} OR q.ln = t.fn)"
    return f"({given_is_surname} AND {surname_is_given})"


def _typo(d: Dialect) -> str:
    # The asked spelling's share of the master (a spelling not on file counts as one taxpayer's).
    asked = "greatest(coalesce(q.given_tf, 0.0), q.min_tf)"
    slip, right = (f"CASE WHEN {asked} <= t.fn_tf THEN {a} ELSE {b} END" for a, b in
                   (("q.fn", "t.fn"), ("t.fn", "q.fn")))  # fmt: skip
    return f"""(length({slip}) >= 4
         AND {d.edit_distance("q.fn", "t.fn")} <= CASE WHEN length({right}) >= 8 THEN 2 ELSE 1 END
         AND least({asked}, t.fn_tf) * {TYPO_RARITY} <= greatest({asked}, t.fn_tf))"""


def given_level_sql(d: Dialect = DUCKDB) -> str:
    """Return SQL for the given-name level: exact, swapped, variant, nickname, typo, fuzzy, initial.

    A *variant* is another spelling of the same name (one transliteration group of
    name_variants.txt); a *nickname* shares a formal form with the other name (Bob, Robert).
    """
    return f"""CASE
    WHEN q.fn IS NULL OR t.fn IS NULL THEN 'missing'
    WHEN q.fn = t.fn THEN 'exact'
    WHEN {_swapped(d)} THEN 'swapped'
    WHEN q.fn_variant = t.fn_variant THEN 'variant'
    WHEN {d.size(d.intersect("q.fn_forms", "t.fn_forms"))} > 0 THEN 'nickname'
    WHEN {_typo(d)} THEN 'typo'
    WHEN length(q.fn) > 1 AND length(t.fn) > 1
         AND ({d.similarity("q.fn", "t.fn")} >= 0.9 OR q.fn_sound = t.fn_sound) THEN 'fuzzy'
    WHEN (length(q.fn) = 1 OR length(t.fn) = 1) AND left(q.fn, 1) = left(t.fn, 1) THEN 'initial'
    ELSE 'disagree' END"""


def surname_level_sql(d: Dialect = DUCKDB) -> str:
    """Return SQL for the surname: exact, swapped, former, token (compound), fuzzy, disagree.

    *former* is a surname the taxpayer filed under in an earlier year (a change of name at
    marriage or divorce): the master itself shows the person used it.
    """
    shared = d.keep(d.intersect("q.ln_tokens", "t.ln_tokens"), "x", "length(x) > 2")
    return f"""CASE
    WHEN q.ln IS NULL OR t.ln IS NULL THEN 'missing'
    WHEN q.ln = t.ln THEN 'exact'
    WHEN {_swapped(d)} THEN 'swapped'
    WHEN {d.contains("t.ln_former", "q.ln")} THEN 'former'
    WHEN {d.size(shared)} > 0 THEN 'token'
    WHEN q.ln_sound = t.ln_sound OR q.ln_variant = t.ln_variant
         OR {d.similarity("q.ln", "t.ln")} >= 0.92
         OR (length(q.ln) >= 4 AND {d.edit_distance("q.ln", "t.ln")} <= 1) THEN 'fuzzy'
    ELSE 'disagree' END"""


def middle_level_sql(d: Dialect = DUCKDB) -> str:
    """Return SQL for the middle-name level: exact, initial, disagree."""
    return """CASE
    WHEN q.mn IS NULL OR t.mn IS NULL THEN 'missing'
    WHEN q.mn = t.mn THEN 'exact'
    WHEN left(q.mn, 1) = left(t.mn, 1) AND (length(q.mn) = 1 OR length(t.mn) = 1) THEN 'initial'
    ELSE 'disagree' END"""


def suffix_level_sql(d: Dialect = DUCKDB) -> str:
    """Return SQL for the generational suffix: agree, one_missing, disagree (JR against SR)."""
    return """CASE
    WHEN q.sfx IS NULL AND t.sfx IS NULL THEN 'missing'
    WHEN q.sfx IS NULL OR t.sfx IS NULL THEN 'one_missing'
    WHEN q.sfx = t.sfx THEN 'agree'
    ELSE 'disagree' END"""


def dob_level_sql(d: Dialect = DUCKDB) -> str:
    """Return SQL for the date of birth: exact, transposed, slip, near (one part off), disagree.

    A *slip* is one keystroke: the dates written YYYYMMDD differ in one digit, or in two
    neighbouring digits swapped (1971-08-12 for 1971-08-21, 1917 for 1971). A *near* date is
    otherwise one part off (another day of the same month, or the year off by one): the same
    evidence of identity only if the rest agrees, and the model weighs it apart from a slip.
    """
    digits = d.edit_distance(d.date_digits("q.dob"), d.date_digits("t.dob"))
    return f"""CASE
    WHEN q.dob IS NULL OR t.dob IS NULL THEN 'missing'
    WHEN q.dob = t.dob THEN 'exact'
    WHEN year(q.dob) = year(t.dob) AND month(q.dob) = day(t.dob) AND day(q.dob) = month(t.dob)
         THEN 'transposed'
    WHEN {digits} = 1 THEN 'slip'
    WHEN (month(q.dob) = month(t.dob) AND day(q.dob) = day(t.dob)
          AND abs(year(q.dob) - year(t.dob)) = 1)
      OR (year(q.dob) = year(t.dob) AND (month(q.dob) = month(t.dob) OR day(q.dob) = day(t.dob)))
         THEN 'near'
    ELSE 'disagree' END"""


def tin_level_sql(d: Dialect = DUCKDB) -> str:
    """Return SQL for the requester-supplied TIN: agree, disagree, or missing."""
    return """CASE WHEN q.tin IS NULL THEN 'missing' WHEN q.tin = t.tin THEN 'agree'
    ELSE 'disagree' END"""


# Address levels are ranked so that the best-agreeing address of a taxpayer's history wins:
# the same household address (exact, or with the street name misspelt), the same street with
# another house number, the same ZIP code, the same city, nothing.
ADDRESS_RANKS = {5: "exact", 4: "street", 3: "same_street", 2: "zip", 1: "city", 0: "disagree"}


def address_rank_sql(street_similarity: str) -> str:
    """Return SQL ranking one filed address `a` against the query's address (5 best, 0 none).

    `street_similarity` is the SQL of the Jaro-Winkler similarity of `a.street_name` to the
    query's (the dialect says how it is computed inside a list).
    """
    return f"""CASE
    WHEN q.house IS NOT NULL AND q.house = a.house AND q.street_name = a.street_name
         AND (q.zip5 = a.zip5 OR q.city = a.city) THEN 5
    WHEN q.house IS NOT NULL AND q.house = a.house
         AND {street_similarity} >= 0.85
         AND (q.zip5 = a.zip5 OR q.city = a.city) THEN 4
    WHEN q.street_name IS NOT NULL AND q.street_name = a.street_name
         AND (q.zip5 = a.zip5 OR q.city = a.city) THEN 3
    WHEN q.zip5 = a.zip5 THEN 2
    WHEN q.city = a.city AND q.state = a.state THEN 1
    ELSE 0 END"""


def address_level_sql(rank_column: str) -> str:
    """Return SQL naming the address level of a best rank column."""
    cases = " ".join(f"WHEN {rank} THEN '{name}'" for rank, name in ADDRESS_RANKS.items())
    return f"CASE {rank_column} {cases} ELSE 'missing' END"


FIELD_LEVEL_SQL: dict[str, Callable[[Dialect], str]] = {
    "given": given_level_sql,
    "surname": surname_level_sql,
    "middle": middle_level_sql,
    "suffix": suffix_level_sql,
    "dob": dob_level_sql,
    "tin": tin_level_sql,
}
