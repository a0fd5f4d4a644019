"""Issue 16 walkthroughs: the language menu says "reply with a number or a code": a code or a
language's name, in any shipped language, picks it; it is never passed on to the facilitator."""

from __future__ import annotations

import pytest

from tests.conftest import DETROIT_CIRCLE, Chat, code_of


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("en", "From now on I'll write to you in English."),
        ("sw", "Kuanzia sasa nitakuandikia kwa Kiswahili."),
        ("Kiingereza", "From now on I'll write to you in English."),
        ("français", "Désormais, je vous écrirai en français."),
    ],
)
async def test_a_code_or_name_picks_a_language(chat: Chat, typed: str, reply: str) -> None:
    await chat.say("Amina", DETROIT_CIRCLE + " language=fr")
    await chat.say("Brian", "/join " + await code_of(chat.core, "Python for Everyone"))
    await chat.say("Brian", "Apprendre Python.")
    await chat.say("Brian", "non")
    await chat.deliver()
    assert "es" in await chat.say("Brian", "/language")
    answer = await chat.say("Brian", typed)
    assert answer == reply
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]
