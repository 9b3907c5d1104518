"""The store: SQLModel records, engine and sessions, Alembic migrations and keyword-only data functions."""
