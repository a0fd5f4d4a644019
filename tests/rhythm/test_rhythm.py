"""The weekly rhythm: RSVPs, attendance, check-ins and their nudge, the goal at joining,
reflections, reminders and the facilitator digest. Bad input gets a clear answer and stores
nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Inbound
from bot.core import Core
from bot.rhythm.reflections import MAX_ANSWER_CHARS
from bot.storage.models import (
    Attendance,
    CheckIn,
    Circle,
    Meeting,
    Membership,
    Person,
    Question,
    QuestionKind,
    Reflection,
    Rsvp,
    RsvpAnswer,
)
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"

# The Detroit circle meets on Thursdays at 18:00 local time for 90 minutes (EDT, then EST from
# 1 November 2026).
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)
MEETING_2 = datetime(2026, 11, 5, 23, 0, tzinfo=UTC)
MEETING_3 = datetime(2026, 11, 12, 23, 0, tzinfo=UTC)
# Each check-in goes out the next day at 10:00 in Detroit.
CHECKIN_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)
# Its nudge, two days on at the same local time: 49 hours, as the clocks go back on Nov 1.
NUDGE_1 = CHECKIN_1 + timedelta(hours=49)
CHECKIN_2 = datetime(2026, 11, 6, 15, 0, tzinfo=UTC)

GOAL_QUESTION = "What do you hope to get out of Python for Everyone?"
RATING_QUESTION = "How did meeting 1 of Python for Everyone go for you?"
ASK_AGAIN = "Could you send a number from 1 to 5?"
DIDNT_CATCH = "I didn't catch that."
NUDGE = "how is Python for Everyone going?"


async def start_circle(chat: Chat, core: Core, *learners: str) -> None:
    """Amina's Detroit circle, joined by `learners`, who each skip the goal question and the
    sharing question after it."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for name in learners:
        assert "Welcome" in await chat.say(name, f"/join {code}")
        # By text the facilitator is named (sms 35): "May Amina read ...".
        asked = await chat.say(name, "/skip")
        assert "May your facilitator read" in asked or "May Amina read" in asked, asked
        assert "skipped" in await chat.say(name, "/skip")


async def rows(core: Core, model: type) -> list:
    async with open_session(core) as session:
        return list((await session.exec(select(model))).all())


async def count(core: Core, model: type) -> int:
    async with open_session(core) as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def person_id(core: Core, name: str) -> int:
    async with open_session(core) as session:
        return (await session.exec(select(Person.id).where(Person.display_name == name))).one()


async def meeting_id(core: Core, number: int) -> int:
    async with open_session(core) as session:
        return (await session.exec(select(Meeting.id).where(Meeting.number == number))).one()


async def checkin_of(core: Core, name: str) -> CheckIn | None:
    who = await person_id(core, name)
    async with open_session(core) as session:
        return (await session.exec(select(CheckIn).where(CheckIn.person_id == who))).first()


async def circle_row(core: Core) -> Circle:
    async with open_session(core) as session:
        return (await session.exec(select(Circle))).one()


def to(sent: list, name: str) -> list[str]:
    """The texts delivered to `name` (the Chat's chat ids are the casefolded names)."""
    return [message.text for message in sent if message.address.chat_id == name.casefold()]


async def send_checkins(chat: Chat, core: Core, clock: FakeClock, at: datetime = CHECKIN_1):
    clock.set(at)
    await core.tick()
    return await chat.deliver()


# --- /rsvp ---------------------------------------------------------------------------------


