"""Guided conversations are declared (registry.Flow): the command that starts each, the states it
can wait in, what /skip does in each, and how long it waits. The router reads only the
declarations: a confirmation forgotten after an hour, /skip refused where a state declares no
skip (the flow still waiting), and each state answered by its own step."""

from __future__ import annotations

from datetime import timedelta

from bot.core import Core
from bot.core.command_table import build_registry
from bot.dialogue.registry import CONFIRMATION_TIMEOUT
from tests.circles.test_leave_and_default import ASKED, join, member
from tests.conftest import DETROIT_CIRCLE, Chat, FakeClock

CANT_SKIP = "This question can't be skipped: answer it, or send /cancel to stop."


def test_every_flow_declares_its_entry_states_and_timeout() -> None:
    registry = build_registry()
    for flow in registry.flows.values():
        assert flow.states, flow.name
        assert len({state.name for state in flow.states}) == len(flow.states), flow.name
        assert flow.timeout <= timedelta(hours=24), flow.name
        # Begun by a command, or by a question the bot sends (entry left empty).
        assert not flow.entry or registry.get(flow.entry) is not None, flow.name
    confirmations = {"cancel-meeting", "close-circle", "delete-circle", "forget", "leave"}
    confirmations.add("announce")
    assert {f.name for f in registry.flows.values() if f.timeout == CONFIRMATION_TIMEOUT} >= (
        confirmations
    )


async def test_a_confirmation_is_forgotten_after_an_hour(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    assert await chat.say("Brian", "/leave") == ASKED
    clock.advance(CONFIRMATION_TIMEOUT + timedelta(minutes=1))
    late = await chat.say("Brian", "yes")
    assert "still in" not in late and "You've left" not in late
    assert (await member(core, "Brian")).left_at is None  # a stale "yes" decides nothing
    # Within the hour, it is still waiting.
    assert await chat.say("Brian", "/leave") == ASKED
    clock.advance(CONFIRMATION_TIMEOUT - timedelta(minutes=1))
    await chat.say("Brian", "1")
    assert (await member(core, "Brian")).left_at is not None


async def test_skip_is_refused_where_the_question_cant_be_skipped_and_the_flow_waits(
    chat: Chat, core: Core
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    assert await chat.say("Brian", "/leave") == ASKED
    assert await chat.say("Brian", "/skip") == CANT_SKIP
    assert await chat.say("Brian", "2") == "Good, you're still in Python for Everyone."


async def test_newcircle_skips_only_its_optional_questions(chat: Chat) -> None:
    await chat.say("Dana", "/newcircle")
    refused = await chat.say("Dana", "/skip")  # the circle's name: asked again
    assert "can't skip it" in refused and "What's the circle called?" in refused
    assert "Which online course" in await chat.say("Dana", "Evening Python")
    assert "web address" in await chat.say("Dana", "Python for Everybody")
    assert "Where will you meet" in await chat.say("Dana", "/skip")  # the link is optional


async def test_a_conversation_begun_before_states_were_declared_carries_on(
    chat: Chat, core: Core
) -> None:
    """A newcircle conversation stored by the previous version ("asking") still answers."""
    from bot.storage.models import Conversation
    from tests.database import open_session

    await chat.say("Dana", "/newcircle")
    async with open_session(core) as session:
        from sqlmodel import select

        conversation = (await session.exec(select(Conversation))).one()
        data = dict(conversation.data)
        data["asking"] = data.pop("state")
        conversation.data = data
        session.add(conversation)
        await session.commit()
    assert "Which online course" in await chat.say("Dana", "Evening Python")


async def test_a_flow_another_command_replaces_is_not_dropped_silently(
    chat: Chat, core: Core
) -> None:
    """Walkthrough: Zoe's /newcircle conversation vanished when she ran /leave."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    await chat.say("Brian", "/newcircle")
    assert "stopped" not in await chat.say("Brian", "/next")  # begins no flow: still waiting
    asked = await chat.say("Brian", "/leave")
    assert asked.startswith(ASKED)
    assert "stopped what we were doing with /newcircle" in asked
