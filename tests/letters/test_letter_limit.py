"""Letters: at most three a day from one person. The fourth is refused before it is written,
saying when the next may be, and a letter finished after three were written elsewhere meanwhile
is not kept."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Circle, Letter, Person
from tests.conftest import Chat
from tests.database import open_session
from tests.letters.test_letters import AFTER_MEETING_3, TEXT, detroit, letters_in, write

ENOUGH = "You've written 3 letters in the last day, thank you!"


async def test_the_fourth_letter_in_a_day_is_refused(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)  # Friday 10:00 in Detroit
    for _ in range(3):
        assert "Thank you, Brian!" in await write(chat, "Brian")
        clock.advance(timedelta(hours=2))
    answer = await chat.say("Brian", "/letter")
    assert ENOUGH in answer
    assert "You can write another from Saturday at 10:00 AM." in answer
    assert await chat.say("Brian", TEXT) != ""  # no letter being written: not taken as one
    assert len(await letters_in(core)) == 3

    clock.advance(timedelta(hours=18))  # Saturday 10:00: the first is a day old
    assert "Thank you, Brian!" in await write(chat, "Brian")
    assert len(await letters_in(core)) == 4


async def test_a_letter_finished_after_three_were_written_meanwhile_is_not_kept(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    assert "Write to a new circle far away" in await chat.say("Brian", "/letter")
    await chat.say("Brian", TEXT)
    async with open_session(core) as session:  # three written in another chat meanwhile
        brian = (await session.exec(select(Person).where(Person.display_name == "Brian"))).one()
        circle = (await session.exec(select(Circle))).one()
        for _ in range(3):
            session.add(
                Letter(
                    circle_id=circle.id or 0,
                    author_id=brian.id,
                    signature="Brian",
                    city="Detroit",
                    country_code="US",
                    language="en",
                    text=TEXT,
                    created_at=clock.now(),
                )
            )
        await session.commit()
    assert ENOUGH in await chat.say("Brian", "1")
    assert len(await letters_in(core)) == 3
    after = await chat.say("Brian", "1")  # the letter is over: "1" is no signature now
    assert ENOUGH not in after and "Thank you, Brian!" not in after
    assert len(await letters_in(core)) == 3
