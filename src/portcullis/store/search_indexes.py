"""Indexes behind the review queue's search and filters, and the ledger's unsequenced decisions.

Identifiers (item id, request id, case number) are searched by prefix, which a btree answers on
both dialects (with `text_pattern_ops` on PostgreSQL, whatever the database's collation). Names
and officers are searched by substring, which PostgreSQL answers from a trigram index when the
`pg_trgm` extension can be had; elsewhere the same index is a plain btree and the search scans.
"""

from __future__ import annotations

from sqlalchemy import Connection, Index, MetaData, event
from sqlalchemy.exc import DBAPIError

from portcullis.store.metadata import metadata
from portcullis.store.tables import decisions, items

TRIGRAM_EXTENSION = "pg_trgm"

PREFIX_INDEXES: tuple[Index, ...] = tuple(
    Index(
        f"ix_items_search_{column.name}", column, postgresql_ops={column.name: "text_pattern_ops"}
    )
    for column in (items.c.item_id, items.c.request_id, items.c.case_number)
)
name_substring = Index("ix_items_search_name_key", items.c.name_key)
officer_substring = Index("ix_items_search_officers", items.c.officers)
TRIGRAM_INDEXES: tuple[tuple[Index, str], ...] = (
    (name_substring, "name_key"),
    (officer_substring, "officers"),
)
# The integrator asks for the decisions without a ledger entry on every flush: a handful of rows.
unsequenced = Index(
    "ix_decisions_unsequenced",
    decisions.c.item_pk,
    sqlite_where=decisions.c.ledger_index.is_(None),
    postgresql_where=decisions.c.ledger_index.is_(None),
)


def trigram_schema(con: Connection) -> str | None:
    """Return the schema holding `pg_trgm` on this PostgreSQL database, creating it if allowed.

    None on SQLite, and on a PostgreSQL server that lacks the extension or refuses to create it.
    The extension goes to `public`, never to a workspace's own schema, so dropping that schema
    cannot take the operator classes away from the other workspaces of the database.
    """
    if con.dialect.name != "postgresql":
        return None
    query = "SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = %(name)s"
    found = con.exec_driver_sql(query, {"name": TRIGRAM_EXTENSION}).scalar_one_or_none()
    if found is not None:
        return str(found)
    available = con.exec_driver_sql(
        "SELECT count(*) FROM pg_available_extensions WHERE name = %(name)s",
        {"name": TRIGRAM_EXTENSION},
    ).scalar_one()
    if not available:
        return None
    try:
        with con.begin_nested():
            con.exec_driver_sql(f"CREATE EXTENSION IF NOT EXISTS {TRIGRAM_EXTENSION} SCHEMA public")
    except DBAPIError:
        # No privilege to create it, or no `public` schema: the search then does without it.
        return None
    return "public"


def prepare_trigram_indexes(con: Connection) -> None:
    """Make the name and officer indexes trigram (GIN) indexes when the database can have them."""
    schema = trigram_schema(con)
    for index, column in TRIGRAM_INDEXES:
        options = index.dialect_options["postgresql"]
        if schema is None:
            options["using"], options["ops"] = None, {}
        else:
            options["using"], options["ops"] = "gin", {column: f"{schema}.gin_trgm_ops"}


@event.listens_for(metadata, "before_create")
def _before_create(target: MetaData, connection: Connection, **_: object) -> None:
    prepare_trigram_indexes(connection)
