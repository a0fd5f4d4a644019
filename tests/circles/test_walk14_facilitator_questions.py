"""A facilitator's everyday questions in words are offered the command that does it first
(walk 14, fac 2-4: "how do I add her?" was offered /help, /checkin and /linkchat)."""

from __future__ import annotations

import pytest

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat


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
