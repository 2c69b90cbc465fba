"""The DuckDB store: the dashboard's one source of truth, written only through ``store.service``."""
