"""The facilitator digest as a librarian uses it: it does not count learners as "not answered"
the minute they are asked, it names who can't come and who hasn't said (to call them), who
stopped messages, and the same people /report says may be drifting away. And a learner who
said no is not sent the last reminder."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from sqlmodel import col

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Account
from tests.conftest import Chat
from tests.database import open_session
from tests.rhythm.test_rhythm import (
    CHECKIN_1,
    CHECKIN_2,
    MEETING_1,
    MEETING_2,
    MEETING_3,
    person_id,
    send_checkins,
    start_circle,
    to,
)


async def test_the_digest_with_the_first_reminder_does_not_count_everyone_as_silent(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede", "Efua")
    clock.set(MEETING_1 - timedelta(hours=24))  # the digest and "Will you come?" go together
    await core.tick()
    sent = await chat.deliver()
    [digest] = to(sent, "Amina")
    assert "Coming: I'm asking everyone now. Send /digest later to see the answers." in digest
    assert "not answered" not in digest
    assert "Will you come?" in to(sent, "Brian")[0]

    await chat.say("Brian", "/rsvp yes")
    await chat.say("Chioma", "/rsvp no")
    clock.set(MEETING_1 - timedelta(hours=20))  # people have had time to answer
    digest = await chat.say("Amina", "/digest")
    assert "Coming: 1 yes, 1 no, 2 not answered yet.\n" in digest
    assert "Can't come: Chioma.\nNot answered yet: Dede, Efua." in digest


async def test_the_digest_names_who_stopped_messages(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Dede")
    dede = await person_id(core, "Dede")
    async with open_session(core) as session:
        await session.exec(
            update(Account).where(col(Account.person_id) == dede).values(opted_out=True)
        )
        await session.commit()
    clock.set(MEETING_1 - timedelta(hours=20))  # "Will you come?" went out a while ago
    digest = await chat.say("Amina", "/digest")
    assert "Dede has stopped messages (sent STOP), so I can't reach them." in digest
    assert "Brian" not in digest.split("Not answered yet:")[0]
    # Nobody can ask her: she is not counted or named as one who hasn't answered yet.
    # (before: "2 not answered yet" and "Not answered yet: Brian, Dede").
    assert "Coming: 0 yes, 0 no, 1 not answered yet.\nNot answered yet: Brian.\n" in digest


async def test_the_digest_and_report_name_the_same_learners_as_drifting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    # Brian comes twice; Chioma and Dede never. Chioma answered the first check-in, not the
    # latest one: by the one definition, she may be drifting away too.
    clock.set(MEETING_1 + timedelta(minutes=5))
    await chat.say("Brian", "/here")
    await send_checkins(chat, core, clock, CHECKIN_1)
    await chat.say("Chioma", "3")
    clock.set(MEETING_2 + timedelta(minutes=5))
    await chat.say("Brian", "/here")
    await send_checkins(chat, core, clock, CHECKIN_2)
    clock.set(MEETING_3 - timedelta(days=2))
    report = await chat.say("Amina", "/report")
    digest = await chat.say("Amina", "/digest")
    drifting = (
        "May be drifting away (missed the last two meetings): Chioma, Dede. "
        "A friendly word might help: send /reply Chioma and a few words."
    )
    assert drifting in report
    assert drifting in digest


async def test_a_learner_who_said_no_gets_no_last_reminder(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma")
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    await chat.deliver()
    await chat.say("Chioma", "/rsvp no")
    clock.set(MEETING_1 - timedelta(hours=1))
    await core.tick()
    sent = await chat.deliver()
    assert to(sent, "Chioma") == []  # a paid SMS for nothing
    [reminder] = to(sent, "Brian")
    assert "Will you come?" in reminder


async def test_a_digest_before_anyone_is_asked_names_no_one_as_not_answering(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough (facilitator): /digest weeks before the reminder named every learner as
    "Not answered yet", as if they were ignoring a question nobody had asked them."""
    await start_circle(chat, core, "Tom", "Grace", "Maria")
    clock.set(MEETING_1 - timedelta(days=5))
    digest = await chat.say("Amina", "/digest")
    assert "Coming: I'll ask everyone on Wednesday, October 28." in digest
    assert "not answered" not in digest.casefold() and "Tom" not in digest
    await chat.say("Grace", "/rsvp no")
    digest = await chat.say("Amina", "/digest")
    assert "Coming so far: 0 yes, 1 no. I'll ask the others on Wednesday, October 28." in digest
    assert "Can't come: Grace." in digest and "Not answered yet" not in digest


async def test_the_digest_names_who_found_the_last_week_hard(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough fac 17: ratings are always shared, and a low one is the early sign of
    drop-out: the digest names who gave it, not only the average."""
    await start_circle(chat, core, "Brian", "Chioma", "Dede")
    await send_checkins(chat, core, clock)
    await chat.say("Brian", "4")
    await chat.say("Chioma", "2")
    await chat.say("Dede", "1")
    digest = await chat.say("Amina", "/digest")
    assert "Last check-in: 3 of 3 answered. Average rating 2.3 of 5.\n" in digest
    assert "Low ratings last time: Dede (1, hard going), Chioma (2, so-so).\n" in digest
    assert "Brian (" not in digest
