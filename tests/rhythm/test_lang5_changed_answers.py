"""Walkthrough lang 5: Moussa, by SMS in French with typos, changes an answer he gave.

5: after "peut-être" the reminder's Yes / No was asked again; "finalement oui je vien" went to
Élodie as a message, "your answer isn't noted yet". A reply opening with words that change an
earlier answer ("finalement", "al final", "doch", "mwishowe", "alligevel") is read from what
follows them: "oui je vien" is a yes.
5b: after a rating read from words ("I noted 4 out of 5 for this week: send another number to
change it"), "non plutot 3" went to Élodie as a message and "3" alone got "Nothing is waiting".
The invitation stands until the week's check-in closes (the next meeting starts): a number,
alone or with words that correct it ("no, 3", "eher 3", "hapana 3"), replaces the rating."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.keywords import plain
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.rhythm.commands.answers import RATING_CHANGED, YES_OR_NO_STILL_WAITS
from bot.storage.models import RsvpAnswer
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.rhythm.test_everyday_answers import checkins
from tests.rhythm.test_reading_answers import passed_on_to, reminded, rsvps
from tests.seasons import Week, open_circle, play_week, starts

PHONE = "+221770000001"
MAYBE = {
    "fr": "peut-être",
    "en": "maybe",
    "es": "quizás",
    "de": "vielleicht",
    "sw": "labda",
    "da": "måske",
}


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs(LOCALES_DIR)


async def _joined(chat: Chat, core: Core, language: str, sms: bool) -> Chat:
    """A learner who keeps his answers private, in a circle reading `language`, by SMS or on
    the console."""
    code = await open_circle(chat, core, {}, DETROIT_CIRCLE + " language=" + language)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES) if sms else Chat(core)
    for text in ["JOIN " + code if sms else "/join " + code, "Apprendre l'ordinateur.", "2"]:
        await phone.say(PHONE, text)
    return phone


@pytest.mark.parametrize("sms", [True, False], ids=["sms", "console"])
@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("fr", "finalement oui je vien"),  # lang 5
        ("fr", "en fait oui je vien"),
        ("en", "finally yes I'll come"),
        ("en", "finally yes ill comme"),
        ("es", "al final sí voy"),
        ("es", "al final si boy"),
        ("de", "doch ja ich komme"),
        ("de", "doch ja ich kome"),
        ("sw", "mwishowe ndiyo nitakuja"),
        ("sw", "mwishowe ndiyo nitakuj"),
        ("da", "alligevel ja jeg kommer"),
        ("da", "alligevel ja jeg komer"),
    ],
)
async def test_a_yes_after_a_maybe_with_words_that_change_it_is_a_yes(
    chat: Chat,
    core: Core,
    clock: FakeClock,
    catalogs: Catalogs,
    language: str,
    typed: str,
    sms: bool,
) -> None:
    phone = await _joined(chat, core, language, sms)
    await reminded(phone, core, clock, PHONE, 1)
    await phone.say(PHONE, MAYBE[language])
    assert await rsvps(core) == [RsvpAnswer.MAYBE]
    reply = await phone.say(PHONE, typed)
    assert await rsvps(core) == [RsvpAnswer.YES], reply
    assert catalogs.translator(language)._(YES_OR_NO_STILL_WAITS) not in reply
    # It says no more than its yes: nothing goes on to the facilitator.
    assert not [m for m in passed_on_to(await chat.deliver(), "Amina") if typed in m]


async def test_a_changed_yes_that_says_more_goes_on_too(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phone = await _joined(chat, core, "fr", True)
    await reminded(phone, core, clock, PHONE, 1)
    await phone.say(PHONE, "peut-être")
    typed = "finalement oui je vien avec ma fille qui veut apprendre aussi"
    await phone.say(PHONE, typed)
    assert await rsvps(core) == [RsvpAnswer.YES]
    assert [m for m in passed_on_to(await chat.deliver(), "Amina") if typed in m]


@pytest.mark.parametrize("typed", ["finalement non", "en fait non je peux pas"])
async def test_a_changed_no_after_a_maybe_is_a_no(
    chat: Chat, core: Core, clock: FakeClock, typed: str
) -> None:
    phone = await _joined(chat, core, "fr", True)
    await reminded(phone, core, clock, PHONE, 1)
    await phone.say(PHONE, "peut-être")
    reply = await phone.say(PHONE, typed)
    assert await rsvps(core) == [RsvpAnswer.NO], reply


async def _rated_in_words(
    chat: Chat, core: Core, clock: FakeClock, language: str, sms: bool, words: str
) -> Chat:
    """Meeting 1's check-in answered with `words`, read as a 4."""
    phone = await _joined(chat, core, language, sms)
    await play_week(chat, core, clock, 1, Week())
    await phone.deliver()
    await chat.deliver()
    await phone.say(PHONE, words)
    assert [c.rating for c in await checkins(core)] == [4]
    return phone


