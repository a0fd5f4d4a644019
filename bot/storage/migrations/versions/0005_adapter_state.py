"""adapter state: outbox delivery reports and adapter cursors (Telegram's polling offset)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 22:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outboxmessage") as batch:
        batch.add_column(sa.Column("delivery_status", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("delivered_at", bot.storage.types.UTCDateTime(), nullable=True))
        batch.create_index("ix_outboxmessage_receipt", ["receipt"], unique=False)
    op.create_table(
        "adaptercursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.String(length=255), nullable=False),
        sa.Column("updated_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "name"),
    )


def downgrade() -> None:
    op.drop_table("adaptercursor")
    with op.batch_alter_table("outboxmessage") as batch:
        batch.drop_index("ix_outboxmessage_receipt")
        batch.drop_column("delivered_at")
        batch.drop_column("delivery_status")
