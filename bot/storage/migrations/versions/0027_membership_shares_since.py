"""membership shares_since: when a learner last turned sharing on

Answers written while private stay private after /sharing on ("from now on"): the digest and
the export quote only those written since (walkthrough 8, sms 13 and lang 14).

Revision ID: 0027
Revises: 0026
Create Date: 2027-01-26 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shares_since", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_column("shares_since")
