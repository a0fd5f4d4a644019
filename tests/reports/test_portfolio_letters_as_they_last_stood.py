"""The portfolio's letters as each last stood (fac 44): Mrs. Johnson's two approved letters,
one for each circle, both taken back later. Her portfolio showed an older rejected draft's
reason ("Not sent: That is so sweet...") and nothing for her other circle. Each circle's letter
shows as it last stood, and a rejected draft never stands for a later letter."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.core.test_finished_circles import two_circles
from tests.letters.test_letters import TEXT, drain, letters_in
from tests.letters.test_withdraw_takes_back_the_letter_just_written import (
    AFTER_ATELIER_1,
    AFTER_PYTHON_3,
    SECOND,
    _write,
)
from tests.reports.test_records import portfolio_file

REASON = "That is so sweet Brian! But this letter goes to a NEW group, not us."


async def test_each_circles_letter_shows_as_it_last_stood(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await two_circles(chat, core)
    clock.set(AFTER_ATELIER_1)
    await _write(
        chat, "Thank you Amina, this circle was the best part of my week!", "Atelier Python"
    )
    [draft] = await letters_in(core)
    assert "Send it?" in await chat.say("Amina", f"/letters reject {draft.id} {REASON}")
    assert "is rejected" in await chat.say("Amina", "1")
    await _write(chat, TEXT, "Atelier Python")
    clock.set(AFTER_PYTHON_3)
    await _write(chat, SECOND, "Python for Everyone")
    for letter in (await letters_in(core))[1:]:
        assert "is approved" in await chat.say("Amina", f"/letters approve {letter.id}")
    await drain(chat)
    for circle in ("Atelier Python", "Python for Everyone"):
        answer = await chat.say("Brian", "/letter withdraw")
        if "Which circle" in answer:
            answer = await chat.say("Brian", circle)
        assert "taken back" in answer, answer
    summary = await chat.say("Brian", "/portfolio")
    assert REASON not in summary, summary
    assert summary.count("Your letter: You took it back, so it wasn't sent.") == 2, summary
    whole = await portfolio_file(chat, "Brian")
    assert REASON not in whole, whole
    assert whole.count("### My letter to a new circle") == 2, whole
    assert TEXT in whole and SECOND in whole, whole
