"""A learner's own words quoted back to her: never with a doubled full stop ('online.". How
close', walkthrough sms 15), and by SMS only their beginning, so the look back at her goal and
the survey question after it each come as one short text, not three segments (sms 18, lang
23)."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, gsm_safe, sms_segments
from bot.core import Core
from bot.network.survey import AFTER_THE_END
from tests.conftest import Chat, code_of
from tests.network.test_survey import TWO_WEEKS
from tests.seasons import Week, open_circle, play_week, starts

GOAL = (
    "I have a small shop in Kisumu and I want to learn to use the computer for my accounts, "
    "to write letters to my suppliers and to read my M-Pesa statements, because my children "
    "laugh at me when I ask them for help every time."
)
REVIEW = (
    "About my goal: I can now read my M-Pesa statements and I wrote one letter to a supplier "
    "with the computer at the library, but the accounts are still hard for me and I need more "
    "practice with the spreadsheet. So I am half way."
)


async def texted(core: Core, sms: Chat, text: str) -> list[str]:
    """What Halima's phone shows, text by text (split as the SMS gateway sends them)."""
    return [m.text for m in await core.handle(sms.inbound("Halima", text), SMS_CAPABILITIES)]


async def sent_to(core: Core, chat: Chat, sms: Chat) -> dict[str, list[str]]:
    before = len(chat.sent), len(sms.sent)
    await core.dispatch({"console": chat, "sms": sms})
    got: dict[str, list[str]] = {}
    for message in chat.sent[before[0] :] + sms.sent[before[1] :]:
        got.setdefault(message.address.chat_id, []).append(message.text)
    return got


def cost(text: str) -> int:
    return sms_segments(gsm_safe(text))


async def test_the_look_back_and_the_survey_quote_her_words_short_by_sms(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    sms = Chat(core, platform="sms")
    await texted(core, sms, "JOIN " + await code_of(core, "Python for Everyone"))
    await texted(core, sms, GOAL)
    await texted(core, sms, "2")  # keep my answers private
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))

    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    sent = await sent_to(core, chat, sms)
    # Brian's goal ends with a full stop: the sentence's own comes after the quote, once.
    [brian] = [text for text in sent["brian"] if "How close did you get?" in text]
    assert 'you said: "To learn Python with others". How close' in brian
    [halima] = [text for text in sent["halima"] if "How close did you get?" in text]
    assert GOAL[:40] in halima and GOAL not in halima and '..."' in halima
    assert cost(halima) == 1

    await texted(core, sms, REVIEW)
    clock.set(starts(2) + timedelta(hours=2) + AFTER_THE_END)
    await core.tick()
    await sent_to(core, chat, sms)
    thanked = await texted(core, sms, "4")  # the course's rating
    # One text: thanks, the beginning of her goal (never her look-back as if it were the
    # goal: B10), the next question and its choices.
    [text] = thanked
    assert 'Your goal at the start was: "I have a small shop' in text and REVIEW not in text
    assert "recommend Python for Everybody" in text and "Reply 1 for Yes or 2 for No." in text
    assert cost(text) <= 2


async def test_the_whole_words_are_quoted_where_texts_cost_nothing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    await chat.deliver()
    await chat.say("Brian", REVIEW)
    clock.set(starts(2) + timedelta(hours=2) + AFTER_THE_END)
    await core.tick()
    await chat.deliver()
    # The goal set at joining, whole; never the look-back as if it were the goal (B10).
    said = await chat.say("Brian", "4")
    assert 'Your goal at the start was: "To learn Python with others",' in said
    assert REVIEW.removesuffix(".") not in said


async def test_the_spanish_survey_question_after_her_look_back_is_one_text(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough lang 23: "¡Gracias!", the quote and the question, then "Responde 1 (Sí) o 2
    (No)." came as three texts (Spanish is UCS-2: 67 characters a segment)."""
    await open_circle(chat, core, {}, TWO_WEEKS + " language=es")
    sms = Chat(core, platform="sms")
    await texted(core, sms, "JOIN " + await code_of(core, "Python for Everyone"))
    await texted(core, sms, "Quiero aprender a programar para mi trabajo.")
    await texted(core, sms, "2")
    clock.set(starts(2) - timedelta(days=2))
    await core.tick()
    await sent_to(core, chat, sms)
    await texted(
        core, sms, "pues mas o menos, ya entiendo los ciclos pero me cuestan las funciones"
    )
    clock.set(starts(2) + timedelta(hours=2))
    await core.tick()
    clock.set(starts(2) + timedelta(hours=2) + AFTER_THE_END)
    await core.tick()
    await sent_to(core, chat, sms)
    [text] = await texted(core, sms, "5")
    assert text.startswith(
        '¡Gracias! Al comienzo tu meta era: "Quiero aprender a programar para mi trabajo"'
    )
    assert text.endswith("Responde 1 (Si) o 2 (No).")
