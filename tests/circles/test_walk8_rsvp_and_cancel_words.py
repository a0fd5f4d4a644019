"""German words for coming and calling off (walkthrough 8): "/zusage nein 2 wegen eines
Arzttermins" is a no with a reason, not "not a date" (lang 23); the command that calls off a
meeting is /abbrechen, not /absagen, which is what a learner does who can't come, and which
still works for those used to it (lang 32)."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CIRCLE = "Python for Everyone"  # Thursdays 18:00 in Detroit, meetings 1-6 from Oct 29, 2026


async def test_a_no_with_a_reason_and_the_german_cancel(chat: Chat, core: Core) -> None:
    assert "ist bereit" in await chat.say("Katrin", DETROIT_CIRCLE, locale_hint="de")
    code = await code_of(core, CIRCLE)
    await chat.say("Schulz", "/join " + code, locale_hint="de")
    await chat.say("Schulz", "/überspringen", locale_hint="de")  # the question at joining
    await chat.deliver()

    answer = await chat.say("Schulz", "/zusage nein 2 wegen eines Arzttermins")
    assert "Datum" not in answer, answer
    assert "Treffen 2" in answer, answer
    answer = await chat.say("Schulz", "/zusage nein bin krank")
    assert "Datum" not in answer and "Treffen 1" in answer, answer
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "katrin"]
    assert any("wegen eines Arzttermins" in text for text in told), told
    assert any("bin krank" in text for text in told), told

    # A learner's /absagen is told how to say she can't come.
    assert "/zusage nein" in await chat.say("Schulz", "/absagen")
    # /abbrechen calls a meeting off (asked first); /absagen, its old name, still does.
    assert "absagen?" in await chat.say("Katrin", "/abbrechen 6")
    assert "bleibt" in await chat.say("Katrin", "nein")
    assert "absagen?" in await chat.say("Katrin", "/absagen 6")
    await chat.say("Katrin", "nein")
    assert "/abbrechen" in await chat.say("Katrin", "/hilfe")
