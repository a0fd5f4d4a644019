"""Walkthrough findings on several circles (fac, lang, sms): a "which circle?" question offers
only the circles a command can do something in, a question keeps waiting (or lapses) as the
person would expect, and an exchange stays in one language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import CheckIn, Rsvp, RsvpAnswer
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_several_circles import SECOND_CIRCLE, two_circles
from tests.core.test_sms_words import Phones
from tests.core.test_two_circles_questions import brian_in_both
from tests.database import open_session

THIRD_CIRCLE = (
    '/newcircle name="Excel Club" course="Excel basics" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-11-03 time=10:00 meetings=5"
)


async def test_cofacilitator_goes_straight_to_the_circle_where_she_is_a_learner(
    chat: Chat, core: Core
) -> None:
    """fac 20: Chen already co-facilitates Digital Skills and is a learner in Python for
    Everyone: /cofacilitator add Chen can only mean Python for Everyone."""
    await two_circles(chat, core)  # Chen in Digital Skills, Brian in Python for Everyone
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator add Chen")
    await chat.say("Chen", "/join " + await code_of(core, "Python for Everyone"))
    # Taking her off asks only about the circle she helps run.
    asked = await chat.say("Amina", "/cofacilitator remove Chen")
    assert asked.startswith("Chen will stop helping run Digital Skills.")
    assert "OK, I've stopped" in await chat.say("Amina", "/cancel")
    made = await chat.say("Amina", "/cofacilitator add Chen")
    assert made == "Chen now co-facilitates Python for Everyone."


async def test_attendance_for_the_meeting_just_ended_needs_no_circle_question(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 24: the reminder after Digital Skills' meeting 1 says "Send /attendance 1";
    Python for Everyone had a meeting 1 too, days ago. Typed as told, it opens Digital Skills'
    sheet, and the sheet names its circle."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await two_circles(chat, core)
    clock.set(datetime(2026, 11, 2, 16, 50, tzinfo=UTC))  # 11:50 in Detroit, Monday
    await core.tick()
    reminders = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert any("Send /attendance 1" in text and "Digital Skills" in text for text in reminders)
    sheet = await chat.say("Amina", "/attendance 1")
    assert sheet.startswith("Digital Skills: Who came to meeting 1 (")
    assert "1. Chen" in sheet
    assert "OK, I've stopped" in await chat.say("Amina", "/cancel")
    # Chosen from the question (the next day: no meeting just ended), the sheet names its
    # circle too.
    clock.set(datetime(2026, 11, 3, 16, 50, tzinfo=UTC))
    assert (await chat.say("Amina", "/attendance")).startswith("Which circle is that for?")
    old = await chat.say("Amina", "2")
    assert old.startswith("Python for Everyone: Who came to meeting 1 (")


async def test_a_circle_just_closed_is_still_offered_for_calendar_changes(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 27: right after closing Python for Everyone early, /uncancel 3 and /addmeeting
    never quietly act on Digital Skills: the closed circle is still meant, and says it has
    finished."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await two_circles(chat, core)
    clock.set(datetime(2026, 11, 6, 15, tzinfo=UTC))  # after Python for Everyone's meeting 2
    assert (await chat.say("Amina", "/close")).startswith("Which circle is that for?")
    assert "Close Python for Everyone now?" in await chat.say("Amina", "python for everyone")
    assert "is closed" in await chat.say("Amina", "yes")
    finished = (
        "Python for Everyone has finished, so its meetings can't change any more. To meet "
        "again, start a new circle with /newcircle."
    )
    # Meeting 3 was cancelled only in Python for Everyone: that is the circle meant.
    assert await chat.say("Amina", "/uncancel 3") == finished
    asked = await chat.say("Amina", "/addmeeting 2026-12-24 18:00")
    assert asked.startswith("Which circle is that for?")
    assert "Python for Everyone" in asked and "Digital Skills" in asked
    assert await chat.say("Amina", "python for everyone") == finished


async def test_a_cancel_question_about_a_meeting_moved_since_is_asked_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 32: /cancel 2 asked about Thursday; the meeting was moved to Friday before the
    answer. The old yes cancels nothing: the question comes again with the new date."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await two_circles(chat, core)
    await chat.say("Amina", "/default python for everyone")
    asked = await chat.say("Amina", "/cancel 2")
    assert asked.startswith("Cancel meeting 2 of Python for Everyone (Thursday, November 5")
    moved = await chat.say("Amina", "/reschedule 2 2026-11-06 18:00")
    assert "Friday, November 6" in moved
    again = await chat.say("Amina", "1")
    assert again.startswith("Meeting 2 has moved since I asked, so it isn't cancelled.")
    assert "Cancel meeting 2 of Python for Everyone (Friday, November 6" in again
    assert (await chat.say("Amina", "1")).startswith("Meeting 2 is cancelled.")
    # The move and the cancellation close together are one notice: the cancellation's.
    [notice] = [m.payload["text"] for m in await chat.outbox() if m.kind == "schedule-changed"]
    assert "meeting 2 on Fri" in notice and "Nov 6, 6:00 PM won't take place" in notice


async def test_a_reminders_yes_still_answers_after_another_circles_check_in(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 13: Python for Everyone's check-in, then Digital Skills' reminder. "4" rates the
    check-in, the words answer its question; "1" then still answers the reminder, and the
    answer names its circle (Brian is in two)."""
    await brian_in_both(chat, core, clock)
    assert "Thanks, got it!" in await chat.say("Brian", "4")
    await chat.say("Brian", "We practised loops, I need more time")
    answer = await chat.say("Brian", "1")
    assert answer.startswith("Digital Skills: Great, see you at meeting 1")
    async with open_session(core) as session:
        [rsvp] = (await session.exec(select(Rsvp))).all()
    assert rsvp.answer == RsvpAnswer.YES


