"""A facilitator hears about joins gathered, not one message per learner: the first join at
once, and the joins of the next few minutes together in one message that names them (and
counts the rest when there are many)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.circles.join_notices import NAME_WAIT
from bot.core import Core
from bot.storage.models import OutboxMessage, OutboxStatus
from tests.conftest import DETROIT_CIRCLE, T0, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS

CIRCLE = "Python for Everyone"
WINDOW = timedelta(minutes=10)  # how long joins are gathered before they are told


async def open_circle(chat: Chat, core: Core) -> str:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    return await code_of(core, CIRCLE)


async def join(chat: Chat, code: str, *names: str) -> None:
    for name in names:
        assert "Welcome" in await chat.say(name, f"/join {code}")


async def to_amina(chat: Chat) -> list[str]:
    """Run the dispatcher once: what Amina received."""
    return [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]


async def notices(core: Core) -> list[OutboxMessage]:
    async with open_session(core) as session:
        rows = await session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "member-joined")
            .order_by(col(OutboxMessage.id))
        )
        return list(rows.all())


async def test_one_join_is_told_at_once(chat: Chat, core: Core) -> None:
    code = await open_circle(chat, core)
    await join(chat, code, "Brian")
    assert await to_amina(chat) == ["Brian joined Python for Everyone. That's 1 learner now."]


async def test_thirty_joins_reach_the_facilitator_as_two_messages(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A join code shared with a class: the first join is told at once, the next 29 in one
    message at the end of the few minutes they came in, not 29 more messages."""
    code = await open_circle(chat, core)
    await join(chat, code, "Brian")
    received = await to_amina(chat)
    others = ["Chen", "Dede", "Esi"] + [f"Learner{n:02d}" for n in range(4, 30)]
    for name in others:  # one every ten seconds, the dispatcher running in between
        clock.advance(timedelta(seconds=10))
        await join(chat, code, name)
        received += await to_amina(chat)
    assert received == ["Brian joined Python for Everyone. That's 1 learner now."]
    clock.set(T0 + WINDOW)
    received += await to_amina(chat)
    assert received == [
        "Brian joined Python for Everyone. That's 1 learner now.",
        "29 people joined Python for Everyone: Chen, Dede, Esi, and 26 others. "
        "That's 30 learners now.",
    ]
    clock.advance(timedelta(days=1))
    assert await to_amina(chat) == []


async def test_joins_before_the_notice_went_out_are_named_in_it(chat: Chat, core: Core) -> None:
    code = await open_circle(chat, core)
    await join(chat, code, "Brian", "Chen", "Dede", "Esi")
    assert await to_amina(chat) == [
        "4 people joined Python for Everyone: Brian, Chen, Dede, and Esi. That's 4 learners now."
    ]
    assert len(await notices(core)) == 1


async def test_many_joins_while_no_dispatcher_runs_make_one_waiting_notice(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core)
    await join(chat, code, "Brian")
    await to_amina(chat)
    for n in range(40):
        clock.advance(timedelta(seconds=1))
        await join(chat, code, f"Learner{n:02d}")
    assert len(await notices(core)) == 2  # Brian's, sent; and one for the 40
    clock.advance(WINDOW)
    assert await to_amina(chat) == [
        "40 people joined Python for Everyone: Learner00, Learner01, Learner02, and "
        "37 others. That's 41 learners now."
    ]


async def test_a_join_after_the_notice_went_out_never_changes_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core)
    await join(chat, code, "Brian")
    await to_amina(chat)
    clock.advance(timedelta(minutes=3))
    await join(chat, code, "Chen")
    sent, waiting = await notices(core)
    assert sent.status == OutboxStatus.SENT
    assert sent.payload["text"] == "Brian joined Python for Everyone. That's 1 learner now."
    # Told ten minutes after the last notice went out.
    assert waiting.next_attempt_at == T0 + WINDOW
    clock.set(T0 + WINDOW)
    assert await to_amina(chat) == ["Chen joined Python for Everyone. That's 2 learners now."]
    # A quiet while later, a join is told at once again.
    clock.advance(WINDOW + timedelta(minutes=1))
    await join(chat, code, "Dede")
    assert await to_amina(chat) == ["Dede joined Python for Everyone. That's 3 learners now."]


