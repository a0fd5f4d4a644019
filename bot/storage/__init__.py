"""Storage: SQLModel tables, the async engine (SQLite or PostgreSQL) and Alembic migrations."""
