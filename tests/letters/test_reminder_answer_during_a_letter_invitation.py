"""The letter invitation at a circle's last meeting waits for the letter itself; a reminder of
the learner's next circle came just before it. "ja ich komme morgen" (or "1") answers that
reminder's "Will you come?", never taken as a too-short letter (walk D11); the letter still
waits for her words."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Rsvp, RsvpAnswer
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.letters.test_letters import AFTER_MEETING_3, detroit, drain, write
from tests.letters.test_letters_by_sms import PHONE, joined_by_sms
from tests.letters.test_relay_due import INVITE

# Another circle of hers, meeting first the day after the Detroit circle's last meeting.
NEXT_CIRCLE = (
    '/newcircle name="Safe Online" course="Staying Safe Online" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-12-04 time=18:00 meetings=4"
)
ITS_REMINDER = datetime(2026, 12, 3, 23, 5, tzinfo=UTC)


@pytest.mark.parametrize("answer", ["ja ich komme morgen", "1"])
async def test_a_yes_to_the_reminder_is_not_a_letter(
    chat: Chat, core: Core, clock: FakeClock, answer: str
) -> None:
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Dede", NEXT_CIRCLE)
    sms = await joined_by_sms(core, "Python for Everyone")
    await sms.say(PHONE, "/language de")
    await sms.say(PHONE, "JOIN " + await code_of(core, "Safe Online"))
    await sms.say(PHONE, "/skip")  # the goal
    await sms.say(PHONE, "2")  # sharing
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    await drain(chat)

    clock.set(ITS_REMINDER)
    await core.tick()
    clock.set(INVITE + timedelta(minutes=1))
    await core.tick()
    texts = [row.payload["text"] for row in await chat.outbox() if row.chat_id == PHONE]
    assert any("Kommst du?" in text for text in texts), texts
    assert "Antworte mit deinem Brief" in texts[-1], texts[-1]

    reply = await sms.say(PHONE, answer)
    assert "kurz" not in reply and "Schreib einem neuen Kreis" not in reply, reply
    async with open_session(core) as session:
        answers = [RsvpAnswer(r.answer) for r in (await session.exec(select(Rsvp))).all()]
    assert answers == [RsvpAnswer.YES]
    # The letter still waits: her letter now is taken as one.
    asked = await sms.say(PHONE, "Liebe Leute, bleibt dran, es lohnt sich jede Woche!")
    assert "Wie soll er unterschrieben sein?" in asked, asked
