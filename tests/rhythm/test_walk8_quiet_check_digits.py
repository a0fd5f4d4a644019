"""A late rating while "Keep getting the weekly check-in texts?" is also on the phone is the
rating: no digit pauses the check-ins, pausing takes its own words. Walkthrough 8 (sms 17):
Kofi's late "2" (so-so) for meeting 3 paused his check-ins; Efua's "4" was lost."""

from __future__ import annotations

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import CheckIn, Membership
from tests.conftest import Chat
from tests.database import open_session
from tests.rhythm.test_checkins_paused import (
    CHECKIN_1,
    CHECKIN_2,
    NUDGE_1,
    NUDGE_2,
    PHONE,
    mercy_by_sms,
    quiet_weeks,
)


async def _paused(core: Core) -> list[bool]:
    async with open_session(core) as session:
        rows = await session.exec(select(Membership.checkins_paused))
        return list(rows.all())


async def _ratings(core: Core) -> list[int | None]:
    async with open_session(core) as session:
        return list((await session.exec(select(CheckIn.rating))).all())


async def test_a_late_rating_under_the_quiet_check_is_the_rating(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = await mercy_by_sms(chat, core)
    await quiet_weeks(core, clock, phones, CHECKIN_1, NUDGE_1, CHECKIN_2)
    quiet = await quiet_weeks(core, clock, phones, NUDGE_2)
    assert "the weekly check-in texts" in quiet and "?" not in quiet  # C23
    assert "2 for Pause" not in quiet  # no digit of the 1-5 means "pause"
    reply = await phones.say(PHONE, "2")
    assert "no more weekly check-in" not in reply
    assert not any(await _paused(core))
    assert 2 in await _ratings(core)
    # Pausing is still one text away, in words.
    assert "no more weekly check-in" in await phones.say(PHONE, "CHECKIN OFF")


async def test_a_four_under_the_quiet_check_is_kept(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = await mercy_by_sms(chat, core)
    await quiet_weeks(core, clock, phones, CHECKIN_1, NUDGE_1, CHECKIN_2, NUDGE_2)
    reply = await phones.say(PHONE, "4")
    assert "didn't catch" not in reply
    assert 4 in await _ratings(core)
