"""frsw 11: the Swahili /letters is "/barua_zote"; typed as people write it, "/barua zote",
it gave /barua's usage. A command name of two words typed with a space is that command."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, write


async def test_barua_zote_with_a_space_is_the_letters_command(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await chat.say("Amina", "/lugha sw")
    await drain(chat)
    underscored = await chat.say("Amina", "/barua_zote")
    assert "/barua [ONDOA]" not in underscored, underscored
    assert await chat.say("Amina", "/barua zote") == underscored
    assert await chat.say("Amina", "/BARUA ZOTE") == underscored
