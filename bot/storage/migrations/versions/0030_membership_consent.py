"""membership leads_since and consent_at: sharing is given to the facilitators one knew

A learner who let her facilitator read her check-ins said yes to that facilitator, not to a
fellow learner made co-facilitator later; and that new co-facilitator must not take her yes away
from the facilitator she gave it to (walkthrough 10, A6). `leads_since`: when a member began
running the circle (None: from joining). `consent_at`: when the learner last said who may read
(None: when sharing was turned on, or joining).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leads_since", UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("consent_at", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_column("consent_at")
        batch_op.drop_column("leads_since")
