"""Which circle, in a learner's own words: "the library one", "the online one" (walk 14, fac 9)."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

ONLINE_CIRCLE = DETROIT_CIRCLE.replace("Detroit Public Library", "https://meet.jit.si/py").replace(
    "Python for Everyone", "Evening Python"
)


async def in_both(chat: Chat, core: Core) -> None:
    await chat.say("Marcus", DETROIT_CIRCLE)
    await chat.say("Marcus", ONLINE_CIRCLE)
    for circle in ("Python for Everyone", "Evening Python"):
        await chat.say("Keisha", "/join " + await code_of(core, circle))
        await chat.say("Keisha", "/skip")
        await chat.say("Keisha", "/skip")


async def test_the_library_one_and_the_online_one_pick_their_circle(
    chat: Chat, core: Core
) -> None:
    await in_both(chat, core)
    assert "Which circle" in await chat.say("Keisha", "/leave")
    asked = await chat.say("Keisha", "the library one")
    assert "Python for Everyone" in asked and "Evening Python" not in asked, asked
    await chat.say("Keisha", "no")
    assert "Which circle" in await chat.say("Keisha", "/schedule")
    shown = await chat.say("Keisha", "the online one")
    assert "https://meet.jit.si/py" in shown, shown


async def test_no_tip_to_make_default_the_circle_one_is_leaving(chat: Chat, core: Core) -> None:
    await in_both(chat, core)
    await chat.say("Keisha", "/leave")
    asked = await chat.say("Keisha", "Python for Everyone")
    assert "/default" not in asked, asked
    assert "/default" not in " ".join(m.text for m in await chat.deliver()), "tip sent"