async def test_rsvp_yes_and_no_show_in_the_facilitators_digest(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    assert "Great, see you at meeting 1" in await chat.say("Brian", "/rsvp yes")
    assert "We'll miss you at meeting 1" in await chat.say("Chioma", "/rsvp no")
    digest = await chat.say("Amina", "/digest")
    # Before "Will you come?" goes out, nobody is named for not answering it.
    assert "Coming so far: 1 yes, 1 no. I'll ask the others on Wednesday, October 28." in digest
    assert "Not answered yet" not in digest


async def test_rsvp_for_a_later_meeting_by_number(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    assert "meeting 3" in await chat.say("Brian", "/rsvp no 3")
    [rsvp] = await rows(core, Rsvp)
    assert (rsvp.meeting_id, rsvp.answer) == (await meeting_id(core, 3), RsvpAnswer.NO)


async def test_changing_an_rsvp_replaces_the_answer(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    await chat.say("Brian", "/rsvp no")
    await chat.say("Brian", "/rsvp yes")
    [rsvp] = await rows(core, Rsvp)
    assert rsvp.answer == RsvpAnswer.YES


async def test_replying_1_to_a_reminder_says_yes(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian")
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    [reminder] = to(await chat.deliver(), "Brian")
    assert "Will you come?" in reminder
    assert "Reply 1 for Yes or 2 for No." in reminder
    assert "Great, see you at meeting 1" in await chat.say("Brian", "1")
    [rsvp] = await rows(core, Rsvp)
    assert (rsvp.meeting_id, rsvp.answer) == (await meeting_id(core, 1), RsvpAnswer.YES)
    assert "Coming: 1 yes, 0 no, 0 not answered yet." in await chat.say("Amina", "/digest")


async def test_replying_2_to_a_reminder_says_no(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian")
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    await chat.deliver()
    assert "We'll miss you at meeting 1" in await chat.say("Brian", "2")
    [rsvp] = await rows(core, Rsvp)
    assert rsvp.answer == RsvpAnswer.NO


NAIROBI_CIRCLE = (
    '/newcircle name="Reading Club" course="Digital Skills" venue="KNLS Nairobi" '
    "city=Nairobi country=KE zone=Africa/Nairobi start=2026-11-10 time=17:00 meetings=6"
)


async def test_a_reminder_choice_answers_for_its_own_circle_without_asking_which(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    assert "is ready" in await chat.say("Wanjiru", NAIROBI_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Reading Club"))
    await chat.say("Brian", "/skip")
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    [reminder] = to(await chat.deliver(), "Brian")
    assert CIRCLE in reminder
    answer = await chat.say("Brian", "1")
    assert "Which circle" not in answer
    assert "Great, see you at meeting 1" in answer
    [rsvp] = await rows(core, Rsvp)
    assert rsvp.meeting_id == await meeting_id_in(core, CIRCLE, 1)


async def meeting_id_in(core: Core, circle: str, number: int) -> int:
    async with open_session(core) as session:
        return (
            await session.exec(
                select(Meeting.id)
                .join(Circle, Circle.id == Meeting.circle_id)  # type: ignore[arg-type]
                .where(Circle.name == circle, Meeting.number == number)
            )
        ).one()


async def test_rsvp_after_the_last_meeting_is_explained(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    clock.set(MEETING_1 + timedelta(days=60))
    assert "has no more meetings planned" in await chat.say("Brian", "/rsvp yes")
    assert await count(core, Rsvp) == 0


async def test_rsvp_for_a_cancelled_meeting_is_refused(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    await chat.say("Amina", "/cancel 2")
    assert "cancelled" in await chat.say("Amina", "yes")
    answer = await chat.say("Brian", "/rsvp yes 2")
    assert answer == "Meeting 2 is cancelled, so there's nothing to answer."
    assert await count(core, Rsvp) == 0


async def test_rsvp_for_a_past_meeting_is_refused(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian")
    clock.set(MEETING_1 + timedelta(days=1))
    answer = await chat.say("Brian", "/rsvp yes 1")
    # Walkthrough 8 (sms 30): when it was, and the next one asked about instead.
    assert answer.startswith("Meeting 1 was on Thursday, Oct 29. The next one is meeting 2")
    assert await count(core, Rsvp) == 0


async def test_rsvp_for_a_meeting_that_does_not_exist_is_refused(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Brian", "/rsvp yes 9")
    assert "There is no meeting 9" in answer
    assert await count(core, Rsvp) == 0


async def test_rsvp_with_an_unknown_word_explains_the_answers(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Brian", "/rsvp sometime")  # ("maybe" is an answer: a maybe)
    assert "/rsvp yes" in answer and "/rsvp no" in answer and "/rsvp maybe" in answer
    assert await count(core, Rsvp) == 0


async def test_rsvp_without_a_circle_says_how_to_join(chat: Chat, core: Core) -> None:
    assert "You're not in a circle yet" in await chat.say("Brian", "/rsvp yes")
    assert await count(core, Rsvp) == 0


# --- /attendance and /here ---------------------------------------------------------------------


async def test_attendance_sheet_numbers_the_learners_and_ticks_them(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    clock.set(MEETING_1 + timedelta(hours=1))
    sheet = await chat.say("Amina", "/attendance")
    assert "Who came to meeting 1" in sheet
    assert "[ ] 1. Brian\n[ ] 2. Chioma\n[ ] 3. Dede" in sheet
    assert "reply with the numbers of who came" in sheet.casefold()

    sheet = await chat.say("Amina", "1 3")
    assert "[x] 1. Brian\n[ ] 2. Chioma\n[x] 3. Dede" in sheet
    assert await count(core, Attendance) == 2


async def test_the_attendance_sheet_gives_one_instruction_where_there_are_no_buttons(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """No "Reply 3 for Done" under "send done": on a plain-text chat the sheet's own line is
    the only instruction, and a number always means the learner with that number."""
    await start_circle(chat, core, "Brian", "Chioma")
    clock.set(MEETING_1 + timedelta(hours=1))
    sheet = await chat.say("Amina", "/attendance")
    assert sheet.endswith(
        "Reply with the numbers of who came (for example: 1 3 4). To untick someone, put a "
        "minus before their number (-2). Send done when you're finished."
    )
    assert "for Done" not in sheet and "Reply 1 for" not in sheet
    assert "Please reply with numbers from 1 to 2, first names, all, or done." in (
        await chat.say("Amina", "3")
    )
    assert await count(core, Attendance) == 0


async def test_the_attendance_sheet_has_buttons_where_the_platform_shows_them(
    core: Core, clock: FakeClock
) -> None:
    chat = Chat(core, "telegram", Capabilities(max_text_length=4096, buttons=True))
    await start_circle(chat, core, "Brian", "Chioma")
    clock.set(MEETING_1 + timedelta(hours=1))
    [sheet] = await core.handle(chat.inbound("Amina", "/attendance"), chat.capabilities)
    assert [choice.label for choice in sheet.choices] == ["Brian", "Chioma", "Done"]
    assert "[x] 2. Chioma" in await chat.say("Amina", "2")  # a tap on Chioma sends her number


async def test_attendance_the_same_number_again_keeps_the_tick(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Numbers only ever tick (a minus unticks), so a facilitator listing who came never
    unticks someone who said /here or was ticked a moment ago."""
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    await chat.say("Amina", "1 3")
    sheet = await chat.say("Amina", "3")
    assert "[x] 1. Brian\n[ ] 2. Chioma\n[x] 3. Dede" in sheet
    assert await count(core, Attendance) == 2


async def test_attendance_a_minus_unticks(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    await chat.say("Amina", "1 3")
    sheet = await chat.say("Amina", "-3")
    assert "[x] 1. Brian\n[ ] 2. Chioma\n[ ] 3. Dede" in sheet
    assert await count(core, Attendance) == 1


async def test_attendance_done_saves_with_a_count(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    await chat.say("Amina", "1 2")
    assert await chat.say("Amina", "done") == "Saved: 2 of 3 learners came to meeting 1."
    came = {row.person_id for row in await rows(core, Attendance)}
    assert came == {await person_id(core, "Brian"), await person_id(core, "Chioma")}
    # The sheet is closed: the next text is no longer a tick.
    assert DIDNT_CATCH in await chat.say("Amina", "3")
    assert await count(core, Attendance) == 2


async def test_attendance_for_an_earlier_meeting_by_number(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma")
    clock.set(MEETING_2 + timedelta(hours=1))
    assert "Who came to meeting 1" in await chat.say("Amina", "/attendance 1")
    await chat.say("Amina", "2")
    assert "came to meeting 1" in await chat.say("Amina", "done")
    [row] = await rows(core, Attendance)
    assert row.meeting_id == await meeting_id(core, 1)


async def test_attendance_numbers_out_of_range_are_refused_and_change_nothing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    for text in ("7", "1 9", "0"):
        answer = await chat.say("Amina", text)
        assert answer == "Please reply with numbers from 1 to 3, first names, all, or done.", text
    # A name nobody on the sheet has is said (G4, C13), and nothing is ticked.
    answer = await chat.say("Amina", "Zola")
    assert answer.startswith("Zola isn't on the list for Python for Everyone.\nWho came"), answer
    assert await count(core, Attendance) == 0


async def test_attendance_in_unusual_digits_is_refused_and_changes_nothing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    answer = await chat.say("Amina", "1 \u00b2")  # a superscript two
    assert answer == "Please reply with numbers from 1 to 3, first names, all, or done."
    assert await count(core, Attendance) == 0


async def test_attendance_by_a_learner_is_refused(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian")
    clock.set(MEETING_1 + timedelta(hours=1))
    answer = await chat.say("Brian", "/attendance")
    assert answer == "Only a facilitator or co-facilitator can use /attendance."
    assert await count(core, Attendance) == 0


async def test_attendance_before_any_meeting_is_explained(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Amina", "/attendance")
    assert answer == "No meeting has taken place yet, so there's no attendance to take."
    assert "hasn't happened yet" in await chat.say("Amina", "/attendance 3")
    assert await count(core, Attendance) == 0


async def test_here_during_the_meeting_counts_once(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    clock.set(MEETING_1 + timedelta(minutes=10))
    assert await chat.say("Brian", "/here") == "Welcome! You're here for meeting 1."
    assert "already" in await chat.say("Brian", "/here")
    [row] = await rows(core, Attendance)
    assert (row.person_id, row.meeting_id) == (
        await person_id(core, "Brian"),
        await meeting_id(core, 1),
    )


async def test_here_outside_a_meeting_is_refused(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian")
    for at in (MEETING_1 - timedelta(hours=2), MEETING_1 + timedelta(hours=2)):
        clock.set(at)
        answer = await chat.say("Brian", "/here")
        assert "There's no meeting on right now" in answer
    assert await count(core, Attendance) == 0


async def test_here_shows_on_the_attendance_sheet(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian", "Chioma")
    clock.set(MEETING_1 + timedelta(minutes=10))
    await chat.say("Chioma", "/here")
    assert "[ ] 1. Brian\n[x] 2. Chioma" in await chat.say("Amina", "/attendance")


# --- Check-ins -------------------------------------------------------------------------------


async def test_the_checkin_goes_out_the_day_after_the_meeting_at_ten(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma")
    sent = await send_checkins(chat, core, clock, CHECKIN_1 - timedelta(minutes=1))
    assert not any(RATING_QUESTION in text for text in to(sent, "Brian"))
    sent = await send_checkins(chat, core, clock)
    for name in ("Brian", "Chioma"):
        [question] = to(sent, name)
        assert RATING_QUESTION in question
        assert (
            "Reply 1 for hard going, 2 for so-so, 3 for okay, 4 for good, or 5 for great."
            in question
        )
    assert to(sent, "Amina") == []


async def test_a_rating_then_an_open_answer_are_stored(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    await send_checkins(chat, core, clock)
    answer = await chat.say("Brian", "4")
    assert answer.startswith("Thanks, got it!")
    assert answer.endswith("?")  # one open question follows
    checkin = await checkin_of(core, "Brian")
    assert checkin is not None and (checkin.rating, checkin.answer) == (4, None)

    assert "Thank you for sharing" in await chat.say("Brian", "The group made it fun.")
    checkin = await checkin_of(core, "Brian")
    assert checkin is not None
    assert (checkin.rating, checkin.answer) == (4, "The group made it fun.")
    assert checkin.meeting_id == await meeting_id(core, 1)
    assert checkin.prompt_key


async def test_a_rating_outside_1_to_5_asks_again_and_stores_nothing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    await send_checkins(chat, core, clock)
    for text in ("7", "fantastic", "0", "4.5"):
        assert ASK_AGAIN in await chat.say("Brian", text), text
    assert await count(core, CheckIn) == 0
    assert "Thanks, got it!" in await chat.say("Brian", "3")
    checkin = await checkin_of(core, "Brian")
    assert checkin is not None and checkin.rating == 3


@pytest.mark.parametrize(
    ("language", "typed", "rating"),
    [("en", "Great!", 5), ("en", "so-so", 2), ("es", "Muy bien", 4), ("fr", "difficile", 1)],
)
async def test_a_rating_typed_as_the_buttons_word_counts(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, rating: int
) -> None:
    await start_circle(chat, core, "Brian")
    await chat.say("Brian", "/language " + language)
    await send_checkins(chat, core, clock)
    await chat.say("Brian", typed)
    checkin = await checkin_of(core, "Brian")
    assert checkin is not None and checkin.rating == rating


async def test_a_rating_in_unusual_digits_asks_again_and_stores_nothing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    await send_checkins(chat, core, clock)
    assert ASK_AGAIN in await chat.say("Brian", "\u00b2")  # a superscript two, from a phone
    assert await count(core, CheckIn) == 0


async def test_checkin_answers_can_be_changed_until_the_next_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    await send_checkins(chat, core, clock)
    await chat.say("Brian", "4")
    await chat.say("Brian", "Good start.")
    clock.set(MEETING_2 - timedelta(hours=2))
    assert RATING_QUESTION in await chat.say("Brian", "/checkin")
    assert "Thanks, got it!" in await chat.say("Brian", "2")
    await chat.say("Brian", "Actually I got lost in the loops.")
    [checkin] = await rows(core, CheckIn)
    assert (checkin.rating, checkin.answer) == (2, "Actually I got lost in the loops.")


async def test_after_the_next_meeting_starts_the_old_question_takes_no_answer(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    await send_checkins(chat, core, clock)
    # lang 37: just after, a number still rates the meeting; a day later it is no rating.
    clock.set(MEETING_2 + timedelta(days=1, minutes=5))
    answer = await chat.say("Brian", "4")
    assert "got it" not in answer  # not taken as a rating: passed on as words to Amina
    assert await count(core, CheckIn) == 0


async def test_checkin_before_the_first_meeting_is_explained(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Brian", "/checkin")
    assert "hasn't met yet" in answer
    assert await count(core, CheckIn) == 0
    assert await count(core, Question) == 0


async def test_checkin_during_the_meeting_waits_until_after(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    clock.set(MEETING_1 + timedelta(minutes=30))
    assert "The meeting is on right now" in await chat.say("Brian", "/checkin")
    assert await count(core, Question) == 0


async def test_one_nudge_after_48_hours_only_to_who_has_not_answered(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    await send_checkins(chat, core, clock)
    await chat.say("Brian", "5")
    await chat.say("Chioma", "/skip")

    clock.set(CHECKIN_1 + timedelta(hours=47))
    await core.tick()
    assert not any(NUDGE in m.text for m in await chat.deliver())

    clock.set(NUDGE_1)
    report = await core.tick()
    sent = await chat.deliver()
    assert report.nudges == 1
    [nudge] = to(sent, "Dede")
    assert NUDGE in nudge
    assert to(sent, "Brian") == [] and to(sent, "Chioma") == []

    clock.advance(timedelta(hours=3))
    assert (await core.tick()).nudges == 0
    assert not any(NUDGE in m.text for m in await chat.deliver())


async def check_in_early(chat: Chat, core: Core, clock: FakeClock) -> None:
    """Brian checks in with /checkin after meeting 1, before the check-in goes out."""
    clock.set(MEETING_1 + timedelta(hours=2))
    assert RATING_QUESTION in await chat.say("Brian", "/checkin")
    await chat.say("Brian", "4")
    await chat.say("Brian", "Great first evening.")


async def test_who_checked_in_early_with_checkin_is_not_asked_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    await check_in_early(chat, core, clock)
    sent = await send_checkins(chat, core, clock)
    assert not any(RATING_QUESTION in text for text in to(sent, "Brian"))


async def test_who_checked_in_early_with_checkin_is_not_nudged(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    await check_in_early(chat, core, clock)
    await send_checkins(chat, core, clock)
    sent = await send_checkins(chat, core, clock, NUDGE_1)
    assert not any(NUDGE in text for text in to(sent, "Brian"))
    [checkin] = await rows(core, CheckIn)
    assert (checkin.rating, checkin.answer) == (4, "Great first evening.")


async def test_who_left_the_circle_gets_no_nudge(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian")
    await send_checkins(chat, core, clock)
    assert "Leave Python for Everyone?" in await chat.say("Brian", "/leave")
    assert "You've left" in await chat.say("Brian", "1")
    sent = await send_checkins(chat, core, clock, NUDGE_1)
    assert to(sent, "Brian") == []


async def test_the_nudged_learner_can_still_answer(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Dede")
    await send_checkins(chat, core, clock)
    await send_checkins(chat, core, clock, NUDGE_1)
    assert "Thanks, got it!" in await chat.say("Dede", "3")
    checkin = await checkin_of(core, "Dede")
    assert checkin is not None and checkin.rating == 3


# --- The goal at joining, and sharing ------------------------------------------------------------


async def portfolio_of(chat: Chat, name: str) -> str:
    """The Markdown file /portfolio hands over, on a chat that takes files."""
    files = Capabilities(max_text_length=4000, files=True)
    [reply] = await chat.core.handle(chat.inbound(name, "/portfolio"), files)
    [attachment] = reply.attachments
    return attachment.data.decode("utf-8")


async def join(chat: Chat, core: Core, name: str) -> str:
    return await chat.say(name, "/join " + await code_of(core, CIRCLE))


async def test_joining_asks_the_goal_and_keeps_the_answer(chat: Chat, core: Core) -> None:
    await start_circle(chat, core)
    assert GOAL_QUESTION in await join(chat, core, "Brian")
    answer = await chat.say("Brian", "Automate my spreadsheets at work.")
    assert "Thank you, I'll remind you of it near the end." in answer
    assert "May your facilitator read your written answers?" in answer
    assert "Reply 1 for Yes, share or 2 for No, keep private." in answer
    [goal] = await rows(core, Reflection)
    assert (goal.kind, goal.text) == (QuestionKind.GOAL, "Automate my spreadsheets at work.")
    assert "Automate my spreadsheets at work." in await portfolio_of(chat, "Brian")


PHONE = "+254700000001"
NAME_QUESTION = "What should the group call you?"


async def texted(core: Core, text: str) -> str:
    """What the bot answers a text from a basic phone: SMS gives no name, only the number."""
    inbound = Inbound(
        platform="sms", account_id=PHONE, chat_id=PHONE, message_id=uuid.uuid4().hex, text=text
    )
    replies = await core.handle(inbound, Capabilities(max_text_length=459))
    return "\n".join(reply.text for reply in replies)


async def test_an_sms_welcome_asks_one_question_at_a_time_the_name_first(
    chat: Chat, core: Core
) -> None:
    await start_circle(chat, core)
    welcome = await texted(core, "JOIN " + await code_of(core, CIRCLE))
    assert welcome.startswith("Welcome to Python for Everyone! ")  # never "Circle member"
    assert NAME_QUESTION in welcome
    assert GOAL_QUESTION not in welcome
    assert welcome.count("?") == 1  # one question in the SMS
    # Her first name answers the name question, not the goal; then comes the goal question.
    answer = await texted(core, "Grace")
    assert "Nice to meet you, Grace!" in answer and GOAL_QUESTION in answer
    assert await count(core, Reflection) == 0
    # By SMS, one text: the short thanks where the long one makes two (walk C8).
    assert "Thank you!" in await texted(core, "Read and write simple programs")
    [goal] = await rows(core, Reflection)
    assert (goal.kind, goal.text) == (QuestionKind.GOAL, "Read and write simple programs")
    assert "Grace, learner (SMS)" in await chat.say("Amina", "/roster")


async def test_the_name_command_answers_the_name_question_then_the_goal_is_asked(
    chat: Chat, core: Core
) -> None:
    await start_circle(chat, core)
    await texted(core, "JOIN " + await code_of(core, CIRCLE))
    answer = await texted(core, "/name Grace")
    assert "Nice to meet you, Grace!" in answer and GOAL_QUESTION in answer
    # By SMS, one text: the short thanks where the long one makes two (walk C8).
    assert "Thank you!" in await texted(core, "Read and write simple programs")


async def test_skipping_the_name_question_goes_on_to_the_goal(chat: Chat, core: Core) -> None:
    await start_circle(chat, core)
    await texted(core, "JOIN " + await code_of(core, CIRCLE))
    answer = await texted(core, "skip")
    assert GOAL_QUESTION in answer and "/name" in answer
    # By SMS, one text: the short thanks where the long one makes two (walk C8).
    assert "Thank you!" in await texted(core, "Read and write simple programs")


async def test_a_command_word_or_keyword_is_never_kept_as_an_answer(chat: Chat, core: Core) -> None:
    await start_circle(chat, core)
    await texted(core, "JOIN " + await code_of(core, CIRCLE))
    # While the name question waits: NEXT is the keyword, not her name.
    assert "Meeting 1 of 6" in await texted(core, "NEXT")
    assert "Grace" in (await texted(core, "Grace"))
    # While the goal question waits: each keyword or command word does what it says.
    assert "Let's set up your circle" in await texted(core, "NEWCIRCLE")
    assert "stopped" in await texted(core, "/cancel")
    assert "Meeting 1 of 6" in await texted(core, "next")
    assert "I couldn't find a circle with the code ZZZZ99" in await texted(core, "JOIN ZZZZ99")
    assert "circlebot" in await texted(core, "HELP")
    assert await count(core, Reflection) == 0
    # The goal question is still there for her real answer.
    # By SMS, one text: the short thanks where the long one makes two (walk C8).
    assert "Thank you!" in await texted(core, "Read and write simple programs")
    [goal] = await rows(core, Reflection)
    assert goal.text == "Read and write simple programs"


async def test_a_command_word_typed_in_a_chat_is_not_kept_as_the_goal(
    chat: Chat, core: Core
) -> None:
    await start_circle(chat, core)
    assert GOAL_QUESTION in await join(chat, core, "Brian")
    assert "Let's set up your circle" in await chat.say("Brian", "newcircle")
    await chat.say("Brian", "/cancel")
    assert await count(core, Reflection) == 0


async def test_saying_yes_to_sharing_lets_the_digest_quote_the_checkin(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core)
    for name, share in (("Brian", "yes"), ("Chioma", "no")):
        await join(chat, core, name)
        await chat.say(name, "To learn Python.")
        await chat.say(name, share)
    async with open_session(core) as session:
        shares = dict(
            (
                await session.exec(
                    select(Person.display_name, Membership.shares_answers).join(
                        Person,
                        Person.id == Membership.person_id,  # type: ignore[arg-type]
                    )
                )
            ).all()
        )
    assert shares == {"Amina": False, "Brian": True, "Chioma": False}

    await send_checkins(chat, core, clock)
    for name, words in (("Brian", "Loops finally clicked."), ("Chioma", "My secret worry.")):
        await chat.say(name, "4")
        await chat.say(name, words)
    digest = await chat.say("Amina", "/digest")
    assert '"Loops finally clicked." (Brian)' in digest
    assert "My secret worry." not in digest
    assert "(Chioma)" not in digest  # her words stay hers; her name may be on the RSVP lines


async def test_picking_a_share_choice_by_number(chat: Chat, core: Core) -> None:
    await start_circle(chat, core)
    await join(chat, core, "Brian")
    await chat.say("Brian", "To learn Python.")
    assert "Your facilitator will see" in await chat.say("Brian", "1")
    [_, membership] = await rows(core, Membership)
    assert membership.shares_answers is True


@pytest.mark.parametrize(
    ("language", "answer", "shares"),
    [
        ("sw", "Ndio", True),
        ("sw", "ndiyo!", True),
        ("sw", "HAPANA.", False),
        ("es", "Sí", True),
        ("es", "si", True),
        ("fr", "Oui", True),
        ("fr", "non", False),
        ("en", "Y", True),
    ],
)
async def test_the_share_question_takes_yes_and_no_in_every_word_the_language_has(
    chat: Chat, core: Core, language: str, answer: str, shares: bool
) -> None:
    await start_circle(chat, core)
    await chat.say("Brian", "/language " + language)
    await join(chat, core, "Brian")
    await chat.say("Brian", "To learn Python.")
    await chat.say("Brian", answer)
    [_, membership] = await rows(core, Membership)
    assert membership.shares_answers is shares


async def test_an_unclear_share_answer_asks_again_and_changes_nothing(
    chat: Chat, core: Core
) -> None:
    await start_circle(chat, core)
    await join(chat, core, "Brian")
    await chat.say("Brian", "To learn Python.")
    assert "May your facilitator read" in await chat.say("Brian", "perhaps")
    [_, membership] = await rows(core, Membership)
    assert membership.shares_answers is False


# --- /reflect, /skip, and free text -----------------------------------------------------------


async def test_reflect_asks_a_prompt_and_keeps_the_answer(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    prompt = await chat.say("Brian", "/reflect")
    assert "/skip" in prompt
    answer = await chat.say("Brian", "A friend who codes.")
    assert "It's in your portfolio" in answer
    [reflection] = await rows(core, Reflection)
    assert (reflection.kind, reflection.text) == (QuestionKind.REFLECTION, "A friend who codes.")


async def test_reflect_again_gives_a_different_prompt(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    first = (await chat.say("Brian", "/reflect")).splitlines()[0]
    await chat.say("Brian", "An answer.")
    second = (await chat.say("Brian", "/reflect")).splitlines()[0]
    assert first != second


async def test_skip_skips_the_reflection(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    await chat.say("Brian", "/reflect")
    assert "skipped" in await chat.say("Brian", "/skip")
    assert await count(core, Reflection) == 0
    assert await count(core, Question) == 0


async def test_skip_with_nothing_waiting_says_so(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Brian", "/skip")
    assert answer == "There's no question waiting for you, so nothing to skip."


async def test_free_text_with_nothing_waiting_goes_to_the_facilitator_not_an_answer(
    chat: Chat, core: Core
) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Brian", "hello there")
    assert "passed that on" in answer
    assert await count(core, Reflection) == 0


async def test_a_very_long_reflection_is_kept_shortened_and_the_learner_told(
    chat: Chat, core: Core
) -> None:
    await start_circle(chat, core, "Brian")
    await chat.say("Brian", "/reflect")
    answer = await chat.say("Brian", "word " * 600)  # 3,000 characters
    assert f"I kept the first {MAX_ANSWER_CHARS:,} characters" in answer
    [reflection] = await rows(core, Reflection)
    assert len(reflection.text) <= MAX_ANSWER_CHARS
    assert reflection.text.startswith("word word")


async def test_a_very_long_checkin_answer_is_kept_shortened_and_the_learner_told(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    await send_checkins(chat, core, clock)
    await chat.say("Brian", "4")
    answer = await chat.say("Brian", "x" * 3000)
    assert f"I kept the first {MAX_ANSWER_CHARS:,} characters" in answer
    checkin = await checkin_of(core, "Brian")
    assert checkin is not None and checkin.answer is not None
    assert 0 < len(checkin.answer) <= MAX_ANSWER_CHARS


async def test_a_very_long_goal_is_kept_shortened_and_the_learner_told(
    chat: Chat, core: Core
) -> None:
    await start_circle(chat, core)
    await join(chat, core, "Brian")
    answer = await chat.say("Brian", "g" * 3000)
    assert f"I kept the first {MAX_ANSWER_CHARS:,} characters" in answer
    [goal] = await rows(core, Reflection)
    assert len(goal.text) <= MAX_ANSWER_CHARS


# --- /reminders ------------------------------------------------------------------------------


async def test_reminders_show_the_defaults(chat: Chat, core: Core) -> None:
    await start_circle(chat, core)
    answer = await chat.say("Amina", "/reminders")
    assert "24 hours" in answer
    assert "1 hour" in answer or "60 minutes" in answer


async def test_reminders_can_be_changed(chat: Chat, core: Core) -> None:
    await start_circle(chat, core)
    answer = await chat.say("Amina", "/reminders 48h 2h")
    assert "2 days" in answer and "2 hours" in answer
    assert (await circle_row(core)).reminder_offsets == [48 * 60, 2 * 60]
    assert "2 days" in await chat.say("Amina", "/reminders")


async def test_changed_reminders_go_out_at_the_new_times(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    await chat.say("Amina", "/reminders 48h")
    clock.set(MEETING_1 - timedelta(hours=48))
    assert (await core.tick()).reminders == 1
    clock.set(MEETING_1 - timedelta(hours=1))
    assert (await core.tick()).reminders == 0


async def test_reminders_off_sends_none(chat: Chat, core: Core, clock: FakeClock) -> None:
    await start_circle(chat, core, "Brian")
    assert "sends no meeting reminders" in await chat.say("Amina", "/reminders off")
    assert (await circle_row(core)).reminder_offsets == []
    clock.set(MEETING_1 - timedelta(hours=24))
    assert (await core.tick()).reminders == 0
    clock.set(MEETING_1 - timedelta(hours=1))
    assert (await core.tick()).reminders == 0
    assert to(await chat.deliver(), "Brian") == []


async def test_bad_reminder_times_are_refused_and_change_nothing(chat: Chat, core: Core) -> None:
    await start_circle(chat, core)
    assert "7 days" in await chat.say("Amina", "/reminders 9d")
    answer = await chat.say("Amina", "/reminders soon")
    assert "I couldn't read soon" in answer
    assert "24h" in answer
    assert "I couldn't read" in await chat.say("Amina", "/reminders 24h later")
    assert (await circle_row(core)).reminder_offsets == [24 * 60, 60]


async def test_reminders_on_after_off_brings_the_usual_reminders_back(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    await chat.say("Amina", "/reminders off")
    answer = await chat.say("Amina", "/reminders on")
    assert answer == (
        "Python for Everyone sends learners two reminders: 24 hours and 1 hour before each meeting."
    )
    assert (await circle_row(core)).reminder_offsets == [24 * 60, 60]
    clock.set(MEETING_1 - timedelta(hours=24))
    assert (await core.tick()).reminders == 1
    # Already on: "on" keeps the times the facilitator chose.
    await chat.say("Amina", "/reminders 48h")
    assert "2 days" in await chat.say("Amina", "/reminders on")
    assert (await circle_row(core)).reminder_offsets == [48 * 60]


async def test_a_bare_number_of_reminder_time_is_refused_with_an_example(
    chat: Chat, core: Core
) -> None:
    """Is "2" two hours or two minutes? The facilitator is asked to say, not guessed for."""
    await start_circle(chat, core)
    answer = await chat.say("Amina", "/reminders 2")
    assert answer == "Is 2 hours or minutes? Write it with a unit, like 2h or 2m."
    assert "Is 30 hours or minutes?" in await chat.say("Amina", "/reminders 24h 30")
    assert (await circle_row(core)).reminder_offsets == [24 * 60, 60]


async def test_reminders_by_a_learner_are_refused(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Brian", "/reminders off")
    assert answer == "Only a facilitator or co-facilitator can use /reminders."
    assert (await circle_row(core)).reminder_offsets == [24 * 60, 60]


# --- /digest ---------------------------------------------------------------------------------


async def test_the_digest_before_any_meeting(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian", "Chioma")
    digest = await chat.say("Amina", "/digest")
    assert "Next: meeting 1" in digest
    assert "Coming: I'll ask everyone on Wednesday, October 28." in digest
    assert "no check-ins" in digest


async def test_the_digest_tells_how_the_circle_is_doing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    # Meeting 1: Brian and Chioma come; both check in.
    clock.set(MEETING_1 + timedelta(minutes=5))
    await chat.say("Brian", "/here")
    await chat.say("Chioma", "/here")
    await send_checkins(chat, core, clock)
    for name, rating in (("Brian", "4"), ("Chioma", "2")):
        await chat.say(name, rating)
        await chat.say(name, "fine")
    # Meeting 2: only Brian comes and checks in.
    clock.set(MEETING_2 + timedelta(minutes=5))
    await chat.say("Brian", "/here")
    await send_checkins(chat, core, clock, CHECKIN_2)
    await chat.say("Brian", "5")
    clock.set(MEETING_3 - timedelta(days=2))
    await chat.say("Brian", "/rsvp yes")

    digest = await chat.say("Amina", "/digest")
    assert "Next: meeting 3" in digest
    assert "Coming so far: 1 yes, 0 no. I'll ask the others on Wednesday, November 11." in digest
    assert "Last check-in: 1 of 3 answered. Average rating 5.0 of 5." in digest
    assert "Attendance so far: 2 at meeting 1, 1 at meeting 2" in digest
    assert (
        "meetings): Dede. A friendly word might help: send /reply Dede and a few words."
    ) in digest


async def test_the_digest_after_the_first_checkins(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    await send_checkins(chat, core, clock)
    await chat.say("Brian", "4")
    await chat.say("Chioma", "2")
    digest = await chat.say("Amina", "/digest")
    assert "Last check-in: 2 of 3 answered. Average rating 3.0 of 5." in digest
    assert "May be drifting away" not in digest  # one week is not two


async def test_the_digest_by_a_learner_is_refused(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Brian", "/digest")
    assert answer == "Only a facilitator or co-facilitator can use /digest."


# --- /rhythm ------------------------------------------------------------------------------------


async def test_rhythm_shows_the_defaults(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Amina", "/rhythm")
    assert "Reminders: 24 hours and 1 hour before each meeting" in answer
    assert "Check-in: 1 day after each meeting, at 10:00 AM." in answer
    assert "Your digest: 24 hours before each meeting." in answer


async def test_a_later_checkin_goes_out_when_the_facilitator_set_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Amina", "/rhythm checkin 2 19:00")
    assert "Check-in: 2 days after each meeting, at 7:00 PM." in answer
    clock.set(CHECKIN_1)  # the default time passes: nothing
    await core.tick()
    assert not to(await chat.deliver(), "Brian")
    clock.set(datetime(2026, 10, 31, 23, 0, tzinfo=UTC))  # Saturday 19:00 in Detroit
    await core.tick()
    [question] = to(await chat.deliver(), "Brian")
    assert RATING_QUESTION in question


async def test_the_digest_goes_out_when_the_facilitator_set_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    assert "Your digest: 2 days before" in await chat.say("Amina", "/rhythm digest 48h")
    await chat.deliver()  # "Brian joined"
    clock.set(MEETING_1 - timedelta(hours=48))
    await core.tick()
    [digest] = to(await chat.deliver(), "Amina")
    assert "How Python for Everyone is doing" in digest
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    assert not to(await chat.deliver(), "Amina")


async def test_bad_rhythm_settings_are_refused_and_change_nothing(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    assert "0 to 6 days" in await chat.say("Amina", "/rhythm checkin 9 10:00")
    assert "Usage: /rhythm" in await chat.say("Amina", "/rhythm weekly")
    assert "couldn't read soon" in await chat.say("Amina", "/rhythm digest soon")
    assert "Only a facilitator" in await chat.say("Brian", "/rhythm checkin 2 19:00")
    circle = await circle_row(core)
    assert (circle.checkin_days_after, circle.checkin_time.hour) == (1, 10)
    assert circle.digest_minutes_before == 24 * 60


async def test_a_digest_time_out_of_range_is_explained_as_the_digests(
    chat: Chat, core: Core
) -> None:
    await start_circle(chat, core, "Brian")
    for typed in ("0h", "9d"):
        answer = await chat.say("Amina", f"/rhythm digest {typed}")
        assert answer == "Your digest can go out from 1 minute to 7 days before a meeting.", typed
    assert "Is 24 hours or minutes?" in await chat.say("Amina", "/rhythm digest 24")
    assert (await circle_row(core)).digest_minutes_before == 24 * 60


async def test_letters_count_and_invitation_time_are_facilitator_settings(
    chat: Chat, core: Core
) -> None:
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Amina", "/rhythm letters 5 45m")
    assert "up to 5 letters" in answer and "45 minutes into" in answer
    circle = await circle_row(core)
    assert (circle.letters_wanted, circle.letter_invite_minutes) == (5, 45)
    assert "up to 10 letters" in await chat.say("Amina", "/rhythm letters 50 30m")
    assert "during the meeting" in await chat.say("Amina", "/rhythm letters 3 3h")
    circle = await circle_row(core)
    assert (circle.letters_wanted, circle.letter_invite_minutes) == (5, 45)
