"""check-ins paused per membership; link codes that move a phone number

A learner may pause the weekly check-in questions in one circle and keep its reminders
(membership.checkins_paused). A learner with a new SIM asks from her old phone to move her
record to the new number: the code texted there works only from that number (linkcode.move_to)
and retires the old number's account (linkcode.move_from) once used.

Revision ID: 0024
Revises: 0023
Create Date: 2027-01-20 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("checkins_paused", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("linkcode", schema=None) as batch_op:
        batch_op.add_column(sa.Column("move_from", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("move_to", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("linkcode", schema=None) as batch_op:
        batch_op.drop_column("move_to")
        batch_op.drop_column("move_from")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_column("checkins_paused")
