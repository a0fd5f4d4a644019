"""/help lists what the person can use where they are: by SMS, short, and nothing that is a
file; HELP and a command's name explains that one."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat
from tests.core.test_precedence import by_sms, joined_by_sms


async def test_by_sms_help_is_short_and_offers_no_files(chat: Chat, core: Core) -> None:
    await joined_by_sms(chat, core)
    listed = await by_sms(core, "/help")
    assert listed.startswith("Here's what you can do: ")
    assert "NEXT" in listed and "RSVP" in listed
    assert "PORTFOLIO" not in listed and "CALENDAR" not in listed
    assert "ROSTER" not in listed  # a facilitator's, not a learner's
    assert len(listed) <= 3 * 153  # three SMS segments at most
    one = await by_sms(core, "HELP RSVP")
    assert one.startswith("/rsvp ANSWER [MEETING]") or one.startswith("/rsvp "), one
    assert "For example: /rsvp yes 3" in one


async def test_in_a_chat_help_shows_files_too(chat: Chat, core: Core) -> None:
    await joined_by_sms(chat, core)
    listed = await chat.say("Amina", "/help all")
    assert "/export" in listed and "/portfolio" in listed
