"""two way messages: learners' messages passed on, numbered for /reply; a default circle

A learner's message passed on to the facilitators gets a number in its circle (passedon), so a
facilitator can answer its author with /reply N; a person in several circles can choose the one
their commands are about (person.default_circle_id, /default); meetings are found by their end
(the tick's attendance reminders and close-out).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-10 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "passedon",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circle.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("circle_id", "number"),
    )
    with op.batch_alter_table("passedon", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_passedon_person_id"), ["person_id"], unique=False)
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_ends_at"), ["ends_at"], unique=False)
    # A plain column, no foreign key: one would rebuild the person table on SQLite.
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("default_circle_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("default_circle_id")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_ends_at"))
    with op.batch_alter_table("passedon", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_passedon_person_id"))
    op.drop_table("passedon")
