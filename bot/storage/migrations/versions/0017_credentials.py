"""signed credentials learners keep

A learner who completed a circle receives a signed Open Badges 3.0 credential (/portfolio),
kept with its public id, its short code and the key that signed it; erased with the person.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=128), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("issued_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circle.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
        sa.UniqueConstraint("person_id", "circle_id"),
        sa.UniqueConstraint("public_id"),
    )
    with op.batch_alter_table("credential", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_credential_circle_id"), ["circle_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_credential_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("credential", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_credential_person_id"))
        batch_op.drop_index(batch_op.f("ix_credential_circle_id"))
    op.drop_table("credential")
