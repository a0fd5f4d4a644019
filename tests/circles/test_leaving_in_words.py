"""A learner who asks in words to leave her circle at a check-in is asked the leave question for
that circle, not told her words were kept with the check-in (walkthroughs fac 8, dada 6: "please
take me off the library group", "quiero salir del grupo"). Words a learner who shares kept for
her facilitator at the last check-in reach them with the news that she left (dada 7: "Mette lo
verá", and Mette never saw them)."""

from __future__ import annotations

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import checkin_due, open_circle, starts

KEISHA = (
    "I cant do tuesdays because of work, please take me off the library group but keep me "
    "in the online one"
)
CARLOS = "lo siento, conseguí trabajo y ya no puedo venir más. quiero salir del grupo"


async def _checkin_pending(chat: Chat, core: Core, clock: FakeClock) -> None:
    clock.set(starts(1))
    clock.set(checkin_due(1))
    await core.tick()
    await chat.deliver()


def _to(sent: list, name: str) -> list[str]:
    return [m.text for m in sent if m.address.chat_id == name.casefold()]


@pytest.mark.parametrize("shares", [False, True])
async def test_take_me_off_at_the_checkin_asks_to_leave(
    chat: Chat, core: Core, clock: FakeClock, shares: bool
) -> None:
    await open_circle(chat, core, {"Keisha": shares})
    await _checkin_pending(chat, core, clock)
    said = await chat.say("Keisha", KEISHA)
    assert "Leave Python for Everyone?" in said, said
    assert "kept that with your check-in" not in said
    assert "Amina will see your reason." in said  # said before she says yes
    await chat.say("Keisha", "1")
    [notice] = _to(await chat.deliver(), "Amina")
    assert "Keisha has left Python for Everyone" in notice and "tuesdays" in notice, notice


@pytest.mark.parametrize(
    ("locale", "words", "asked"),
    [
        ("es", CARLOS, "¿Salir de Python for Everyone?"),
        ("en", "I want to leave, sorry", "Leave Python for Everyone?"),
        ("fr", "je veux quitter le groupe, merci", "Python for Everyone"),
        ("de", "ich möchte austreten, danke", "Python for Everyone"),
        ("sw", "nataka kuondoka, asante", "Python for Everyone"),
        ("da", "jeg vil gerne melde mig ud, tak", "Python for Everyone"),
    ],
)
async def test_leaving_words_in_every_language(
    chat: Chat, core: Core, clock: FakeClock, locale: str, words: str, asked: str
) -> None:
    await open_circle(chat, core, {"Carlos": True})
    await chat.say("Carlos", f"/language {locale}")
    await _checkin_pending(chat, core, clock)
    said = await chat.say("Carlos", words)
    assert asked in said and "?" in said, said
    assert "1" in said or "Yes" in said or "Sí" in said
    assert "Mette" not in said


async def test_a_no_keeps_her_in_and_her_checkin_still_waits(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Keisha": False})
    await _checkin_pending(chat, core, clock)
    await chat.say("Keisha", KEISHA)
    assert "still in Python for Everyone" in await chat.say("Keisha", "2")
    assert "Thanks" in await chat.say("Keisha", "3")  # the rating still answers the check-in


async def test_shared_checkin_words_reach_the_facilitator_when_she_leaves(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Carlos": True})
    await _checkin_pending(chat, core, clock)
    said = await chat.say("Carlos", "I got a new job and the hours are hard for me now.")
    assert "Amina will see it." in said, said
    await chat.deliver()
    await chat.say("Carlos", "/leave")
    await chat.say("Carlos", "1")
    [notice] = _to(await chat.deliver(), "Amina")
    assert "Carlos has left" in notice and "I got a new job" in notice, notice


async def test_private_checkin_words_stay_private_when_she_leaves(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Carlos": False})
    await _checkin_pending(chat, core, clock)
    said = await chat.say("Carlos", "I got a new job and the hours are hard for me now.")
    assert "between you and me" in said, said
    await chat.deliver()
    await chat.say("Carlos", "/leave")
    await chat.say("Carlos", "1")
    [notice] = _to(await chat.deliver(), "Amina")
    assert "Carlos has left" in notice and "new job" not in notice, notice


async def test_take_me_off_in_a_message_is_passed_on_and_answered(chat: Chat, core: Core) -> None:
    """No check-in waiting: her words reach Amina, and she learns how to leave."""
    await open_circle(chat, core, {"Keisha": True})
    said = await chat.say("Keisha", "please take me off the group, I have no time")
    assert "passed that on to Amina" in said, said
    assert "send /leave" in said, said