async def test_a_reminders_yes_still_answers_after_the_survey(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 29: Python for Everyone's reminder asks "Will you come?"; Digital Skills' survey
    comes after it. Once the survey is done, "1" still answers the reminder."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await two_circles(chat, core)
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    await chat.say("Amina", "/reminders 48 hours")
    assert "2 days before" in await chat.say("Amina", "python for everyone")
    clock.set(datetime(2026, 11, 24, 23, 5, tzinfo=UTC))  # 2 days before meeting 5
    await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert "Python for Everyone meets in 2 days" in sent[-1]
    clock.set(datetime(2026, 11, 25, 16, 35, tzinfo=UTC))  # Digital Skills' survey
    await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert "how was Learning How to Learn, from 1 to 5?" in sent[-1]
    assert "Would you recommend" in await chat.say("Brian", "4")
    assert "one tip for the next circle" in await chat.say("Brian", "1")
    assert "Thank you for answering!" in await chat.say("Brian", "skip")
    answer = await chat.say("Brian", "1")
    assert answer.startswith("Python for Everyone: Great, see you at meeting 5")
    async with open_session(core) as session:
        [rsvp] = (await session.exec(select(Rsvp))).all()
    assert rsvp.answer == RsvpAnswer.YES


EVENING_CIRCLE = (
    '/newcircle name="Excel Evenings" course="Excel Basics" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-11-04 time=19:30 meetings=4"
)


async def test_a_yes_after_a_reminders_meeting_started_answers_the_one_still_open(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 21: Python for Everyone's 24-hour reminder, then Excel Evenings' 1-hour one. Once
    Excel's meeting has started, "yes" answers the question still open: Python for Everyone's."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await two_circles(chat, core)
    await chat.say("Amina", EVENING_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Excel Evenings"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    for at in (datetime(2026, 11, 4, 23, 5, tzinfo=UTC), datetime(2026, 11, 4, 23, 35, tzinfo=UTC)):
        clock.set(at)
        await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert "Python for Everyone meets in 24 hours" in " ".join(sent)
    assert "Excel Evenings meets today at 7:30 PM" in sent[-1]  # on the day (G3, C8)
    clock.set(datetime(2026, 11, 5, 0, 40, tzinfo=UTC))  # Excel's meeting 1 has started
    answer = await chat.say("Brian", "yes")
    assert answer.startswith("Python for Everyone: Great, see you at meeting 2")


async def test_a_no_names_its_circle_and_its_hint_needs_no_circle_question(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 21: "2" under Digital Skills' reminder is its No; the answer names the circle, and
    the hint it gives (/rsvp yes 1) works as typed: Python for Everyone's meeting 1 is past."""
    await brian_in_both(chat, core, clock)
    answer = await chat.say("Brian", "2")
    assert answer.startswith("Digital Skills: Thanks for letting us know.")
    assert "send /rsvp yes 1" in answer
    again = await chat.say("Brian", "/rsvp yes 1")
    assert again.startswith("Digital Skills: Great, see you at meeting 1")


async def test_checkin_offers_only_a_circle_that_has_met(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 22: Digital Skills hasn't met yet, so /checkin goes straight to Python for
    Everyone's check-in."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await two_circles(chat, core)
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    clock.set(datetime(2026, 10, 31, 14, tzinfo=UTC))  # after Python for Everyone's meeting 1
    asked = await chat.say("Brian", "/checkin")
    assert "How did meeting 1 of Python for Everyone go" in asked


async def test_words_at_the_circle_question_pick_a_circle_they_name_or_ask_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 9: at "Which circle is that for?", words the bot can't read ask it again (never
    an older check-in's rating), and a circle's name inside the words picks it."""
    await brian_in_both(chat, core, clock)  # Python for Everyone's check-in still open
    assert (await chat.say("Brian", "/rsvp yes")).startswith("Which circle is that for?")
    assert (await chat.say("Brian", "hmm")).startswith("Which circle is that for?")
    answer = await chat.say("Brian", "la de python")
    assert answer.startswith("Python for Everyone: Great, see you at meeting 2")
    async with open_session(core) as session:
        assert (await session.exec(select(CheckIn))).all() == []


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


SWAHILI_CIRCLE = (
    '/newcircle name="Kusoma Pamoja" course="Python for Everybody" venue="Maktaba ya Kenya" '
    "city=Nairobi country=KE zone=Africa/Nairobi start=2026-10-29 time=17:00 meetings=6 "
    "language=sw"
)


async def test_joining_a_circle_in_another_language_keeps_the_learners_own(
    chat: Chat, phones: Phones
) -> None:
    """sms 14: Halima has read the bot in English (her circle's) for weeks; joining a
    Swahili circle doesn't switch her, or her English circle, to Swahili."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Achieng", SWAHILI_CIRCLE, locale_hint="sw")
    halima = "+254711000014"
    assert "Welcome to Python for Everyone" in await phones.say(
        halima, "JOIN " + await code_of(chat.core, "Python for Everyone")
    )
    await phones.say(halima, "Halima")
    joined = await phones.say(halima, "JOIN " + await code_of(chat.core, "Kusoma Pamoja"))
    assert "Welcome to Kusoma Pamoja" in joined
    await phones.say(halima, "SKIP")
    following = await phones.say(halima, "NEXT")
    assert "Python for Everyone\nMeeting 1 of 6" in following, following
    assert "Kusoma Pamoja\nMeeting 1 of 6" in following, following


async def test_a_check_in_exchange_stays_in_the_language_it_was_asked_in(
    chat: Chat, phones: Phones, core: Core, clock: FakeClock
) -> None:
    """fac 23: Otieno (SMS) reads Swahili in Kusoma Pamoja, then joins an English circle.
    Kusoma Pamoja's check-in comes in Swahili, and his answers to it are thanked in Swahili,
    not in English halfway through."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await chat.say("Achieng", SWAHILI_CIRCLE, locale_hint="sw")
    await chat.say("Amina", DETROIT_CIRCLE)
    otieno = "+254711000023"
    assert "Karibu Kusoma Pamoja" in await phones.say(
        otieno, "JOIN " + await code_of(core, "Kusoma Pamoja")
    )
    await phones.say(otieno, "Otieno")
    await phones.say(otieno, "RUKA")
    await phones.say(otieno, "JOIN " + await code_of(core, "Python for Everyone"))
    clock.set(datetime(2026, 10, 30, 7, 5, tzinfo=UTC))  # the morning after Kusoma's meeting 1
    await core.tick()
    [checkin] = [m.text for m in await phones.deliver() if m.address.chat_id == otieno]
    assert checkin.startswith("Habari Otieno")
    # In two circles, the thanks names the one the rating went to (walkthrough 8, mix 8).
    assert (await phones.say(otieno, "4")).startswith(
        "Kusoma Pamoja, mkutano wa 1: Asante, nimepokea!"
    )
    thanks = await phones.say(otieno, "Tulijifunza kutumia barua pepe")
    assert thanks.startswith("Asante kwa kunieleza hilo.")  # walkthrough 8, fac 4


async def test_a_yes_while_a_check_in_is_asked_answers_the_reminder_still_open(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 22: after /checkin (asked since the reminder), "yes" is no rating: it answers the
    reminder still open, and the check-in still takes its number after."""
    await brian_in_both(chat, core, clock)
    assert "How did meeting 1 of Python for Everyone go" in await chat.say("Brian", "/checkin")
    answer = await chat.say("Brian", "yes")
    assert answer.startswith("Digital Skills: Great, see you at meeting 1")
    assert "Thanks, got it!" in await chat.say("Brian", "4")
    async with open_session(core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
    assert checkin.rating == 4


async def test_one_circle_check_in_reopened_and_answered_leaves_the_reminder_open(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 40, in one circle: meeting 1's rating answered, meeting 2's reminder waiting;
    /checkin to fix the rating, "4 sorry I got it wrong before", then "1" for the reminder."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    clock.set(datetime(2026, 10, 30, 14, 5, tzinfo=UTC))
    await core.tick()
    await chat.say("Brian", "5")
    await chat.say("Brian", "We wrote our first loop")
    clock.set(datetime(2026, 11, 4, 23, 5, tzinfo=UTC))  # 24 hours before meeting 2
    await core.tick()
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert "Reply 1 for Yes or 2 for No" in sent[-1], sent
    assert "How did meeting 1" in await chat.say("Brian", "/checkin")
    await chat.say("Brian", "4 sorry I got it wrong before")
    answer = await chat.say("Brian", "1")
    assert answer.startswith("Great, see you at meeting 2"), answer


async def test_cofacilitator_of_someone_only_in_a_finished_circle_asks_which_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 33: Diego, only in a circle that had ended, was made its co-facilitator without
    a question. fac 48: Akinyi, in a running and a finished circle, got a choice of circles
    including one she had never been in; the running one she is in is the one meant."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await chat.say("Amina", DETROIT_CIRCLE)  # Oct 29 to Dec 3
    await chat.say("Amina", SECOND_CIRCLE)  # Digital Skills, Nov 2 to Nov 23
    await chat.say("Amina", THIRD_CIRCLE)  # Excel Club, Nov 3 to Dec 1
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    for circle in ("Digital Skills", "Python for Everyone"):
        await chat.say("Chen", "/join " + await code_of(core, circle))
    clock.set(datetime(2026, 12, 2, 12, tzinfo=UTC))  # Digital Skills ended Nov 23
    # A finished circle is no candidate (walkthrough 8, mix 17): the running ones are meant,
    # and Brian, in none of them, is told how to join first; never made one unasked.
    asked = await chat.say("Amina", "/cofacilitator Brian")
    assert "Brian now co-facilitates" not in asked
    assert "A co-facilitator joins first" in asked or asked.startswith("Which circle"), asked
    await chat.say("Amina", "/cancel")
    made = await chat.say("Amina", "/cofacilitator add Chen")
    assert made == "Chen now co-facilitates Python for Everyone.", made


async def test_reply_to_one_person_in_two_circles_is_not_which_of_two_people(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 50: "/reply Akinyi" → "Which Akinyi do you mean? 1 for Akinyi in Excel Club or 2 for
    Akinyi in Biashara" (finished): one person. Her running circle is the one meant; in two
    running circles, the question is which circle."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await chat.say("Amina", DETROIT_CIRCLE)  # Oct 29 to Dec 3
    await chat.say("Amina", SECOND_CIRCLE)  # Digital Skills, Nov 2 to Nov 23
    for circle in ("Digital Skills", "Python for Everyone"):
        await chat.say("Chen", "/join " + await code_of(core, circle))
    clock.set(datetime(2026, 11, 10, 12, tzinfo=UTC))  # both running
    asked = await chat.say("Amina", "/reply Chen")
    assert asked.startswith("Which circle is your message to Chen about?"), asked
    assert "Which Chen" not in asked
    clock.set(datetime(2026, 12, 2, 12, tzinfo=UTC))  # Digital Skills ended Nov 23
    answer = await chat.say("Amina", "/reply Chen See you Thursday!")
    assert "Which" not in answer, answer
    sent = [m.text for m in await chat.deliver() if m.address.chat_id == "chen"]
    assert any("See you Thursday!" in text for text in sent), sent


async def test_attendance_goes_to_the_only_circle_whose_meeting_has_taken_place(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """B7, C12, D10: "/attendance 1" the day after as the bot's own reminder said, with a
    second circle not started yet, asked "Which circle is that for?" offering the unstarted
    one first, whose "1" then failed."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await two_circles(chat, core)  # Digital Skills starts on 2 November
    await chat.say("Chen", "/skip")
    await chat.say("Chen", "/skip")
    clock.set(datetime(2026, 10, 31, 14, tzinfo=UTC))  # Python for Everyone met on 29 October
    sheet = await chat.say("Amina", "/attendance 1")
    assert sheet.startswith("Python for Everyone: Who came to meeting 1 ("), sheet
    assert "OK, I've stopped" in await chat.say("Amina", "/cancel")
    plain = await chat.say("Amina", "/attendance")
    assert plain.startswith("Python for Everyone: Who came to meeting 1 ("), plain
