"""Walkthrough 8 (sms 8, mix 23): a Spanish SMS cost 2-3 parts where the English one cost 1,
only because of the bot's own accents (reunión, Sí, próxima). By SMS the bot's own words go
without them when that alone keeps a text in GSM-7; a person's words (names, quoted answers)
never change, and a text that needs UCS-2 anyway keeps every accent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Choice, Outbound
from bot.chat.rendering import fit
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from locales import LOCALES_DIR
from tests.chat.test_sms_costs import _circle, _core
from tests.conftest import Chat

LEARNER = "+573001112233"


@pytest.fixture
def phones(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Chat, Chat]:
    core = _core(sqlite_engine, clock)
    return Chat(core), Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)


def _parts(texts: list[str]) -> int:
    return sum(sms_segments(text) for text in texts)


async def test_spanish_reminder_and_checkin_are_one_sms(
    phones: tuple[Chat, Chat], clock: FakeClock
) -> None:
    console, sms = phones
    code = await _circle(console, sms, "es", "2026-10-22", 6, LEARNER)
    # The welcome: the same words, fewer parts.
    await sms.say("+573001112244", "/language es")
    joined = await sms.core.handle(sms.inbound("+573001112244", "UNIRME " + code), SMS_CAPABILITIES)
    welcome = [m.text for m in joined]
    assert "Te damos la bienvenida" in welcome[0] and "Reunion 1 de 6" in welcome[0], welcome
    assert _parts(welcome) <= 3, welcome  # 5 parts with its accents (UCS-2)
    await sms.deliver()
    clock.set(datetime(2026, 10, 21, 14, 35, tzinfo=UTC))  # 24 hours before meeting 1
    await sms.core.tick()
    reminder = [m.text for m in await sms.deliver() if m.address.chat_id == LEARNER.casefold()]
    assert reminder and "se reune" in reminder[0] and "(Si)" in reminder[0], reminder
    assert _parts(reminder) == 1, reminder
    clock.set(datetime(2026, 10, 23, 9, 0, tzinfo=UTC))  # the morning after: the check-in
    await sms.core.tick()
    checkin = [m.text for m in await sms.deliver() if m.address.chat_id == LEARNER.casefold()]
    assert checkin and _parts(checkin) == 1, checkin


def test_a_persons_words_keep_their_accents() -> None:
    tr = Catalogs(LOCALES_DIR).translator("es")
    sms = Address("sms", LEARNER)
    yes_no = (Choice("Sí", "yes"), Choice("No", "no"))
    # The bot's words alone: folded, one part instead of two.
    ours = Outbound(
        sms, "Excel basico se reúne en 24 horas: miércoles a las 17:00. ¿Vienes?", yes_no
    )
    [part] = fit(ours, SMS_CAPABILITIES, tr)
    assert "se reune" in part.text and "1 (Si)" in part.text, part.text
    assert sms_segments(part.text) == 1
    # A name with an accent folds too (wave 2, walk C 1): "Lucia" reads fine on any phone.
    named = Outbound(sms, "Lucía te respondió: nos vemos en la reunión.")
    [part] = fit(named, SMS_CAPABILITIES, tr)
    assert part.text == "Lucia te respondio: nos vemos en la reunion."
    # A learner's quoted words stay as written even when the rest is folded.
    quoted = Outbound(sms, 'Dijiste: "reunión". ¿Qué tan cerca llegaste?')
    [part] = fit(quoted, SMS_CAPABILITIES, tr)
    assert part.text == quoted.text
