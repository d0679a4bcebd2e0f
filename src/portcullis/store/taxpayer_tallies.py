"""The taxpayers whose address was released, per UTC year, kept by the database like the tallies.

One row per year and TIN with the number of disclosed items naming that TIN. Triggers on
`decisions` add, move and subtract each disclosed decision in the writer's transaction, so the
taxpayers affected in a year are the rows of that year: no page sorts the year's TINs to count them.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Integer, String, Table

from portcullis.reports.rows import DISCLOSED
from portcullis.store.metadata import metadata

taxpayer_tallies = Table(
    "taxpayer_tallies",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("tin", String(9), primary_key=True),
    Column("items", Integer, nullable=False),
    # Derived from `decisions` by the triggers: a backup leaves it out, a restore recounts it.
    info={"derived": True},
)

_SQLITE_YEAR = "CAST(strftime('%Y', {row}.decided_at) AS INTEGER)"
_POSTGRES_YEAR = "CAST(extract(year FROM ({row}.decided_at) AT TIME ZONE 'UTC') AS INTEGER)"


def _counted(row: str) -> str:
    return f"{row}.outcome = '{DISCLOSED}' AND {row}.tin IS NOT NULL"


def _add(year: str, row: str) -> str:
    return (
        f"INSERT INTO taxpayer_tallies (year, tin, items) "
        f"SELECT {year.format(row=row)}, {row}.tin, 1 WHERE {_counted(row)} "
        "ON CONFLICT (year, tin) DO UPDATE SET items = taxpayer_tallies.items + 1"
    )


def _subtract(year: str, row: str) -> str:
    match = f"year = {year.format(row=row)} AND tin = {row}.tin AND {_counted(row)}"
    return (
        f"UPDATE taxpayer_tallies SET items = items - 1 WHERE {match}; "
        f"DELETE FROM taxpayer_tallies WHERE items <= 0 AND {match}"
    )


def _sqlite_triggers() -> list[str]:
    watched = "UPDATE OF outcome, tin, decided_at"
    add, subtract = _add(_SQLITE_YEAR, "NEW"), _subtract(_SQLITE_YEAR, "OLD")
    return [
        f"CREATE TRIGGER IF NOT EXISTS taxpayer_tallies_added AFTER INSERT ON decisions "
        f"BEGIN {add}; END",
        f"CREATE TRIGGER IF NOT EXISTS taxpayer_tallies_changed AFTER {watched} ON decisions "
        f"BEGIN {subtract}; {add}; END",
        f"CREATE TRIGGER IF NOT EXISTS taxpayer_tallies_removed AFTER DELETE ON decisions "
        f"BEGIN {subtract}; END",
    ]


def _postgres_triggers() -> list[str]:
    add, subtract = _add(_POSTGRES_YEAR, "NEW"), _subtract(_POSTGRES_YEAR, "OLD")
    function = (
        "CREATE OR REPLACE FUNCTION taxpayer_tallies_follow() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {subtract}; END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {add}; END IF; "
        "RETURN NULL; END $$"
    )
    trigger = (
        "CREATE OR REPLACE TRIGGER taxpayer_tallies_follow "
        "AFTER INSERT OR DELETE OR UPDATE OF outcome, tin, decided_at "
        "ON decisions FOR EACH ROW EXECUTE FUNCTION taxpayer_tallies_follow()"
    )
    return [function, trigger]


def _present(con: Connection) -> bool:
    if con.dialect.name == "postgresql":
        query = "SELECT count(*) FROM pg_trigger WHERE tgname = 'taxpayer_tallies_follow'"
        query += " AND tgrelid = 'decisions'::regclass"
        return bool(con.exec_driver_sql(query).scalar_one())
    query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
    query += " AND name LIKE 'taxpayer_tallies_%'"
    return int(con.exec_driver_sql(query).scalar_one()) == 3


def install_taxpayer_tallies(con: Connection) -> None:
    """Create the triggers if they are missing, and count every disclosed decision once afresh."""
    if _present(con):
        return
    postgres = con.dialect.name == "postgresql"
    for statement in _postgres_triggers() if postgres else _sqlite_triggers():
        con.exec_driver_sql(statement)
    year = (_POSTGRES_YEAR if postgres else _SQLITE_YEAR).format(row="d")
    con.execute(taxpayer_tallies.delete())
    con.exec_driver_sql(
        f"INSERT INTO taxpayer_tallies (year, tin, items) SELECT {year}, d.tin, count(*) "
        f"FROM decisions AS d WHERE {_counted('d')} GROUP BY {year}, d.tin"
    )
