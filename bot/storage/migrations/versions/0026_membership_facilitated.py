"""membership facilitated: whether a member has ever run the circle

A facilitator who hands her circle over and steps down stays its former facilitator in the
export's roster and in her portfolio (walkthrough fac 40). Those facilitating now have.

Revision ID: 0026
Revises: 0025
Create Date: 2027-01-25 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("facilitated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute(
        "UPDATE membership SET facilitated = TRUE WHERE role IN ('facilitator', 'cofacilitator')"
    )


def downgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_column("facilitated")
