"""courses as records shared by circles, the end-of-circle survey, the course commons

Every circle points to a course (circle.course_id); existing circles are grouped into courses
here: the same link (or, without one, the same title in the same language) is the same course.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(title: str, url: str | None, language: str) -> str:
    """A frozen copy of bot.network.courses.course_key as it was when this ran."""
    if url and url.strip():
        parts = urlsplit(url.strip())
        host = parts.netloc.casefold().removeprefix("www.")
        path = parts.path.rstrip("/")
        query = "?" + parts.query if parts.query else ""
        return ("link:" + host + path + query).casefold()[:520]
    return ("title:" + language.casefold() + ":" + " ".join(title.casefold().split()))[:520]


def upgrade() -> None:
    op.create_table(
        "course",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=520), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("topic", sa.String(length=60), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "coursesurvey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("rating", sa.SmallInteger(), nullable=True),
        sa.Column("goal_met", sa.String(length=8), nullable=True),
        sa.Column("recommend", sa.Boolean(), nullable=True),
        sa.Column("tip", sa.String(length=500), nullable=True),
        sa.Column("tip_shared", sa.Boolean(), nullable=False),
        sa.Column("tip_flags", sa.JSON(), nullable=False),
        sa.Column("answered_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("updated_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["circle_id"], ["circle.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("circle_id", "person_id"),
    )
    with op.batch_alter_table("coursesurvey", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coursesurvey_circle_id"), ["circle_id"])
        batch_op.create_index(batch_op.f("ix_coursesurvey_person_id"), ["person_id"])
        batch_op.create_index(batch_op.f("ix_coursesurvey_course_id"), ["course_id"])
    op.create_table(
        "courseresource",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("circle_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(), nullable=False),
        sa.Column("decided_at", bot.storage.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["circle_id"], ["circle.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("courseresource", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_courseresource_course_id"), ["course_id"])
        batch_op.create_index(batch_op.f("ix_courseresource_circle_id"), ["circle_id"])
        batch_op.create_index(batch_op.f("ix_courseresource_person_id"), ["person_id"])
    # A plain column, no foreign key: one would rebuild the circle table on SQLite.
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.add_column(sa.Column("course_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_circle_course_id"), ["course_id"])
    _backfill()


def _backfill() -> None:
    """Each existing circle to its course, made from the first circle that took it."""
    connection = op.get_bind()
    circle = sa.table(
        "circle",
        sa.column("id", sa.Integer()),
        sa.column("course_title", sa.String()),
        sa.column("course_url", sa.String()),
        sa.column("language", sa.String()),
        sa.column("course_id", sa.Integer()),
    )
    course = sa.table(
        "course",
        sa.column("id", sa.Integer()),
        sa.column("key", sa.String()),
        sa.column("title", sa.String()),
        sa.column("url", sa.String()),
        sa.column("language", sa.String()),
    )
    rows = connection.execute(
        sa.select(
            circle.c.id, circle.c.course_title, circle.c.course_url, circle.c.language
        ).order_by(circle.c.id)
    ).all()
    made: dict[str, int] = {}
    for circle_id, title, url, language in rows:
        key = _key(title, url, language)
        if key not in made:
            made[key] = connection.execute(
                sa.insert(course)
                .values(
                    key=key,
                    title=title,
                    url=url.strip() if url else None,
                    language=language,
                )
                .returning(course.c.id)
            ).scalar_one()
        connection.execute(
            sa.update(circle).where(circle.c.id == circle_id).values(course_id=made[key])
        )


def downgrade() -> None:
    with op.batch_alter_table("circle", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_circle_course_id"))
        batch_op.drop_column("course_id")
    with op.batch_alter_table("courseresource", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_courseresource_person_id"))
        batch_op.drop_index(batch_op.f("ix_courseresource_circle_id"))
        batch_op.drop_index(batch_op.f("ix_courseresource_course_id"))
    op.drop_table("courseresource")
    with op.batch_alter_table("coursesurvey", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coursesurvey_course_id"))
        batch_op.drop_index(batch_op.f("ix_coursesurvey_person_id"))
        batch_op.drop_index(batch_op.f("ix_coursesurvey_circle_id"))
    op.drop_table("coursesurvey")
    op.drop_table("course")
