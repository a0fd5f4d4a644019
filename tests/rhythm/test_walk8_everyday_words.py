"""Yes, ratings, "no thanks" and "I'm here" said the everyday way (walkthrough 8).

sms 10: "bn" (texting for "bien") was no rating. sms 11: "ya estoy aqui" and "aki toy" were
passed on, not noted as attendance. fac 5: "here" alone at the meeting, in a chat, went to the
facilitators. sms 15: "am coming" was never a yes. lang 11: a long polite German yes was not
counted. lang 10: "sawa tu", "ilikuwa poa, good" were no rating. lang 16: "Eine 4.", "Ich gebe
eine 4. ..." and "gut, aber anstrengend" were refused. mix 7: "nej tak" to the check-in was
asked for a number again, twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.rhythm.checkins import parse_rating
from bot.storage.models import Attendance, RsvpAnswer
from locales import LOCALES_DIR
from tests.conftest import Chat
from tests.database import open_session
from tests.rhythm.test_everyday_answers import checkins
from tests.rhythm.test_reading_answers import answer_reminder, passed_on_to, rsvps
from tests.seasons import Week, open_circle, play_week, starts


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs(LOCALES_DIR)


async def present(core: Core) -> int:
    async with open_session(core) as session:
        return len((await session.exec(select(Attendance))).all())


# --- ratings in everyday words -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "rating"),
    [
        ("es", "bn gracias", 4),  # sms 10: "bn" is how "bien" (good) is texted
        ("es", "muy bn", 4),
        ("sw", "sawa tu", 3),  # lang 10: "just okay"
        ("sw", "ilikuwa poa, good", 4),  # "poa" and the option it names, "good"
        ("de", "Eine 4.", 4),  # lang 16: a rating as a school grade is given
        ("de", "Ich gebe eine 4", 4),
        ("es", "BUENISIMA", 5),  # C18: "Perdón, no entendí"
        ("en", "hard", 1),  # A8: the first word of "hard going"
    ],
)
def test_everyday_ratings_are_read(
    catalogs: Catalogs, language: str, typed: str, rating: int
) -> None:
    assert parse_rating(typed, catalogs.translator(language)) == rating


@pytest.mark.parametrize("typed", ["poa, hard going", "eine", "Ich gebe eine"])
def test_words_that_disagree_or_hold_no_rating_are_none(catalogs: Catalogs, typed: str) -> None:
    for language in ("sw", "de"):
        assert parse_rating(typed, catalogs.translator(language)) is None


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        # The answer is what he wrote, never cut after the rating (D6).
        (
            "Ich gebe eine 4. Heute habe ich endlich verstanden, was eine Variable ist.",
            "Ich gebe eine 4. Heute habe ich endlich verstanden, was eine Variable ist.",
        ),
        ("Ich würde sagen: gut, aber anstrengend.", "Ich würde sagen: gut, aber anstrengend."),
    ],
)
async def test_a_german_rating_in_a_sentence_is_the_rating_and_the_rest_his_answer(
    chat: Chat, core: Core, clock: FakeClock, typed: str, answer: str
) -> None:
    """lang 16: Herr Schulz's words went to Katrin as a message, his rating lost."""
    await open_circle(chat, core, {"Schulz": True})
    await chat.say("Schulz", "/language de")
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    reply = await chat.say("Schulz", typed)
    assert "weitergegeben" not in reply and "Zahl von 1 bis 5" not in reply
    [checkin] = await checkins(core)
    assert (checkin.rating, checkin.answer) == (4, answer)
    assert not passed_on_to(await chat.deliver(), "Amina")


@pytest.mark.parametrize("typed", ["nej tak", "nej"])
async def test_no_thanks_to_the_check_in_skips_it_kindly(
    chat: Chat, core: Core, clock: FakeClock, typed: str
) -> None:
    """mix 7: Søren's "nej tak", then "nej", were asked for a number again."""
    await open_circle(chat, core, {"Søren": True})
    await chat.say("Søren", "/language da")
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    reply = await chat.say("Søren", typed)
    assert "tal fra 1 til 5" not in reply and "forstod" not in reply
    assert reply.startswith("Helt fint")
    assert await checkins(core) == []  # nothing saved
    assert "intet spørgsmål" in await chat.say("Søren", "/springover")  # closed
    assert not passed_on_to(await chat.deliver(), "Amina")


# --- a yes in so many words ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "passed_on"),
    [
        ("am coming", False),
        ("I said am coming", False),
        ("pls I will be late, am coming at 11", True),
        ("Sorry that 4 was for last week, I give it 4. Yes I will come tomorrow.", True),
    ],
)
async def test_am_coming_is_a_yes(
    chat: Chat, core: Core, clock: FakeClock, typed: str, passed_on: bool
) -> None:
    """sms 15: Ama's "am coming" was passed on to Kwame three times, never noted."""
    reply = await answer_reminder(chat, core, clock, "Ama", "en", typed)
    assert await rsvps(core) == [RsvpAnswer.YES], reply
    assert "isn't noted" not in reply
    assert bool(passed_on_to(await chat.deliver(), "Amina")) is passed_on


