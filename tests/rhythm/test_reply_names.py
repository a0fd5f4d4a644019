"""/reply N for a facilitator of several circles: the notice names the circle, numbers never
repeat across the circles a facilitator runs, so /reply N reaches the one learner it names
(their default circle, /default, aside); where two circles do hold the same number (given
before the facilitator ran both), they are asked which."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.rhythm.test_two_way import to

DETROIT = "Python for Everyone"
EVENINGS = "Python Evenings"
SECOND_CIRCLE = DETROIT_CIRCLE.replace(DETROIT, EVENINGS)


async def joined(chat: Chat, core: Core, name: str, circle: str) -> None:
    """`name` joins `circle` and skips the welcome's two questions."""
    assert "Welcome" in await chat.say(name, "/join " + await code_of(core, circle))
    await chat.say(name, "/skip")
    await chat.say(name, "/skip")


async def test_numbers_are_the_facilitators_across_her_circles(chat: Chat, core: Core) -> None:
    """Amina runs both circles and chose the first as her default: Chen, in the second, is
    still the one /reply 2 reaches, with no question about which circle."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Amina", SECOND_CIRCLE)
    await joined(chat, core, "Brian", DETROIT)
    await joined(chat, core, "Chen", EVENINGS)
    await chat.say("Amina", f"/default {DETROIT}")
    await chat.deliver()

    await chat.say("Brian", "Is there parking near the library?")
    await chat.say("Chen", "I'll be late on Thursday.")
    notices = to(await chat.deliver(), "amina")
    assert notices == [
        f"Brian wrote about {DETROIT}:\nIs there parking near the library?\n"
        "(To answer, send /reply 1 and your answer.)",
        f"Chen wrote about {EVENINGS}:\nI'll be late on Thursday.\n"
        "(To answer, send /reply 2 and your answer.)",
    ]
    assert await chat.say("Amina", "/reply 2 No problem, see you then.") == (
        "I've sent your answer to Chen."
    )
    sent = await chat.deliver()
    assert "No problem, see you then." in "".join(to(sent, "chen"))
    assert to(sent, "brian") == []
    # Without the answer, the flow still knows whom it is for.
    assert "say to Brian?" in await chat.say("Amina", "/reply 1")
    assert await chat.say("Amina", "Yes, behind the building.") == "I've sent your answer to Brian."
    assert "I can't find message 9." in await chat.say("Amina", "/reply 9 Hello")


async def test_a_number_two_circles_hold_is_asked_about(chat: Chat, core: Core) -> None:
    """Dede ran Python Evenings alone when Chen wrote (message 1 there); Amina's Brian wrote
    message 1 in hers. Then Amina co-facilitated Python Evenings: /reply 1 could be either."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Dede", SECOND_CIRCLE)
    await joined(chat, core, "Brian", DETROIT)
    await joined(chat, core, "Chen", EVENINGS)
    await chat.say("Brian", "Is there parking near the library?")
    await chat.say("Chen", "I'll be late on Thursday.")
    await joined(chat, core, "Amina", EVENINGS)
    assert "co-facilitates" in await chat.say("Dede", "/cofacilitator Amina")
    await chat.deliver()

    asked = await chat.say("Amina", "/reply 1 See you soon!")
    assert asked.startswith("Message 1: which circle is it from?")
    assert EVENINGS in asked and DETROIT in asked
    assert await chat.say("Amina", EVENINGS) == "I've sent your answer to Chen."
    sent = await chat.deliver()
    assert "See you soon!" in "".join(to(sent, "chen"))
    assert to(sent, "brian") == []


async def test_a_facilitator_writes_to_her_co_facilitator_by_name(chat: Chat, core: Core) -> None:
    """fac 32: "/reply wanjiru ..." to the co-facilitator got "I can't find a learner called
    wanjiru", and a reply reached her twice (as the one written to, and as a facilitator)."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await joined(chat, core, "Brian", DETROIT)
    await joined(chat, core, "Wanjiru", DETROIT)
    await chat.say("Amina", "/cofacilitator wanjiru")
    await chat.deliver()

    answer = await chat.say("Amina", "/reply wanjiru I'm sick, can you open the room tomorrow?")
    assert answer == "I've sent your answer to Wanjiru."
    [sent] = to(await chat.deliver(), "wanjiru")
    assert sent.startswith(f"Amina, who runs {DETROIT} with you, wrote:\nI'm sick")


async def test_the_number_inbox_shows_waiting_is_answered_without_asking(
    chat: Chat, core: Core
) -> None:
    """fac 20: /inbox listed Chen's message 1 (Python Evenings) as the one waiting; Brian's
    message 1 in her other circle was answered already. /reply 1 asked which circle anyway."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Dede", SECOND_CIRCLE)
    await joined(chat, core, "Brian", DETROIT)
    await joined(chat, core, "Chen", EVENINGS)
    await chat.say("Brian", "Is there parking near the library?")
    await chat.say("Chen", "I'm feeling better, see you Thursday.")
    assert await chat.say("Amina", "/reply 1 Yes, behind the building.") == (
        "I've sent your answer to Brian."
    )
    await joined(chat, core, "Amina", EVENINGS)
    assert "co-facilitates" in await chat.say("Dede", "/cofacilitator Amina")
    await chat.deliver()

    listed = await chat.say("Amina", "/inbox")
    assert "1. Chen" in listed and "Brian" not in listed
    assert await chat.say("Amina", "/reply 1 Glad you are feeling better!") == (
        "I've sent your answer to Chen."
    )
    sent = await chat.deliver()
    assert "Glad you are feeling better!" in "".join(to(sent, "chen"))
    assert to(sent, "brian") == []
