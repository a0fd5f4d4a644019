"""outbox part receipts: a delivery report for each part of a message split for SMS

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outboxreceipt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("receipt", sa.String(length=128), nullable=False),
        sa.Column("delivery_status", sa.String(length=32), nullable=True),
        sa.Column("delivered_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["outbox_id"], ["outboxmessage.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("outbox_id", "part"),
    )
    op.create_index("ix_outboxreceipt_outbox_id", "outboxreceipt", ["outbox_id"])
    op.create_index("ix_outboxreceipt_receipt", "outboxreceipt", ["receipt"])
    # Rows sent before this revision keep their one receipt, as part 0 of themselves.
    op.execute(
        "INSERT INTO outboxreceipt (outbox_id, part, receipt, delivery_status, delivered_at) "
        "SELECT id, 0, receipt, delivery_status, delivered_at FROM outboxmessage "
        "WHERE receipt IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_outboxreceipt_receipt", table_name="outboxreceipt")
    op.drop_index("ix_outboxreceipt_outbox_id", table_name="outboxreceipt")
    op.drop_table("outboxreceipt")
