"""Wave 2, group G3: what a Spanish circle's SMS cost (walk C) and the SMS keywords.

A circle named "Alfabetización digital" made every text to its learners UCS-2 (70 characters a
part instead of 160): the welcome was 7 parts, NEXT 3, an accent-free announcement 2. By SMS the
whole text is now written as a feature-phone user writes it ("Alfabetizacion") when only that
keeps it in GSM-7; a learner's words quoted back to her stay as she wrote them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Outbound
from bot.chat.rendering import fit
from bot.chat.segments import SMS_CAPABILITIES, is_gsm7, sms_segments
from locales import LOCALES_DIR
from tests.chat.test_sms_costs import _core
from tests.conftest import Chat, code_of

LIMA = (
    '/newcircle name="Alfabetización digital" course="GCFGlobal - Informática básica" '
    'venue="Biblioteca Municipal de Lima, sala de cómputo, 2do piso" city=Lima country=PE '
    "zone=America/Lima start=2026-12-09 time=16:00 meetings=6 language=es"
)
JUANA = "+51987000111"


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


def _cost(texts: list[str]) -> int:
    return sum(sms_segments(text) for text in texts)


async def _texts(sms: Chat, who: str, said: str) -> list[str]:
    return [m.text for m in await sms.core.handle(sms.inbound(who, said), SMS_CAPABILITIES)]


async def _joined(console: Chat, sms: Chat) -> list[str]:
    await console.say("Rosa", LIMA)
    code = await code_of(console.core, "Alfabetización digital")
    return await _texts(sms, JUANA, "UNIRME " + code)


async def test_the_spanish_welcome_and_next_are_gsm7_whatever_the_circle_is_called(
    phones: tuple[Chat, Chat], clock: FakeClock
) -> None:
    """Walk C 2 and 6: the welcome was 7 parts, NEXT 3, AYUDA 4, all for a few accents."""
    console, sms = phones
    clock.set(datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
    welcome = await _joined(console, sms)
    assert all(is_gsm7(text) for text in welcome), welcome
    assert "Alfabetizacion digital" in welcome[0], welcome
    assert _cost(welcome) <= 4, welcome  # was 7
    await _texts(sms, JUANA, "Juana")
    nxt = await _texts(sms, JUANA, "PROXIMA")
    assert all(is_gsm7(text) for text in nxt) and _cost(nxt) <= 2, nxt  # was 3
    assert "Biblioteca Municipal de Lima, sala de computo" in "\n".join(nxt), nxt
    ayuda = await _texts(sms, JUANA, "AYUDA")
    assert all(is_gsm7(text) for text in ayuda), ayuda


def test_an_accent_free_announcement_under_an_accented_header_is_one_sms() -> None:
    """Walk C 10: the bot's own header "Alfabetización digital, de Rosa:" made Rosa's 94
    plain characters cost two parts; walk C 1: the "fits in one SMS" invitation was three."""
    tr = Catalogs(LOCALES_DIR).translator("es")
    sms = Address("sms", JUANA)
    note = (
        "Alfabetización digital, de Rosa: El 23 no nos reunimos por Navidad. Descansen y "
        "practiquen en casa si pueden. Nos vemos el 30!"
    )
    invite = (
        "Alfabetización digital. Primera reunion miércoles, 9 dic, 16:00. Para unirte, envia "
        "UNIRME DPDYDW7 al numero del circulo (preguntale a Rosa)."
    )
    assert sms_segments(note) == 2 and sms_segments(invite) == 3  # before
    for text in (note, invite):
        [part] = fit(Outbound(sms, text), SMS_CAPABILITIES, tr)
        assert part.text.startswith("Alfabetizacion digital"), part.text
        assert sms_segments(part.text) == 1, part.text
    # A learner's own words quoted back stay as she wrote them.
    quoted = 'Tu meta: "aprender a usar el correo electrónico". ¿Cómo vas?'
    [part] = fit(Outbound(sms, quoted), SMS_CAPABILITIES, tr)
    assert "electrónico" in part.text


async def test_the_reminder_on_the_day_says_today(
    phones: tuple[Chat, Chat], clock: FakeClock
) -> None:
    """Walk C 8: the reminder an hour before said "el miércoles", like the one the day before,
    and read like next week."""
    console, sms = phones
    clock.set(datetime(2026, 12, 6, 15, 0, tzinfo=UTC))
    await _joined(console, sms)
    for said in ("Juana", "SALTAR", "2"):
        await _texts(sms, JUANA, said)
    await sms.deliver()
    clock.set(datetime(2026, 12, 8, 21, 5, tzinfo=UTC))  # Tuesday 16:05 in Lima: the day before
    await sms.core.tick()
    before = [m.text for m in await sms.deliver() if m.address.chat_id == JUANA]
    assert before and "miércoles" in before[0] and "hoy" not in before[0], before
    clock.set(datetime(2026, 12, 9, 20, 5, tzinfo=UTC))  # Wednesday 15:05: an hour before
    await sms.core.tick()
    on_the_day = [m.text for m in await sms.deliver() if m.address.chat_id == JUANA]
    assert on_the_day and "hoy a las 16:00" in on_the_day[0], on_the_day
    assert "miércoles" not in on_the_day[0], on_the_day
    assert _cost(on_the_day) == 1, on_the_day
