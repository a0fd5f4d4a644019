"""Everyday words read right, wave 2: a reminder's yes or no as people write it in all six
languages ("ya", "Eeh niko ready", "kann leider nicht", "desværre, torsdag kan jeg ikke",
"je pourrais pas venir", "... donc non"); a change of mind in a sentence, also while an old
check-in waits, and an absence announced at the check-in; a rating in words at the check-in
("four I think", "EXCELENTE PERO ...", "super aber ...", "ngumu kidogo"), always said back
with how to change it, and kept as the learner wrote it; the digest's low ratings in the
learner's own scale word; Spanish SMS texts that read right without their accents."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Outbound
from bot.chat.rendering import fit
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.conftest import Chat
from tests.rhythm.test_everyday_answers import checkins
from tests.rhythm.test_reading_answers import answer_reminder, passed_on_to, rsvps
from tests.seasons import Week, open_circle, play_week, starts

# --- a reminder answered in everyday words ----------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "answer"),
    [
        ("en", "ya", RsvpAnswer.YES),  # A2
        ("en", "And yes, I will be at the last meeting tomorrow.", RsvpAnswer.YES),
        ("en", "Y. still in community room?", RsvpAnswer.YES),
        ("sw", "Eeh niko ready, tutaonana kesho", RsvpAnswer.YES),  # B4
        (
            "sw",
            "Sitakuwa around kesho, nimepata kibarua ya mjengo. Next week nitakuja",
            RsvpAnswer.NO,
        ),
        ("sw", "Lazima nikuje, ni ya mwisho!", RsvpAnswer.YES),
        ("fr", "je suis malade, je pourrais pas venir demain dsl", RsvpAnswer.NO),
        ("fr", "je vous ai deja dit que je voyage, donc non", RsvpAnswer.NO),
        ("da", "desværre, torsdag kan jeg ikke", RsvpAnswer.NO),  # D8
        ("de", "kann leider nicht, mein enkel hat geburtstag", RsvpAnswer.NO),
        ("de", "komme nicht, muss arbeiten", RsvpAnswer.NO),
        ("de", "ich komme nicht", RsvpAnswer.NO),
        ("de", "komme", RsvpAnswer.YES),
    ],
)
async def test_a_reminder_answered_in_everyday_words_is_noted(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, answer: RsvpAnswer
) -> None:
    """A2, B4, D8: each went to the facilitator as a message, "your answer isn't noted yet",
    and the learner stayed "not answered yet" in the digest."""
    reply = await answer_reminder(chat, core, clock, "Diego", language, typed)
    assert await rsvps(core) == [answer], reply


async def test_a_yes_with_a_question_is_noted_and_the_question_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A2: Odell's "Y. still in community room?"."""
    typed = "Y. still in community room?"
    await answer_reminder(chat, core, clock, "Diego", "en", typed)
    assert await rsvps(core) == [RsvpAnswer.YES]
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice


async def test_a_short_no_with_its_reason_reaches_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D22: "nein bin krank" was noted, and Katrin never heard Emine was ill."""
    reply = await answer_reminder(chat, core, clock, "Diego", "de", "nein bin krank")
    assert await rsvps(core) == [RsvpAnswer.NO]
    assert "weitergegeben" in reply
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert "nein bin krank" in notice


async def test_a_bare_no_with_a_sorry_is_only_the_answer(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await answer_reminder(chat, core, clock, "Diego", "fr", "non désolé")
    assert await rsvps(core) == [RsvpAnswer.NO]
    assert not passed_on_to(await chat.deliver(), "Amina")


# --- a change of mind ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "first", "typed", "answer"),
    [
        (
            "en",
            "yes",
            "Sorry I cannot come today after all. I got a job interview at 3pm",
            RsvpAnswer.NO,
        ),
        ("es", "2", "al final si puedo ir, me cambiaron el turno", RsvpAnswer.YES),  # C3
        ("es", "1", "AMINA HOY NO PUEDO IR ME DUELE LA RODILLA", RsvpAnswer.NO),
    ],
)
async def test_a_change_of_mind_on_the_day_changes_the_answer(
    chat: Chat,
    core: Core,
    clock: FakeClock,
    language: str,
    first: str,
    typed: str,
    answer: RsvpAnswer,
) -> None:
    await answer_reminder(chat, core, clock, "Diego", language, first)
    await chat.deliver()
    clock.set(starts(1) - timedelta(hours=6))
    reply = await chat.say("Diego", typed)
    assert await rsvps(core) == [answer], reply


async def test_a_change_of_mind_while_last_weeks_check_in_waits(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C3: Kwame's "Sorry I cannot come today after all" went to Efua as a message (last
    week's rating still open), and the digest still counted him as coming."""
    await open_circle(chat, core, {"Kwame": True})
    await play_week(chat, core, clock, 1, Week())
    clock.set(starts(2) - timedelta(hours=23))
    await core.tick()
    await chat.deliver()
    assert "see you" in (await chat.say("Kwame", "Yes by Gods grace I will come")).casefold()
    clock.set(starts(2) - timedelta(hours=6))
    typed = "Sorry I cannot come today after all. I got a job interview at 3pm"
    reply = await chat.say("Kwame", typed)
    assert await rsvps(core) == [RsvpAnswer.NO], reply
    assert "miss you" in reply
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice


