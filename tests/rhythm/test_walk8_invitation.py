"""Walkthrough 8 (sms 3, sms 4, fac 1, lang 35): the invitation a facilitator forwards says
where to send the code (the bot's SMS number for the circle's country), never "the bot this
comes from" (that is the facilitator, once forwarded), and comes with a one-text version for
basic phones (the whole Spanish one was 6 SMS parts)."""

from __future__ import annotations

from bot.chat.segments import gsm_safe, sms_segments
from bot.core import Core
from tests.conftest import Chat, code_of

BOGOTA = (
    '/newcircle name="Excel basico" course="Excel" venue="Biblioteca Virgilio Barco" '
    "city=Bogota country=CO zone=America/Bogota start=2026-12-09 time=17:00 meetings=6 "
    "language=es"
)


async def test_the_invitation_says_where_to_text_and_fits_one_sms(chat: Chat, core: Core) -> None:
    await chat.say("Luz", BOGOTA)
    code = await code_of(core, "Excel basico")
    core.reach["sms"] = ("+13135550100", "+576015550100")
    replies = [r.text for r in await core.handle(chat.inbound("Luz", "/invite"), chat.capabilities)]
    _, whole, note, short = replies
    assert "the bot this comes from" not in whole and "al bot que te mandó esto" not in whole
    assert "ask Luz" not in whole and "pregúntale a Luz" in whole  # no app name known
    assert whole.endswith(f"Por SMS, escribe UNIRME {code} al +576015550100")
    assert "one text message" in note
    assert short.endswith(f"envia UNIRME {code} al +576015550100"), short
    assert "Biblioteca Virgilio Barco" in short and "/unirme" not in short
    assert sms_segments(gsm_safe(short)) == 1, short
