"""Walkthrough (fac 32): Keisha's letter ended "Follow me on instagram @keisha.codes or email
keisha.w@gmail.com". Only "@keisha" was found (a handle holds dots), and once she said "Take
it out", her facilitators got a letter still flagged, while she was told all was fine. The
whole handle is found, and what is taken out leaves nothing the letter's own check holds."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.letters.screening import contact_details
from bot.storage.models import LetterStatus
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, letters_in

KEPT = "You got this!! Show up every week, even the hard weeks."
KEISHA = KEPT + " Follow me on instagram @keisha.codes or email keisha.w@gmail.com"
# The app pointed at in one sentence, the handle in the next.
APART = KEPT + " Follow me on instagram! I'm @keisha.codes there."


def test_a_handle_is_found_whole_with_its_dots() -> None:
    assert contact_details(KEISHA, "US") == ["@keisha.codes", "keisha.w@gmail.com"]
    assert contact_details("Thanks @ana_b. See you!", "US") == ["@ana_b"]


async def _taken_out(chat: Chat, core: Core, clock: FakeClock, text: str) -> None:
    await detroit(chat, core, "Keisha")
    clock.set(AFTER_MEETING_3)
    await chat.say("Keisha", "/letter")
    offered = await chat.say("Keisha", text)
    assert "@keisha.codes" in offered and "Take it out" in offered, offered
    assert (await chat.say("Keisha", "1")).startswith("Done, it's out. Lovely.")
    thanked = await chat.say("Keisha", "1")
    assert "can't go on as it is" not in thanked, thanked
    [letter] = await letters_in(core)
    assert (letter.text, letter.flags, letter.status) == (KEPT, [], LetterStatus.REVIEW)
    [notice] = [m.text for m in await drain(chat) if m.address.chat_id == "amina"]
    assert "can't be approved" not in notice and "contact details" not in notice


async def test_the_handle_and_its_sentence_are_taken_out(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _taken_out(chat, core, clock, KEISHA)


async def test_the_app_pointed_at_goes_with_the_handle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await _taken_out(chat, core, clock, APART)
