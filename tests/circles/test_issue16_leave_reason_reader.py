"""Issue 16 (frsw 20): Zawadi sent "/ondoka nimepata kazi Nairobi, sina muda tena" and
confirmed; her reason reached the facilitator, though nothing had said it would. The question
before leaving, when a reason is given, names who will read it."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat
from tests.seasons import open_circle


async def test_leaving_with_a_reason_says_who_reads_it(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {"Zawadi": False})
    asked = await chat.say("Zawadi", "/leave I found work in Nairobi, no time now")
    assert "Leave Python for Everyone?" in asked, asked
    assert "Amina will see your reason." in asked, asked
    plain = await chat.say("Zawadi", "no")
    assert "still in" in plain
    asked = await chat.say("Zawadi", "/leave")
    assert "will see your reason" not in asked, asked


async def test_in_swahili_too(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {"Zawadi": False})
    await chat.say("Zawadi", "/language sw")
    asked = await chat.say("Zawadi", "/leave nimepata kazi Nairobi, sina muda tena")
    assert "Amina ataona sababu yako." in asked, asked
