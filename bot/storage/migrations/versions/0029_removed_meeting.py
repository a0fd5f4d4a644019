"""removed meetings: meetings taken off a circle's end, kept for its calendar files

/edit meetings deletes the meetings after the new count; a calendar file (.ics) must still
carry them, as CANCELLED with a higher SEQUENCE, or phones that imported them keep showing
them (walkthrough fac 35).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "removedmeeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("starts_at", UTCDateTime(), nullable=False),
        sa.Column("ends_at", UTCDateTime(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circle.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("circle_id", "number"),
    )
    op.create_index(
        op.f("ix_removedmeeting_circle_id"), "removedmeeting", ["circle_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_removedmeeting_circle_id"), table_name="removedmeeting")
    op.drop_table("removedmeeting")
