"""Command words texted alone by SMS are never passed on to the facilitator: RSVP alone says how
to answer, a command word while "Which circle?" waits asks again, and HELP after STOP says that
texts no longer reach anyone (walkthrough sms 49, 38, 33)."""

from __future__ import annotations

import pytest

from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Outbound
from bot.chat.rendering import fit
from bot.chat.segments import SMS_CAPABILITIES, is_gsm7, sms_segments
from bot.core import Core, plain_text
from locales import LOCALES_DIR
from tests.circles.test_leave_and_default import SECOND_CIRCLE
from tests.conftest import DETROIT_CIRCLE, Chat, code_of


async def _in_two_circles(chat: Chat, core: Core) -> Chat:
    """Amina facilitates both circles on the console; Brian is in both by SMS."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Amina", SECOND_CIRCLE)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for name in ("Python for Everyone", "Digital Skills"):
        await phone.say("Brian", "JOIN " + await code_of(core, name))
        await phone.say("Brian", "SKIP")
        await phone.say("Brian", "2")
    return phone


async def _passed_on(chat: Chat) -> list[str]:
    return [row.payload["text"] for row in await chat.outbox() if row.chat_id == "amina"]


async def test_rsvp_alone_by_sms_says_how_to_answer_and_reaches_no_one(
    chat: Chat, core: Core
) -> None:
    phone = await _in_two_circles(chat, core)
    before = await _passed_on(chat)

    said = await phone.say("Brian", "RSVP")

    assert "RSVP YES" in said
    assert "passed" not in said.casefold()
    assert await _passed_on(chat) == before


async def test_a_command_word_while_which_circle_waits_asks_again(chat: Chat, core: Core) -> None:
    phone = await _in_two_circles(chat, core)
    asked = await phone.say("Brian", "LEAVE")
    assert "Which circle is that for?" in asked
    before = await _passed_on(chat)

    # Impatient, the same word again: the question is asked again, nothing is passed on.
    assert "Which circle is that for?" in await phone.say("Brian", "LEAVE")
    assert await _passed_on(chat) == before
    # And the choices still answer it.
    assert "Leave Python for Everyone?" in await phone.say("Brian", "2")


async def test_help_after_stop_says_texts_still_reach_the_facilitator(
    chat: Chat, core: Core
) -> None:
    """After STOP texts still go on to the facilitator (plain_text._after_stop), who can't
    answer until START: HELP says so (wave 2, C64), never "your texts don't reach Amina"."""
    phone = await _in_two_circles(chat, core)
    await phone.say("Brian", "STOP")

    said = await phone.say("Brian", "HELP")

    assert "Your texts reach" not in said and "don't reach" not in said
    assert "Amina still gets your texts, but can't answer" in said and sms_segments(said) == 1
    assert "START" in said


async def test_help_by_sms_lists_the_main_words_in_the_readers_language(
    chat: Chat, core: Core
) -> None:
    """Walkthrough lang 70: HILFE said who and how to stop, but no word to text (NÄCHSTES,
    BRIEF, PORTFOLIO...); "Welche Wörter kann ich schicken?" went to the facilitator."""
    phone = await _in_two_circles(chat, core)
    await phone.say("Brian", "/language sw")

    replies = await phone.core.handle(phone.inbound("Brian", "MSAADA"), SMS_CAPABILITIES)

    words = replies[-1].text
    assert len(replies) == 2
    assert "HUDHURIA" in words and "BARUA" in words and "MSAADA" in words
    assert "/" not in words
    assert all(sms_segments(reply.text) == 1 for reply in replies)


@pytest.mark.parametrize("locale", ["en", "fr", "es", "de", "sw", "da"])
def test_the_list_of_words_is_one_gsm7_sms_in_every_language(locale: str) -> None:
    tr = Catalogs(LOCALES_DIR).translator(locale)
    words = ", ".join("/" + name for name in plain_text.MAIN_WORDS)
    text = tr._(plain_text.WORDS_SMS, words=words, help="/help")
    [part] = fit(Outbound(Address("sms", "+4512345678"), text), SMS_CAPABILITIES, tr)
    assert is_gsm7(part.text) and sms_segments(part.text) == 1, part.text
    assert "/" not in part.text


async def test_help_by_sms_shows_a_co_facilitator_her_commands(chat: Chat, core: Core) -> None:
    """fac 26: Wanjiru was told "Send HELP to see the facilitator commands", and HELP showed
    only NEXT and STOP."""
    phone = await _in_two_circles(chat, core)
    asked = await chat.say("Amina", "/cofacilitator Brian")
    if "Which circle" in asked:
        assert "co-facilitates" in await chat.say("Amina", "1")

    replies = await phone.core.handle(phone.inbound("Brian", "HELP"), SMS_CAPABILITIES)

    words = replies[-1].text
    assert "ATTENDANCE" in words and "ROSTER" in words and "ANNOUNCE" in words, words
    assert all(sms_segments(reply.text) == 1 for reply in replies)


@pytest.mark.parametrize("locale", ["en", "fr", "es", "de", "sw", "da"])
def test_the_facilitators_words_are_one_gsm7_sms_in_every_language(locale: str) -> None:
    tr = Catalogs(LOCALES_DIR).translator(locale)
    for nameless in (False, True):
        text = plain_text.facilitator_words(tr, nameless)
        [part] = fit(Outbound(Address("sms", "+4512345678"), text), SMS_CAPABILITIES, tr)
        assert is_gsm7(part.text) and sms_segments(part.text) == 1, part.text
