"""Walkthroughs wave 2 (fac 30, fac 14, sms 30, sms 36): attendance once taken is kept, the
reminder to take it closes, absences said in a sentence untick, and "Did you mean" takes a yes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from bot.storage.models import Attendance
from tests.conftest import Chat
from tests.rhythm.test_attendance_reminders import DUE, MEETING_1, reminders, tick_at
from tests.rhythm.test_rhythm import count, start_circle

# --- fac 30: the reminder closes once attendance is taken; a question is never who came -----


async def reminded(chat: Chat, core: Core, clock: FakeClock) -> None:
    """Amina's circle, Brian and Chen learning, Dede co-facilitating; both are reminded."""
    await start_circle(chat, core, "Brian", "Chen", "Dede")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Dede")
    await chat.deliver()
    assert len(reminders(await tick_at(core, clock, chat, DUE))) == 2


async def test_a_question_after_nobody_came_keeps_what_was_saved(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await reminded(chat, core, clock)
    noted = await chat.say("Amina", "/attendance 1 nobody came, snow storm")
    assert noted == "Noted: nobody came to meeting 1."
    for name, text in (
        ("Amina", "how is everyone doing?"),
        ("Dede", "is everyone ok after the storm?"),
    ):
        answer = await chat.say(name, text)
        assert "Saved" not in answer and "Who came" not in answer, answer
    assert await count(core, Attendance) == 0
    # The reminder's choice is closed for both: "1" picks nothing.
    for name in ("Amina", "Dede"):
        assert "Who came to meeting 1" not in await chat.say(name, "1")


async def test_a_question_to_the_reminder_is_not_who_came(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await reminded(chat, core, clock)
    answer = await chat.say("Amina", "is everyone ok after the storm?")
    assert "Saved" not in answer, answer
    assert await count(core, Attendance) == 0
    # The names still answer it (A20).
    assert await chat.say("Amina", "brian came") == "Saved: 1 of 2 learners came to meeting 1."


async def test_saved_attendance_is_changed_only_after_a_yes(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await reminded(chat, core, clock)
    assert await chat.say("Amina", "/attendance 1 nobody came") == (
        "Noted: nobody came to meeting 1."
    )
    asked = await chat.say("Amina", "/attendance 1 everyone")
    assert "Saved" not in asked and "already" in asked, asked
    assert await count(core, Attendance) == 0
    assert "Saved: 2 of 2" in await chat.say("Amina", "yes")
    assert await count(core, Attendance) == 2
    # A no keeps it.
    asked = await chat.say("Amina", "/attendance 1 brian")
    assert "already" in asked, asked
    assert "Saved" not in await chat.say("Amina", "no")
    assert await count(core, Attendance) == 2


async def test_a_question_on_the_open_sheet_ticks_no_one(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chen")
    clock.set(MEETING_1 + timedelta(hours=1))
    assert "Who came to meeting 1" in await chat.say("Amina", "/attendance")
    answer = await chat.say("Amina", "how is everyone doing?")
    assert "I've closed the attendance sheet for meeting 1" in answer, answer
    assert await count(core, Attendance) == 0


# --- sms 30: a sentence saying someone didn't come unticks them, in any language --------------


@pytest.mark.parametrize(
    "said",
    [
        "mama rehema was in nairobi",
        "Mama Rehema was in Nairobi",
        "Mama Rehema was not there",
        "mama rehema didn't come",
        "Mama Rehema was sick",
        "mama rehema no vino",
        "Mama Rehema n'est pas venue",
        "Mama Rehema war nicht da",
        "mama rehema kom ikke",
        "Mama Rehema hakuja",
    ],
)
async def test_an_absence_in_a_sentence_unticks(
    chat: Chat, core: Core, clock: FakeClock, said: str
) -> None:
    await start_circle(chat, core, "Otieno", "Baraka", "Mama Rehema")
    clock.set(MEETING_1 + timedelta(hours=1))
    assert "Who came to meeting 1" in await chat.say("Amina", "/attendance")
    assert "[x] 3. Mama Rehema" in await chat.say("Amina", "1 2 3")
    answer = await chat.say("Amina", said)
    assert "[x] 1. Otieno\n[x] 2. Baraka\n[ ] 3. Mama Rehema" in answer, answer
    assert "isn't on the list" not in answer, answer


async def test_a_place_she_came_from_is_no_absence(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Otieno", "Baraka", "Mama Rehema")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/attendance")
    for said in (
        "mama rehema was in time",
        "Mama Rehema alikuwa hapa",
        "rehema was at the library",
    ):
        await chat.say("Amina", "-3")
        answer = await chat.say("Amina", said)
        assert "[x] 3. Mama Rehema" in answer, (said, answer)


# --- sms 36: bare ATTENDANCE during a meeting opens that meeting's sheet -----------------------


async def test_attendance_during_a_meeting_opens_it_though_last_weeks_reminder_waits(
    core: Core, clock: FakeClock
) -> None:
    sms = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    await start_circle(sms, core, "Otieno", "Baraka")
    await sms.deliver()
    assert reminders(await tick_at(core, clock, sms, DUE))  # meeting 1, never taken
    clock.set(MEETING_1 + timedelta(days=7, hours=1, minutes=15))  # meeting 2 under way
    sheet = await sms.say("Amina", "ATTENDANCE")
    assert "Who came to meeting 2" in sheet, sheet


# --- fac 14: "Did you mean Keisha?" takes a yes ------------------------------------------------


@pytest.mark.parametrize(
    ("language", "yes"),
    [("en", "yes"), ("es", "sí"), ("fr", "oui"), ("de", "ja"), ("sw", "ndiyo"), ("da", "ja")],
)
async def test_a_yes_to_did_you_mean_ticks_that_one(
    chat: Chat, core: Core, clock: FakeClock, language: str, yes: str
) -> None:
    await start_circle(chat, core, "Loretta", "Keisha")
    clock.set(MEETING_1 + timedelta(hours=1))
    if language != "en":
        await chat.say("Amina", f"/language {language}")
    asked = await chat.say("Amina", "/attendance 1 Kiesha")
    assert "Keisha" in asked and "[ ] 2. Keisha" in asked, asked
    answer = await chat.say("Amina", yes)
    assert "list" not in answer and "Keisha" not in answer, answer  # saved, as done was said
    assert await count(core, Attendance) == 1


async def test_by_sms_a_yes_changes_saved_attendance(core: Core, clock: FakeClock) -> None:
    sms = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    await start_circle(sms, core, "Otieno", "Baraka")
    clock.set(MEETING_1 + timedelta(hours=1))
    assert "nobody came" in await sms.say("Amina", "ATTENDANCE 1 nobody")
    asked = await sms.say("Amina", "ATTENDANCE 1 otieno")
    assert "already saved: 0 of 2 came" in asked, asked
    assert "Saved: 1 of 2" in await sms.say("Amina", "YES")
    assert await count(core, Attendance) == 1
