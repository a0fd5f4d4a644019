"""Zawadi wrote a letter for her second circle, then sent /letter withdraw: it also took back
the letter of her first, finished circle, approved and waiting for a circle to start (lang
20). Now it takes back the letter just written; the approved one stays, and she is told."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import LetterStatus
from tests.conftest import Chat
from tests.core.test_finished_circles import two_circles
from tests.letters.test_letters import TEXT, drain, letters_in

# Atelier Python meets 22 and 29 October: after its first meeting it is halfway through.
AFTER_ATELIER_1 = datetime(2026, 10, 23, 14, 0, tzinfo=UTC)
# Python for Everyone (six meetings from 29 October) after its third: halfway through too.
AFTER_PYTHON_3 = datetime(2026, 11, 13, 15, 0, tzinfo=UTC)
SECOND = "Hello again from Detroit! Second circle, same advice: ask questions early and often."


async def _write(chat: Chat, text: str, circle: str | None = None) -> None:
    asked = await chat.say("Brian", "/letter")
    if asked.startswith("Which circle"):
        asked = await chat.say("Brian", circle or "")
    assert "Write to a new circle far away" in asked, asked
    assert "How should it be signed?" in await chat.say("Brian", text)
    assert "Thank you, Brian!" in await chat.say("Brian", "1")


async def test_withdraw_leaves_the_approved_letter_of_a_finished_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await two_circles(chat, core)
    clock.set(AFTER_ATELIER_1)
    await _write(chat, TEXT, "Atelier Python")
    [first] = await letters_in(core)
    assert "is approved" in await chat.say("Amina", f"/letters approve {first.id}")
    await drain(chat)
    clock.set(AFTER_PYTHON_3)
    await _write(chat, SECOND, "Python for Everyone")
    answer = await chat.say("Brian", "/letter withdraw")
    assert "1 letter taken back" in answer, answer
    kept, taken = await letters_in(core)
    assert (kept.status, taken.status) == (LetterStatus.POOLED, LetterStatus.WITHDRAWN)
    # Nothing silent: the letter still waiting is named, with how to take it back too.
    assert "Atelier Python" in answer, answer
    assert "no letter waiting" not in await chat.say("Brian", "/letter withdraw")


async def test_in_swahili_too(chat: Chat, core: Core, clock: FakeClock) -> None:
    await two_circles(chat, core)
    clock.set(AFTER_ATELIER_1)
    await _write(chat, TEXT, "Atelier Python")
    [first] = await letters_in(core)
    await chat.say("Amina", f"/letters approve {first.id}")
    clock.set(AFTER_PYTHON_3)
    await _write(chat, SECOND, "Python for Everyone")
    await chat.say("Brian", "/language sw")
    answer = await chat.say("Brian", "/barua ondoa")
    assert "barua 1 imeondolewa" in answer and "Atelier Python bado inasubiri" in answer, answer
    assert [x.status for x in await letters_in(core)] == [
        LetterStatus.POOLED,
        LetterStatus.WITHDRAWN,
    ]
