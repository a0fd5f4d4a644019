"""Everyday answers to the bot's choices (walkthroughs lang, sms, ops, fac): a reminder's Yes or
No said in words with more words ("si pero mi cel no tiene internet", "nel, no voy a poder"),
words it can't read (passed on, and the question is said to be still open), a change of mind
after a yes, a rating said the everyday way ("muy bien gracias", "It was good", "cinco!! ...")
and the words sent with one ("5 nilifurahi sana"), which answer no question."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.rhythm.checkins import parse_rating
from bot.storage.models import CheckIn, RsvpAnswer
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.reports.test_records import portfolio_file
from tests.rhythm.test_reading_answers import (
    answer_reminder,
    passed_on_to,
    ratings,
    reminded,
    rsvps,
)
from tests.rhythm.test_rhythm import NAIROBI_CIRCLE
from tests.seasons import Week, open_circle, play_week, starts


async def checkins(core: Core) -> list[CheckIn]:
    async with open_session(core) as session:
        return list((await session.exec(select(CheckIn))).all())


# --- a reminder's answer in words --------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "not_yet", "choices"),
    [
        (
            "es",
            "mmm no se, creo que si",
            "aún no anoté tu respuesta",
            "Responde 1 (Sí) o 2 (No).",
        ),
        # ("peut-être" is a maybe now: tests/rhythm/test_maybe_rsvp.py)
        (
            "fr",
            "ça dépend de mon travail",
            "pas encore notée",
            "Répondez 1 pour Oui ou 2 pour Non.",
        ),
        (
            "en",
            # (Its "... Yes I will come tomorrow." is a yes now: test_walk8_everyday_words.)
            "Sorry that 4 was for last week, I give it 4. Is it the same room tomorrow?",
            "your answer isn't noted yet",
            "Reply 1 for Yes or 2 for No.",
        ),
    ],
)
async def test_words_that_are_no_answer_go_on_and_the_question_is_still_open(
    chat: Chat,
    core: Core,
    clock: FakeClock,
    language: str,
    typed: str,
    not_yet: str,
    choices: str,
) -> None:
    """lang 4, sms 9: "Gracias, ya se lo pasé a Camila." and nothing else, while the RSVP
    stayed open: now he reads that it isn't noted, with the choices to note it."""
    reply = await answer_reminder(chat, core, clock, "Diego", language, typed)
    assert not_yet in reply
    assert reply.endswith(choices)
    assert await rsvps(core) == []
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice
    await chat.say("Diego", "1")
    assert await rsvps(core) == [RsvpAnswer.YES]


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("es", "nel, no voy a poder, ando de vacaciones en Oaxaca"),
        ("en", "Sorry, I cannot come, my daughter is sick."),
        ("fr", "Amina, je ne pourrai pas venir cette fois, mon fils est malade"),
        ("sw", "samahani siwezi kuja kesho, nina safari"),
    ],
)
async def test_a_no_said_in_so_many_words_anywhere_is_the_rsvp_and_goes_on(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    """lang 16: a clear no that doesn't start with "no"."""
    await answer_reminder(chat, core, clock, "Diego", language, typed)
    assert await rsvps(core) == [RsvpAnswer.NO]
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice


async def test_a_cant_come_beside_a_yes_is_neither(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    reply = await answer_reminder(
        chat, core, clock, "Diego", "es", "no puedo llegar temprano, pero sí voy, guárdenme lugar"
    )
    assert await rsvps(core) == []
    assert "aún no anoté tu respuesta" in reply


@pytest.mark.parametrize(
    ("language", "typed", "great"),
    [
        ("es", "si pero mi cel no tiene internet, hay algun numero para llamar?", "nos vemos"),
        ("sw", "nitakuja lakini nitachelewa kidogo", "tutaonana"),
        ("en", "yes but no laptop yet", "see you"),
    ],
)
async def test_a_yes_with_a_but_is_a_yes_and_the_remark_goes_on(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, great: str
) -> None:
    """lang 25 ("no" after the "but" is about the phone), fac 21 (four words: not only the
    yes, the lateness is news for the facilitator)."""
    reply = await answer_reminder(chat, core, clock, "Mateo", language, typed)
    assert great in reply.casefold()
    assert await rsvps(core) == [RsvpAnswer.YES]
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice


SWAHILI_CIRCLE = NAIROBI_CIRCLE.replace("Reading Club", "Biashara").replace(
    "meetings=6", "meetings=6 language=sw"
)
CIRCLE_EN = "Python for Everyone"
ENGLISH_CIRCLE = DETROIT_CIRCLE.replace("2026-10-29", "2026-12-03") + " language=en"


async def test_the_answer_to_a_swahili_reminder_is_in_swahili(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 21: Otieno, in a Kiswahili circle and (newest) an English one, answered the Swahili
    reminder in Swahili and read "Great, see you at meeting 1" in English."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await chat.say("Joseph", SWAHILI_CIRCLE)
    await chat.say("Joseph", ENGLISH_CIRCLE)
    for circle, goal, shares in [
        ("Biashara", "Kujifunza.", "ndiyo"),
        (CIRCLE_EN, "To learn.", "yes"),
    ]:
        await chat.say("Otieno", "/join " + await code_of(core, circle))
        await chat.say("Otieno", goal)
        await chat.say("Otieno", shares)
    await chat.deliver()
    clock.set(datetime(2026, 11, 10, 14, tzinfo=UTC) - timedelta(hours=23))
    await core.tick()
    [reminder] = passed_on_to(await chat.deliver(), "Otieno")
    assert "Utakuja?" in reminder
    reply = await chat.say("Otieno", "nitakuja lakini nitachelewa kidogo")
    assert reply.startswith("Biashara: Vyema, tutaonana kwenye mkutano wa 1")
    assert "nimeufikisha ujumbe wako kwa Joseph" in reply
    assert await rsvps(core) == [RsvpAnswer.YES]
    [notice] = passed_on_to(await chat.deliver(), "Joseph")
    assert "nitachelewa kidogo" in notice


# --- a change of mind ---------------------------------------------------------------------------


async def test_cant_come_after_a_yes_changes_it_to_no(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 5: Wanjiku said 1 to the reminder, then "I cannot come after all": still counted
    as coming, and the 1-hour reminder said "See you there!"."""
    await open_circle(chat, core, {"Wanjiku": True})
    await reminded(chat, core, clock, "Wanjiku", 1)
    assert "see you" in (await chat.say("Wanjiku", "1")).casefold()
    clock.set(starts(1) - timedelta(hours=10))
    typed = "Sorry, I cannot come after all, my daughter is sick."
    reply = await chat.say("Wanjiku", typed)
    assert "We'll miss you at meeting 1" in reply
    assert "passed that on to Amina" in reply
    assert await rsvps(core) == [RsvpAnswer.NO]
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice
    clock.set(starts(1) - timedelta(minutes=59))
    await core.tick()
    assert not any(
        "See you there" in text for text in passed_on_to(await chat.deliver(), "Wanjiku")
    )


async def test_cant_come_with_nothing_said_before_is_only_a_message(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Wanjiku": True})
    clock.set(starts(1) - timedelta(days=3))
    assert "passed that on" in await chat.say("Wanjiku", "I can't come to the library on Mondays")
    assert await rsvps(core) == []


# --- a rating said the everyday way --------------------------------------------------------------


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs(LOCALES_DIR)


@pytest.mark.parametrize(
    ("language", "typed", "rating"),
    [
        ("es", "muy bien gracias", 4),
        ("es", "bien, gracias", 4),  # issue 16: "bien" is good
        ("fr", "plutôt bien merci", 4),
        ("en", "It was good", 4),
        ("en", "it was okay, thanks", 3),
        ("en", "great thank you!", 5),
        ("sw", "ilikuwa vizuri, asante", 4),
        ("de", "war gut, danke", 4),
        ("da", "det gik godt, tak", 4),
    ],
)
def test_a_rating_with_words_around_it_is_read(
    catalogs: Catalogs, language: str, typed: str, rating: int
) -> None:
    assert parse_rating(typed, catalogs.translator(language)) == rating


@pytest.mark.parametrize("typed", ["thanks", "gracias", "it was", "it was a long day"])
def test_words_around_no_rating_are_no_rating(catalogs: Catalogs, typed: str) -> None:
    assert parse_rating(typed, catalogs.translator("es")) is None


async def test_muy_bien_gracias_rates_the_week(chat: Chat, core: Core, clock: FakeClock) -> None:
    """lang 6: "Perdón, no entendí. ¿Puedes enviar un número del 1 al 5?"."""
    await open_circle(chat, core, {"Mateo": True})
    await chat.say("Mateo", "/language es")
    await play_week(chat, core, clock, 1, Week())
    reply = await chat.say("Mateo", "muy bien gracias")
    assert "no entendí" not in reply
    assert reply.endswith("?")  # the open question comes next
    assert await ratings(core) == [4]


async def test_it_was_good_by_sms_rates_the_week(chat: Chat, core: Core, clock: FakeClock) -> None:
    """sms 7: Halima's "It was good" to the nudge."""
    code = await open_circle(chat, core, {})
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for text in ["JOIN " + code, "Halima", "To use a computer for my shop.", "1"]:
        await sms.say("+254700000001", text)
    await play_week(chat, core, clock, 1, Week())
    await sms.deliver()
    reply = await sms.say("+254700000001", "It was good")
    assert "Could you send a number" not in reply
    assert await ratings(core) == [4]


# --- the words sent with a rating -----------------------------------------------------------------


async def test_a_number_word_then_words_is_the_rating_and_a_private_answer(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 10: Mateo keeps his answers private; "cinco!! ya entendi los ciclos for" went to
    Camila as a message, and no rating was kept."""
    await open_circle(chat, core, {"Mateo": False})
    await chat.say("Mateo", "/language es")
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    reply = await chat.say("Mateo", "cinco!! ya entendi los ciclos for")
    assert "se lo pasé" not in reply
    [checkin] = await checkins(core)
    assert (checkin.rating, checkin.answer) == (5, "cinco!! ya entendi los ciclos for")  # D6
    assert not passed_on_to(await chat.deliver(), "Amina")


@pytest.mark.parametrize(
    ("typed", "answer"), [("5 nilifurahi sana", "nilifurahi sana"), ("4 asante", None)]
)
async def test_a_few_words_after_a_rating_are_kept_unless_only_thanks(
    chat: Chat, core: Core, clock: FakeClock, typed: str, answer: str | None
) -> None:
    """ops 13: Njeri's "5 nilifurahi sana" kept the 5 and lost her words; the open question
    was asked as if she had said nothing."""
    await open_circle(chat, core, {"Njeri": True})
    await chat.say("Njeri", "/language sw")
    await play_week(chat, core, clock, 1, Week())
    reply = await chat.say("Njeri", typed)
    [checkin] = await checkins(core)
    assert checkin.answer == answer
    assert reply.endswith("?") is (answer is None)  # the open question only when unanswered


async def test_words_with_a_rating_are_in_the_portfolio_under_no_question(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 24: "2 no pude ir y ya me perdi un poco" showed under "¿Qué es algo que aprendiste
    esta semana?", a question Mateo never saw."""
    await open_circle(chat, core, {"Mateo": True})
    await chat.say("Mateo", "/language es")
    await play_week(chat, core, clock, 1, Week())
    reply = await chat.say("Mateo", "2 no pude ir y ya me perdi un poco")
    assert "?" not in reply  # no question asked: the words answered it
    mine = await portfolio_file(chat, "Mateo")
    lines = mine.splitlines()
    quoted = next(at for at, line in enumerate(lines) if "no pude ir" in line)
    before = [line for line in lines[:quoted] if line.strip()][-1]
    assert before.endswith("2 de 5")  # right under the rating, no question between
