""""no problem, see you there" to "Will you come?" is a yes, never a no because it opens with
"no" (walk 14, fac 31: Keisha was told "We'll miss you at meeting 4")."""

from __future__ import annotations

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import answer_reminder, rsvps


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("en", "no problem, see you there"),
        ("en", "No worries, see you then!"),
        ("fr", "pas de problème, à jeudi"),
        ("es", "no hay problema, nos vemos ahí"),
        ("de", "kein Problem, bis dann"),
        ("da", "intet problem, vi ses"),
    ],
)
async def test_no_problem_see_you_is_a_yes(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    reply = await answer_reminder(chat, core, clock, "Keisha", language, typed)
    assert await rsvps(core) == [RsvpAnswer.YES], reply


async def test_siezi_kuja_is_a_no(chat: Chat, core: Core, clock: FakeClock) -> None:
    """Walk 14, sms 18: "siezi kuja niko ushago" ("siezi", the common spelling of "siwezi":
    can't come) was passed on with "your answer isn't noted yet"."""
    reply = await answer_reminder(chat, core, clock, "Baraka", "sw", "siezi kuja niko ushago")
    assert await rsvps(core) == [RsvpAnswer.NO], reply
