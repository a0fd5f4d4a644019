"""person time zone: a learner's own zone, for the meetings of circles that meet online

An online circle's learners may live in other zones: one who sets hers (/timezone) sees its
meetings in her own time (NULL: the circle's zone, as before).

Revision ID: 0025
Revises: 0024
Create Date: 2027-01-20 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("timezone")
