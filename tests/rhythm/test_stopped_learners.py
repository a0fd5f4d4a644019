"""A learner who texted STOP gets nothing from the bot: /roster says so, /reply says so instead
of "I couldn't reach her just now" (as if trying again would help), and the list of learners
of one name marks her, by the same rule as the digest (bot.dialogue.members.stopped)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlmodel import select

from bot.chat.messages import Capabilities
from bot.core import Core
from bot.delivery.kinds import MessageKind
from bot.dialogue import members
from bot.storage.models import Account, OutboxMessage, Person
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.rhythm.test_reply_names import EVENINGS, SECOND_CIRCLE, joined

DETROIT = "Python for Everyone"
PHONE = "+254700000001"
STOPPED_REPLY = (
    "Mercy sent STOP, so my messages don't reach them, and I haven't sent anything. They can "
    "text START to get messages again."
)


@pytest.fixture
def phones(core: Core) -> Chat:
    return Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))


async def mercy_by_sms(chat: Chat, phones: Chat, core: Core, circle: str = DETROIT) -> None:
    """Mercy joins `circle` from a basic phone and tells it her name."""
    assert "Welcome" in await phones.say(PHONE, "JOIN " + await code_of(core, circle))
    await phones.say(PHONE, "/skip")
    await phones.say(PHONE, "/skip")
    assert "Mercy" in await phones.say(PHONE, "NAME Mercy")


async def replies_queued(core: Core) -> list[OutboxMessage]:
    async with open_session(core) as session:
        rows = await session.exec(
            select(OutboxMessage).where(OutboxMessage.kind == MessageKind.FACILITATOR_REPLY)
        )
        return list(rows.all())


async def test_the_roster_says_who_sent_stop(chat: Chat, phones: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await joined(chat, core, "Brian", DETROIT)
    await mercy_by_sms(chat, phones, core)
    assert "Text START" in await phones.say(PHONE, "STOP")

    roster = await chat.say("Amina", "/roster")
    assert "2. Brian, learner (console)\n" in roster
    assert "3. Mercy, learner (SMS): sent STOP, so my messages don't reach them\n" in roster
    assert roster.endswith("Anyone who sent STOP can text START to get messages again.")

    await phones.say(PHONE, "START")
    back = await chat.say("Amina", "/roster")
    assert "3. Mercy, learner (SMS)" in back and "STOP" not in back


async def test_the_roster_gives_the_words_a_spanish_texter_was_told(
    chat: Chat, phones: Chat, core: Core
) -> None:
    """Walk (smses 7): Ernesto texted ALTO and was told EMPEZAR; Lucía's roster told her
    "START"."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/edit language es")  # a circle that speaks Spanish
    await chat.say("Amina", "1")
    await chat.say("Amina", "/language es")
    await phones.say(PHONE, "UNIRME " + await code_of(core, DETROIT))
    await phones.say(PHONE, "/skip")
    await phones.say(PHONE, "/skip")
    await phones.say(PHONE, "NOMBRE Ernesto")
    assert "EMPEZAR" in await phones.say(PHONE, "ALTO")
    roster = await chat.say("Amina", "/roster")
    assert roster.endswith(
        "Quien envió ALTO puede enviar EMPEZAR para volver a recibir mensajes."
    ), roster


async def test_reply_to_a_learner_who_sent_stop_says_it_cannot_reach_her(
    chat: Chat, phones: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await mercy_by_sms(chat, phones, core)
    assert "passed that on to Amina" in await phones.say(PHONE, "I will be late on Thursday")
    await phones.say(PHONE, "STOP")
    await chat.deliver()

    # Before: "Sorry, I couldn't reach Mercy just now." (as if it might work later).
    assert await chat.say("Amina", "/reply 1 No problem, see you then.") == STOPPED_REPLY
    assert await chat.say("Amina", "/reply Mercy Hello!") == STOPPED_REPLY
    # Not asked for words that can't be sent either.
    assert await chat.say("Amina", "/reply Mercy") == STOPPED_REPLY
    assert await replies_queued(core) == []


async def test_reply_after_the_learner_stopped_meanwhile(
    chat: Chat, phones: Chat, core: Core
) -> None:
    """Asked for her words, then Mercy sends STOP before the facilitator writes them."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await mercy_by_sms(chat, phones, core)
    assert "say to Mercy?" in await chat.say("Amina", "/reply Mercy")
    await phones.say(PHONE, "STOP")
    assert await chat.say("Amina", "See you Thursday!") == STOPPED_REPLY
    assert await replies_queued(core) == []


async def test_the_choice_of_learners_of_one_name_marks_who_sent_stop(
    chat: Chat, phones: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Amina", SECOND_CIRCLE)
    await mercy_by_sms(chat, phones, core, DETROIT)
    await joined(chat, core, "Mercy", EVENINGS)  # another Mercy, on the console
    await phones.say(PHONE, "STOP")

    asked = await chat.say("Amina", "/reply Mercy")
    assert asked.startswith("Which Mercy do you mean?")
    assert f"Mercy in {DETROIT} (sent STOP)" in asked
    assert f"Mercy in {EVENINGS}" in asked
    assert f"Mercy in {EVENINGS} (sent STOP)" not in asked


async def test_one_rule_stop_with_another_account_still_reached(
    chat: Chat, phones: Chat, core: Core
) -> None:
    """Who stopped texts but has another account messages reach is not named as stopped."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await mercy_by_sms(chat, phones, core)
    await phones.say(PHONE, "STOP")
    async with open_session(core) as session:
        found = await session.exec(select(Person.id).where(Person.display_name == "Mercy"))
        mercy = found.one()
        assert mercy is not None
        assert await members.stopped(session, [mercy]) == [mercy]
        now = datetime(2026, 10, 1, tzinfo=UTC)
        session.add(
            Account(
                person_id=mercy,
                platform="console",
                external_id="mercy",
                address="mercy",
                created_at=now,
                last_seen_at=now,
            )
        )
        await session.commit()
        assert await members.stopped(session, [mercy]) == []
    assert "STOP" not in await chat.say("Amina", "/roster")
