"""A learner can pause the weekly check-in questions in one circle and keep its meeting
reminders (/checkin off, by SMS CHECKIN OFF), and bring them back (/checkin on). The tick's
set-based check-ins leave her out; /help says how."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import Question
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS

CIRCLE = "Python for Everyone"
# Detroit: meeting 1 on Thursday 29 October 2026 at 18:00 (22:00 UTC), its check-in the next
# morning at 10:00; meeting 2 on 5 November at 18:00 EST (23:00 UTC), reminded 24 hours before.
CHECKIN_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)
REMINDER_2 = datetime(2026, 11, 4, 23, 0, tzinfo=UTC)
CHECKIN_2 = datetime(2026, 11, 6, 15, 0, tzinfo=UTC)
RATING_1 = "How did meeting 1 of Python for Everyone go for you?"
RATING_2 = "How did meeting 2 of Python for Everyone go for you?"
PHONE = "+254700000001"


async def circle_with(chat: Chat, core: Core, *learners: str) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for name in learners:
        assert "Welcome" in await chat.say(name, f"/join {code}")
        await chat.say(name, "/skip")
        await chat.say(name, "/skip")


def to(sent: list, name: str) -> str:
    return "\n".join(m.text for m in sent if m.address.chat_id == name.casefold())


async def test_paused_checkins_skip_her_and_keep_her_reminders(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = Core(any_engine, clock, random.Random(7), platforms=PLATFORMS)
    chat = Chat(core)
    await circle_with(chat, core, "Brian", "Chioma")

    assert await chat.say("Brian", "/checkin off") == (
        "Done: no more weekly check-in questions for Python for Everyone. Meeting reminders "
        "aren't affected. Send /checkin on to get the questions again."
    )
    clock.set(CHECKIN_1)
    assert (await core.tick()).checkins == 1
    sent = await chat.deliver()
    assert RATING_1 in to(sent, "Chioma")
    assert to(sent, "Brian") == ""

    clock.set(REMINDER_2)
    await core.tick()
    assert "Python for Everyone meets in" in to(await chat.deliver(), "Brian")

    assert "are back" in await chat.say("Brian", "/checkin on")
    clock.set(CHECKIN_2)
    await core.tick()
    assert RATING_2 in to(await chat.deliver(), "Brian")


async def test_pausing_drops_the_checkin_waiting_so_no_nudge_follows(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with(chat, core, "Brian")
    clock.set(CHECKIN_1)
    await core.tick()
    assert RATING_1 in to(await chat.deliver(), "Brian")

    await chat.say("Brian", "/checkin off")
    async with open_session(core) as session:
        assert (await session.exec(select(Question))).all() == []
    clock.set(CHECKIN_1 + timedelta(days=2, minutes=1))  # when the nudge would come
    assert (await core.tick()).nudges == 0
    # The 1-5 offered before answers nothing now: a lone number is no rating.
    assert await chat.say("Brian", "4") == "Nothing is waiting for an answer right now."


async def test_checkin_off_by_sms_and_in_help(chat: Chat, core: Core, clock: FakeClock) -> None:
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await circle_with(chat, core)
    assert "Welcome" in await phones.say(PHONE, "JOIN " + await code_of(core, CIRCLE))
    await phones.say(PHONE, "Mercy")
    await phones.say(PHONE, "SKIP")
    await phones.say(PHONE, "SKIP")

    assert (await phones.say(PHONE, "HELP CHECKIN")).endswith(
        "CHECKIN ON or OFF\nTell us how this week went; CHECKIN OFF pauses the weekly "
        "questions, on brings them back\nFor example: CHECKIN"
    )
    assert "Send CHECKIN ON to get the questions again." in await phones.say(PHONE, "checkin off")
    clock.set(CHECKIN_1)
    assert (await core.tick()).checkins == 0


# -- a learner gone quiet by SMS is asked once whether to keep getting them --------------------

# Two days on at the same local time: 49 hours, as the clocks go back on November 1.
NUDGE_1 = CHECKIN_1 + timedelta(hours=49)
NUDGE_2 = CHECKIN_2 + timedelta(days=2)
CHECKIN_3 = datetime(2026, 11, 13, 15, 0, tzinfo=UTC)
NUDGE_3 = CHECKIN_3 + timedelta(days=2)
# No numbered choices (walkthrough 8, sms 17): a digit is still the waiting check-in's rating.
# Not a question (C23, D6): "yes please" to "Keep getting ...?" found nothing to answer.
QUIET_CHECK = (
    "No need to answer: if you'd rather not get the weekly check-in texts for Python for "
    "Everyone, send CHECKIN OFF. Meeting reminders come either way."
)


async def quiet_weeks(core: Core, clock: FakeClock, phones: Chat, *moments: datetime) -> str:
    """Ticks at these moments, each delivered; what the phone received at the last."""
    received = ""
    for moment in moments:
        clock.set(moment + timedelta(minutes=1))
        await core.tick()
        received = "\n".join(m.text for m in await phones.deliver() if m.address.chat_id == PHONE)
    return received


async def mercy_by_sms(chat: Chat, core: Core) -> Chat:
    from tests.core.test_sms_words import Phones

    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await circle_with(chat, core, "Brian")
    assert "Welcome" in await phones.say(PHONE, "JOIN " + await code_of(core, CIRCLE))
    await phones.say(PHONE, "Mercy")
    await phones.say(PHONE, "SKIP")
    await phones.say(PHONE, "SKIP")
    return phones


async def test_two_unanswered_checkins_by_sms_ask_once_whether_to_keep_them(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = await mercy_by_sms(chat, core)
    assert "Mercy, how is" in await quiet_weeks(core, clock, phones, CHECKIN_1, NUDGE_1)
    assert await quiet_weeks(core, clock, phones, CHECKIN_2, NUDGE_2) == QUIET_CHECK
    brian = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert not any("No need to answer" in text for text in brian)  # not by SMS: the usual nudge

    assert "no more weekly check-in questions" in await phones.say(PHONE, "CHECKIN OFF")
    assert "How did meeting 3" not in await quiet_weeks(core, clock, phones, CHECKIN_3)


async def test_the_quiet_check_is_asked_once_a_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = await mercy_by_sms(chat, core)
    await quiet_weeks(core, clock, phones, CHECKIN_1, NUDGE_1, CHECKIN_2)
    assert await quiet_weeks(core, clock, phones, NUDGE_2) == QUIET_CHECK
    assert "Thanks" in await phones.say(PHONE, "4")  # her late rating: she keeps them
    # Quiet again: the usual nudge, never the question a second time.
    third = await quiet_weeks(core, clock, phones, CHECKIN_3, NUDGE_3)
    assert "Mercy, how is" in third and "No need to answer" not in third


async def test_checkin_off_in_swahili_by_sms(chat: Chat, core: Core, clock: FakeClock) -> None:
    phones = await mercy_by_sms(chat, core)
    await phones.say(PHONE, "/language sw")
    assert "TATHMINI WASHA" in await phones.say(PHONE, "TATHMINI ZIMA")
    clock.set(CHECKIN_1)
    assert (await core.tick()).checkins == 1  # Brian's alone


async def test_asking_in_words_to_stop_the_weekly_questions_says_how(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D18: Bent asked in words for no more weekly questions, only the meeting reminders; it
    was passed on to Jonas, who can't switch them off. Now: the words to text, by SMS."""
    phones = await mercy_by_sms(chat, core)
    await phones.say(PHONE, "/language da")
    said = await phones.say(
        PHONE, "stop med alle de spørgsmål om ugen, jeg vil kun have påmindelser om møderne"
    )
    assert "Send CHECKIN FRA" in said and "Påmindelser om møder kommer stadig" in said, said
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]  # not passed on
    said = await phones.say(PHONE, "please stop the weekly questions, just the reminders")
    assert "CHECKIN" in said and "STOP" not in said, said


