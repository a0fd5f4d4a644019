"""letter online: a letter written in a circle that meets online

Its circle's city is where its facilitator is, not where its learners are: the letter comes
"from an online circle", and that city never keeps it from a circle there (walkthrough in
German and Danish: "From Vienna, Austria", and never delivered).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 13:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("online", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_column("online")
