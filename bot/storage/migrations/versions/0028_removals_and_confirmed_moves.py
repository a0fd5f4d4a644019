"""membership removed_at/removed_by; link codes a facilitator asked for (number moves)

A learner a facilitator took off a circle (/remove) can't rejoin it by its code until the
facilitator lets them back (membership.removed_at, removed_by; walkthrough sms 33). A
facilitator's /movenumber waits for the new phone to say yes: the code texted there records
who asked, for which circle (linkcode.asked_by, linkcode.circle_id; walkthrough sms 36).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 03:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_at", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("removed_by", sa.Integer(), nullable=True))
    with op.batch_alter_table("linkcode", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asked_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("circle_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("linkcode", schema=None) as batch_op:
        batch_op.drop_column("circle_id")
        batch_op.drop_column("asked_by")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_column("removed_by")
        batch_op.drop_column("removed_at")
