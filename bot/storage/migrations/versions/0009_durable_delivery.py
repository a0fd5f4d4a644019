"""durable delivery: priorities, usefulness, failure kinds, shared send budgets, platform health

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 06:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The priorities of bot/delivery/kinds.py PRIORITY as they were when this ran (data, not code).
_REPLIES = ("reply", "announcement-reply", "sms-forward")
_TIMELY = ("reminder", "digest", "checkin", "checkin-nudge", "goal-review")
_BULK = ("announcement", "letter-relay", "letters-rollup", "team-weekly", "member-joined")


def upgrade() -> None:
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("priority", sa.SmallInteger(), nullable=False, server_default="2")
        )
        batch_op.add_column(
            sa.Column("useful_until", bot.storage.types.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(sa.Column("failure", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("claimed_until", bot.storage.types.UTCDateTime(), nullable=True)
        )
        batch_op.create_index(
            "ix_outbox_chat_queue", ["platform", "chat_id", "status", "id"], unique=False
        )
    outbox = sa.table("outboxmessage", sa.column("kind", sa.String), sa.column("priority"))
    for priority, kinds in ((0, _REPLIES), (1, _TIMELY), (3, _BULK)):
        op.execute(outbox.update().where(outbox.c.kind.in_(kinds)).values(priority=priority))
    op.create_table(
        "sendbudget",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("free_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "platformhealth",
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=True),
        sa.Column("since", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("platform"),
    )


def downgrade() -> None:
    op.drop_table("platformhealth")
    op.drop_table("sendbudget")
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_chat_queue")
        batch_op.drop_column("claimed_until")
        batch_op.drop_column("failure")
        batch_op.drop_column("useful_until")
        batch_op.drop_column("priority")
