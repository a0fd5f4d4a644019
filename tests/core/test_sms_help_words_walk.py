"""Kisumu walkthrough, everything by SMS: HELP's words typed one letter off, HELP asked in a
sentence, a lone "?", and the words that stop everything, asked about."""

from __future__ import annotations

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_sms_words import Phones

PHONE = "+254700000011"
LEARNER = "+254700000012"
NEW_PHONE = "+254700000013"


async def _co_facilitator_by_sms(chat: Chat, core: Core) -> Chat:
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    await chat.say("Brian", "/join " + code)
    for typed in ("JOIN " + code, "SKIP", "SKIP", "/name Akinyi"):
        await phones.say(PHONE, typed)
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Akinyi")
    await chat.deliver()
    return phones


async def _learner_by_sms(chat: Chat, core: Core) -> Chat:
    phones = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for typed in ("JOIN " + code, "SKIP", "SKIP"):
        await phones.say(LEARNER, typed)
    await chat.deliver()
    return phones


async def test_a_keyword_one_letter_off_runs_with_its_words(chat: Chat, core: Core) -> None:
    """sms 31: ATTENDENCE, "anounce tomorrow bring earphones" got "I didn't catch that"."""
    phones = await _co_facilitator_by_sms(chat, core)
    asked = await phones.say(PHONE, "anounce tomorrow bring earphones")
    assert asked.startswith("Python for Everyone, from Akinyi:\ntomorrow bring earphones"), asked
    attendance = await phones.say(PHONE, "ATTENDENCE")
    assert attendance == await phones.say(PHONE, "ATTENDANCE")
    assert "didn't catch" not in attendance


async def test_help_asked_in_a_sentence_gets_the_help_answer_too(chat: Chat, core: Core) -> None:
    """sms 33: only passed on to the facilitators; the learner was left not knowing what to
    send."""
    phones = await _learner_by_sms(chat, core)
    said = await phones.say(LEARNER, "I need help please, I do not understand what to send to you")
    assert "passed that on" in said
    assert "Words you can text" in said, said
    await phones.say(LEARNER, "LUGHA sw")
    said = await phones.say(LEARNER, "Msaada tafadhali, sielewi nitume nini")
    assert "MSAADA" in said and "HUDHURIA" in said, said


async def test_a_lone_question_mark_is_asking_what_to_do(chat: Chat, core: Core) -> None:
    """sms 35: "?" went to both facilitators as a message, two paid texts."""
    phones = await _learner_by_sms(chat, core)
    for asked in ("?", "??", "what?"):
        said = await phones.say(LEARNER, asked)
        assert "passed that on" not in said
        assert "Words you can text" in said, said
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]


async def test_quit_inside_newcircle_says_the_set_up_was_dropped(core: Core) -> None:
    """sms 43: QUIT in the set-up stopped every message, and said nothing of the set-up."""
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await phones.say(NEW_PHONE, "NEWCIRCLE")
    stopped = await phones.say(NEW_PHONE, "quit")
    assert "You won't get any more messages from me" in stopped
    assert "EXIT" in stopped and "START" in stopped and "set-up" in stopped, stopped


async def test_help_about_the_stop_words(core: Core) -> None:
    """sms 46: HELP STOP got "I don't know a command called STOP"; HELP CANCEL showed a slash."""
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await phones.say(NEW_PHONE, "HELP")
    for word in ("STOP", "QUIT", "CANCEL"):
        told = await phones.say(NEW_PHONE, "HELP " + word)
        assert "don't know a command" not in told, told
        assert "stop" in told.casefold() and "START" in told, told
        assert "/" not in told, told
    cancel = await phones.say(NEW_PHONE, "HELP CANCEL")
    assert "CANCEL and its number" in cancel, cancel


async def test_a_new_line_said_in_words_points_to_newnumber(chat: Chat, core: Core) -> None:
    """sms 26: "nimebadilisha line, namba mpya ni 0733000004" was passed on, with nothing about
    NEWNUMBER (NAMBAMPYA)."""
    phones = await _learner_by_sms(chat, core)
    await phones.say(LEARNER, "LUGHA sw")
    said = await phones.say(LEARNER, "nimebadilisha line, namba mpya ni 0733000004")
    assert "NAMBAMPYA 0733000004" in said, said
    said = await phones.say(LEARNER, "LANGUAGE en")
    said = await phones.say(LEARNER, "I changed my line, my new number is 0733 000 004")
    assert "NEWNUMBER 0733 000 004" in said, said


async def test_a_word_with_an_ending_is_no_typo(chat: Chat, core: Core) -> None:
    """A word with an ending ("Named") is no NAME typed one letter off: a sentence, passed on."""
    phones = await _learner_by_sms(chat, core)
    said = await phones.say(LEARNER, "Named after my grandma")
    assert "passed that on" in said, said


async def test_forgot_is_never_read_as_forget(chat: Chat, core: Core) -> None:
    """Review: "Forgot" (one letter off FORGET) offered to delete everything."""
    phones = await _learner_by_sms(chat, core)
    said = await phones.say(LEARNER, "Forgot")
    assert "delete" not in said.casefold(), said


async def test_stop_in_another_question_says_no_set_up_was_dropped(chat: Chat, core: Core) -> None:
    """Review: STOP while LEAVE asked its yes or no said "the set-up was dropped"."""
    phones = await _learner_by_sms(chat, core)
    await phones.say(LEARNER, "LEAVE")
    said = await phones.say(LEARNER, "STOP")
    assert "set-up" not in said, said
