"""circle dial-in: a phone number to join an online circle's meetings by

Learners on SMS can't open a video link; a circle that meets online may give a number to call
in (NULL: none).

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 18:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dialin", sa.String(length=80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_column("dialin")
