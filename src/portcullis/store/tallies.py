"""Decisions counted per request, UTC day, outcome, reason codes and statute, kept by the database.

Triggers on `decisions` add and subtract each row as it is inserted, changed or deleted, in the
same transaction, whoever writes it: the road, a review, a restore or a bulk load. The counts are
therefore never stale, and the pages read a few thousand rows instead of millions.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, Date, Integer, String, Table, Text

from portcullis.store.metadata import metadata

decision_tallies = Table(
    "decision_tallies",
    metadata,
    Column("request_id", String(200), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("outcome", String(20), primary_key=True),
    Column("reason_codes", Text, primary_key=True),
    Column("statute", String(200), primary_key=True),
    Column("items", Integer, nullable=False),
    # Derived from `decisions` by the triggers: a backup leaves it out, a restore recounts it.
    info={"derived": True},
)

_KEY = "request_id, day, outcome, reason_codes, statute"

# The one dialect quirk: the UTC day of a stored moment and the statute inside the item's record.
_SQLITE_DAY = "date({row}.decided_at)"
_SQLITE_STATUTE = "coalesce(json_extract(i.record, '$.statute'), '')"
_POSTGRES_DAY = "(({row}.decided_at) AT TIME ZONE 'UTC')::date"
_POSTGRES_STATUTE = "coalesce(i.record ->> 'statute', '')"


def _add(day: str, statute: str, row: str, conflict: str) -> str:
    return (
        f"INSERT INTO decision_tallies ({_KEY}, items) "
        f"SELECT i.request_id, {day.format(row=row)}, {row}.outcome, {row}.reason_codes, "
        f"{statute}, 1 FROM items AS i WHERE i.id = {row}.item_pk "
        f"ON CONFLICT ({_KEY}) DO UPDATE SET items = {conflict}.items + 1"
    )


def _subtract(day: str, statute: str, row: str) -> str:
    match = (
        f"request_id = (SELECT i.request_id FROM items AS i WHERE i.id = {row}.item_pk) "
        f"AND day = {day.format(row=row)} AND outcome = {row}.outcome "
        f"AND reason_codes = {row}.reason_codes "
        f"AND statute = (SELECT {statute} FROM items AS i WHERE i.id = {row}.item_pk)"
    )
    return (
        f"UPDATE decision_tallies SET items = items - 1 WHERE {match}; "
        f"DELETE FROM decision_tallies WHERE items <= 0 AND {match}"
    )


def _sqlite_triggers() -> list[str]:
    add = _add(_SQLITE_DAY, _SQLITE_STATUTE, "NEW", "decision_tallies")
    subtract = _subtract(_SQLITE_DAY, _SQLITE_STATUTE, "OLD")
    watched = "UPDATE OF item_pk, outcome, reason_codes, decided_at"
    return [
        f"CREATE TRIGGER IF NOT EXISTS decision_tallies_added AFTER INSERT ON decisions "
        f"BEGIN {add}; END",
        f"CREATE TRIGGER IF NOT EXISTS decision_tallies_changed AFTER {watched} ON decisions "
        f"BEGIN {subtract}; {add}; END",
        f"CREATE TRIGGER IF NOT EXISTS decision_tallies_removed AFTER DELETE ON decisions "
        f"BEGIN {subtract}; END",
    ]


def _postgres_triggers() -> list[str]:
    add = _add(_POSTGRES_DAY, _POSTGRES_STATUTE, "NEW", "decision_tallies")
    subtract = _subtract(_POSTGRES_DAY, _POSTGRES_STATUTE, "OLD")
    function = (
        "CREATE OR REPLACE FUNCTION decision_tallies_follow() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        f"IF TG_OP IN ('UPDATE', 'DELETE') THEN {subtract}; END IF; "
        f"IF TG_OP IN ('UPDATE', 'INSERT') THEN {add}; END IF; "
        "RETURN NULL; END $$"
    )
    trigger = (
        "CREATE OR REPLACE TRIGGER decision_tallies_follow "
        "AFTER INSERT OR DELETE OR UPDATE OF item_pk, outcome, reason_codes, decided_at "
        "ON decisions FOR EACH ROW EXECUTE FUNCTION decision_tallies_follow()"
    )
    return [function, trigger]


def _present(con: Connection) -> bool:
    if con.dialect.name == "postgresql":
        query = "SELECT count(*) FROM pg_trigger WHERE tgname = 'decision_tallies_follow'"
        query += " AND tgrelid = 'decisions'::regclass"
        return bool(con.exec_driver_sql(query).scalar_one())
    query = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
    query += " AND name LIKE 'decision_tallies_%'"
    return int(con.exec_driver_sql(query).scalar_one()) == 3


def install_tallies(con: Connection) -> None:
    """Create the triggers if they are missing, and count every stored decision once afresh."""
    if _present(con):
        return
    postgres = con.dialect.name == "postgresql"
    for statement in _postgres_triggers() if postgres else _sqlite_triggers():
        con.exec_driver_sql(statement)
    day = (_POSTGRES_DAY if postgres else _SQLITE_DAY).format(row="d")
    statute = _POSTGRES_STATUTE if postgres else _SQLITE_STATUTE
    con.execute(decision_tallies.delete())
    con.exec_driver_sql(
        f"INSERT INTO decision_tallies ({_KEY}, items) "
        f"SELECT i.request_id, {day}, d.outcome, d.reason_codes, {statute}, count(*) "
        "FROM decisions AS d JOIN items AS i ON i.id = d.item_pk "
        f"GROUP BY i.request_id, {day}, d.outcome, d.reason_codes, {statute}"
    )
