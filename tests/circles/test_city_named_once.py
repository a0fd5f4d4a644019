"""A venue typed with its town at the end, and then the city asked for, names the town once
(walk: fac 1 "..., 5606 San Pablo Ave, Oakland, Oakland, CA"; dede 1 "..., München, München")."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

ADDRESSED = DETROIT_CIRCLE.replace(
    'venue="Detroit Public Library" city=Detroit',
    'venue="Detroit Public Library, Room 3, 5201 Woodward Ave, Detroit" city="Detroit, MI"',
)


async def test_the_town_at_the_end_of_an_address_is_not_said_twice(chat: Chat, core: Core) -> None:
    await chat.say("Amina", ADDRESSED)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    schedule = await chat.say("Brian", "/schedule")
    assert "5201 Woodward Ave, Detroit, MI:" in schedule
    assert "Detroit, Detroit" not in schedule
    assert "Detroit, Detroit" not in await chat.say("Brian", "/next")


async def test_a_venue_naming_another_town_keeps_both(chat: Chat, core: Core) -> None:
    await chat.say(
        "Amina", DETROIT_CIRCLE.replace('"Detroit Public Library"', '"Library, Dearborn"')
    )
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    assert "Library, Dearborn, Detroit:" in await chat.say("Brian", "/schedule")
