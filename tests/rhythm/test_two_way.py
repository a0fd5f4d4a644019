"""A facilitator and a learner writing to each other: /announce shows the message and asks
before it reaches everyone; a learner's words reach the facilitators numbered, and /reply N
answers that person privately, by a number, never by their phone number or account."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Inbound, Outbound
from bot.core import Core
from bot.storage.models import CheckIn, OutboxMessage
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"
NEWS = "Bring your laptops on Thursday, the library wifi is back."
PHONE = "+254700000001"
SMS = Capabilities(max_text_length=459)


async def join(chat: Chat, core: Core, name: str) -> None:
    """`name` joins and skips the welcome's two questions (the goal, and sharing)."""
    assert "Welcome" in await chat.say(name, "/join " + await code_of(core, CIRCLE))
    asked = await chat.say(name, "/skip")  # by text, Amina is named (sms 35)
    assert "May your facilitator read" in asked or "May Amina read" in asked, asked
    assert "skipped" in await chat.say(name, "/skip")


async def detroit(chat: Chat, core: Core, *learners: str) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    for name in learners:
        await join(chat, core, name)
    await chat.deliver()  # the join notices


async def queued(core: Core, kind: str) -> list[OutboxMessage]:
    async with open_session(core) as session:
        rows = await session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(col(OutboxMessage.id))
        )
        return list(rows.all())


def to(sent: list[Outbound], chat_id: str) -> list[str]:
    return [message.text for message in sent if message.address.chat_id == chat_id]


# --- /announce asks first ---------------------------------------------------------------------


async def test_announce_shows_the_message_and_sends_it_only_when_told(
    chat: Chat, core: Core
) -> None:
    await detroit(chat, core, "Brian", "Chen")
    shown = await chat.say("Amina", f"/announce {NEWS}")
    assert shown == (
        f"{CIRCLE}, from Amina:\n{NEWS}\n\n"
        "Send this to 2 members?\nReply 1 for Send or 2 for Don't send."
    )
    assert await queued(core, "announcement") == []  # nothing has gone yet
    assert await chat.say("Amina", "1") == "Sent to 2 members: 2 by console."
    sent = await chat.deliver()
    for learner in ("brian", "chen"):
        [text] = to(sent, learner)
        assert text.startswith(f"{CIRCLE}, from Amina:\n{NEWS}")


