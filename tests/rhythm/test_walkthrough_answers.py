"""What a one-hour walkthrough tripped on in the weekly rhythm (issue 16): "1 done" on the
attendance sheet, "done" with nobody ticked, a sentence swallowed by a days-old rating
question, the reminder times, the reader's word for off, and proactive messages in a language
the facilitator never wrote in."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Attendance, CheckIn, Circle
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.seasons import CIRCLE, Week, checkin_due, open_circle, play_week, starts


async def ticked(core: Core) -> int:
    async with open_session(core) as session:
        return len((await session.exec(select(Attendance))).all())


async def test_numbers_then_done_tick_and_finish_in_one_message(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": True})
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance")
    assert await chat.say("Amina", "1 done") == "Saved: 1 of 2 learners came to meeting 1."
    assert await ticked(core) == 1
    assert "I didn't catch that" in await chat.say("Amina", "2")  # the sheet is closed


async def test_done_with_nobody_ticked_asks_before_anything_is_saved(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": True})
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance")
    asked = await chat.say("Amina", "done")
    assert asked.startswith("Nobody came to meeting 1? Send yes if so")
    assert "Saved" not in asked
    # She meant to tick: numbers and done still work from here.
    assert await chat.say("Amina", "2 done") == "Saved: 1 of 2 learners came to meeting 1."
    await chat.say("Amina", "/attendance")
    await chat.say("Amina", "-2")
    assert "Nobody came" in await chat.say("Amina", "done")
    assert await chat.say("Amina", "yes") == "Noted: nobody came to meeting 1."
    assert await ticked(core) == 0


async def test_a_sentence_is_not_swallowed_by_a_waiting_rating_question(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Days after the check-in, "Sorry, I'm working late on Thursday" goes to the facilitator;
    the rating question stays open for a number."""
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))  # the check-in, unanswered
    clock.set(checkin_due(1) + timedelta(days=5))
    answer = await chat.say("Brian", "Sorry, I'm working late on Thursday")
    assert "Could you send a number from 1 to 5?" not in answer
    assert "Amina" in answer  # passed on
    [forwarded] = [m for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert "Sorry, I'm working late on Thursday" in forwarded.text
    assert "Could you send a number from 1 to 5?" in await chat.say("Brian", "meh")
    assert "Thanks" in await chat.say("Brian", "4")
    async with open_session(core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
    assert checkin.rating == 4


async def test_reminder_times_read_alike(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {})
    assert await chat.say("Amina", "/reminders") == (
        "Python for Everyone sends learners two reminders: 24 hours and 1 hour before each meeting."
    )
    assert "2 days and 90 minutes before" in await chat.say("Amina", "/reminders 48h 90m")


async def test_the_readers_word_for_off_stops_reminders(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {})
    await chat.say("Amina", "/language fr")
    await chat.say("Amina", "/reminders désactiver")
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
    assert circle.reminder_offsets == []


async def test_a_facilitator_reads_one_language_whatever_the_message(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Amina's app gives no language and she never sent /language: she created a French
    circle in English, so English stays hers (walkthrough 8, fac 15: the circle's language is
    its learners', not hers): a learner's message passed on and the attendance reminder alike."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE + " language=fr")
    assert "Bienvenue" in await chat.say("Brian", f"/join {await code_of(core, CIRCLE)}")
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    await chat.deliver()
    await chat.say("Brian", "Can I bring a friend next week?")
    [passed_on] = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert passed_on.startswith("Brian wrote about"), passed_on
    clock.set(starts(1) + timedelta(minutes=90 + 16))
    await core.tick()
    [reminder] = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert reminder.startswith("Thanks for running meeting 1"), reminder


async def test_a_typed_yes_answers_the_reminder_not_a_week_old_check_in(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Second walkthrough: "NDIYO" to a reminder was read as a rating for a check-in still
    open, and the "1" after it stored a rating of 1. A typed yes picks the reminder's Yes."""
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))  # the check-in, unanswered
    clock.set(starts(2) - timedelta(hours=23))
    await core.tick()
    received = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert any("Will you come?" in text for text in received)
    assert "see you at meeting 2" in await chat.say("Brian", "Yes")
    async with open_session(core) as session:
        ratings = [c.rating for c in (await session.exec(select(CheckIn))).all()]
    assert all(rating is None for rating in ratings)  # the check-in still waits for its own
