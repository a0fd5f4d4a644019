"""A facilitator on a feature phone gets a letter to review in as few texts as it can take
(walk C51, C52: four texts): the letter, its author and its number; where it comes from is her
own circle, and "2" (Reject) asks for the reason. In a chat app the notice is as before."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.core import Core
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in, write

PHONE = "+254700000009"
LETTER = (
    "Hello from Detroit! Come every week, even when you feel behind. The first two weeks were "
    "hard for me: I did not know anyone and the course felt fast. Then we started to help each "
    "other with the exercises and it became the best evening of my week. Ask your questions, "
    "nobody laughs. Bring a snack to share. It is snowing here and our room is warm."
)


async def amina_texts(chat: Chat, core: Core, clock: FakeClock) -> Chat:
    """Amina runs Detroit from the console and has linked her phone, used last."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    code = re.search(r"LINK ([A-Z0-9]+)", await chat.say("Amina", "/link"))
    assert code is not None
    clock.advance(timedelta(minutes=1))
    assert "Linked!" in await sms.say(PHONE, f"LINK {code[1]}")
    return sms


async def test_a_letter_to_review_by_sms_is_compact(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    sms = await amina_texts(chat, core, clock)
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await drain(sms)
    await write(chat, "Brian", LETTER)
    [letter] = await letters_in(core)
    notice = [m.text for m in await drain(sms) if m.address.chat_id == PHONE]
    texted = "\n".join(notice)
    assert f"Letter {letter.id} to review, from Brian" in texted, texted
    assert "it became the best evening of my week" in texted
    assert f"Reply 1 for Approve letter #{letter.id} or 2 for Reject letter #{letter.id}" in texted
    assert "somewhere else" not in texted and "written in English" not in texted
    # The letter alone is 335 characters (three texts): the notice adds little to it.
    assert sum(sms_segments(part) for part in notice) == 3, notice
    # Reject asks for the reason, as the choice says.
    assert "reason" in await sms.say(PHONE, "2")


async def test_a_letter_to_review_in_a_chat_app_keeps_its_details(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await drain(chat)
    await write(chat, "Brian", LETTER)
    texted = "\n".join(m.text for m in await drain(chat) if m.address.chat_id == "amina")
    assert "for a circle somewhere else" in texted and "(written in English)" in texted
