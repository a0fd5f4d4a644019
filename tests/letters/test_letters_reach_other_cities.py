"""Letters between cities (group G7): a letter reaches the circles of a facilitator who took
its circle over later (D34, D49), "Århus" is "Aarhus" (D28), the facilitator is told when no
letter could come (D47, A32, C36), and the note about a letter in another language is true
(D49, B20)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.core import Core
from bot.letters import letters
from bot.letters.matching import city_key
from bot.letters.relay import _none_in_its_language
from bot.storage.models import Circle, Letter, LetterStatus, Meeting
from tests.conftest import Chat, code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    NAIROBI,
    NAIROBI_FIRST,
    TEXT,
    approved_letter,
    detroit,
    drain,
    letters_in,
    write,
)
from tests.letters.test_thanks_in_words import PHONE, letters_read_in_nairobi
from tests.letters.test_walkthrough_letters import first_meeting, relaying
from tests.network.test_survey import TWO_WEEKS, end_the_circle
from tests.seasons import Week, checkin_due, open_circle, play_week


async def test_a_letter_reaches_the_circles_of_one_who_took_its_circle_over(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """D34: Mette learned in Lena's Leipzig circle and took it over; her Aarhus circles never
    got Lena's letter. Only whoever set the circle up keeps its letters away from her own."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    clock.advance(timedelta(days=1))  # Dede joins the next day, to learn
    await chat.say("Dede", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Dede", "/skip")
    await chat.say("Amina", "/cofacilitator Dede")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    [letter] = await letters_in(core)
    await chat.say("Amina", f"/letters approve {letter.id}")
    await chat.say("Amina", "/handover Dede")
    await chat.say("Amina", "1")
    assert "is ready" in await chat.say("Dede", NAIROBI)  # Dede's own circle, far away
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    await drain(chat)

    sent = await first_meeting(core, chat, clock, NAIROBI_FIRST)
    assert [m for m in sent if m.address.chat_id == "otieno" and TEXT in m.text]
    assert (await letters_in(core))[0].deliveries == 1


async def test_the_facilitator_hears_when_no_letter_could_come(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """D47, C36: a first meeting went by with no letter, and nobody said so."""
    core, chat = relaying(sqlite_engine, clock)
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    await drain(chat)
    clock.set(NAIROBI_FIRST - timedelta(hours=2))
    await core.tick()
    told = [m.text for m in await drain(chat) if m.address.chat_id == "wanjiru"]
    # It says what the letters are (she may never have heard of them) and which circle it
    # means (A4, B2, D3), and nothing reads as a failure she should act on.
    assert (
        "Learners finishing a circle in another city sometimes write a letter of encouragement "
        "for a new circle's first meeting. None is waiting for Digital Skills this time: "
        "nothing to read out, nothing to do."
    ) in told, told


def test_a_letter_in_the_circles_language_is_never_said_missing(
    shared_catalogs: Catalogs,
) -> None:
    """D49: "No letters in German were waiting this time" above a German letter, with a
    Danish one after it; B20: "none in French was waiting" when one was, from the same town."""
    hamburg = Circle.model_construct(
        name="Coding Club", city="Hamburg", country_code="DE", language="de"
    )
    now = datetime(2027, 3, 12, 18, 0, tzinfo=UTC)
    first = Meeting(circle_id=1, number=1, starts_at=now, ends_at=now)

    def letter(language: str) -> Letter:
        return Letter(
            circle_id=2,
            signature="Lena",
            city="Leipzig",
            country_code="DE",
            language=language,
            text="Hallo!",
            created_at=now,
        )

    tr = shared_catalogs.translator("en")
    both = letters.Arrival(hamburg, first, [letter("de"), letter("da")])
    assert _none_in_its_language(tr, both) == [
        "One of them is in another language, untranslated, as its writer wrote it. Perhaps "
        "someone in your group can read it."
    ]
    danish = letters.Arrival(hamburg, first, [letter("da")])
    [said] = _none_in_its_language(tr, danish)
    assert said.startswith("No letter in German could come to you this time, so one comes")
    assert "waiting" not in said
    assert not _none_in_its_language(tr, letters.Arrival(hamburg, first, [letter("de")]))


def test_a_city_is_the_same_spelled_without_its_letters() -> None:
    """D28: Søren's "Århus" and Mette's "Aarhus" were two towns."""
    assert city_key("Århus") == city_key("Aarhus") == city_key("AARHUS, Midtjylland")
    assert city_key("Köln") == city_key("Koeln")
    assert city_key("København") == city_key("Kobenhavn")
    assert city_key("Leipzig") != city_key("Aarhus")


async def test_a_thank_you_with_words_carries_them_to_the_writer(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """D35: "/danke tusind tak Søren! ..." answered with a usage line; the writer only ever
    heard "a person says thanks"."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    letter = await approved_letter(core, chat, clock, "Brian")
    await first_meeting(core, chat, clock, NAIROBI_FIRST)
    clock.advance(timedelta(days=3))
    said = await chat.say("Wanjiru", "/thanks asante sana Brian! we read your letter aloud 😊")
    assert said == "Your thanks is on its way to Brian.", said
    clock.advance(timedelta(hours=12))  # by day in Detroit
    await core.tick()
    told = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert any(
        "wrote back to your letter" in text
        and "asante sana Brian! we read your letter aloud" in text
        for text in told
    ), told
    # A number still thanks that letter, words or not.
    assert "already thanked" not in await chat.say("Otieno", f"/thanks {letter.id}")
    assert "Usage" not in await chat.say("Otieno", f"/thanks {letter.id} asante!")


async def test_a_rejection_by_mistake_is_caught_or_undone(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D36: "sorry, falscher Knopf! der Brief ist super" was sent to the author as the
    reason, and /letters approve then said the letter had already been reviewed."""
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    [letter] = await letters_in(core)
    await drain(chat)
    await chat.say("Amina", f"/letters reject {letter.id}")
    caught = await chat.say("Amina", "sorry, wrong button! the letter is great")
    assert caught.startswith(
        "That sounds like the wrong button, so I haven't rejected letter 1: it's still "
        "waiting for review."
    ), caught
    assert "Approve letter #1" in caught
    assert not [m for m in await drain(chat) if m.address.chat_id == "brian"]
    await chat.say("Amina", f"/letters reject {letter.id}")
    assert "Send it?" in await chat.say("Amina", "It names your street")
    assert "rejected" in await chat.say("Amina", "1")
    assert "approved: it joins the pool" in await chat.say("Amina", f"/letters approve {letter.id}")
    told = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert told[-1].startswith("Your letter is approved!"), told
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.POOLED and not letter.reject_reason


async def test_an_approval_with_a_friendly_word_is_taken(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """D62: "ok approve, nice one jonas" to "Reply 1 for Approve letter #6 or 2 for Reject
    letter 6": "Sorry, I didn't catch that"."""
    await detroit(chat, core, "Brian", "Dede")
    await chat.say("Amina", "/cofacilitator Dede")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await drain(chat)
    said = await chat.say("Amina", "ok approve, nice one brian")
    assert said == "Letter 1 is approved: it joins the pool.", said
    await write(chat, "Dede", "Hello from Detroit again, a second letter for you all.")
    await drain(chat)
    assert "approved" not in await chat.say("Amina", "don't approve, it names a street?")


async def test_thanks_naming_the_writer_reach_her_after_another_question(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """C27, D38: "GRACIAS WANJIRU DESDE LIMA!! AQUI HACE CALOR TAMBIEN" after CARTA 1 had
    asked something else went to the facilitator; "TAK! hilsen fra Aarhus" too."""
    core, chat = relaying(sqlite_engine, clock)
    sms = await letters_read_in_nairobi(core, chat, clock, "Brian")
    await sms.say(PHONE, "CARTA 1")  # the letter's thank-you choice is gone
    await drain(chat)
    said = await sms.say(PHONE, "GRACIAS BRIAN DESDE NAIROBI!! AQUI HACE CALOR")
    assert said == "Tu agradecimiento va en camino a Brian.", said
    [to_brian] = [m for m in await drain(chat) if m.address.chat_id == "brian"]
    assert '"GRACIAS BRIAN DESDE NAIROBI!! AQUI HACE CALOR"' in to_brian.text
    await sms.say(PHONE, "CARTA 1")
    said = await sms.say(PHONE, "GRACIAS! saludos de Nairobi")
    assert said == "Tu agradecimiento va en camino a Brian.", said


async def test_courses_count_finished_circles_and_three_raters_at_least(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """B11, D41: /courses listed circles after one week as "already taken", "rated 4.0/5"
    from one or two learners' weekly ratings."""
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Dana")))
    clock.set(checkin_due(1) + timedelta(hours=1))
    await chat.say("Brian", "4")
    await chat.say("Dana", "5")
    assert "No circle has taken a course yet" in await chat.say("Zoe", "/courses")
    await end_the_circle(chat, core, clock)
    listed = await chat.say("Zoe", "/courses python")
    assert "Python for Everybody (en): 1 circle" in listed, listed
    assert "rated" not in listed, listed
