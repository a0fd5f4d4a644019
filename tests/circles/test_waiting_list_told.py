"""Walkthrough (issue 16): someone joining a full circle's waiting list: its facilitators are
told, several close together in one notice, as joins are."""

from __future__ import annotations

from bot.core import Core
from tests.circles.test_waiting_list import full_circle
from tests.conftest import Chat


async def test_the_facilitator_hears_who_is_waiting(chat: Chat, core: Core) -> None:
    code = await full_circle(chat, core)
    await chat.deliver()  # the join notices
    assert "waiting list" in await chat.say("Dana", f"/join {code}")
    assert "waiting list" in await chat.say("Eve", f"/join {code}")
    assert "waiting list" in await chat.say("Eve", f"/join {code}")  # once is enough
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert told == [
        "Dana and Eve would like to join Python for Everyone, which is full: 2 learners are "
        "waiting for a seat now."
    ]
