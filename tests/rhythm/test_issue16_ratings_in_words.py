"""Issue 16: check-in answers written in words by everyday learners.

smses 11: "ma o menos no entendi los graficos" by SMS got a command menu, the answer lost.
smses 12: "más o menos" was read as 2; in Spanish it is the middle. frsw 4, frsw 8, smses 8:
"bof c etait dificile", "ilikuwa fiti sana msee" were not read, and "BIEN" was stored as 3 with
no echo. frsw 5: Awa's "5 super" got no reflection question, and her next text, meant as the
answer, went to the facilitator."""

from __future__ import annotations

import unicodedata

import pytest

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.rhythm.checkins import parse_rating
from locales import LOCALES_DIR
from tests.conftest import Chat
from tests.rhythm.test_everyday_answers import checkins
from tests.rhythm.test_reading_answers import passed_on_to
from tests.seasons import DETROIT_CIRCLE, Week, open_circle, play_week


def folded(text: str) -> str:
    """`text` without accents, as an SMS may arrive."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


NOTED = "I noted %(rating)d out of 5 for this week: send another number to change it."


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs(LOCALES_DIR)


@pytest.mark.parametrize(
    ("language", "typed", "rating"),
    [
        ("es", "más o menos", 3),  # smses 12: the middle, the scale's own label for 3
        ("es", "mas o menos", 3),
        ("es", "ma o menos", 3),  # smses 11: a letter dropped
        ("es", "bien", 4),  # smses 8: "bien" is good
        ("es", "BIEN", 4),
        ("es", "muy bien", 4),
        ("es", "excelente", 5),
        ("es", "regular", 2),
        ("fr", "bof", 2),  # "moyen", the scale's own 2
        ("fr", "comme ci comme ça", 2),
        ("fr", "dificile", 1),  # frsw 4: a letter dropped from the scale's "difficile"
        ("fr", "super", 5),  # frsw 5: the scale's own word for 5
        ("en", "so-so", 2),
        ("de", "so lala", 2),
        ("da", "sådan da", 2),
        ("sw", "hivyo hivyo", 2),
        ("sw", "fiti", 4),  # Sheng: good
        ("sw", "ilikuwa fiti sana msee", 5),  # frsw 8: very good, mate
    ],
)
def test_ratings_in_everyday_words_are_read(
    catalogs: Catalogs, language: str, typed: str, rating: int
) -> None:
    assert parse_rating(typed, catalogs.translator(language)) == rating


async def _sms_checkin(chat: Chat, core: Core, clock: FakeClock, language: str) -> Chat:
    """A learner who keeps her answers private, by SMS, at the week's rating question."""
    code = await open_circle(chat, core, {}, DETROIT_CIRCLE + " language=" + language)
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for text in ["JOIN " + code, "Aprender a usar la computadora.", "2"]:
        await sms.say("+34600000001", text)
    await play_week(chat, core, clock, 1, Week())
    await sms.deliver()
    await chat.deliver()
    return sms


async def test_a_rating_with_a_typo_and_words_is_the_rating_and_her_answer(
    chat: Chat, core: Core, clock: FakeClock, catalogs: Catalogs
) -> None:
    """smses 11: a command menu, and nothing stored or passed on."""
    sms = await _sms_checkin(chat, core, clock, "es")
    typed = "ma o menos no entendi los graficos"
    reply = await sms.say("+34600000001", typed)
    assert "PROXIMA" not in reply
    [checkin] = await checkins(core)
    assert (checkin.rating, checkin.answer) == (3, typed), reply
    assert folded(reply).startswith(folded(catalogs.translator("es")._(NOTED, rating=3))), reply


async def test_words_that_give_no_rating_are_kept_as_her_answer(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Never a lost answer: words read as no rating are the check-in's written answer."""
    sms = await _sms_checkin(chat, core, clock, "es")
    typed = "ma o meno no entendi los graficos"  # two typos: no rating
    reply = await sms.say("+34600000001", typed)
    assert "PROXIMA" not in reply
    [checkin] = await checkins(core)
    assert checkin.answer == typed, reply
    assert not passed_on_to(await chat.deliver(), "Amina")


@pytest.mark.parametrize(
    ("language", "typed", "rating"), [("es", "BIEN", 4), ("es", "mas o menos", 3)]
)
async def test_a_rating_word_alone_is_said_back(
    chat: Chat,
    core: Core,
    clock: FakeClock,
    catalogs: Catalogs,
    language: str,
    typed: str,
    rating: int,
) -> None:
    """smses 8: Ernesto's "BIEN" was stored silently (as 3)."""
    sms = await _sms_checkin(chat, core, clock, language)
    reply = await sms.say("+34600000001", typed)
    [checkin] = await checkins(core)
    assert checkin.rating == rating, reply
    assert folded(reply).startswith(
        folded(catalogs.translator(language)._(NOTED, rating=rating))
    ), reply


async def test_five_super_is_rated_and_the_reflection_after_it_stays_private(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """frsw 5: Awa's "5 super" got no open question; her next text went to the facilitator."""
    sms = await _sms_checkin(chat, core, clock, "fr")
    plain = await sms.say("+34600000001", "5 super")
    assert plain.rstrip().endswith("?"), plain  # the open question, as after "5"
    reply = await sms.say("+34600000001", "On a fait un plan pour vendre au marche de Sandaga")
    [checkin] = await checkins(core)
    assert checkin.rating == 5, reply
    assert checkin.answer == "On a fait un plan pour vendre au marche de Sandaga", reply
    assert not passed_on_to(await chat.deliver(), "Amina")
