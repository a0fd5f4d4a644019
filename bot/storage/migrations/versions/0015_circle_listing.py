"""find a circle: listed circles, capacity, signup deadline, waiting list

A circle is listed (found by /find and the public directory) or private, the default; it may
have a number of seats for learners and a last day to sign up. Learners wait for a seat in a
full circle in order (waitingplace); a freed seat is offered to the first and held a while.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("listed", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("signup_deadline", sa.Date(), nullable=True))
        batch_op.create_index(batch_op.f("ix_circle_listed"), ["listed"], unique=False)
    op.create_table(
        "waitingplace",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("offered_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["circle_id"], ["circle.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("circle_id", "person_id"),
    )
    with op.batch_alter_table("waitingplace", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_waitingplace_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("waitingplace", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_waitingplace_person_id"))
    op.drop_table("waitingplace")
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circle_listed"))
        batch_op.drop_column("signup_deadline")
        batch_op.drop_column("capacity")
        batch_op.drop_column("listed")
