"""tick indexes: the letters relay's due time, and indexes the hot queries' plans asked for

The relay (bot/letters/relay.py) stores, like the weekly rhythm, when it next has something
for a circle, so a tick with nothing due is an index lookup. Every existing circle is looked at
by the next tick, which works its time out.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 13:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# bot.storage.models.RHYTHM_LOOK_AGAIN, as stored (naive UTC): also for rows written without it.
_LOOK_AGAIN = "1970-01-01 00:00:00"


def upgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "letters_due_at",
                bot.storage.types.UTCDateTime(),
                nullable=True,
                server_default=sa.text(f"'{_LOOK_AGAIN}'"),
            )
        )
        batch_op.create_index(
            batch_op.f("ix_circle_letters_due_at"), ["letters_due_at"], unique=False
        )
        # Every tick looks up the circles anonymised in its window: a scan of all without it.
        batch_op.create_index(
            batch_op.f("ix_circle_anonymised_at"), ["anonymised_at"], unique=False
        )

    # Found by `circlebot bench-checkins --explain` at 1,000,000 learners (README, Performance):
    # /next's next meeting walked the whole starts_at index; the dispatcher's opt-out lookup and
    # its expiry read every account and every outbox row.
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_circle_starts", ["circle_id", "starts_at"], unique=False)
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_address"), ["address"], unique=False)
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_useful", ["status", "useful_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outboxmessage", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_useful")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_address"))
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_circle_starts")
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circle_anonymised_at"))
        batch_op.drop_index(batch_op.f("ix_circle_letters_due_at"))
        batch_op.drop_column("letters_due_at")
