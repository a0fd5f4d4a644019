"""Facilitator walkthrough finding fac 45: the report's chart marks a meeting nobody took
attendance for as "not taken", not as an empty bar at 0 (which reads "nobody came")."""

from __future__ import annotations

import math

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.core import Core
from bot.reports import charts, reports
from bot.storage.models import Circle
from locales import LOCALES_DIR
from tests.conftest import Chat
from tests.database import open_session
from tests.reports.test_attendance_not_taken import quiet_weeks


async def test_a_meeting_without_attendance_is_marked_not_taken_in_the_chart(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await quiet_weeks(chat, core, clock)  # 2 came to meeting 1; meetings 2 and 3 not taken
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
        report = await reports.build(session, circle, clock.now())
    tr = Catalogs(LOCALES_DIR).translator("en")
    top = charts.circle_figure(tr, report).axes[0]
    came = next(c for c in top.containers if c.get_label() == "Came")
    heights = [bar.get_height() for bar in came][:3]
    assert heights[0] == 2
    assert math.isnan(heights[1]) and math.isnan(heights[2])  # no bar at 0
    marked = [t.get_position()[0] for t in top.texts if t.get_text() == "not taken"]
    assert len(marked) == 2  # meetings 2 and 3
    assert charts.circle_chart(tr, report).startswith(b"\x89PNG")
