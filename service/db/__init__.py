"""Persistence: the ORM tables, engine and session setup, and Alembic migrations."""