async def test_a_notice_being_sent_is_left_alone(chat: Chat, core: Core) -> None:
    """A dispatcher has claimed Brian's notice and is sending it: Chen's join must not change
    its words under it, so Chen gets a notice of his own, a little later."""
    code = await open_circle(chat, core)
    await join(chat, code, "Brian")
    async with open_session(core) as session, session.begin():
        [row] = (await session.exec(select(OutboxMessage))).all()
        row.claimed_until = T0 + timedelta(minutes=1)
        row.attempts = 1
        session.add(row)
    await join(chat, code, "Chen")
    claimed, waiting = await notices(core)
    assert claimed.payload["text"] == "Brian joined Python for Everyone. That's 1 learner now."
    assert waiting.payload["text"] == "Chen joined Python for Everyone. That's 2 learners now."
    assert isinstance(waiting.next_attempt_at, datetime) and waiting.next_attempt_at > T0


async def test_each_circle_gathers_its_own_joins(chat: Chat, core: Core) -> None:
    code = await open_circle(chat, core)
    evening = DETROIT_CIRCLE.replace("Python for Everyone", "Evening Python")
    assert "is ready" in await chat.say("Amina", evening)
    evening_code = await code_of(core, "Evening Python")
    await join(chat, code, "Brian", "Chen")
    await join(chat, evening_code, "Dede", "Esi")
    assert sorted(await to_amina(chat)) == [
        "2 people joined Evening Python: Dede and Esi. That's 2 learners now.",
        "2 people joined Python for Everyone: Brian and Chen. That's 2 learners now.",
    ]


async def test_joins_are_gathered_on_either_database(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    core = Core(any_engine, clock, random.Random(1), platforms=PLATFORMS)
    chat = Chat(core)
    code = await open_circle(chat, core)
    await join(chat, code, "Brian")
    assert len(await to_amina(chat)) == 1
    await join(chat, code, "Chen", "Dede")
    clock.advance(WINDOW)
    assert await to_amina(chat) == [
        "2 people joined Python for Everyone: Chen and Dede. That's 3 learners now."
    ]


async def test_a_learner_who_names_themself_by_sms_is_named_in_the_waiting_notice(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """By SMS the bot learns the name after the join: the notice still waiting says it, not
    'Circle member' (walkthrough U10)."""
    import uuid

    from bot.chat.messages import Capabilities, Inbound

    code = await open_circle(chat, core)
    phones = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))

    async def text(words: str) -> str:
        phone = "+254700000001"  # SMS gives no name
        inbound = Inbound("sms", phone, phone, uuid.uuid4().hex, words)
        return "\n".join(r.text for r in await core.handle(inbound, phones.capabilities))

    assert "call you" in await text(f"JOIN {code}")
    await text("Wanjiru")
    clock.advance(NAME_WAIT)
    delivered = await core.dispatch({"console": chat, "sms": phones})
    assert delivered >= 1
    assert [m.text for m in chat.sent if m.address.chat_id == "amina"] == [
        "Wanjiru joined Python for Everyone. That's 1 learner now."
    ]