def _changed(catalogs: Catalogs, language: str, before: int, after: int) -> str:
    """The change said, as plain() (by SMS, accents and quotes may be folded)."""
    return plain(
        catalogs.translator(language)._(
            RATING_CHANGED, number=1, circle="Python for Everyone", before=before, after=after
        )
    )


@pytest.mark.parametrize("sms", [True, False], ids=["sms", "console"])
@pytest.mark.parametrize(
    ("language", "words", "correction"),
    [
        ("fr", "c'etait bien mais dur", "non plutot 3"),  # lang 5b: the words kept as his answer
        ("fr", "bien", "non plutot 3"),  # the open question asked after it
        ("en", "it was good, I learned a lot", "no, 3"),
        ("en", "good", "no, 3"),
        ("de", "gut", "eher 3"),
        ("sw", "vizuri", "hapana 3"),
        ("es", "bien", "no, mejor 3"),
        ("da", "godt", "nej, hellere 3"),
    ],
)
async def test_a_rating_read_from_words_is_changed_by_a_correction_then_a_number(
    chat: Chat,
    core: Core,
    clock: FakeClock,
    catalogs: Catalogs,
    language: str,
    words: str,
    correction: str,
    sms: bool,
) -> None:
    phone = await _rated_in_words(chat, core, clock, language, sms, words)
    clock.advance(timedelta(hours=3))
    reply = await phone.say(PHONE, correction)
    assert [c.rating for c in await checkins(core)] == [3], reply
    assert plain(reply).startswith(_changed(catalogs, language, 4, 3)), reply
    reply = await phone.say(PHONE, "2")
    assert [c.rating for c in await checkins(core)] == [2], reply
    assert plain(reply).startswith(_changed(catalogs, language, 3, 2)), reply
    assert not [m for m in passed_on_to(await chat.deliver(), "Amina") if correction in m]
    [checkin] = await checkins(core)
    assert correction not in (checkin.answer or "")  # never kept as his words either


async def test_a_number_alone_changes_a_rating_read_from_words(
    chat: Chat, core: Core, clock: FakeClock, catalogs: Catalogs
) -> None:
    phone = await _rated_in_words(chat, core, clock, "fr", True, "c'etait bien mais dur")
    reply = await phone.say(PHONE, "3")
    assert [c.rating for c in await checkins(core)] == [3], reply
    assert plain(reply).startswith(_changed(catalogs, "fr", 4, 3)), reply


async def test_the_invitation_to_change_ends_when_the_next_meeting_starts(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phone = await _rated_in_words(chat, core, clock, "fr", True, "c'etait bien mais dur")
    clock.set(starts(2) + timedelta(minutes=5))
    await phone.say(PHONE, "non plutot 3")
    assert [c.rating for c in await checkins(core)] == [4]


async def test_words_with_a_number_that_say_more_are_no_correction(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phone = await _rated_in_words(chat, core, clock, "fr", True, "c'etait bien mais dur")
    await phone.say(PHONE, "non j'ai 3 enfants a garder jeudi")
    assert [c.rating for c in await checkins(core)] == [4]
