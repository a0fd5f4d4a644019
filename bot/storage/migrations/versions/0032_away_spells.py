"""away spells: the times a learner was away from a circle she came back to

A learner who leaves a circle and joins it again has her membership reopened; the time she was
away is kept here, so the meetings held meanwhile are not counted as hers (not asked their
check-ins, not absent, not drifting) and the export says when she left and came back
(issue 16).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "awayspell",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("membership_id", sa.Integer(), nullable=False),
        sa.Column("left_at", UTCDateTime(), nullable=False),
        sa.Column("came_back_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["membership_id"], ["membership.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        op.f("ix_awayspell_membership_id"), "awayspell", ["membership_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_awayspell_membership_id"), table_name="awayspell")
    op.drop_table("awayspell")
