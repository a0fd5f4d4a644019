"""The router's answers to bad input: clear, translated, and changing nothing."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.chat.messages import Capabilities, Inbound
from bot.core import Core
from bot.core.router import MAX_INBOUND_CHARS, clean_text
from bot.storage.models import Account, Circle, InboundReceipt, Membership, Person
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session


async def count(core: Core, model: type) -> int:
    async with open_session(core) as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


async def test_unknown_command_names_the_closest_and_help(chat: Chat) -> None:
    answer = await chat.say("Brian", "/jion ABC")
    assert "I don't know /jion" in answer
    assert "Did you mean /join?" in answer
    assert "/help" in answer


async def test_unknown_command_without_a_close_match_still_points_to_help(chat: Chat) -> None:
    answer = await chat.say("Brian", "/xyzzyplugh")
    assert answer == "I don't know /xyzzyplugh. Send /help to see all commands."


async def test_commands_are_case_insensitive_and_accept_a_bot_suffix(chat: Chat) -> None:
    assert "Here's what you can do" in await chat.say("Brian", "/HELP")
    assert "Here's what you can do" in await chat.say("Brian", "/help@circlebot")


@pytest.mark.parametrize(
    ("text", "usage"),
    [
        ("/join", "Usage: /join CODE\nFor example: /join AB3CD5"),
        ("/help a b", "Usage: /help [COMMAND]\nFor example: /help rsvp"),
    ],
)
async def test_wrong_arguments_give_the_usage_line(chat: Chat, text: str, usage: str) -> None:
    assert await chat.say("Brian", text) == usage


async def test_facilitator_argument_errors_give_usage_and_change_nothing(
    chat: Chat, core: Core
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    assert await chat.say("Amina", "/reschedule two 2026-11-06 18:00") == (
        "Usage: /reschedule MEETING [DATE] [TIME]\nFor example: /reschedule 3 wednesday 18:30"
    )
    answer = await chat.say("Amina", "/reschedule 2 2026-13-45 18:00")
    assert "not a date I can read" in answer
    assert "Usage: /reschedule MEETING [DATE] [TIME]" in answer
    assert "moved" not in await chat.say("Amina", "/schedule")


async def test_a_learner_is_refused_facilitator_commands_naming_the_role(
    chat: Chat, core: Core
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    answer = await chat.say("Brian", "/reschedule 2 friday")
    assert answer == "Only a facilitator or co-facilitator can use /reschedule."
    # A learner's "/cancel 2" means "I can't come" (G4, A47).
    answer = await chat.say("Brian", "/cancel 2")
    assert answer.startswith("Can't make it to meeting 2? Send /rsvp no 2")
    assert "cancelled" not in await chat.say("Brian", "/schedule")


async def test_member_commands_explain_how_to_join_first(chat: Chat) -> None:
    answer = await chat.say("Brian", "/next")
    assert "You're not in a circle yet" in answer
    assert "/join" in answer


async def test_an_oversize_message_is_politely_refused_and_not_stored(
    chat: Chat, core: Core
) -> None:
    answer = await chat.say("Brian", "/newcircle name=" + "x" * MAX_INBOUND_CHARS)
    assert "too long" in answer
    assert await count(core, Person) == 0
    assert await count(core, InboundReceipt) == 0


async def test_a_resent_message_is_answered_once(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    inbound = chat.inbound("Brian", "/join " + code, message_id="update-42")
    first = await core.handle(inbound, chat.capabilities)
    again = await core.handle(inbound, chat.capabilities)
    assert "Welcome" in first[0].text
    assert again == []
    assert len(await chat.deliver()) == 1  # the facilitator heard about Brian once


async def test_a_failing_handler_apologises_rolls_back_and_keeps_serving(
    chat: Chat, core: Core, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")

    def broken(*args: object) -> str:
        raise RuntimeError("database on fire")

    from bot.circles.commands import membership

    original = membership.describe_meeting
    monkeypatch.setattr(membership, "describe_meeting", broken)
    with caplog.at_level(logging.ERROR, logger="bot.core.router"):
        answer = await chat.say("Brian", "/join " + code)
    assert answer.startswith("Sorry, something went wrong on my side")
    assert any("handler failed" in record.message and record.exc_info for record in caplog.records)
    assert "/join" in caplog.text
    # Nothing half-written: no person, account or membership for Brian, no notification.
    assert await count(core, Membership) == 1
    assert await count(core, Account) == 1
    assert await chat.outbox() == []

    monkeypatch.setattr(membership, "describe_meeting", original)
    assert "Welcome to Python for Everyone" in await chat.say("Brian", "/join " + code)


async def test_plain_text_outside_a_conversation_reaches_the_facilitator(
    chat: Chat, core: Core
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Brian", "/skip")
    answer = await chat.say("Brian", "hello?")  # Brian is in a circle: a message to Amina
    assert answer.startswith("Thanks, I've passed that on to Amina.")
    # The sharing question the skip brought is still open, and he is told so.
    assert answer.endswith("Reply 1 for Yes, share or 2 for No, keep private.")


async def test_an_empty_or_non_text_message_gets_an_answer(chat: Chat) -> None:
    assert "only read text" in await chat.say("Brian", "   ")


def test_clean_text_drops_control_characters_but_keeps_emoji_and_accents() -> None:
    assert clean_text("Ama\x00ni\x07 👩🏽‍💻") == "Amani 👩🏽‍💻"
    assert clean_text("Cafe\u0301") == "Café"  # NFC
    assert clean_text("\ufeffline one\r\nline two") == "line one\nline two"


async def test_odd_unicode_in_names_and_fields_is_stored_intact(chat: Chat, core: Core) -> None:
    answer = await chat.say(
        "Zoë 🌍",
        '/newcircle name="Ç\x00afé ✨ 学习" course="Español básico" venue="Bibliothèque" '
        "city=Zürich country=CH zone=Europe/Zurich start=2026-11-02 time=18:30",
    )
    assert "Çafé ✨ 学习 is ready" in answer
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
        person = (await session.exec(select(Person))).one()
    assert circle.name == "Çafé ✨ 学习"
    assert person.display_name == "Zoë 🌍"


async def test_help_lists_what_each_role_may_run(chat: Chat, core: Core) -> None:
    newcomer = await chat.say("Brian", "/help")
    assert "/join CODE" in newcomer
    assert "/roster" not in newcomer
    await chat.say("Amina", DETROIT_CIRCLE)
    facilitator = await chat.say("Amina", "/help all")
    assert "/roster" in facilitator
    assert "/reschedule MEETING [DATE] [TIME]" in facilitator
    assert "/cofacilitator NAME" in facilitator
    one = await chat.say("Amina", "/help reschedule")
    assert one.startswith("/reschedule MEETING [DATE] [TIME]\nMove one meeting")


async def test_start_with_a_code_joins_like_a_deep_link(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    assert "Welcome to Python for Everyone" in await chat.say("Brian", "/start " + code)


async def test_a_number_picks_the_choice_last_offered(chat: Chat) -> None:
    start = await chat.say("Brian", "/start")
    assert "2 for See all commands" in start
    assert "Here's what you can do" in await chat.say("Brian", "2")
    # Choices answer only the next message: a later "2" is just text.
    later = await chat.say("Brian", "2")
    assert "I didn't catch that" in later and "Here's what you can do" not in later


async def test_a_bot_suffix_on_an_unknown_command_is_not_echoed(chat: Chat) -> None:
    answer = await chat.say("Brian", "/nxt@circlebot")
    assert answer.startswith("I don't know /nxt. Did you mean /next?")


async def test_any_whitespace_separates_a_command_from_its_arguments(chat: Chat) -> None:
    assert (await chat.say("Brian", "/help\tjoin")).startswith("/join CODE\n")


async def test_huge_numbers_get_the_usage_line_not_an_apology(chat: Chat) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    # Too big for any row, yet a meeting number: "no meeting N" (walkthrough A7).
    assert (await chat.say("Amina", "/cancel 99999999999999999999")).startswith(
        "There is no meeting 99999999999999999999. This circle has meetings 1 to 6."
    )
    assert "There is no meeting 9999" in await chat.say("Amina", "/cancel 9999")


async def test_cancel_with_a_meeting_number_mid_conversation_cancels_the_meeting(
    chat: Chat, core: Core
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/newcircle")
    await chat.say("Amina", "Second circle")
    assert "Cancel meeting 4" in await chat.say("Amina", "/cancel 4")
    assert "Meeting 4 is cancelled" in await chat.say("Amina", "yes")
    # The guided questions carry on where they were.
    assert "web address" in await chat.say("Amina", "Some course")


async def test_someone_without_a_platform_name_is_not_named_by_their_number(
    chat: Chat, core: Core
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    sms = Inbound(
        platform="sms",
        account_id="+254700123456",
        chat_id="+254700123456",
        message_id="SM1",
        text="/join " + code,
    )
    await core.handle(sms, chat.capabilities)
    roster = await chat.say("Amina", "/roster")
    assert "A newcomer (no name yet), learner (SMS)" in roster
    assert "254700123456" not in roster


# --- Someone with no circle yet ---------------------------------------------------------------


async def phone(core: Core, text: str, number: str = "+254700000009") -> str:
    """The bot's answer to a text from a basic phone (no name, only the number)."""
    inbound = Inbound(platform="sms", account_id=number, chat_id=number, message_id=text, text=text)
    replies = await core.handle(inbound, Capabilities(max_text_length=459))
    return "\n".join(reply.text for reply in replies)