async def test_dont_send_sends_nothing(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian")
    await chat.say("Amina", f"/announce {NEWS}")
    assert await chat.say("Amina", "Don't send") == "OK, I haven't sent it."
    await chat.say("Amina", "/announce Second thoughts.")
    assert await chat.say("Amina", "no") == "OK, I haven't sent it."
    assert await queued(core, "announcement") == []
    assert to(await chat.deliver(), "brian") == []


async def test_an_unclear_answer_shows_the_message_again(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian")
    await chat.say("Amina", f"/announce {NEWS}")
    again = await chat.say("Amina", "what?")
    assert "then send /announce with the new words" in again  # how to change it
    assert f"{CIRCLE}, from Amina:\n{NEWS}\n\nSend this to 1 member?" in again
    assert "Sent to 1 member" in await chat.say("Amina", "send")


async def test_the_days_limit_is_checked_again_when_sending(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Amina has four announcements out and a fifth waiting for her yes; meanwhile Dede, who
    co-facilitates, sends one. Amina's yes is then one too many: nothing goes."""
    await detroit(chat, core, "Brian", "Dede")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Dede")
    for n in range(4):
        await chat.say("Amina", f"/announce News {n}.")
        assert "Sent to" in await chat.say("Amina", "1")
        clock.advance(timedelta(minutes=10))
    await chat.say("Amina", "/announce One more thing.")
    await chat.say("Dede", "/announce From Dede.")
    assert "Sent to" in await chat.say("Dede", "1")
    answer = await chat.say("Amina", "1")
    assert "has had 5 announcements in the last day" in answer
    texts = [row.payload["text"] for row in await queued(core, "announcement")]
    assert not any("One more thing." in text for text in texts)


# --- two-way messages ---------------------------------------------------------------------------


async def test_a_facilitator_answers_the_learner_who_wrote(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian", "Chen")
    assert await chat.say("Brian", "Is there parking near the library?") == (
        "Thanks, I've passed that on to Amina."
    )
    [forwarded] = to(await chat.deliver(), "amina")
    assert forwarded == (
        "Brian wrote about Python for Everyone:\nIs there parking near the library?\n"
        "(To answer, send /reply 1 and your answer.)"
    )
    answer = await chat.say("Amina", "/reply 1 Yes, behind the building, and it's free.")
    assert answer == "I've sent your answer to Brian."
    sent = await chat.deliver()
    assert to(sent, "brian") == [
        # Her question's first words say what it answers (only she reads them).
        'Amina (your facilitator) replied to your message "Is there parking near the '
        "library?\":\nYes, behind the building, and it's free.\n"
        "(Reply here and I'll pass it on to Amina.)"
    ]
    assert to(sent, "chen") == []  # only the person who wrote
    # Brian's answer goes back to Amina, numbered in turn.
    assert "passed that on to Amina" in await chat.say("Brian", "Thanks!")
    [back] = to(await chat.deliver(), "amina")
    assert back == (
        "Brian replied about Python for Everyone:\nThanks!\n"
        "(To answer, send /reply 2 and your answer.)"
    )


async def test_reply_asks_for_the_answer_when_it_is_not_given(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian")
    await chat.say("Brian", "I will be late on Tuesday")
    assert await chat.say("Amina", "/reply 1") == (
        "What would you like to say to Brian? (Send /cancel to stop.)"
    )
    assert await chat.say("Amina", "No problem, see you there!") == (
        "I've sent your answer to Brian."
    )
    [answer] = to(await chat.deliver(), "brian")
    assert "No problem, see you there!" in answer
    # The conversation is over: Amina's next words are no answer to anyone.
    await chat.say("Amina", "hello")
    assert to(await chat.deliver(), "brian") == []


async def test_an_sms_learner_is_answered_without_their_number_ever_shown(
    chat: Chat, core: Core
) -> None:
    """Grace texts from a basic phone: SMS gives no name, only her number."""
    await detroit(chat, core)

    async def texted(text: str) -> str:
        inbound = Inbound(
            platform="sms", account_id=PHONE, chat_id=PHONE, message_id=uuid.uuid4().hex, text=text
        )
        return "\n".join(reply.text for reply in await core.handle(inbound, SMS))

    assert "Welcome" in await texted("JOIN " + await code_of(core, CIRCLE))
    for _ in range(3):  # her name, her goal, sharing
        await texted("SKIP")
    assert "passed that on to Amina" in await texted("Can I bring my daughter?")
    [forwarded] = [text for text in to(await chat.deliver(), "amina") if "texted" in text]
    assert "Can I bring my daughter?" in forwarded and "/reply 1" in forwarded
    assert PHONE not in forwarded and "254700000001" not in forwarded
    assert await chat.say("Amina", "/reply 1 Of course, she's welcome.") == (
        "I've sent your answer to A newcomer (no name yet)."
    )
    phones = Chat(core, platform="sms", capabilities=SMS)
    [answer] = await phones.deliver()
    assert answer.address.chat_id == PHONE
    assert answer.text.startswith(
        'Amina (your facilitator) replied to your message "Can I bring my daughter?":\n'
        "Of course, she's welcome."
    )


async def test_reply_to_a_number_that_is_no_message(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian")
    assert await chat.say("Amina", "/reply 7 Hello") == (
        "I can't find message 7 from Python for Everyone. Its number is at the end of the "
        "message I passed on to you."
    )


async def test_reply_to_someone_who_has_left(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian")
    await chat.say("Brian", "I think this circle isn't for me.")
    await chat.say("Brian", "/leave")
    assert "You've left" in await chat.say("Brian", "1")
    # Just gone: her goodbye reaches him, and his answer to it comes back (G4, C23: as he
    # is told, "Reply here and I'll pass it on").
    assert await chat.say("Amina", "/reply 1 Sorry to see you go!") == (
        "I've sent your answer to Brian.\n"
        "Brian left Python for Everyone on Tuesday, October 20, 2026: this reached them as a "
        "goodbye. If they answer it, I'll pass it on to you."
    )
    assert "pass it on to Amina" in to(await chat.deliver(), "brian")[-1]
    assert "passed that on to Amina" in await chat.say("Brian", "Thank you Amina!")


async def test_a_learner_cannot_reply_for_the_facilitator(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Brian", "Is there parking?")
    answer = await chat.say("Chen", "/reply 1 No idea, sorry")
    assert answer == "Only a facilitator or co-facilitator can use /reply."


async def test_skip_instead_of_the_answer_sends_nothing(chat: Chat, core: Core) -> None:
    await detroit(chat, core, "Brian")
    await chat.say("Brian", "I will be late on Tuesday")
    await chat.deliver()
    assert "What would you like to say to Brian?" in await chat.say("Amina", "/reply 1")
    assert await chat.say("Amina", "/skip") == "OK, I haven't sent anything."
    assert to(await chat.deliver(), "brian") == []


async def test_words_passed_on_keep_the_reminders_yes_and_no(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough: after replying to an announcement, "yes I'll come" to a reminder was passed
    on, and the "1" after it too; no RSVP was kept."""
    from tests.seasons import starts

    await detroit(chat, core, "Brian")
    await chat.say("Amina", f"/announce {NEWS}")
    await chat.say("Amina", "1")
    await chat.deliver()
    assert "passed that on" in await chat.say("Brian", "Is there parking?")
    clock.set(starts(1) - timedelta(hours=23))
    await core.tick()
    [reminder] = to(await chat.deliver(), "brian")
    assert "Reply 1 for Yes or 2 for No." in reminder
    assert "passed that on" in await chat.say("Brian", "I'll try to make it")
    assert "see you at meeting 1" in await chat.say("Brian", "1")


async def test_a_number_after_the_facilitators_answer_rates_the_week_still_open(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A10: a learner asks during her check-in, the facilitator answers (/reply), then she
    sends the rating the bot asked for: it is the week's rating, never "Nothing is waiting"."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await detroit(chat, core)
    phones = Chat(core, platform="sms", capabilities=SMS)
    assert "Welcome" in await phones.say(PHONE, "JOIN " + await code_of(core, CIRCLE))
    await phones.say(PHONE, "To use a computer at work.")
    await phones.say(PHONE, "1")  # shares her words
    clock.set(datetime(2026, 10, 30, 14, 5, tzinfo=UTC))
    await core.tick()
    assert "Reply 1 (hard going) to 5 (great)" in (await phones.deliver())[-1].text
    asked = await phones.say(PHONE, "I had a cold. Can I still come next week? Did I miss much?")
    assert "passed that on to Amina" in asked and "send a number from 1 to 5" in asked
    await chat.deliver()
    assert "sent your answer" in await chat.say("Amina", "/reply 1 Of course! See you then.")
    assert "Of course! See you then." in (await phones.deliver())[-1].text
    assert (await phones.say(PHONE, "3")).startswith("Thanks, got it!")
    async with open_session(core) as session:
        assert [c.rating for c in (await session.exec(select(CheckIn))).all()] == [3]


async def test_an_answer_whose_emoji_cost_an_sms_learner_more_says_so(
    chat: Chat, core: Core
) -> None:
    """Walkthrough 11 (C29): one smiley in a facilitator's answer made it UCS-2, two texts
    instead of one for a learner on a prepaid phone, and nobody said so."""
    await detroit(chat, core)
    phones = Chat(core, platform="sms", capabilities=SMS)
    assert "Welcome" in await phones.say(PHONE, "JOIN " + await code_of(core, CIRCLE))
    await phones.say(PHONE, "/skip")
    await phones.say(PHONE, "/skip")
    await phones.say(PHONE, "Is the class still in room 2 tomorrow?")
    await chat.deliver()
    plain = await chat.say("Amina", "/reply 1 Yes, room 2 as always, see you tomorrow at six")
    assert "emoji" not in plain
    with_smiley = await chat.say(
        "Amina", "/reply 1 Yes, room 2 as always, see you tomorrow at six \U0001f642"
    )
    assert "Sent. By SMS the emoji made it 3 texts instead of 2 for" in with_smiley, with_smiley


async def test_i_can_come_on_the_new_day_of_a_moved_meeting_is_a_yes(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough 11 (A19): after meeting 1 moved to Friday, "Oh good, I can come on Friday!"
    was passed on but not noted: the digest had no yes and the reminder asked again. Said
    of another day, it is only passed on."""
    from datetime import UTC, datetime

    clock.set(datetime(2026, 10, 26, 12, tzinfo=UTC))
    await detroit(chat, core, "Brian", "Chen")
    assert "Meeting 1 is now Friday" in await chat.say("Amina", "/reschedule 1 2026-10-30 18:00")
    await chat.deliver()
    said = await chat.say("Brian", "Oh good, I can come on Friday!")
    assert "passed that on to Amina" in said, said
    assert "I've noted that you're coming to meeting 1, Friday, October 30, 2026" in said, said
    other = await chat.say("Chen", "I can come on Monday if that helps")
    assert "noted" not in other, other
    assert "Coming so far: 1 yes, 0 no." in await chat.say("Amina", "/digest")
