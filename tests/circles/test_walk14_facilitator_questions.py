"""A facilitator's everyday questions in words are offered the command that does it first
(walk 14, fac 2-4: "how do I add her?" was offered /help, /checkin and /linkchat)."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


@pytest.mark.parametrize(
    ("language", "asked", "first"),
    [
        ("en", "Dana is going to help me run this, how do I add her?", "/cofacilitator"),
        ("en", "who has signed up so far?", "/roster"),
        ("en", "can we move it to 7:30 from now on", "/edit"),
        ("es", "¿quién se ha inscrito hasta ahora?", "/lista"),
        ("fr", "Pauline va m'aider à animer le cercle, comment je l'ajoute ?", "/coanimation"),
        ("de", "ab jetzt treffen wir uns um 19:30, wie ändere ich das?", "/bearbeiten"),
    ],
)
async def test_a_facilitators_everyday_question_offers_the_command_that_does_it_first(
    chat: Chat, core: Core, language: str, asked: str, first: str
) -> None:
    await chat.say("Marcus", f"/language {language}")
    await chat.say("Marcus", DETROIT_CIRCLE)
    said = await chat.say("Marcus", asked)
    offered = [line for line in said.splitlines() if line.startswith("/")]
    assert offered, said
    assert offered[0].split(":")[0].split()[0] == first, said


@pytest.mark.parametrize(
    ("said", "first"),
    [
        (
            "actually I changed my mind, I want to push everything back a week instead so we "
            "still get 8 meetings",
            "/skipweek",
        ),
        ("The library is closed on 26 December so no meeting that day", "/cancel"),
        ("Aisha has a new phone number 0722 000 005 please change it", "/movenumber"),
    ],
)
async def test_a_facilitators_sentence_about_the_circle_is_not_taken_for_a_reply(
    chat: Chat, core: Core, said: str, first: str
) -> None:
    """Walk 14, fac 11 and sms 8/15: with a learner's message lately passed on, a facilitator's
    sentence about running the circle was answered "To answer Brian, send /reply 6": the
    command that does what it asks is offered first."""
    await chat.say("Marcus", DETROIT_CIRCLE)
    await chat.say("Aisha", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Aisha", "/skip")
    await chat.say("Aisha", "/skip")
    await chat.say("Aisha", "Can I bring a chromebook?")
    reply = await chat.say("Marcus", said)
    offered = [line for line in reply.splitlines() if line.startswith("/")]
    assert offered, reply
    assert offered[0].split(":")[0].split()[0] == first, reply
    # The way to answer her is still said, last.
    assert reply.endswith("Or, to answer Aisha, send /reply 1 and your answer."), reply


async def test_a_sentence_opening_with_a_command_word_offers_it_not_a_reply(
    chat: Chat, core: Core
) -> None:
    """Walk 14, fac 11b: "remove tom from the spring group, he is spamming" got "To answer
    Tom, send /reply 10"."""
    await chat.say("Marcus", DETROIT_CIRCLE)
    await chat.say("Tom", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Tom", "/skip")
    await chat.say("Tom", "/skip")
    await chat.say("Tom", "BUY CHEAP WATCHES www.spam.example")
    reply = await chat.say("Marcus", "remove tom from the group, he is spamming")
    offered = [line for line in reply.splitlines() if line.startswith("/")]
    assert offered and offered[0].startswith("/remove"), reply
