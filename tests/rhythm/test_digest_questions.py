"""The digest quotes each shared check-in answer under the question it answers (walkthrough sms
10): Kipchoge's "HAPANA" to "Was anything in your way?" read as a bare "NO" to Achieng."""

from __future__ import annotations

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import CheckIn
from prompts import checkin as checkin_prompts
from prompts.library import by_key
from tests.conftest import Chat
from tests.database import open_session
from tests.seasons import Week, open_circle, play_week


async def test_a_quote_comes_under_its_question(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Kipchoge": True, "Halima": True, "Otieno": True})
    await play_week(
        chat,
        core,
        clock,
        1,
        Week(
            ratings={"Kipchoge": 5, "Halima": 4},
            answers={"Kipchoge": "HAPANA", "Halima": "The power went off at home."},
        ),
    )
    # Words sent with the rating answer no question: quoted before any question.
    assert "Thank" in await chat.say("Otieno", "3 too fast for me")
    async with open_session(core) as session:
        keys = {row.prompt_key for row in (await session.exec(select(CheckIn))).all()}
    [key] = keys - {None}
    prompt = by_key(checkin_prompts.QUESTIONS, key)
    assert prompt is not None
    digest = await chat.say("Amina", "/digest")
    assert (
        "In their words (shared with you):\n"
        '"too fast for me" (Otieno)\n'
        f"Question: {prompt.text}\n"
        '"HAPANA" (Kipchoge)\n'
        '"The power went off at home." (Halima)'
    ) in digest, digest
