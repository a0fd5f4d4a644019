"""What a learner's free text passes on to the facilitators, and what is only the answer it
gives (wave 2, group G2): a join with a greeting around it, a yes with friendly words."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat import keywords
from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.rhythm.test_reading_answers import passed_on_to, reminded, rsvps
from tests.seasons import Week, open_circle, play_week, starts


async def test_a_polite_join_message_joins_and_is_not_passed_on(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {})
    code = await code_of(core, "Python for Everyone")
    await chat.deliver()
    reply = await chat.say(
        "Ruth",
        "Hello. My librarian Amina gave me this code, I hope I am doing this right. /join " + code,
    )
    assert "Welcome to Python for Everyone" in reply, reply
    assert "passed that on" not in reply, reply
    told = passed_on_to(await chat.deliver(), "Amina")
    assert not any("I hope I am doing this right" in t for t in told), told


@pytest.mark.parametrize(
    ("language", "text", "passed"),
    [
        ("en", "Yes I will be there, looking forward to it.", "passed that on"),
        ("fr", "Oui je serai là, j'ai hâte !", "transmis"),
        ("es", "Sí, ahí estaré, con mucho gusto", "pasé"),
        ("de", "Ja, ich bin dabei, freue mich drauf!", "weitergegeben"),
    ],
)
async def test_a_yes_with_friendly_words_is_only_the_rsvp(
    chat: Chat, core: Core, clock: FakeClock, language: str, text: str, passed: str
) -> None:
    await open_circle(chat, core, {"Ruth": True})
    await chat.say("Ruth", "/language " + language)
    await reminded(chat, core, clock, "Ruth", 1)
    reply = await chat.say("Ruth", text)
    assert passed not in reply, reply
    assert await rsvps(core) == [RsvpAnswer.YES]
    assert not passed_on_to(await chat.deliver(), "Amina")


async def test_asking_how_to_leave_is_passed_on_and_answered(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {"Gloria": True})
    await chat.deliver()
    reply = await chat.say(
        "Gloria", "I think I have to drop out, too much work travel. how do I leave the group?"
    )
    assert "passed that on to Amina" in reply, reply
    assert "send /leave" in reply, reply
    assert any("drop out" in t for t in passed_on_to(await chat.deliver(), "Amina"))


async def test_asking_in_words_for_messages_in_english_switches_the_language(
    chat: Chat, core: Core
) -> None:
    await open_circle(chat, core, {"Baraka": True})
    await chat.say("Baraka", "/language sw")
    await chat.deliver()
    reply = await chat.say("Baraka", "Naweza kupata hizi messages kwa English?")
    assert "English" in reply, reply  # "From now on I'll write to you in English."
    assert "nimeufikisha" not in reply, reply
    assert not passed_on_to(await chat.deliver(), "Amina")


async def test_an_answer_to_a_learner_in_two_of_her_circles_names_the_circle(
    chat: Chat, core: Core
) -> None:
    await open_circle(chat, core, {"Lukas": True})
    excel = DETROIT_CIRCLE.replace("Python for Everyone", "Excel Club")
    await open_circle(chat, core, {"Lukas": True}, excel)
    await chat.say("Lukas", "/language de")
    await chat.say("Lukas", "Hallo Amina, ich komme am Montag ca 15 min später, ist das ok?")
    await chat.deliver()
    await chat.say("Amina", "/reply 1 Kein Problem, bis Montag!")
    [answer] = passed_on_to(await chat.deliver(), "Lukas")
    assert "leitet deinen Kreis" not in answer, answer
    assert "Excel Club" in answer or "Python for Everyone" in answer, answer


def here_command(core: Core, language: str) -> str:
    return "/" + keywords.slash_name(core.catalogs.translator(language), "here")


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "I will be 20 minutes late, sorry"),
        ("es", "voy tarde como 20 min, el bus no pasa"),
        ("es", "ya voy en camino, llego como 5:20"),
        ("fr", "je serai en retard de 10 minutes"),
        ("de", "ich komme etwas später, der bus ist weg"),
        ("da", "jeg bliver forsinket 10 min"),
        ("sw", "nitachelewa kidogo, matatu"),
    ],
)
async def test_running_late_on_a_meeting_day_is_on_the_way_not_a_rating_nag(
    chat: Chat, core: Core, clock: FakeClock, language: str, text: str
) -> None:
    await open_circle(chat, core, {"Yesenia": True})
    await chat.say("Yesenia", "/language " + language)
    await play_week(chat, core, clock, 1, Week())  # meeting 1's check-in waits, unanswered
    clock.set(starts(2) - timedelta(hours=5))
    await core.tick()
    await chat.deliver()
    await chat.say("Yesenia", "1")  # yes to meeting 2's reminder
    await chat.deliver()
    clock.set(starts(2) - timedelta(minutes=24))
    reply = await chat.say("Yesenia", text)
    assert here_command(core, language) in reply, reply  # "When you arrive, send /here."
    assert " 5" not in reply, reply  # no "send a number from 1 to 5"
    [told] = passed_on_to(await chat.deliver(), "Amina")
    assert "Yesenia" in told and text in told, told


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Yes I am coming but I will be small late, trotro traffic"),
        ("es", "si voy pero llego tarde x el trabajo como 17:30"),
    ],
)
async def test_a_yes_saying_late_on_the_meeting_day_is_on_the_way(
    chat: Chat, core: Core, clock: FakeClock, language: str, text: str
) -> None:
    await open_circle(chat, core, {"Andres": True})
    await chat.say("Andres", "/language " + language)
    clock.set(starts(1) - timedelta(hours=1, minutes=5))
    await core.tick()
    await chat.deliver()
    reply = await chat.say("Andres", text)
    assert here_command(core, language) in reply, reply
    assert await rsvps(core) == [RsvpAnswer.YES]
    [told] = passed_on_to(await chat.deliver(), "Amina")
    assert "Andres" in told and text in told, told


async def test_words_naming_a_weekday_go_under_the_circle_meeting_that_day(
    chat: Chat, core: Core
) -> None:
    monday = DETROIT_CIRCLE.replace("Python for Everyone", "Python Mondays").replace(
        "start=2026-10-29", "start=2026-11-02"
    )
    await open_circle(chat, core, {"Lukas": True}, monday)
    thursday = DETROIT_CIRCLE.replace("Python for Everyone", "English at Work")
    await open_circle(chat, core, {"Lukas": True}, thursday)
    await chat.say("Lukas", "/language de")
    await chat.deliver()
    await chat.say("Lukas", "Hallo Amina, ich komme am Montag ca 15 min später, ist das ok?")
    [told] = passed_on_to(await chat.deliver(), "Amina")
    assert "Python Mondays" in told and "English at Work" not in told, told
