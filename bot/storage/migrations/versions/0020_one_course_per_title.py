"""one course per link and per title: courses split in two records made one

A circle made without a link had a course of its own beside the one with the same title and a
link ("Python for Everybody" and "Python for Everybody https://py4e.com"), and a link typed
without a scheme ("www.py4e.com") was read as a path: /courses listed the course twice and
/newcircle offered it twice. Each such pair is merged into one course here: its circles,
surveys and shared links move to the course kept, the other is deleted.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-08 10:00:00
"""

from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_course = sa.table(
    "course",
    sa.column("id", sa.Integer()),
    sa.column("key", sa.String()),
    sa.column("title", sa.String()),
    sa.column("url", sa.String()),
    sa.column("language", sa.String()),
    sa.column("topic", sa.String()),
)
_POINTING = ("circle", "coursesurvey", "courseresource")  # tables with a course_id


def _link_key(url: str) -> str:
    """A frozen copy of bot.network.courses.course_key for a link, as it was when this ran."""
    typed = url.strip()
    parts = urlsplit(typed if "//" in typed else "//" + typed)
    host = parts.netloc.casefold().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = "?" + parts.query if parts.query else ""
    return ("link:" + host + path + query).casefold()[:520]


def _title(title: str) -> str:
    return " ".join(title.casefold().split())


def upgrade() -> None:
    connection = op.get_bind()
    courses = connection.execute(
        sa.select(
            _course.c.id, _course.c.title, _course.c.url, _course.c.language, _course.c.topic
        ).order_by(_course.c.id)
    ).all()
    circle = sa.table("circle", sa.column("course_id", sa.Integer()))
    taken: dict[int, int] = dict(
        connection.execute(
            sa.select(circle.c.course_id, sa.func.count()).group_by(circle.c.course_id)
        ).all()
    )
    # The same link, however typed, first; then a course without a link joins the course of
    # its title in its language (the one most circles took, one with a link first).
    by_link: dict[str, list[sa.Row]] = defaultdict(list)
    for row in courses:
        if row.url and row.url.strip():
            by_link[_link_key(row.url)].append(row)
    into: dict[int, int] = {}
    for same in by_link.values():
        kept = min(same, key=lambda r: (-taken.get(r.id, 0), r.id))
        into.update({r.id: kept.id for r in same if r.id != kept.id})
    by_title: dict[tuple[str, str], list[sa.Row]] = defaultdict(list)
    for row in courses:
        if row.id not in into:
            by_title[(row.language, _title(row.title))].append(row)
    for same in by_title.values():
        linked = [r for r in same if r.url and r.url.strip()]
        if not linked:
            linked = same
        kept = min(linked, key=lambda r: (-taken.get(r.id, 0), r.id))
        into.update(
            {r.id: kept.id for r in same if r.id != kept.id and not (r.url and r.url.strip())}
        )
    for gone, kept_id in into.items():
        for name in _POINTING:
            table = sa.table(name, sa.column("course_id", sa.Integer()))
            connection.execute(
                sa.update(table).where(table.c.course_id == gone).values(course_id=kept_id)
            )
        topic = next((r.topic for r in courses if r.id == gone), None)
        if topic:
            connection.execute(
                sa.update(_course)
                .where(_course.c.id == kept_id, _course.c.topic.is_(None))
                .values(topic=topic)
            )
        connection.execute(sa.delete(_course).where(_course.c.id == gone))
    # The keys as courses.course_key now makes them, so a circle typing the link finds its course.
    for row in courses:
        if row.id not in into and row.url and row.url.strip():
            connection.execute(
                sa.update(_course).where(_course.c.id == row.id).values(key=_link_key(row.url))
            )


def downgrade() -> None:
    pass  # merged courses are not split again: nothing tells which circle had which
