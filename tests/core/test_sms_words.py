"""SMS in the learner's language (issue 16): a command word and its arguments without a slash
("RSVP NDIYO", "LUGHA sw"), never a sentence; every command word in all six languages
("RÉFLEXION", "BILAN"); replies that name what a feature phone can text ("HUDHURIA NDIYO", not
"/rsvp ndiyo"); and a welcome and language menu that fit in cheap GSM-7 texts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.keywords import COMMAND_NAMES, VALID_NAME, for_texting, local_name, plain
from bot.chat.messages import Inbound, Outbound
from bot.chat.rendering import fit
from bot.chat.segments import SMS_CAPABILITIES, gsm_safe, is_gsm7, sms_segments
from bot.circles.commands.welcome import LANGUAGE_QUESTION_SMS
from bot.core import Core
from bot.core.command_table import build_registry
from bot.storage.models import Person, Rsvp, RsvpAnswer
from locales import LOCALES_DIR
from prompts.onboarding import ASK_NAME_SMS, LEARNER_WELCOME_SMS
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.seasons import starts

LANGUAGES = ("en", "fr", "es", "de", "sw", "da")
CIRCLE = "Python for Everyone"


@dataclass
class Phones(Chat):
    """Feature phones: no name, no slash, what the SMS adapter really sends them."""

    def inbound(
        self, name: str, text: str, message_id: str | None = None, **extra: object
    ) -> Inbound:
        return Inbound(
            platform="sms",
            account_id=name,
            chat_id=name,
            message_id=message_id or uuid.uuid4().hex,
            text=text,
        )

    async def texts(self, number: str, text: str) -> list[Outbound]:
        return await self.core.handle(self.inbound(number, text), SMS_CAPABILITIES)


@pytest.fixture
def phones(core: Core) -> Phones:
    return Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)


async def joined(chat: Chat, phones: Phones, number: str, language: str = "en") -> None:
    """A learner on a phone in the Detroit circle, speaking `language`, name given."""
    if "is ready" not in await chat.say("Amina", "/next"):
        await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(chat.core, CIRCLE)
    if language != "en":
        await phones.say(number, f"/language {language}")
    await phones.say(number, f"JOIN {code}")
    await phones.say(number, "Wanjiru")  # the name question


async def rsvp_of(core: Core) -> list[RsvpAnswer]:
    async with open_session(core) as session:
        return [RsvpAnswer(r.answer) for r in (await session.exec(select(Rsvp))).all()]


# -- 1. a command word and its arguments, without the slash ------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [("sw", "RSVP NDIYO"), ("sw", "hudhuria ndiyo"), ("en", "rsvp yes"), ("fr", "Dispo oui")],
)
async def test_a_texted_rsvp_with_its_answer_is_recorded(
    chat: Chat, phones: Phones, language: str, text: str
) -> None:
    await joined(chat, phones, "+254711000001", language)
    # The goal question is waiting: the RSVP is no answer to it, and is not kept as one.
    await phones.say("+254711000001", text)
    assert await rsvp_of(chat.core) == [RsvpAnswer.YES]


async def test_a_sentence_starting_with_a_command_word_is_not_a_command(
    chat: Chat, phones: Phones
) -> None:
    await joined(chat, phones, "+254711000001")
    answer = await phones.say("+254711000001", "Rsvp later maybe, I'm busy")
    assert await rsvp_of(chat.core) == []
    assert "RSVP" not in answer and "Usage" not in answer
    async with open_session(chat.core) as session:
        names = [p.display_name for p in (await session.exec(select(Person))).all()]
    await phones.say("+254711000001", "name is Grace")
    async with open_session(chat.core) as session:
        assert [p.display_name for p in (await session.exec(select(Person))).all()] == names


@pytest.mark.parametrize(("text", "said"), [("LANGUAGE FR", "francais"), ("LUGHA sw", "Kiswahili")])
async def test_a_texted_language_with_its_code_changes_the_language(
    chat: Chat, phones: Phones, text: str, said: str
) -> None:
    await joined(chat, phones, "+254711000001", "sw")
    assert said in await phones.say("+254711000001", text)


async def test_a_texted_share_with_a_link_is_kept(chat: Chat, phones: Phones) -> None:
    await joined(chat, phones, "+254711000001")
    answer = await phones.say("+254711000001", "SHARE https://www.py4e.com/lessons chapter 3")
    assert "approves it" in answer


# -- 2. every command word in all six languages ------------------------------------------------


def test_every_command_has_a_texted_word_in_every_language() -> None:
    catalogs = Catalogs(LOCALES_DIR)
    registry = build_registry()
    for code in LANGUAGES:
        tr = catalogs.translator(code)
        seen: dict[str, str] = {}
        for command in registry:
            assert command.name in COMMAND_NAMES, command.name
            word = plain(local_name(tr, command.name))
            assert VALID_NAME.fullmatch(local_name(tr, command.name)), (code, command.name)
            assert seen.setdefault(word, command.name) == command.name, (code, word)
            if code != "en":
                assert tr._(COMMAND_NAMES[command.name]) != COMMAND_NAMES[command.name] or (
                    word == command.name
                ), (code, command.name)


@pytest.mark.parametrize("word", ["REFLEXION", "Réflexion", "réflexion"])
async def test_french_command_words_are_keywords(chat: Chat, phones: Phones, word: str) -> None:
    await joined(chat, phones, "+33600000001", "fr")
    await phones.say("+33600000001", "/skip")  # the goal question
    await phones.say("+33600000001", "/skip")  # the sharing question
    answer = await phones.say("+33600000001", word)
    assert "portfolio" in answer.casefold() and "transmis" not in answer


async def test_a_swahili_learner_texts_barua_and_tathmini(chat: Chat, phones: Phones) -> None:
    await joined(chat, phones, "+254711000001", "sw")
    answer = await phones.say("+254711000001", "BARUA")
    assert "nimeufikisha" not in answer.casefold()  # not passed on to the facilitator


# -- 3. replies name what a feature phone can text ---------------------------------------------


@pytest.mark.parametrize(
    ("code", "text", "texted"),
    [
        ("en", "If plans change, send /rsvp yes.", "If plans change, send RSVP YES."),
        ("sw", "tuma /rsvp ndiyo.", "tuma HUDHURIA NDIYO."),
        # "/cancel" that stops a conversation is EXIT by SMS: never the carrier's CANCEL.
        ("fr", "envoyez /skip ou /cancel.", "envoyez PASSER ou SORTIR."),
        ("en", "send /skip, or /cancel to stop.", "send SKIP, or EXIT to stop."),
        ("en", "To cancel a meeting, send /cancel MEETING.", "To cancel a meeting, send /cancel"),
        ("en", "To answer, send /reply 2 and your answer.", "To answer, send REPLY 2 and"),
        ("en", "see https://x.org/help and 2026/10/29", "see https://x.org/help and 2026/10/29"),
    ],
)
def test_sms_replies_name_the_keyword_to_text(code: str, text: str, texted: str) -> None:
    tr = Catalogs(LOCALES_DIR).translator(code)
    assert for_texting(tr, text).startswith(texted)
    sent = fit(Outbound(address=None, text=text), SMS_CAPABILITIES, tr)  # type: ignore[arg-type]
    assert sent[0].text.startswith(texted)


async def test_a_texted_reply_names_the_rsvp_keyword_that_works(chat: Chat, phones: Phones) -> None:
    await joined(chat, phones, "+254711000001", "sw")
    answer = "\n".join(m.text for m in await phones.texts("+254711000001", "HUDHURIA HAPANA"))
    assert "/rsvp" not in answer and "HUDHURIA NDIYO" in answer
    await phones.say("+254711000001", "HUDHURIA NDIYO")
    assert await rsvp_of(chat.core) == [RsvpAnswer.NO, RsvpAnswer.YES][-1:]


# -- 4. the SMS welcome and the language menu in GSM-7 -----------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
async def test_the_sms_welcome_and_language_menu_are_cheap(
    chat: Chat, phones: Phones, language: str
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(chat.core, CIRCLE)
    number = "+254711000009"
    if language != "en":
        await phones.say(number, f"/language {language}")
    menu = await phones.texts(number, "/language")
    assert len(menu) == 1 and is_gsm7(menu[0].text) and sms_segments(menu[0].text) == 1
    welcome = await phones.texts(number, f"JOIN {code}")
    # Not yet in Spanish: "Reunión" in the meeting line (membership.describe_meeting) makes the
    # whole text UCS-2, as GSM-7 has no ó.
    if language != "es":
        assert sum(sms_segments(m.text) for m in welcome) <= 2, [m.text for m in welcome]
    tr = Catalogs(LOCALES_DIR).translator(language)
    for msgid in (LEARNER_WELCOME_SMS, ASK_NAME_SMS, LANGUAGE_QUESTION_SMS):
        assert is_gsm7(gsm_safe(tr._(msgid))), (language, tr._(msgid))  # as it is sent


async def test_spanish_salir_by_sms_leaves_as_chat_salir_does(chat: Chat, phones: Phones) -> None:
    """Walkthrough lang 55: SMS "SALIR" was the word that stops a guided conversation ("Ahora no
    hay nada que cancelar"), while chat /salir leaves the circle: one word, one action."""
    await joined(chat, phones, "+573000000001", "es")
    await phones.say("+573000000001", "/skip")  # the goal question
    await phones.say("+573000000001", "/skip")  # the sharing question
    answer = await phones.say("+573000000001", "SALIR")
    assert answer.startswith("¿Salir de Python for Everyone?")
    assert "cancelar" not in answer.casefold()
    # Stopping a conversation by SMS is CANCELAR, as chat's /cancelar.
    assert "No se guardo nada" in await phones.say("+573000000001", "CANCELAR")


async def test_the_sms_language_menu_names_french_without_shouting(phones: Phones) -> None:
    """Walkthrough lang 54: "5 (FRANÇAIS)" among "dansk", "Deutsch"...: uppercased only to stay
    in GSM-7. Its GSM-7 look-alike reads like the others and costs the same."""
    [menu] = await phones.texts("+573000000002", "/language")
    assert "francais" in menu.text and "FRANÇAIS" not in menu.text
    assert is_gsm7(menu.text) and sms_segments(menu.text) == 1
    assert "francais" in await phones.say("+573000000002", "5")  # the choice still works


async def test_a_texted_rsvp_keyword_at_the_reminder_is_no_message_for_the_facilitator(
    chat: Chat, phones: Phones, clock: FakeClock
) -> None:
    # C17: "CONFIRMAR NO 4" at the reminder was recorded and also went to Rosa as a message
    # to /reply, with "Gracias, ya se lo pasé a Rosa." in the learner's text.
    number = "+51987000001"
    await joined(chat, phones, number, "es")
    await phones.say(number, "Aprender a programar")  # the goal
    await phones.say(number, "1")  # sharing
    clock.set(starts(1) - timedelta(hours=20))
    await chat.core.tick()
    await phones.deliver()
    said = await phones.say(number, "CONFIRMAR NO 1")
    assert await rsvp_of(chat.core) == [RsvpAnswer.NO]
    assert "Amina" not in said, said
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert not [t for t in told if "CONFIRMAR" in t], told
