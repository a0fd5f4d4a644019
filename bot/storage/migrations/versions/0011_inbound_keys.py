"""inbound keys: message ids of a platform that never reuses them, kept for good as 64-bit hashes

Nothing to carry over: the receipts still here become keys at the next daily housekeeping; those
pruned before this ran are gone.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "inboundkey",
        # SQLite's INTEGER primary key is the row id itself (64-bit): one B-tree.
        sa.Column(
            "key",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=False,
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    op.drop_table("inboundkey")