async def test_an_absence_announced_at_the_check_in_is_the_next_meetings_no(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """B17: Koffi's "je serai pas la mercredi prochain" was filed with his check-in, and he
    was asked again on Tuesday."""
    await open_circle(chat, core, {"Koffi": True})
    await chat.say("Koffi", "/language fr")
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    await chat.say("Koffi", "sa va, javais du mal avec les dictionaires mais Mariam ma aidé")
    typed = "au fait je serai pas la jeudi prochain, je voyage"  # the circle meets on Thursdays
    reply = await chat.say("Koffi", typed)
    assert await rsvps(core) == [RsvpAnswer.NO]
    assert "réunion 2" in reply
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice


# --- a rating in words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "rating"),
    [
        (
            "en",
            "Good afternoon. It was good, four I think. The charts were a little confusing "
            "but Marcus helped me.",
            4,
        ),  # A9
        ("en", "great but we could not read the Spanish letters", 5),  # C5
        ("es", "EXCELENTE PERO LA SALA ESTABA MUY FRIA", 5),
        ("es", "EXCELENTE MIJA GRACIAS POR TODO", 5),
        ("es", "excelente pero muy corta", 5),
        ("es", "REGULAR POR LA RODILLA PERO YA ESTOY MEJOR", 2),
        ("es", "exelente!! x fin entendi lo d los intereses", 5),
        ("de", "super aber bisschen schnell für mich", 5),  # D7
        ("de", "so lala, war ja krank", 2),  # D24
        ("sw", "Ilikuwa ngumu kiasi, hizi formulas za excel zinanichanganya", 2),  # B6
        ("sw", "ngumu kidogo. sikuelewa formula ya SUM kwa excel, naomba Wanjiru anisaidie", 2),
        ("da", "godt, men lidt svært at følge med når alle taler tysk", 4),  # D6
        ("da", "rigtig godt! jeg lærte at bruge tastaturet bedre", 5),
        ("en", "It was hard. The loops confuse me", 1),  # A8: "hard" for "hard going"
    ],
)
async def test_a_rating_in_words_is_noted_said_back_and_kept_as_written(
    chat: Chat,
    core: Core,
    clock: FakeClock,
    shared_catalogs: Catalogs,
    language: str,
    typed: str,
    rating: int,
) -> None:
    """A9, C5, D7: the rating was lost ("send a number from 1 to 5"); B6: it was taken
    silently, "ngumu kidogo" as the lowest; D6: the words were kept cut after the rating."""
    await open_circle(chat, core, {"Mateo": True})
    await chat.say("Mateo", "/language " + language)
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    reply = await chat.say("Mateo", typed)
    [checkin] = await checkins(core)
    assert (checkin.rating, checkin.answer) == (rating, typed), reply
    tr = shared_catalogs.translator(language)
    said_back = tr._(
        "I noted %(rating)d out of 5 for this week: send another number to change it.",
        rating=rating,
    )
    assert reply.startswith(said_back)


