"""The taxpayer master store (DuckDB): schema, loading, last known address."""
