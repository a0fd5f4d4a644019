"""reports and teams: meeting sequence numbers for calendars, teams of circles and organizers

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("sequence", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "teamorganizer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("weekly_summary", sa.Boolean(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "person_id"),
    )
    with op.batch_alter_table("teamorganizer") as batch:
        batch.create_index("ix_teamorganizer_person_id", ["person_id"], unique=False)
        batch.create_index("ix_teamorganizer_team_id", ["team_id"], unique=False)
    op.create_table(
        "teamcircle",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("added_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circle.id"]),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "circle_id"),
    )
    with op.batch_alter_table("teamcircle") as batch:
        batch.create_index("ix_teamcircle_circle_id", ["circle_id"], unique=False)
        batch.create_index("ix_teamcircle_team_id", ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("teamcircle") as batch:
        batch.drop_index("ix_teamcircle_team_id")
        batch.drop_index("ix_teamcircle_circle_id")
    op.drop_table("teamcircle")
    with op.batch_alter_table("teamorganizer") as batch:
        batch.drop_index("ix_teamorganizer_team_id")
        batch.drop_index("ix_teamorganizer_person_id")
    op.drop_table("teamorganizer")
    op.drop_table("team")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("sequence")
