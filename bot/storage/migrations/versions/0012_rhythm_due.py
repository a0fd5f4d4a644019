"""rhythm due: when the tick next has weekly-rhythm work for each circle; meetings by start

Every existing circle is looked at by the next tick, which works its time out.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# bot.storage.models.RHYTHM_LOOK_AGAIN, as stored (naive UTC): also for rows written without it.
_LOOK_AGAIN = "1970-01-01 00:00:00"


def upgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "rhythm_due_at",
                bot.storage.types.UTCDateTime(),
                nullable=True,
                server_default=sa.text(f"'{_LOOK_AGAIN}'"),
            )
        )
        batch_op.add_column(
            sa.Column("rhythm_revision", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_index(
            batch_op.f("ix_circle_rhythm_due_at"), ["rhythm_due_at"], unique=False
        )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_starts_at"), ["starts_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_starts_at"))
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circle_rhythm_due_at"))
        batch_op.drop_column("rhythm_revision")
        batch_op.drop_column("rhythm_due_at")
