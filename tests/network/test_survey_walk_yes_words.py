"""Walkthrough lang 16: Jonas answered the survey's "Würdest du ... weiterempfehlen?" with "na
klar" ("sure"), stored as a NO (English "nah"): the public course ranking counts it. A common
yes, in each shipped language, is the survey's yes."""

from __future__ import annotations

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.network.test_survey import TWO_WEEKS, answers_of, end_the_circle
from tests.seasons import open_circle


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("de", "na klar"),
        ("de", "Na klar!"),
        ("de", "klar"),
        ("de", "natürlich"),
        ("es", "claro que sí"),
        ("fr", "bien sûr"),
        ("sw", "ndiyo kabisa"),
        ("da", "ja selvfølgelig"),
        ("en", "sure"),
    ],
)
async def test_a_common_yes_recommends_the_course(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True, "Jonas": True}, TWO_WEEKS)
    await chat.say("Jonas", "/language " + language)
    await end_the_circle(chat, core, clock)
    await chat.say("Jonas", "4")
    await chat.say("Jonas", "1")
    reply = await chat.say("Jonas", typed)
    answers = await answers_of(core, "Jonas")
    assert answers is not None
    assert answers.recommend is True, reply
