"""By SMS, the word a letter says to reply to thank its writer ("THANKS", "DANKE") thanks them,
even while another circle's check-in still waits for its 1-5: never read as a wrong rating,
nor kept as the answer to the check-in's next question (walk D14). The check-in stays open."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from tests.conftest import code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    NAIROBI,
    NAIROBI_FIRST,
    detroit,
    drain,
    letters_in,
    write,
)
from tests.letters.test_letters_by_sms import PHONE, joined_by_sms
from tests.letters.test_walkthrough_letters import relaying

# Another circle of the same learner, whose last meeting was the week before.
SAFETY = (
    '/newcircle name="Safe Online" course="Staying Safe Online" venue="KNLS Upper Hill" '
    "city=Nairobi country=KE zone=Africa/Nairobi start=2026-11-30 time=17:00 meetings=2"
)
AFTER_LAST_SAFETY_MEETING = datetime(2026, 12, 8, 8, 0, tzinfo=UTC)


async def test_thanks_by_sms_thanks_the_writer_while_a_checkin_waits(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chen", "Dana")
    await chat.say("Wanjiru", NAIROBI)
    sms = await joined_by_sms(core, "Digital Skills")
    await sms.say(PHONE, "/language de")
    await chat.say("Njeri", SAFETY)
    await sms.say(PHONE, "JOIN " + await code_of(core, "Safe Online"))
    await sms.say(PHONE, "/skip")  # the goal
    await sms.say(PHONE, "2")  # sharing

    async def tick_at(at: datetime) -> list[str]:
        clock.set(at)
        await core.tick()
        before = len(sms.sent)
        while await core.dispatch({"sms": sms, "console": chat}):
            pass
        return [m.text for m in sms.sent[before:] if m.address.chat_id == PHONE]

    clock.set(AFTER_MEETING_3)
    await core.tick()
    for name in ("Brian", "Chen", "Dana"):
        await write(chat, name, f"{name} here. Come every week, even when you feel behind.")
    for letter in await letters_in(core):
        await chat.say("Amina", f"/letters approve {letter.id}")
    await drain(chat)

    checkin = await tick_at(AFTER_LAST_SAFETY_MEETING)
    assert any("Wie war Treffen 2" in text for text in checkin), checkin
    read = await tick_at(NAIROBI_FIRST - timedelta(minutes=59))
    read += await tick_at(NAIROBI_FIRST)
    read += await tick_at(NAIROBI_FIRST + timedelta(minutes=30))
    assert any("DANKE" in text for text in read), read

    thanked = await sms.say(PHONE, "DANKE")
    for name in ("Brian", "Chen", "Dana"):
        assert f"Dein Dank ist unterwegs zu {name}." in thanked, thanked
    # The check-in still waits, and takes its number.
    rated = await sms.say(PHONE, "5")
    assert "nicht verstanden" not in rated and "weitergegeben" not in rated, rated
