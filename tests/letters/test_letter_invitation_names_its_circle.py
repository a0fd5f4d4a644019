"""Someone in several circles is told which circle a letter invitation is about: the one
ending, not the one they start tomorrow (D12). Someone in one circle reads it as before."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.core.test_finished_circles import AFTER_ATELIER, join, two_circles


async def test_the_invitation_names_the_circle_ending(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await two_circles(chat, core)  # Brian learns in both
    await join(chat, core, "Chen", "Atelier Python")  # Chen only in Atelier Python
    clock.set(AFTER_ATELIER)
    await core.tick()
    invitations = {
        row.chat_id: row.payload["text"]
        for row in await chat.outbox()
        if row.kind == "letter-invite"
    }
    assert invitations["brian"].startswith("Atelier Python is nearly over. ")
    assert "Atelier Python" not in invitations["chen"]