async def test_a_rating_said_back_is_changed_by_a_number(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Mateo": True})
    await chat.say("Mateo", "/language sw")
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    await chat.say("Mateo", "vizuri asante")
    await chat.say("Mateo", "3")
    assert [c.rating for c in await checkins(core)] == [3]


@pytest.mark.parametrize(
    ("language", "typed", "rating"),
    [
        ("es", "YA LE DIJE EXCELENTE", 5),  # C5
        ("en", "I ALREADY SAID GOOD", 4),
        ("es", "como ya le dije muy bien", 4),  # the longest ending: muy bien, not bien
        ("en", "it was not good", None),  # turned around: no rating read
        ("fr", "ce n'était pas super", None),
    ],
)
async def test_a_rating_word_ending_a_short_answer_is_the_rating(
    chat: Chat,
    core: Core,
    clock: FakeClock,
    shared_catalogs: Catalogs,
    language: str,
    typed: str,
    rating: int | None,
) -> None:
    """C5: "YA LE DIJE EXCELENTE" (the rating word last) was kept as words and the number asked
    for again."""
    await open_circle(chat, core, {"Mateo": True})
    await chat.say("Mateo", "/language " + language)
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    reply = await chat.say("Mateo", typed)
    [checkin] = await checkins(core)
    assert checkin.rating == rating, reply
    if rating is None:
        return
    assert checkin.answer is None  # no words beside the rating to keep
    said_back = shared_catalogs.translator(language)._(
        "I noted %(rating)d out of 5 for this week: send another number to change it.",
        rating=rating,
    )
    assert reply.startswith(said_back), reply


# --- the digest -------------------------------------------------------------------------------


async def test_the_digest_gives_a_low_rating_in_the_learners_own_scale_word(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A19, D24: "so-so" was reported as "Found it hard last time"."""
    await open_circle(chat, core, {"Odell": True, "Ruth": True})
    await play_week(chat, core, clock, 1, Week())
    await chat.say("Odell", "so-so")
    await chat.say("Ruth", "1")
    digest = await chat.say("Amina", "/digest")
    assert "Low ratings last time: Ruth (1, hard going), Odell (2, so-so)." in digest
    assert "Found it hard" not in digest


# --- Spanish by SMS, without accents ---------------------------------------------------------


@pytest.mark.parametrize(
    ("msgid", "values", "misread"),
    [
        (
            "What you write in check-ins for %(circle)s stays between you and me (your 1-5 "
            "ratings are shared). To let %(names)s read it, send /sharing on.",
            {"circle": "Finanzas personales", "names": "Carmen"},
            ("si se comparten", "entre tu y yo"),
        ),
        ("Welcome! You're here for meeting %(number)d.", {"number": 2}, ("Quedo",)),
        (
            "Lovely. How should it be signed? Send a name, or pick yours. It will say "
            "%(city)s with it, never how to reach you.",
            {"city": "Medellín"},
            ("Ira ",),
        ),
        (
            "Letters travel between circles all over the world: this one is in %(language)s.",
            {"language": "inglés"},
            ("esta esta",),
        ),
    ],
)
def test_a_spanish_text_reads_right_without_its_accents(
    shared_catalogs: Catalogs, msgid: str, values: dict[str, object], misread: tuple[str, ...]
) -> None:
    """C9: folded for a one-part SMS, "sí se comparten" read "if they are shared", "Irá"
    "anger", "Quedó" "I remain"."""
    tr = shared_catalogs.translator("es")
    text = tr._(msgid, **values)
    message = Outbound(Address("sms", "+573001110001"), text)
    [sent] = fit(message, SMS_CAPABILITIES, tr)
    for words in misread:
        assert words not in sent.text


# --- numbers written as words --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "answer"),
    [
        ("es", "UNO", RsvpAnswer.YES),  # C5: "uno" was read as a mistyped "no"
        ("es", "DOS", RsvpAnswer.NO),  # C18: passed on as the message "DOS"
        ("en", "One", RsvpAnswer.YES),
        ("en", "two.", RsvpAnswer.NO),
        ("fr", "deux", RsvpAnswer.NO),
        ("de", "eins", RsvpAnswer.YES),
        ("sw", "mbili", RsvpAnswer.NO),
    ],
)
async def test_a_reminder_answered_with_the_number_in_words(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, answer: RsvpAnswer
) -> None:
    reply = await answer_reminder(chat, core, clock, "Diego", language, typed)
    assert await rsvps(core) == [answer], reply
    assert not passed_on_to(await chat.deliver(), "Amina")


@pytest.mark.parametrize("first", ["2", "no"])
async def test_no_no_then_a_yes_corrects_a_no(
    chat: Chat, core: Core, clock: FakeClock, first: str
) -> None:
    """C5: "NO NO, SI VOY A IR" after a No left the No standing."""
    await answer_reminder(chat, core, clock, "Diego", "es", first)
    assert await rsvps(core) == [RsvpAnswer.NO]
    reply = await chat.say("Diego", "NO NO, SI VOY A IR")
    assert await rsvps(core) == [RsvpAnswer.YES], reply


async def test_uy_no_creo_with_a_reason_is_a_no(chat: Chat, core: Core, clock: FakeClock) -> None:
    """C4: Lucía's "uy no creo, salgo tarde..." went on as a message only, her No not noted."""
    typed = "uy no creo, salgo tarde del trabajo el jueves"
    await answer_reminder(chat, core, clock, "Diego", "es", typed)
    assert await rsvps(core) == [RsvpAnswer.NO]
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice
