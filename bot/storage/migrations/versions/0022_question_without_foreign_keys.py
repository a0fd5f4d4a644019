"""question without foreign keys: the tick's check-ins written without a check per row

The weekly tick writes a question for every check-in it queues (100,000 at once in a big
network), and each row's three foreign-key checks (person, circle, meeting) were a third of
that insert's time (README, Performance). Every path that deletes a person, a circle or a
meeting already deletes or detaches its questions first (bot/circles/erasure.py, editing.py,
meetings.py, pairing.py; bot/reports/retention.py), and tests/storage/test_question_rows.py
checks they leave none pointing nowhere. The indexes stay.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-08 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_REFERENCES = {"person_id": "person", "circle_id": "circle", "meeting_id": "meeting"}


def _question(*constraints: sa.Constraint) -> sa.Table:
    """The question table as 0002 made it, with `constraints` (SQLite's batch copy)."""
    return sa.Table(
        "question",
        sa.MetaData(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("prompt_key", sa.String(length=64), nullable=False),
        sa.Column("asked_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("expires_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.Index("ix_question_circle_id", "circle_id"),
        sa.Index("ix_question_person_id", "person_id"),
        *constraints,
    )


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":  # its foreign keys have no names: copied without
        with op.batch_alter_table("question", copy_from=_question(), recreate="always"):
            pass
        return
    for column in _REFERENCES:
        op.drop_constraint(f"question_{column}_fkey", "question", type_="foreignkey")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        references = [
            sa.ForeignKeyConstraint([column], [f"{table}.id"])
            for column, table in _REFERENCES.items()
        ]
        with op.batch_alter_table("question", copy_from=_question(*references), recreate="always"):
            pass
        return
    for column, table in _REFERENCES.items():
        op.create_foreign_key(f"question_{column}_fkey", "question", table, [column], ["id"])
