"""early delivery reports: a report that comes before its message's receipt is committed

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "earlydeliveryreport",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("receipt", sa.String(length=128), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=128), nullable=True),
        sa.Column("received_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_earlydeliveryreport_receipt", "earlydeliveryreport", ["receipt"])


def downgrade() -> None:
    op.drop_index("ix_earlydeliveryreport_receipt", table_name="earlydeliveryreport")
    op.drop_table("earlydeliveryreport")
