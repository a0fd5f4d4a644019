"""Storage: the tables (SQLModel), the async engine for SQLite or PostgreSQL, and Alembic
migrations.
"""