async def test_the_digest_says_which_meeting_the_last_checkin_was_about(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough 11 (D24): the only learner answered check-in 1 and then paused them; every
    later digest showed "Last check-in: 1 of 1 answered. Average 5.0" as if he had answered
    again. It says the meeting it is about when none has gone out since."""
    await circle_with(chat, core, "Brian")
    clock.set(CHECKIN_1)
    await core.tick()
    await chat.deliver()
    await chat.say("Brian", "5")
    assert "Last check-in: 1 of 1 answered." in await chat.say("Amina", "/digest")
    await chat.say("Brian", "/checkin off")
    clock.set(CHECKIN_2)  # meeting 2 held, its check-in went to nobody
    await core.tick()
    await chat.deliver()
    digest = await chat.say("Amina", "/digest")
    assert "Last check-in (about meeting 1; none has gone out since): 1 of 1 answered." in digest


# -- CHECKIN OFF in several circles (fac 23) ---------------------------------------------------

JOHNSON = "+13135550123"


def circle_line(name: str, start: str, meetings: int) -> str:
    return (
        DETROIT_CIRCLE.replace("Python for Everyone", name)
        .replace("start=2026-10-29", f"start={start}")
        .replace("meetings=6", f"meetings={meetings}")
    )


async def johnson_in(chat: Chat, core: Core, *circles: tuple[str, str, int]) -> Chat:
    """Mrs. Johnson joins these circles (name, first meeting, meetings) by SMS."""
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for name, start, meetings in circles:
        assert "is ready" in await chat.say("Marcus", circle_line(name, start, meetings))
        assert "Welcome" in await phones.say(JOHNSON, "JOIN " + await code_of(core, name))
        if name == circles[0][0]:
            await phones.say(JOHNSON, "Mrs. Johnson")
        await phones.say(JOHNSON, "SKIP")
        await phones.say(JOHNSON, "SKIP")
    return phones


async def test_checkin_off_leaves_finished_circles_out(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Two of her three circles have had their last meeting: CHECKIN OFF is about the one
    still meeting, with no question (and no SMS more) about which."""
    phones = await johnson_in(
        chat,
        core,
        ("Excel Basics", "2026-10-20", 1),
        ("Typing Club", "2026-10-21", 1),
        ("Python Online", "2026-10-29", 6),
    )
    clock.set(datetime(2026, 10, 24, 15, 0, tzinfo=UTC))
    reply = await phones.say(JOHNSON, "CHECKIN OFF")
    assert "Which circle" not in reply, reply
    assert "no more weekly check-in questions for Python Online" in reply, reply


async def test_checkin_off_for_all_of_them_is_one_text(chat: Chat, core: Core) -> None:
    """fac 23: "all of them" to "Which circle is that for?" cost one SMS a circle."""
    phones = await johnson_in(
        chat, core, ("Excel Basics", "2026-10-29", 6), ("Python Online", "2026-10-30", 6)
    )
    assert "Which circle" in await phones.say(JOHNSON, "CHECKIN OFF")
    replies = await core.handle(phones.inbound(JOHNSON, "all of them"), phones.capabilities)
    assert [reply.text for reply in replies] == [
        "Done: no more weekly check-in questions for Python Online and Excel Basics. Meeting "
        "reminders aren't affected. Send CHECKIN ON to get the questions again."
    ]