async def test_am_coming_by_sms_is_a_yes(chat: Chat, core: Core, clock: FakeClock) -> None:
    code = await open_circle(chat, core, {})
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for text in ["JOIN " + code, "Ama", "To sell online.", "1"]:
        await sms.say("+233200000001", text)
    await sms.deliver()
    clock.set(starts(1) - timedelta(hours=23))
    await core.tick()
    [reminder] = [m.text for m in await sms.deliver()]
    assert reminder.endswith("Reply 1 for Yes or 2 for No.")
    reply = await sms.say("+233200000001", "am coming")
    assert await rsvps(core) == [RsvpAnswer.YES], reply


@pytest.mark.parametrize(
    "typed",
    [
        "I am not coming, sorry",  # a no, said so
        "maybe I'll come if the bus runs",
        "When should I come?",
        "I'm coming next week, not tomorrow",
        "jeg kommer ikke i morgen",
    ],
)
async def test_a_coming_phrase_that_is_undone_is_no_yes(
    chat: Chat, core: Core, clock: FakeClock, typed: str
) -> None:
    await answer_reminder(chat, core, clock, "Ama", "da" if "jeg" in typed else "en", typed)
    assert RsvpAnswer.YES not in await rsvps(core)


async def test_a_long_polite_german_yes_is_counted_and_his_question_goes_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 11: Herr Schulz's yes was passed on only; Katrin's summary left him out."""
    typed = (
        "Sehr geehrte Frau Katrin, selbstverständlich werde ich morgen pünktlich erscheinen. "
        "Ich habe mir bereits die ersten beiden Videos angesehen, allerdings ist mir nicht "
        "ganz klar geworden, was eine Variable ist. Vielleicht können wir das morgen kurz "
        "besprechen? Mit freundlichen Grüßen, Ihr Heinrich Schulz"
    )
    reply = await answer_reminder(chat, core, clock, "Schulz", "de", typed)
    assert await rsvps(core) == [RsvpAnswer.YES], reply
    assert reply.startswith("Schön, bis zum Treffen 1") and "nicht notiert" not in reply
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert "was eine Variable ist" in notice


async def test_a_second_polite_german_yes(chat: Chat, core: Core, clock: FakeClock) -> None:
    typed = "Liebe Frau Katrin, ich werde morgen selbstverständlich wieder dabei sein. Bis morgen!"
    await answer_reminder(chat, core, clock, "Schulz", "de", typed)
    assert await rsvps(core) == [RsvpAnswer.YES]


# --- "I'm here" ----------------------------------------------------------------------------------


async def test_here_alone_in_a_chat_at_the_meeting_is_attendance(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 5: Tom's "here" went to Denise and Marcus as a message; he was not ticked."""
    await open_circle(chat, core, {"Tom": True})
    await chat.deliver()
    clock.set(starts(1) - timedelta(hours=3))
    assert "Welcome!" not in await chat.say("Tom", "here")  # no meeting on: not attendance
    await chat.deliver()
    clock.set(starts(1) + timedelta(minutes=5))
    reply = await chat.say("Tom", "here")
    assert "You're here for meeting 1" in reply
    assert await present(core) == 1
    assert not passed_on_to(await chat.deliver(), "Amina")


@pytest.mark.parametrize("typed", ["ya estoy aqui", "aki toy 🙋‍♀️", "Ya estoy aquí!"])
async def test_ya_estoy_aqui_by_sms_is_attendance(
    chat: Chat, core: Core, clock: FakeClock, typed: str
) -> None:
    """sms 11: Maribel's "ya estoy aqui" and Yese's "aki toy" were passed on to Luz."""
    code = await open_circle(chat, core, {})
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for text in ["/language es", "UNIRME " + code, "Maribel", "Aprender Python.", "1"]:
        await sms.say("+573001234567", text)
    clock.set(starts(1) + timedelta(minutes=5))
    await sms.deliver()
    reply = await sms.say("+573001234567", typed)
    assert "reuni" in reply and "asistencia" in reply and "pasé" not in reply, reply
    assert await present(core) == 1


@pytest.mark.parametrize(
    ("language", "typed"),
    [
        ("es", "YA ESTOY AQUI"),  # C26: read as a yes on the way, "send PRESENTE"
        ("es", "llegue tarde pero ya estoy aqui"),
        ("en", "am here"),  # C9
    ],
)
async def test_here_by_sms_after_the_hour_reminder_is_attendance(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str
) -> None:
    code = await open_circle(chat, core, {})
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    join = "UNIRME " if language == "es" else "JOIN "
    for text in ["/language " + language, join + code, "Ernesto", "Aprender Python.", "1"]:
        await sms.say("+573001234567", text)
    await sms.deliver()
    clock.set(starts(1) - timedelta(minutes=59))
    await core.tick()
    assert "1" in (await sms.deliver())[-1].text  # "Will you come? Reply 1..."
    clock.set(starts(1) + timedelta(minutes=28))
    reply = await sms.say("+573001234567", typed)
    assert "PRESENTE" not in reply and "1" in reply, reply  # "meeting 1", never "send HERE"
    assert await present(core) == 1
    notices = passed_on_to(await chat.deliver(), "Amina")
    assert not any("on the way" in notice or "camino" in notice for notice in notices)
