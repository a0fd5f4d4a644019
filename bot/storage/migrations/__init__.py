"""Alembic migrations. `circlebot db upgrade` applies them (bot.storage.migrate)."""
