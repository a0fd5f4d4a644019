"""Facilitator walkthrough finding fac 22: the same /newcircle sent twice asks before making
a second circle just like the first."""

from __future__ import annotations

from sqlmodel import select

from bot.core import Core
from bot.storage.models import Circle
from tests.circles.test_circle_language import GUIDED
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session


async def circle_count(core: Core) -> int:
    async with open_session(core) as session:
        return len((await session.exec(select(Circle))).all())


async def test_the_same_newcircle_twice_is_asked_about(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Joseph", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    asked = await chat.say("Joseph", DETROIT_CIRCLE)
    assert asked.startswith(
        f"You already run Python for Everyone (join code {code}), with its first meeting at "
        "that same time. Make a second circle just like it?"
    )
    assert await chat.say("Joseph", "2") == "OK, I haven't made another circle."
    assert await circle_count(core) == 1
    # Asked again, and meant: the second one is made.
    await chat.say("Joseph", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Joseph", "yes")
    assert await circle_count(core) == 2


async def test_another_time_or_another_facilitator_is_not_asked_about(
    chat: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Joseph", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Joseph", DETROIT_CIRCLE.replace("18:00", "10:00"))
    assert "is ready" in await chat.say("Ruth", DETROIT_CIRCLE)
    assert await circle_count(core) == 3


async def test_the_guided_conversation_asks_too(chat: Chat, core: Core) -> None:
    await chat.say("Wanjiru", "/language en")
    for _ in range(2):
        await chat.say("Wanjiru", "/newcircle")
        replies = [await chat.say("Wanjiru", answer) for answer in [*GUIDED, "Kiswahili"]]
    assert replies[-1].startswith("You already run Kusoma Kidijitali (join code ")
    assert "is ready" in await chat.say("Wanjiru", "1")
    assert await circle_count(core) == 2
