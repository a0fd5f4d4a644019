"""Issue 16: don Ernesto and Grace run their circles by SMS only. The words HELP shows for a
facilitator's command, with its sub-command word and arguments ("LISTADO cupo 12", "EDITAR
lugar ...", "CANCELAR 3 FERIADO", "RECORDATORIOS 24h 1h", "COFACILITADOR Julian", "LISTING
ON"), run it, in the reader's language and in English: never "I didn't catch that", nor passed
on as a message."""

from __future__ import annotations

import re

import pytest

from bot.chat import keywords
from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.dialogue.registry import Access
from tests.conftest import Chat, code_of
from tests.core.test_facilitator_by_sms import FACILITATOR, LEARNER, circle_run_by_sms
from tests.core.test_several_circles import SECOND_CIRCLE
from tests.core.test_sms_words import Phones

NOT_UNDERSTOOD = ("No te entendi", "I didn't catch that")


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


@pytest.mark.parametrize(
    ("language", "texted", "answered"),
    [
        ("es", "LISTADO CUPO 1", "ahora admite 1 "),
        ("es", "LISTADO cupo 12", "ahora admite 12 participantes"),
        ("es", "LISTADO ACTIVAR", "ahora es publico"),
        ("es", "LISTING ON", "ahora es publico"),
        ("es", "EDITAR LUGAR MERCADO 1 DE SURQUILLO, PUESTO 46", "MERCADO 1 DE SURQUILLO"),
        ("es", "EDITAR lugar Mercado 1 de Surquillo, puesto 46", "cambia de lugar"),
        ("es", "CANCELAR 3 FERIADO", "¿Cancelar la reunion 3 "),
        ("es", "RECORDATORIOS 24h 1h", "24 horas"),
        ("es", "COFACILITADOR Wanjiru", "Wanjiru"),
        ("es", "AGREGARREUNION 4 de febrero 18:00", "Agregué la reunion 7"),
        ("en", "LISTING CAPACITY 12", "takes 12 learners now"),
        ("en", "LISTING ON", "is listed now"),
        ("en", "EDIT VENUE Main Library, Room 2", "Main Library, Room 2"),
        ("en", "CANCEL 3 snow day", "Cancel meeting 3 "),
        ("en", "REMINDERS 24h 1h", "24 hours"),
        ("en", "COFACILITATOR Wanjiru", "Wanjiru"),
        ("en", "ADDMEETING february 4 6pm", "Meeting 7 is added"),
    ],
)
async def test_a_facilitators_command_texted_with_its_words(
    chat: Chat, phones: Phones, clock: FakeClock, language: str, texted: str, answered: str
) -> None:
    await circle_run_by_sms(chat, phones, clock, language)
    answer = await phones.say(FACILITATOR, texted)
    assert answered in answer, answer
    passed_on = [m.text for m in await phones.deliver() if m.address.chat_id == LEARNER]
    assert not any(texted in text for text in passed_on), passed_on


@pytest.mark.parametrize("language", ["es", "en"])
async def test_every_facilitator_commands_help_example_runs_by_sms(
    chat: Chat, core: Core, phones: Phones, clock: FakeClock, language: str
) -> None:
    await circle_run_by_sms(chat, phones, clock, language)
    tr = core.catalogs.translator(language)
    stop_asking = keywords.first_word(tr, keywords.EXIT)
    tried = []
    for command in core.registry:
        if command.access < Access.FACILITATOR or not (command.args or command.subcommands):
            continue
        word = keywords.command_word(tr, command.name) or "/" + command.name
        helped = await phones.say(FACILITATOR, f"{keywords.first_word(tr, keywords.HELP)} {word}")
        example = re.search(r"(?:Por ejemplo|For example): (.+)", helped)
        if example is None or example[1].startswith("/"):
            continue  # no example, or one that keeps its slash (CANCEL is the carrier's)
        answer = await phones.say(FACILITATOR, example[1])
        assert not answer.startswith(NOT_UNDERSTOOD), (example[1], answer)
        await phones.say(FACILITATOR, stop_asking)  # a confirmation asked: not this test's
        tried.append(example[1])
    assert len(tried) > 10, tried


async def test_a_command_with_its_words_while_a_learners_message_waits(
    chat: Chat, phones: Phones, clock: FakeClock
) -> None:
    await circle_run_by_sms(chat, phones, clock, "es")
    await phones.say(LEARNER, "Hola profe, hoy llego un poco tarde por el trabajo")
    await phones.deliver()  # to don Ernesto's phone, with how to answer it (RESPONDER)
    answer = await phones.say(FACILITATOR, "LISTADO CUPO 12")
    assert "ahora admite 12 participantes" in answer, answer


async def test_listing_on_from_a_facilitator_learning_in_another_circle(
    chat: Chat, core: Core, phones: Phones, clock: FakeClock
) -> None:
    """Grace runs her circle and learns in Peter's: LISTING ON, as the bot told her, is her
    circle's command, never a message in Peter's inbox."""
    await circle_run_by_sms(chat, phones, clock, "en")
    await chat.say("Peter", SECOND_CIRCLE)
    for said in ("JOIN " + await code_of(core, "Digital Skills"), "SKIP", "SKIP"):
        await phones.say(FACILITATOR, said)
    await chat.deliver()
    assert "is listed now" in await phones.say(FACILITATOR, "LISTING ON")
    assert not [m for m in await chat.deliver() if m.address.chat_id == "peter"]


async def test_a_learners_sentence_starting_with_a_facilitators_word_is_passed_on(
    chat: Chat, phones: Phones, clock: FakeClock
) -> None:
    await circle_run_by_sms(chat, phones, clock, "en")
    said = await phones.say(LEARNER, "Reminders come too late for me, can you send them earlier")
    assert "passed that on" in said, said
