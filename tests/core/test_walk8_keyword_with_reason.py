"""The RSVP keyword the bot teaches, with a reason after it ("confirmar no, hoy me toca turno
en el trabajo"), is the No, and the reason reaches the facilitator. Walkthrough 8 (sms 32): it
went on as a message and the question was asked again."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Meeting, Rsvp, RsvpAnswer
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones
from tests.database import open_session
from tests.seasons import starts

PHONE = "+573004445566"


async def test_rsvp_keyword_no_with_a_reason(chat: Chat, core: Core, clock: FakeClock) -> None:
    await chat.say("Luz", DETROIT_CIRCLE + " language=es")
    phone = Phones(core, platform="sms")
    await phone.say(PHONE, "UNIRME " + await code_of(core, "Python for Everyone"))
    await phone.say(PHONE, "Yese")
    await phone.say(PHONE, "SALTAR")
    await phone.say(PHONE, "SALTAR")
    clock.set(starts(1) - timedelta(hours=24))
    await core.tick()
    await phone.deliver()
    reply = await phone.say(PHONE, "confirmar no, hoy me toca turno en el trabajo 😩")
    assert "sin anotar" not in reply, reply
    async with open_session(core) as session:
        rows = (await session.exec(select(Rsvp))).all()
    assert len(rows) == 1, reply
    [rsvp] = rows
    assert rsvp.answer == RsvpAnswer.NO
    assert any("turno en el trabajo" in m.text for m in await chat.deliver())


async def test_rsvp_keyword_no_with_a_meeting_then_a_reason(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # Walkthrough B42 (session 9): "dispo non 3 je serai en voyage a Touba" recorded a No for
    # meeting 2, the next one, not 3.
    await chat.say("Luz", DETROIT_CIRCLE + " language=fr")
    phone = Phones(core, platform="sms")
    await phone.say(PHONE, "REJOINDRE " + await code_of(core, "Python for Everyone"))
    await phone.say(PHONE, "Awa")
    await phone.say(PHONE, "PASSER")
    await phone.say(PHONE, "PASSER")
    reply = await phone.say(PHONE, "dispo non 3 je serai en voyage a Touba")
    async with open_session(core) as session:
        rows = (await session.exec(select(Rsvp))).all()
        meetings = {m.id: m.number for m in (await session.exec(select(Meeting))).all()}
    assert [(meetings[r.meeting_id], r.answer) for r in rows] == [(3, RsvpAnswer.NO)], reply
    assert any("voyage a Touba" in m.text for m in await chat.deliver())