async def test_someone_with_no_name_yet_is_named_in_the_facilitators_language(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """SMS gives no name: the learner is stored as "Circle member" in the language they first
    wrote in (English), and a Swahili-speaking facilitator was told "Circle member amejiunga"."""
    code = await open_circle(chat, core)
    await chat.say("Amina", "/language sw")
    phone = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    inbound = replace(phone.inbound("+254711000001", f"JOIN {code}"), display_name=None)
    await core.handle(inbound, phone.capabilities)
    clock.advance(NAME_WAIT)  # no name came: the notice goes without it
    [notice] = await to_amina(chat)
    assert "Circle member" not in notice
    assert "amejiunga" in notice


async def test_the_first_sms_joiner_is_named_in_the_notice_once_the_name_comes(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough ops 2: the first SMS joiner's notice went at once as "Circle member joined",
    before the name asked next could arrive; it now waits a little for the name."""
    code = await open_circle(chat, core)
    phone = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    joined = replace(phone.inbound("+254711000002", f"JOIN {code}"), display_name=None)
    await core.handle(joined, phone.capabilities)
    assert await to_amina(chat) == []  # the dispatcher runs before the name comes

    clock.advance(timedelta(seconds=20))
    named = replace(phone.inbound("+254711000002", "Grace"), display_name=None)
    await core.handle(named, phone.capabilities)
    clock.advance(NAME_WAIT)

    assert await to_amina(chat) == ["Grace joined Python for Everyone. That's 1 learner now."]


async def test_an_sms_joiner_gathered_into_a_notice_already_due_holds_it_for_the_name(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough ops 12: Carlos joined on Telegram, Marcus by SMS a moment later; the notice
    went at once as "Carlos and Circle member", never corrected. It now waits for his name."""
    code = await open_circle(chat, core)
    await join(chat, code, "Carlos")  # a notice due at once, not yet sent
    phone = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    joined = replace(phone.inbound("+13135550111", f"JOIN {code}"), display_name=None)
    await core.handle(joined, phone.capabilities)
    assert await to_amina(chat) == []  # held for the name asked next

    clock.advance(timedelta(seconds=45))
    named = replace(phone.inbound("+13135550111", "Marcus"), display_name=None)
    await core.handle(named, phone.capabilities)
    clock.advance(NAME_WAIT)

    assert await to_amina(chat) == [
        "2 people joined Python for Everyone: Carlos and Marcus. That's 2 learners now."
    ]


async def test_one_who_left_before_the_gathered_notice_went_is_not_told_as_joined(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Trying it as users would (Lima, SMS): Ernesto joined, left a few minutes later, and
    Lucía then got "Ernesto joined Excel básico" after "Ernesto left"."""
    code = await open_circle(chat, core)
    await join(chat, code, "Brian")
    assert len(await to_amina(chat)) == 1  # the first join, at once
    await join(chat, code, "Chen", "Dana")  # gathered, told after the window
    await chat.say("Dana", "/leave")
    await chat.say("Dana", "yes")
    clock.advance(WINDOW)
    told = await to_amina(chat)
    joined = [text for text in told if "joined" in text]
    assert joined == ["Chen joined Python for Everyone. That's 2 learners now."], told
    await join(chat, code, "Eve")  # one alone in the next window, who leaves: nothing told
    await chat.say("Eve", "/leave")
    await chat.say("Eve", "yes")
    clock.advance(WINDOW)
    assert not [text for text in await to_amina(chat) if "joined" in text]


async def test_one_erased_before_a_long_gathered_notice_went_is_never_named_in_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A long notice names its first few and counts the rest (issue 18: only those few names
    are read for each join): one of the first who asks to be forgotten meanwhile is not named,
    the next one is."""
    code = await open_circle(chat, core)
    await join(chat, code, "Brian")
    await to_amina(chat)
    for name in ["Chen", "Dede", "Esi", "Fola", "Gita", "Hana", "Ines", "Jomo"]:
        clock.advance(timedelta(seconds=5))
        await join(chat, code, name)
    await chat.say("Chen", "/forget")
    await chat.say("Chen", "yes")
    clock.advance(timedelta(seconds=5))
    await join(chat, code, "Kofi")
    clock.advance(WINDOW)
    (told,) = [text for text in await to_amina(chat) if "joined" in text]
    assert "Chen" not in told
    assert told.startswith("8 people joined Python for Everyone: Dede, Esi, Fola, and 5 others.")


async def test_one_taken_off_before_the_gathered_notice_went_is_not_told_as_joined(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walk 14, fac 24: "Tom joined Python Spring. That's 2 learners now." came twenty
    minutes after /remove Tom (a spammer), with the roster holding one learner."""
    code = await open_circle(chat, core)
    await join(chat, code, "Brian")
    await to_amina(chat)
    clock.advance(timedelta(minutes=1))
    await join(chat, code, "Tom")
    await chat.say("Amina", "/remove Tom")
    assert "is off" in await chat.say("Amina", "yes")
    clock.advance(WINDOW)
    assert not [text for text in await to_amina(chat) if "Tom joined" in text]
