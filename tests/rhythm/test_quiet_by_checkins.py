"""Walkthrough: a facilitator who never takes attendance still hears, privately in her digest,
who went quiet: learners who haven't answered the last two check-ins."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Account
from tests.conftest import Chat
from tests.database import open_session
from tests.rhythm.test_rhythm import person_id, to
from tests.seasons import Week, open_circle, play_week, starts

QUIET = (
    "May be drifting away (didn't answer the last two check-ins): Dede. A friendly word might "
    "help: send /reply Dede and a few words."
)


async def test_the_digest_names_who_answered_neither_of_the_last_two_check_ins(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": True, "Dede": True})
    # Nobody takes attendance. Chioma answers the first check-in, Dede neither.
    await play_week(chat, core, clock, 1, Week(ratings={"Brian": 4, "Chioma": 3}))
    assert "drifting" not in await chat.say("Amina", "/digest")  # one check-in is too soon
    await play_week(chat, core, clock, 2, Week(ratings={"Brian": 5}))
    clock.set(starts(3) - timedelta(hours=24))  # the digest before meeting 3
    await core.tick()
    sent = await chat.deliver()
    [digest] = to(sent, "Amina")
    assert "Attendance so far: meeting 1 not taken, meeting 2 not taken" in digest
    assert QUIET in digest
    # To the facilitator alone: no learner's message names anyone or says who went quiet.
    learners = [text for name in ("Brian", "Chioma", "Dede") for text in to(sent, name)]
    assert learners and not any("drifting" in text for text in learners)
    assert not any("Dede" in text for name in ("Brian", "Chioma") for text in to(sent, name))


async def test_someone_who_sent_stop_is_not_counted_as_quiet(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dede": True})
    dede = await person_id(core, "Dede")
    async with open_session(core) as session:
        await session.exec(
            update(Account).where(col(Account.person_id) == dede).values(opted_out=True)
        )
        await session.commit()
    await play_week(chat, core, clock, 1, Week(ratings={"Brian": 4}))
    await play_week(chat, core, clock, 2, Week(ratings={"Brian": 4}))
    digest = await chat.say("Amina", "/digest")
    assert "drifting" not in digest  # she was never asked: said on her own line
    assert "Dede has stopped messages" in digest


async def test_someone_who_wrote_in_lately_is_not_named_as_quiet(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 17: Brian wrote "ill be there next tuesday" after meeting 2 (passed on to his
    facilitator), yet the digest named him as drifting away for the check-ins he left."""
    await open_circle(chat, core, {"Brian": True, "Chioma": True, "Dede": True})
    await play_week(chat, core, clock, 1, Week(ratings={"Brian": 4, "Chioma": 3}))
    await play_week(chat, core, clock, 2, Week(ratings={"Brian": 5}))
    clock.set(starts(3) - timedelta(hours=30))
    await chat.deliver()
    await chat.say("Dede", "ill be there next tuesday")
    assert any("Dede wrote" in text for text in to(await chat.deliver(), "Amina"))
    clock.set(starts(3) - timedelta(hours=24))  # the digest before meeting 3
    await core.tick()
    [digest] = to(await chat.deliver(), "Amina")
    assert "Attendance so far: meeting 1 not taken, meeting 2 not taken" in digest
    assert "drifting" not in digest, digest