@pytest.mark.parametrize("text", ["hi", "Hello!", "help", "how do I join?"])
async def test_a_newcomer_saying_hello_is_told_how_to_join_or_start_a_circle(
    chat: Chat, text: str
) -> None:
    answer = await chat.say("Zawadi", text)
    assert "didn't catch" not in answer and "/next" not in answer
    assert "/join" in answer and "code" in answer and "/newcircle" in answer


async def test_a_newcomer_saying_habari_is_told_in_swahili(chat: Chat) -> None:
    # Her greeting shows her language (B1): the welcome comes in it.
    answer = await chat.say("Zawadi", "Habari")
    assert "didn't catch" not in answer and "Hi, welcome!" not in answer
    assert "/jiunge" in answer and "/kikundipya" in answer, answer


@pytest.mark.parametrize("text", ["hi", "Hello", "how do I join?"])
async def test_a_newcomer_texting_hello_is_told_the_words_to_text(core: Core, text: str) -> None:
    answer = await phone(core, text)
    assert "didn't catch" not in answer and "NEXT" not in answer and "/next" not in answer
    assert "JOIN" in answer and "code" in answer and "NEWCIRCLE" in answer
    assert len(answer) <= 160  # one SMS


async def test_other_words_from_a_newcomer_still_say_what_to_do_next(chat: Chat) -> None:
    answer = await chat.say("Zawadi", "4")
    assert "I didn't catch that." in answer and "/next" not in answer
    assert "/join" in answer and "/newcircle" in answer


