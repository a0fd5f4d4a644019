"""Walkthroughs lang 14 and sms 20: the final week's goal look-back, answered in words that
look like something else: German "Ziemlich nah!" (near, never English "nah" = no) under the
last meeting's reminder; "goal yangu nimeweza excel kiasi" by SMS, never the GOAL command."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import QuestionKind, Reflection, Rsvp
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.network.test_survey import TWO_WEEKS
from tests.seasons import Week, open_circle, play_week, starts


async def _look_back_asked_then_reminded(
    chat: Chat, core: Core, clock: FakeClock, name: str, language: str
) -> None:
    await open_circle(chat, core, {name: True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=(name,)))
    await chat.say(name, "/language " + language)
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    await chat.deliver()
    clock.set(starts(2) - timedelta(hours=24))
    await core.tick()
    await chat.deliver()


async def _look_backs(core: Core) -> list[str]:
    async with open_session(core) as session:
        kept = (
            await session.exec(
                select(Reflection).where(Reflection.kind == QuestionKind.GOAL_REVIEW)
            )
        ).all()
    return [r.text for r in kept]


async def test_german_nah_is_near_and_the_look_back_is_kept(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _look_back_asked_then_reminded(chat, core, clock, "Jonas", "de")
    typed = "Ziemlich nah! Ich telefoniere jetzt öfter auf Englisch"
    answer = await chat.say("Jonas", typed)
    assert "vermissen" not in answer, answer
    async with open_session(core) as session:
        assert not (await session.exec(select(Rsvp))).all(), answer
    assert await _look_backs(core) == [typed], answer


async def test_goal_first_in_an_sms_look_back_is_no_goal_command(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await sms.say("Baraka", "JOIN " + await code_of(core, "Python for Everyone"))
    await sms.say("Baraka", "Nataka kujua kutumia excel kwa kazi")
    await sms.say("Baraka", "2")  # his answers stay private
    await sms.say("Baraka", "LUGHA sw")
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    asked = "\n".join(m.text for m in await sms.deliver())
    assert "Umefika karibu kiasi gani?" in asked, asked
    typed = "goal yangu nimeweza excel kiasi"
    answer = await sms.say("Baraka", typed)
    assert await _look_backs(core) == [typed], answer
    async with open_session(core) as session:
        goals = (
            await session.exec(select(Reflection).where(Reflection.kind == QuestionKind.GOAL))
        ).all()
    assert "Nataka kujua kutumia excel kwa kazi" in [g.text for g in goals], answer
    assert not any("kiasi" in g.text for g in goals), answer  # his goal as it was
