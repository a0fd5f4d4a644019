"""Issue 16: a maybe to "Will you come?" as people text it every day ("peut etre que oui",
"jsp", "de pronto", "labda ndiyo", "idk") is noted as a maybe, and never goes on to the
facilitator as a message that leaves the answer unnoted."""

from __future__ import annotations

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.conftest import Chat
from tests.rhythm.test_reading_answers import answer_reminder, passed_on_to, rsvps


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "peut etre que oui"),
        ("fr", "peut-être que oui"),
        ("fr", "jsp"),
        ("fr", "je sais pas"),
        ("fr", "chais pas"),
        ("es", "de pronto"),
        ("es", "talvez"),
        ("es", "puede ser"),
        ("es", "tal vez sí"),
        ("sw", "sijui"),
        ("sw", "labda ndiyo"),
        ("de", "weiß nicht"),
        ("de", "vllt"),
        ("da", "ved ikke"),
        ("en", "idk"),
        ("en", "dunno"),
        ("en", "not sure yet"),
        ("en", "jsp"),  # in her own language, in a circle of another
        ("en", "probably"),  # walk fac 2
        ("es", "probablemente"),
    ],
)
async def test_an_everyday_maybe_to_the_reminder_is_a_maybe(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    reply = await answer_reminder(chat, core, clock, "Brian", language, typed)
    assert await rsvps(core) == [RsvpAnswer.MAYBE], reply
    assert not passed_on_to(await chat.deliver(), "Amina")


async def test_an_everyday_maybe_with_its_reason_still_goes_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    typed = "jsp, ca depend de mon travail"
    reply = await answer_reminder(chat, core, clock, "Brian", "fr", typed)
    assert await rsvps(core) == [RsvpAnswer.MAYBE], reply
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice


async def test_probably_with_its_reason_is_a_maybe_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walk fac 2: "probably, depends if I get off work on time" was passed on and the RSVP
    left unanswered ("Not answered yet: Priya")."""
    typed = "probably, depends if I get off work on time"
    reply = await answer_reminder(chat, core, clock, "Brian", "en", typed)
    assert await rsvps(core) == [RsvpAnswer.MAYBE], reply
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert "depends if I get off work" in notice


async def test_a_maybe_then_a_no_is_no_maybe(chat: Chat, core: Core, clock: FakeClock) -> None:
    await answer_reminder(chat, core, clock, "Brian", "fr", "peut-être que non")
    assert RsvpAnswer.MAYBE not in await rsvps(core)
