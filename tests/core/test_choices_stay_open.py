"""Issue 16 walkthroughs: choices offered stay open after words the bot can't read, and a yes
picks the one affirmative choice on offer ("Join", "Send")."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.network.survey import WORDS_FOR
from bot.storage.models import WaitingPlace
from tests.circles.test_waiting_list import full_circle, leave
from tests.conftest import Chat
from tests.database import open_session
from tests.network.test_survey import TWO_WEEKS, answers_of, delivered, end_the_circle
from tests.seasons import open_circle


async def test_a_facilitator_s_sharing_question_survives_words_it_cant_read(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Amina", "5")
    assert "May I pass your tip on" in await chat.say("Amina", "Bring snacks.")
    unread = await chat.say("Amina", "hmm let me think")
    assert "Commands start with /" not in unread
    assert "Reply 1 for Yes or 2 for No" in unread or "Yes" in unread
    assert "will reach the next circles" in await chat.say("Amina", "1")
    amina = await answers_of(core, "Amina")
    assert amina is not None and amina.tip_shared is True


async def test_sure_why_not_shares_the_facilitator_s_tip(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Amina", "5")
    await chat.say("Amina", "Bring snacks.")
    assert "will reach the next circles" in await chat.say("Amina", "sure why not")


async def test_a_held_seat_survives_words_and_yes_please_takes_it(chat: Chat, core: Core) -> None:
    await full_circle(chat, core)
    await chat.say("Dana", "/find Detroit")
    assert "waiting list" in await chat.say("Dana", "1")
    await leave(chat, "Brian")
    assert [m for m in await chat.deliver() if "seat has opened" in m.text]
    unread = await chat.say("Dana", "hmm which day is it again")
    assert unread == "Sorry, I didn't catch that.\nReply 1 for Join."
    assert "Welcome" in await chat.say("Dana", "yes please")
    async with open_session(core) as session:
        assert not (await session.exec(select(WaitingPlace))).all()  # out of the line
    assert "Dana" in await chat.say("Amina", "/roster")


async def test_a_held_seat_is_taken_by_its_number_after_words(chat: Chat, core: Core) -> None:
    await full_circle(chat, core)
    await chat.say("Dana", "/find Detroit")
    await chat.say("Dana", "1")
    await leave(chat, "Brian")
    await chat.deliver()
    await chat.say("Dana", "hmm")
    assert "Welcome" in await chat.say("Dana", "1")


async def test_skip_at_the_survey_s_first_question_is_not_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Days later, once its words no longer go to the circle (survey.WORDS_FOR), "ruka" to the
    survey's first question skips it: nothing reaches the facilitator."""
    await open_circle(chat, core, {"Brian": True, "Dana": False}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    clock.set(clock.now() + WORDS_FOR + timedelta(hours=1))
    assert await chat.say("Brian", "ruka") == "OK, skipped. No answer is saved for that one."
    assert "ruka" not in (await delivered(chat)).get("amina", "")
