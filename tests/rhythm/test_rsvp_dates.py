"""/rsvp takes a date as people write it ("/rsvp yes 11/12", "/rsvp no Thursday", "/dispo non
3 décembre", "/rsvp ndiyo 12/11", RSVP NO 11/12 by SMS) and answers the meeting on that day
in the circle's zone; a date with no meeting says which dates have one. A bare number is still
a meeting's number ("/rsvp yes 3")."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from bot.storage.models import Meeting, Person, Rsvp, RsvpAnswer
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_plain_text import NAIROBI_CIRCLE
from tests.database import open_session
from tests.rhythm.test_rhythm import start_circle

# Python for Everyone meets on Thursdays at 6 PM in Detroit: October 29 (1), November 5 (2),
# 12 (3), 19 (4), 26 (5) and December 3 (6), 2026. The clock starts on October 20.


async def answered(core: Core, name: str) -> dict[int, RsvpAnswer]:
    """`name`'s answers, by meeting number."""
    async with open_session(core) as session:
        rows = await session.exec(
            select(Meeting.number, Rsvp.answer)
            .join(Rsvp, Rsvp.meeting_id == Meeting.id)  # type: ignore[arg-type]
            .join(Person, Person.id == Rsvp.person_id)  # type: ignore[arg-type]
            .where(Person.display_name == name)
        )
        return {number: RsvpAnswer(answer) for number, answer in rows.all()}


async def test_a_date_answers_the_meeting_on_that_day(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    # Before: "Usage: /rsvp yes|no [MEETING]".
    assert "see you at meeting 3, Thursday, November 12" in await chat.say(
        "Brian", "/rsvp yes 11/12"
    )
    assert "We'll miss you at meeting 4." in await chat.say("Brian", "/rsvp no November 19")
    assert "If plans change, send /rsvp yes 6." in await chat.say("Brian", "/rsvp no Dec 3")
    clock.set(datetime(2026, 11, 3, 15, 0, tzinfo=UTC))  # a Tuesday: Thursday is meeting 2
    assert "We'll miss you at meeting 2." in await chat.say("Brian", "/rsvp no Thursday")
    # A bare number is still a meeting's number.
    assert "see you at meeting 5" in await chat.say("Brian", "/rsvp yes 5")
    assert await answered(core, "Brian") == {
        2: RsvpAnswer.NO,
        3: RsvpAnswer.YES,
        4: RsvpAnswer.NO,
        5: RsvpAnswer.YES,
        6: RsvpAnswer.NO,
    }
    assert "There is no meeting 9." in await chat.say("Brian", "/rsvp yes 9")


async def test_a_date_without_a_meeting_says_which_dates_have_one(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian")
    clock.set(datetime(2026, 11, 10, 15, 0, tzinfo=UTC))
    assert await chat.say("Brian", "/rsvp no 12/8") == (
        "There's no meeting on Tuesday, December 8, 2026. Meetings to come: November 12, "
        "November 19, November 26, and December 3."
    )
    assert await answered(core, "Brian") == {}


async def test_dates_in_the_readers_language(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    await chat.say("Élodie", "/join " + code, locale_hint="fr")
    await chat.say("Élodie", "/skip", locale_hint="fr")
    await chat.say("Élodie", "/skip", locale_hint="fr")
    assert "la réunion 6" in await chat.say("Élodie", "/dispo non 3 décembre", locale_hint="fr")
    assert "la réunion 3" in await chat.say("Élodie", "/rsvp non 12/11", locale_hint="fr")
    assert await answered(core, "Élodie") == {3: RsvpAnswer.NO, 6: RsvpAnswer.NO}

    # Nairobi's circle meets on Thursdays from October 29 too; in Swahili 12/11 is November 12.
    assert await chat.say("Achieng", NAIROBI_CIRCLE, locale_hint="sw")
    code = await code_of(core, "Kusoma Pamoja")
    await chat.say("Baraka", "/join " + code, locale_hint="sw")
    await chat.say("Baraka", "/skip", locale_hint="sw")
    await chat.say("Baraka", "/skip", locale_hint="sw")
    await chat.say("Baraka", "/rsvp ndiyo 12/11", locale_hint="sw")
    assert await answered(core, "Baraka") == {3: RsvpAnswer.YES}


async def test_a_date_by_sms(core: Core) -> None:
    chat = Chat(core)
    phones = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    phone = "+254700000001"
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "Welcome" in await phones.say(
        phone, "JOIN " + await code_of(core, "Python for Everyone")
    )
    await phones.say(phone, "/skip")
    await phones.say(phone, "/skip")
    await phones.say(phone, "NAME Grace")
    assert "meeting 3" in await phones.say(phone, "RSVP NO 11/12")
    assert "meeting 2" in await phones.say(phone, "RSVP YES 2")  # a number, as before
    # A sentence after RSVP is not a command: it goes to the facilitator.
    assert "passed that on" in await phones.say(phone, "RSVP yes but I'll be late")
    assert await answered(core, "Grace") == {2: RsvpAnswer.YES, 3: RsvpAnswer.NO}


async def test_a_facilitator_who_cant_come_is_asked_who_runs_the_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 47: Joseph, facilitating, sent /rsvp no 1 and got the learner's "We'll miss you";
    nothing about who runs it, /cancel or /reschedule."""
    await start_circle(chat, core, "Brian")
    answer = await chat.say("Amina", "/rsvp no 1")
    assert "We'll miss you" not in answer, answer
    assert "Noted: you can't make meeting 1. Who will run it?" in answer
    assert "/cancel 1 or /reschedule 1" in answer
    # A learner's no is as before.
    assert "We'll miss you at meeting 1" in await chat.say("Brian", "/rsvp no 1")
