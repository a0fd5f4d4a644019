"""The last texts people still got wrong: HELP after a circle ends, a check-in to someone with
no name, /forget's warning, and several reminders read as several."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import sms_segments
from bot.circles.erasure import UNNAMED
from bot.core import Core
from bot.storage.models import Circle, Credential, Person
from tests.conftest import Chat
from tests.core.test_precedence import PHONE, by_sms, joined_by_sms
from tests.database import open_session
from tests.rhythm.test_rhythm import CHECKIN_1, send_checkins, start_circle, to


async def help_by_sms(core: Core) -> str:
    """The carrier's HELP answer: the first text (the words to send follow it in a second)."""
    phone = Chat(core, platform="sms")
    inbound = replace(phone.inbound(PHONE, "HELP"), display_name=None)
    return (await core.handle(inbound, phone.capabilities))[0].text


async def test_sms_help_is_one_text_and_names_language(chat: Chat, core: Core) -> None:
    await joined_by_sms(chat, core)
    helped = await help_by_sms(core)
    assert "NEXT" in helped and "LANGUAGE" in helped and "STOP" in helped
    assert "Amina" in helped
    assert sms_segments(helped) == 1, helped


async def test_sms_help_after_stop_offers_no_next(chat: Chat, core: Core) -> None:
    await joined_by_sms(chat, core)
    await by_sms(core, "STOP")
    helped = await by_sms(core, "HELP")
    assert "NEXT" not in helped and "START" in helped
    assert sms_segments(helped) == 1, helped


async def test_sms_help_once_the_circle_has_finished(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await joined_by_sms(chat, core)
    clock.advance(timedelta(days=120))  # past the circle's last meeting
    helped = await by_sms(core, "HELP")  # both texts: neither offers NEXT
    assert "NEXT" not in helped, helped
    helped = await help_by_sms(core)
    assert "LANGUAGE" in helped and sms_segments(helped) == 1, helped


async def nameless(core: Core, name: str) -> None:
    """`name` has no name of their own: SMS gave none, or /forget took it off."""
    async with open_session(core) as session:
        person = (await session.exec(select(Person).where(Person.display_name == name))).one()
        person.display_name = UNNAMED
        session.add(person)
        await session.commit()


async def test_a_checkin_and_its_nudge_greet_someone_nameless_without_a_name(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma")
    await nameless(core, "Brian")
    sent = await send_checkins(chat, core, clock)
    [question] = to(sent, "Brian")
    assert question.startswith("Hi! How did meeting 1 of Python for Everyone go for you?")
    assert "Circle member" not in question
    [named] = to(sent, "Chioma")
    assert named.startswith("Hi Chioma! How did meeting 1")
    # Two days on at the same local time: 49 hours, as the clocks go back on November 1.
    clock.set(CHECKIN_1 + timedelta(hours=49))
    await core.tick()
    [nudge] = to(await chat.deliver(), "Brian")
    assert nudge.startswith("Hi, how is Python for Everyone going?"), nudge


async def certified(core: Core, name: str, clock: FakeClock) -> None:
    """`name` holds a signed certificate for the circle (as /portfolio issues one)."""
    async with open_session(core) as session:
        person = (await session.exec(select(Person).where(Person.display_name == name))).one()
        circle = (await session.exec(select(Circle))).one()
        assert person.id is not None and circle.id is not None
        session.add(
            Credential(
                public_id=str(uuid.uuid4()),
                code="AB12CD34",
                person_id=person.id,
                circle_id=circle.id,
                key_id="test-key",
                token="x.y.z",
                issued_at=clock.now(),
            )
        )
        await session.commit()


async def test_forget_warns_that_a_certificate_link_stops_working(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Chioma")
    await certified(core, "Brian", clock)
    warned = await chat.say("Brian", "/forget")
    assert "certificates (their links will stop working)" in warned
    assert "certificate" not in await chat.say("Chioma", "/forget")  # none to lose


@pytest.mark.parametrize(
    ("language", "typed", "said"),
    [
        ("en", "48h 2h", "sends learners two reminders: 2 days and 2 hours before each"),
        ("en", "2h", "sends learners a reminder 2 hours before each meeting."),
        ("en", "3d 48h 2h", "three reminders: 3 days, 2 days, and 2 hours before"),
        ("fr", "48h 2h", "deux rappels : 2\xa0jours et 2\xa0heures avant"),
        ("sw", "48h 2h", "vikumbusho viwili"),
    ],
)
async def test_several_reminders_are_said_to_be_several(
    chat: Chat, core: Core, language: str, typed: str, said: str
) -> None:
    await start_circle(chat, core)
    if language != "en":
        await chat.say("Amina", f"/language {language}")
    assert said in await chat.say("Amina", f"/reminders {typed}")
