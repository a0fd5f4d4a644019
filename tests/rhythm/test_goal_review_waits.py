"""Walkthroughs (lang 29, sms 29): the final week's goal review, answered a day late under the
last meeting's reminder, still reaches the portfolio."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import QuestionKind, Reflection
from tests.conftest import Chat
from tests.database import open_session
from tests.network.test_survey import TWO_WEEKS
from tests.seasons import Week, open_circle, play_week, starts


async def test_a_day_late_goal_review_answer_is_kept_after_the_reminder(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert any("How close did you get?" in text for text in sent), sent
    clock.set(starts(2) - timedelta(hours=24))
    await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert "Reply 1 for Yes or 2 for No" in sent[-1], sent
    answer = await chat.say("Brian", "Pretty close, I wrote my first script for work")
    assert "It's in your portfolio" in answer
    assert not any("first script" in m.text for m in await chat.deliver())  # not passed on
    async with open_session(core) as session:
        kept = (
            await session.exec(
                select(Reflection).where(Reflection.kind == QuestionKind.GOAL_REVIEW)
            )
        ).all()
    assert [r.text for r in kept] == ["Pretty close, I wrote my first script for work"]
    # The reminder's choices still answer.
    assert "see you" in (await chat.say("Brian", "1")).casefold()
