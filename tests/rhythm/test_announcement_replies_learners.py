"""Walkthrough (issue 16): an announcement's reply window is for learners, and the prompts that
end a conversation name /cancel, which SMS turns into EXIT (a bare CANCEL is the carrier's
opt-out)."""

from __future__ import annotations

from bot.chat.messages import Capabilities
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.rhythm.test_two_way import NEWS, detroit, to

TEXTING = Capabilities(max_text_length=459, slash_commands=False)


async def test_a_facilitators_own_words_are_not_passed_on_as_a_reply(
    chat: Chat, core: Core
) -> None:
    """Dede co-facilitates and announces; Amina's "ok thanks" afterwards is hers, not a
    learner's reply for Dede. Brian's reply still reaches both."""
    await detroit(chat, core, "Brian", "Dede")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Dede")
    await chat.deliver()
    await chat.say("Dede", f"/announce {NEWS}")
    assert "Sent to 2 members" in await chat.say("Dede", "1")
    await chat.deliver()
    assert "passed that on" not in await chat.say("Amina", "ok thanks")
    assert not any("replied about" in text for text in to(await chat.deliver(), "dede"))
    assert "passed that on to Amina and Dede" in await chat.say("Brian", "See you there")


async def test_the_reply_prompt_names_exit_on_sms(core: Core) -> None:
    """Amina runs her circle by text: the prompt tells her EXIT, and EXIT sends nothing."""
    texting = Chat(core, platform="sms", capabilities=TEXTING)
    await detroit(texting, core, "Brian")
    await texting.say("Brian", "I will be late on Tuesday")
    await texting.deliver()
    asked = await texting.say("Amina", "/reply 1")
    assert asked == "What would you like to say to Brian? (Send EXIT to stop.)"
    assert "stopped" in await texting.say("Amina", "EXIT")
    assert to(await texting.deliver(), "brian") == []


# --- /reply NAME: writing to a learner who never wrote -----------------------------------------


async def test_reply_by_first_name_reaches_a_quiet_learner(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Bob", "Chen")
    assert await chat.say("Amina", "/reply Bob We missed you!") == "I've sent your answer to Bob."
    [sent] = to(await chat.deliver(), "bob")
    # Walkthrough 8 (fac 10): she never wrote, so this is no reply.
    assert sent.startswith("Amina (your facilitator) wrote to you:\nWe missed you!")
    # Without the words, they are asked for, and go to Bob.
    assert "say to Chen?" in await chat.say("Amina", "/reply chen")
    assert await chat.say("Amina", "See you Thursday?") == "I've sent your answer to Chen."
    assert "See you Thursday?" in "".join(to(await chat.deliver(), "chen"))
    # His answer comes back to Amina.
    assert "passed that on to Amina" in await chat.say("Bob", "Thanks, I'll be there")


async def test_reply_to_an_unknown_or_shared_name(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Bob Smith", "Bob Jones")
    assert await chat.say("Amina", "/reply Dana Hello") == (
        "I can't find a learner called Dana in your circle. Send /roster to see who's in it."
    )
    assert await chat.say("Amina", "/reply Bob Hello") == (
        "More than one learner is called Bob: Bob Smith and Bob Jones. Send /reply with the "
        "whole name."
    )
    assert await chat.deliver() == []
    assert (
        await chat.say("Amina", "/reply Bob Jones Hello") == "I've sent your answer to Bob Jones."
    )
    assert "Hello" in "".join(to(await chat.deliver(), "bob jones"))


async def test_one_name_in_two_circles_asks_which(chat: Chat, core: Core) -> None:
    from tests.rhythm.test_reply_names import DETROIT, EVENINGS, SECOND_CIRCLE, joined

    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", SECOND_CIRCLE)
    await joined(chat, core, "Chen", DETROIT)
    await joined(chat, core, "Chen Li", EVENINGS)
    await chat.deliver()
    asked = await chat.say("Amina", "/reply Chen See you!")
    assert asked.startswith("Which Chen do you mean?\n")
    assert "Chen Li in Python Evenings" in asked and "Chen in Python for Everyone" in asked
    choice = "1" if asked.index("Chen Li") < asked.index("Chen in") else "2"
    assert await chat.say("Amina", choice) == "I've sent your answer to Chen Li."
    assert "See you!" in "".join(to(await chat.deliver(), "chen li"))
