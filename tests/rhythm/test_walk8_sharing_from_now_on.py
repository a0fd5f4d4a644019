"""/sharing on means "from now on": answers written while private stay private. Walkthrough 8
(sms 13, lang 14): a learner told "It stays between you and me" who later turned sharing on
found her earlier words in the facilitator's digest and export."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import Week, handle, open_circle, play_week

PRIVATE = "our phone can't open the course page and we have no money for data"
SHARED = "the library lends laptops now, so it's better"


async def test_words_written_while_private_stay_private_after_sharing_is_turned_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Maribel": False, "Halima": True})
    await play_week(
        chat, core, clock, 1, Week(ratings={"Maribel": 2}, answers={"Maribel": PRIVATE})
    )
    clock.advance(timedelta(hours=2))
    assert "can read what you write" in await chat.say("Maribel", "/sharing on")
    clock.advance(timedelta(days=1))

    digest = await chat.say("Amina", "/digest")
    assert PRIVATE not in digest
    replies = await handle(chat, "Amina", "/export")
    exported = "\n".join(a.data.decode("utf-8-sig") for r in replies for a in r.attachments)
    assert "2" in exported  # her rating is there; her words are not
    assert PRIVATE not in exported

    # What she writes after turning it on is shared.
    await play_week(chat, core, clock, 2, Week(ratings={"Maribel": 4}, answers={"Maribel": SHARED}))
    assert SHARED in await chat.say("Amina", "/digest")