async def test_start_from_a_member_speaks_about_their_circle(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Brian", "/skip")
    answer = await chat.say("Brian", "/start")
    assert "Got a join code" not in answer and "/newcircle" not in answer
    assert "Python for Everyone" in answer
    assert "Meeting 1 of 6: Thursday, October 29, 2026 at 6:00 PM (EDT)" in answer
    assert "/next" in answer and "/checkin" in answer
    # The facilitator hears about running it.
    answer = await chat.say("Amina", "/start")
    assert "Python for Everyone" in answer and "Meeting 1 of 6" in answer
    assert "/invite" in answer and "/attendance" in answer
    assert "Got a join code" not in answer


async def test_start_from_a_member_of_two_circles_names_both(chat: Chat, core: Core) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Wanjiru", DETROIT_CIRCLE.replace("Python for Everyone", "Second Circle"))
    await chat.say("Brian", "/join " + await code_of(core, "Second Circle"))
    answer = await chat.say("Brian", "/start")
    assert "Python for Everyone" in answer and "Second Circle" in answer


# --- /cancel with nothing going on ------------------------------------------------------------


async def test_cancel_after_a_conversation_has_ended_says_there_is_nothing_to_cancel(
    chat: Chat,
) -> None:
    await chat.say("Wanjiru", "/newcircle")
    assert "Nothing was saved" in await chat.say("Wanjiru", "/cancel")
    answer = await chat.say("Wanjiru", "/cancel")
    assert "nothing to cancel" in answer and "stopped" not in answer
    assert "nothing to cancel" in await chat.say("Wanjiru", "cancel")


async def test_cancel_by_a_facilitator_with_nothing_going_on_says_how_to_cancel_a_meeting(
    chat: Chat,
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    answer = await chat.say("Amina", "/cancel")
    assert "nothing to cancel" in answer and "/cancel MEETING" in answer
