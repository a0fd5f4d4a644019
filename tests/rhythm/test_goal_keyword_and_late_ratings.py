"""Learners' leftovers (group F2): a rating texted hours after its check-in lapsed is taken
(lang 37), the last meeting's check-in speaks of no "this week" (lang 36), and a thank-you to a
writer who has used /forget is taken kindly (mix 16)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import QuestionKind, Reflection
from tests.chat.test_sms_costs import _circle, _core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    NAIROBI,
    NAIROBI_FIRST,
    detroit,
    drain,
    write,
)
from tests.letters.test_walkthrough_letters import CHEN_TEXT, first_meeting, relaying
from tests.rhythm.test_missed_and_finished import TWO_MEETINGS
from tests.rhythm.test_reading_answers import passed_on_to
from tests.rhythm.test_rhythm import checkin_of, rows
from tests.seasons import Week, checkin_due, open_circle, play_week

LEARNER = "+254711222333"


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def _ticked(console: Chat, sms: Chat, clock: FakeClock, at: datetime) -> None:
    clock.set(at)
    await sms.core.tick()
    while await sms.core.dispatch({"console": console, "sms": sms}):
        pass


async def test_a_rating_texted_after_the_next_meeting_began_is_taken(
    phones: tuple[Chat, Chat], clock: FakeClock
) -> None:
    """lang 37: the nudge read in the morning, "4" texted in the evening after the next
    meeting had begun: "Nothing is waiting for an answer right now"."""
    console, sms = phones
    await _circle(console, sms, "en", "2026-10-22", 6, LEARNER)
    await sms.say(LEARNER, "RSVP YES 2")  # the reminder asks nothing, so offers no choices
    await _ticked(console, sms, clock, datetime(2026, 10, 23, 20, 0, tzinfo=UTC))  # check-in
    await _ticked(console, sms, clock, datetime(2026, 10, 29, 6, 0, tzinfo=UTC))  # the nudge
    clock.set(datetime(2026, 10, 29, 15, 30, tzinfo=UTC))  # meeting 2 began at 14:30
    taken = await sms.say(LEARNER, "4")
    assert taken == "Thanks, got it! That's your rating for meeting 1 of Digital Skills."
    checkin = await checkin_of(sms.core, LEARNER)
    assert checkin is not None and checkin.rating == 4
    # Days later a number is no rating any more.
    clock.set(datetime(2026, 11, 6, 15, 30, tzinfo=UTC))
    assert "Thanks, got it" not in await sms.say(LEARNER, "3")


async def test_the_last_meetings_check_in_speaks_of_no_week(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 36: after the circle's last meeting the learner was still told "this week"."""
    await open_circle(chat, core, {"Brian": True, "Chioma": True}, TWO_MEETINGS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma")))
    await play_week(chat, core, clock, 2, Week())
    clock.set(checkin_due(2) + timedelta(hours=1))
    assert await chat.say("Brian", "no thanks") == "That's fine, we'll leave it there."
    missed = await chat.say("Chioma", "I wasn't there")
    assert missed.startswith("We missed you at the last meeting.\n\n"), missed
    assert "week" not in missed


async def test_a_thank_you_to_a_writer_who_left_is_taken_kindly(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """mix 16: Brian used /forget; Otieno's thanks was said to be "on its way to a learner in
    Detroit", to no one."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    await write(chat, "Chen", CHEN_TEXT)
    await chat.say("Amina", "/letters approve 1")
    await chat.say("Amina", "/letters approve 2")
    await drain(chat)
    await first_meeting(core, chat, clock, NAIROBI_FIRST)
    await chat.say("Brian", "/forget")
    assert (await chat.say("Brian", "1")).startswith("Done")
    gone = (
        "Thank you! The writer of letter 1 has since left circlebot, so your thanks can't reach "
        "them any more. It was kind of you all the same."
    )
    # Chen's letter came with it: its choice is offered again (issue 16).
    again = "\nReply 1 for Thank a learner in Detroit or 2 for Thank Chen."
    assert await chat.say("Otieno", "/thanks 1") == gone + again
    listed = await chat.say("Otieno", "/thanks")
    assert "#1 From a learner in Detroit in Detroit, United States: its writer has left" in listed
    assert listed.endswith("Reply 1 for Thank a learner in Detroit or 2 for Thank Chen.")
    assert await chat.say("Otieno", "1") == gone + again
    assert await chat.say("Otieno", "/thanks") == listed
    # The number on the list picks that letter.
    assert await chat.say("Otieno", "2") == "Your thanks is on its way to Chen."
    assert [m.address.chat_id for m in await drain(chat)] == ["chen"]


@pytest.mark.parametrize(
    ("language", "digest", "letters"),
    [
        ("de", "/rhythmus übersicht 24 Std.", "/rhythmus briefe 3 30 Min."),
        ("da", "/rytme oversigt 24 t", "/rytme breve 3 30 min."),
        ("fr", "/rythme résumé 24 h", "/rythme lettres 3 30 min"),
        ("sw", "/mdundo muhtasari saa 24", "/mdundo barua 3 dakika 30"),
    ],
)
async def test_rhythm_help_names_a_duration_with_the_languages_units(
    chat: Chat, language: str, digest: str, letters: str
) -> None:
    """lang 38: German /rhythm help showed UHRZEIT (a time of day) where a length of time goes,
    and "24h", "30m" in every language's examples."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/language " + language)
    shown = await chat.say("Amina", "/rhythm digest")
    assert shown.endswith(digest), shown
    assert "UHRZEIT" not in shown and "24h" not in shown, shown
    assert (await chat.say("Amina", "/rhythm letters 3")).endswith(letters)
    # The examples' units work as typed.
    assert "12" in await chat.say("Amina", digest.replace("24", "12"))
    assert "45" in await chat.say("Amina", letters.replace("30", "45"))


async def _goals(core: Core) -> list[str]:
    return [r.text for r in await rows(core, Reflection) if r.kind == QuestionKind.GOAL]


async def test_a_texter_changes_her_goal_by_sms(phones: tuple[Chat, Chat]) -> None:
    """sms 16: by SMS a learner had no way to change her goal."""
    console, sms = phones
    await _circle(console, sms, "es", "2026-10-22", 6, LEARNER)
    await console.deliver()  # the join notice
    changed = await sms.say(LEARNER, "META aprender Excel")
    assert changed.startswith('Tu meta en Habilidades digitales ahora es: "aprender Excel".')
    assert await _goals(sms.core) == ["aprender Excel"]
    asked = await sms.say(LEARNER, "META")
    assert '"aprender Excel". ¿Cual es tu nueva meta?' in asked, asked
    await sms.say(LEARNER, "hacer mi presupuesto en una hoja de calculo")
    assert await _goals(sms.core) == ["hacer mi presupuesto en una hoja de calculo"]
    assert not passed_on_to(await console.deliver(), "Otieno")  # a goal, not a message
    # Asked again and skipped: the goal stays.
    await sms.say(LEARNER, "GOAL")
    assert "anterior se mantiene" in await sms.say(LEARNER, "SALTAR")
    assert await _goals(sms.core) == ["hacer mi presupuesto en una hoja de calculo"]


async def test_sms_replies_name_the_facilitator(phones: tuple[Chat, Chat]) -> None:
    """sms 35: by SMS the bot said "tu facilitador/a" where it knew Otieno's name."""
    console, sms = phones
    code = await _circle(console, sms, "es", "2026-10-22", 6, LEARNER, answer_sharing=False)
    await sms.say(LEARNER, "/sharing off")
    on = await sms.say(LEARNER, "/sharing on")
    assert "Otieno puede leer" in on and "facilitador" not in on, on
    said = await sms.say(LEARNER, "/sharing")
    assert said.startswith("Otieno puede leer lo que escribes"), said
    # A second learner, asked at joining.
    other = "+254700000009"
    await sms.say(other, "/language es")
    await sms.say(other, "/join " + code)
    await sms.say(other, "/name Camila")
    asked = await sms.say(other, "aprender Excel")
    assert "¿Puede Otieno leer tus respuestas escritas?" in asked, asked
    assert (await sms.say(other, "1")).startswith(
        "¡Gracias! Desde ahora, Otieno vera lo que escribas"
    )  # GSM-7
