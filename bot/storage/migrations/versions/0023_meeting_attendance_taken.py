"""meeting attendance taken: when a facilitator took attendance, even with nobody there

"Nobody came" leaves no attendance row, so a meeting taken with nobody present read as "not
taken". NULL: nobody has taken it (the rows, if any, still say who came).

Revision ID: 0023
Revises: 0022
Create Date: 2027-01-10 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("attendance_taken_at", bot.storage.types.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_column("attendance_taken_at")
