"""The store: SQLModel records, engine and sessions, migrations and keyword-only data functions."""
