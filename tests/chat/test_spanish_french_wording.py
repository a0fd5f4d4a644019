"""Natural Spanish and French where the walkthrough stumbled (lang 3, 7, 12, 18, 19, 20): a goal
acknowledged by name, weekdays written in full in a sentence ("al martes", never "al mar,"), a
known name without a gender-split role word beside it, presence noted, attendance closed with
everyday words, and French elision before a name ("de la part d'Amélie")."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.core import Core
from bot.storage.models import Attendance
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.rhythm.test_rhythm import MEETING_1, count, start_circle
from tests.rhythm.test_two_way import to

CIRCLE = "Python for Everyone"
LOCALES = Path(__file__).parents[2] / "locales"


async def test_the_goal_is_acknowledged_by_name(chat: Chat, core: Core) -> None:
    """lang 3: "te la recordaré" had no "meta" to refer to."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for name, language, thanks in (
        ("Diego", "es", "Gracias, te recordaré tu meta cerca del final."),
        ("Luc", "fr", "Merci, je vous rappellerai votre objectif vers la fin."),
    ):
        await chat.say(name, "/language " + language)
        await chat.say(name, "/join " + code)
        assert (await chat.say(name, "Aprender a programar.")).startswith(thanks)


async def test_a_moved_meeting_names_its_weekdays_in_full(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 7: "cambió al mar, 22 dic" read "moved to the sea"."""
    await start_circle(chat, core, "Diego", "Luc")
    await chat.say("Diego", "/language es")
    await chat.say("Luc", "/language fr")
    await chat.deliver()
    await chat.say("Amina", "/reschedule 3 2026-11-10 18:30")
    sent = await chat.deliver()
    [spanish] = to(sent, "diego")
    assert "cambió al martes, 10 nov, 18:30 (antes era el jueves, 12 nov, 18:00)" in spanish
    [french] = to(sent, "luc")
    assert "déplacée au mardi 10 nov., 18:30 (au lieu du jeudi 12 nov., 18:00)" in french
    # The same day, another time: the day in full too.
    clock.advance(timedelta(minutes=11))  # a change of its own, not gathered with the first
    await chat.say("Amina", "/reschedule 4 2026-11-19 19:00")
    [spanish] = to(await chat.deliver(), "diego")
    assert "jueves, 19 de noviembre" in spanish and "jue," not in spanish


async def test_a_facilitators_answer_names_her_without_a_split_role_word(
    chat: Chat, core: Core
) -> None:
    """lang 12: "Amélie (votre animateur·rice) a répondu", "votre animateur.rice" by SMS."""
    await start_circle(chat, core, "Diego", "Luc")
    await chat.say("Diego", "/language es")
    await chat.say("Luc", "/language fr")
    await chat.say("Diego", "¿Hay estacionamiento cerca?")
    await chat.say("Luc", "Y a-t-il un parking ?")
    await chat.deliver()
    await chat.say("Amina", "/reply 1 Sí, detrás de la biblioteca.")
    await chat.say("Amina", "/reply 2 Oui, derrière la bibliothèque.")
    sent = await chat.deliver()
    assert to(sent, "diego")[0].startswith(
        "Amina, que facilita tu círculo, respondió a tu mensaje «¿Hay estacionamiento cerca?»:\n"
    )
    assert to(sent, "luc")[0].startswith(
        "Amina, qui anime votre cercle, a répondu à votre message « Y a-t-il un parking ? » :\n"
    )


# Messages that name a person beside the role they hold: the role in words that need no
# gender split ("qui anime", "cofacilita"), since the name is known.
NAMED_WITH_A_ROLE = (
    "%(name)s (your facilitator) replied:\n%(text)s",
    "%(facilitator)s now leads %(circle)s, and %(previous)s stays on as co-facilitator. Your "
    "messages reach them both.",
    "%(name)s isn't a co-facilitator.",
    "%(name)s isn't a co-facilitator. Make them one first with /cofacilitator %(name)s, then "
    "hand the circle over.",
    "OK, %(name)s still co-facilitates %(circle)s.",
    "%(name)s is a learner in %(circle)s now.",
    "%(name)s helps run %(circle)s. Make them a learner first with /cofacilitator remove %(name)s.",
    "Only %(name)s, who facilitates %(circle)s, can use /%(command)s there.",
    "%(facilitator)s has made you a co-facilitator of %(circle)s. Send /help to see the "
    "facilitator commands.",
    "%(name)s said yes from %(number)s: I'll text them there from now on.",
)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_no_split_role_word_beside_a_known_name(language: str) -> None:
    with (LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    for msgid in NAMED_WITH_A_ROLE:
        message = catalog.get(msgid)
        assert message is not None and message.string, msgid
        for split in ("·", "/a ", "/a.", "(a)", "·e"):
            assert split not in message.string, (msgid, message.string)


async def test_presence_is_noted_in_french(chat: Chat, core: Core, clock: FakeClock) -> None:
    """lang 18: "Vous êtes là pour la réunion 1" read like "you are there for meeting 1"."""
    await start_circle(chat, core, "Fatou")
    await chat.say("Fatou", "/language fr")
    clock.set(MEETING_1 + timedelta(minutes=5))
    assert await chat.say("Fatou", "/here") == (
        "Bienvenue ! Votre présence à la réunion 1 est notée."
    )


@pytest.mark.parametrize(
    ("language", "closing"),
    [("fr", "c'est bon"), ("fr", "terminé"), ("es", "ya"), ("es", "ya está"), ("en", "ok")],
)
async def test_attendance_closes_with_everyday_words(
    chat: Chat, core: Core, clock: FakeClock, language: str, closing: str
) -> None:
    """lang 19: only the one word ("fini", "listo") closed the sheet."""
    await start_circle(chat, core, "Fatou", "Luc")
    clock.set(MEETING_1 + timedelta(hours=1))
    await chat.say("Amina", "/language " + language)
    await chat.say("Amina", "/attendance")
    assert "[x] 1. Fatou" in await chat.say("Amina", "1")
    saved = await chat.say("Amina", closing)
    assert "1" in saved and "2" in saved and "[ ]" not in saved, saved
    assert await count(core, Attendance) == 1
    # Closed: a number now ticks nobody.
    assert await chat.say("Amina", "2") != saved
    assert await count(core, Attendance) == 1


async def test_french_elides_de_before_a_name(chat: Chat, core: Core) -> None:
    """lang 20: "de la part de Amélie"."""
    assert "is ready" in await chat.say("Amélie", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    await chat.say("Luc", "/language fr")
    await chat.say("Luc", "/join " + code)
    await chat.say("Luc", "/skip")
    await chat.say("Luc", "/skip")
    await chat.deliver()
    assert "Send this to" in await chat.say("Amélie", "/announce Merci à tous !")
    await chat.say("Amélie", "1")
    [announcement] = to(await chat.deliver(), "luc")
    assert ", de la part d'Amélie :\nMerci à tous !" in announcement


def test_elision_only_before_a_vowel_and_only_in_french() -> None:
    catalogs = Catalogs(LOCALES)
    french, spanish = catalogs.translator("fr"), catalogs.translator("es")
    said = "%(circle)s, from %(name)s:\n%(text)s"
    for name, written in (
        ("Amélie", "d'Amélie"),
        ("Omar", "d'Omar"),
        ("Luc", "de Luc"),
        ("Hugo", "de Hugo"),
    ):
        assert f"de la part {written} :" in french._(said, circle="C", name=name, text="t")
    assert "d'Amélie" not in spanish._(said, circle="C", name="Amélie", text="t")
