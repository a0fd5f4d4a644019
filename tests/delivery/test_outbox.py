"""The outbox and its minimal dispatcher: proactive messages are written with their cause, sent
once, retried with backoff, given up on, and fitted to what each platform can show."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.contract import PermanentDeliveryError
from bot.chat.errors import UserError
from bot.chat.messages import Address, Capabilities, Choice, Outbound, Receipt
from bot.core import Core
from bot.delivery import outbox
from bot.delivery.outbox import OutboxKey
from bot.dialogue import notifications
from bot.storage.models import OutboxMessage, OutboxStatus
from tests.conftest import DETROIT_CIRCLE, T0, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS


@dataclass
class FakeAdapter:
    """An adapter that records what it is asked to send, or fails the way it is told to."""

    platform: str = "console"
    capabilities: Capabilities = field(default_factory=lambda: Capabilities(max_text_length=4000))
    error: Exception | None = None
    sent: list[Outbound] = field(default_factory=list)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        if self.error is not None:
            raise self.error
        self.sent.append(message)
        return Receipt(platform_message_id=f"m{len(self.sent)}")


async def _circle_with_learner(chat: Chat) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(chat.core, "Python for Everyone")
    await chat.say("Brian", f"/join {code}")


async def _queue(
    core: Core,
    text: str,
    *,
    key: str = "1",
    platform: str = "console",
    due: datetime | None = None,
    choices: tuple[Choice, ...] = (),
) -> None:
    message = Outbound(Address(platform, "amina"), text, choices)
    async with open_session(core) as session, session.begin():
        now = core.clock.now()
        stored = await outbox.enqueue(
            session, OutboxKey("test", "circle:1", "person:1", key), message, "en", now, due
        )
        assert stored


async def _only_row(chat: Chat) -> OutboxMessage:
    rows = await chat.outbox()
    assert len(rows) == 1
    return rows[0]


async def test_a_join_queues_one_notification_for_the_facilitator(chat: Chat) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    assert await chat.outbox() == []
    code = await code_of(chat.core, "Python for Everyone")

    await chat.say("Brian", f"/join {code}")

    row = await _only_row(chat)
    assert (row.kind, row.platform, row.chat_id) == ("member-joined", "console", "amina")
    assert row.payload["text"] == "Brian joined Python for Everyone. That's 1 learner now."
    assert row.payload["locale"] == "en"
    assert row.status == OutboxStatus.PENDING
    assert (row.attempts, row.next_attempt_at, row.created_at) == (0, T0, T0)
    # Brian asking again is no new event: nothing more is queued.
    assert "already in" in await chat.say("Brian", f"/join {code}")
    assert len(await chat.outbox()) == 1


@pytest.mark.parametrize(
    ("failure", "reply"),
    [
        (UserError("That circle is full."), "That circle is full."),
        (RuntimeError("disk full"), "Sorry, something went wrong on my side"),
    ],
)
async def test_a_join_that_fails_after_notifying_queues_nothing(
    chat: Chat, monkeypatch: pytest.MonkeyPatch, failure: Exception, reply: str
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(chat.core, "Python for Everyone")
    original = notifications.gather
    queued: list[bool] = []

    async def notify_then_fail(*args: object, **kwargs: object) -> bool:
        queued.append(await original(*args, **kwargs))  # type: ignore[arg-type]
        raise failure

    monkeypatch.setattr(notifications, "gather", notify_then_fail)

    assert reply in await chat.say("Brian", f"/join {code}")

    assert queued == [True]  # the row was written inside the transaction that then rolled back
    assert await chat.outbox() == []
    assert await chat.deliver() == []
    assert "not in a circle yet" in await chat.say("Brian", "/next")


async def test_the_dispatcher_sends_a_due_row_once_and_marks_it_sent(
    chat: Chat, clock: FakeClock
) -> None:
    await _circle_with_learner(chat)

    sent = await chat.deliver()

    assert [(m.address, m.text) for m in sent] == [
        (Address("console", "amina"), "Brian joined Python for Everyone. That's 1 learner now.")
    ]
    row = await _only_row(chat)
    assert sent[0].idempotency_key == row.idempotency_key
    assert row.status == OutboxStatus.SENT
    assert (row.attempts, row.sent_at, row.receipt, row.last_error) == (1, T0, "1", None)
    clock.advance(timedelta(days=1))
    assert await chat.deliver() == []


async def test_rows_for_a_platform_without_an_adapter_stay_pending(chat: Chat) -> None:
    await _circle_with_learner(chat)
    telegram = FakeAdapter(platform="telegram")

    assert await chat.core.dispatch({"telegram": telegram}) == 0
    assert await chat.core.dispatch({}) == 0

    assert telegram.sent == []
    row = await _only_row(chat)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)
    # Once the console adapter is there, it goes out.
    assert len(await chat.deliver()) == 1


async def test_a_row_due_later_waits_for_the_clock(chat: Chat, clock: FakeClock) -> None:
    await _queue(chat.core, "Your circle meets in an hour.", due=T0 + timedelta(hours=1))

    assert await chat.deliver() == []
    clock.advance(timedelta(minutes=59, seconds=59))
    assert await chat.deliver() == []
    clock.advance(timedelta(seconds=1))
    sent = await chat.deliver()

    assert [m.text for m in sent] == ["Your circle meets in an hour."]
    row = await _only_row(chat)
    assert (row.status, row.sent_at) == (OutboxStatus.SENT, T0 + timedelta(hours=1))


async def test_a_failed_send_is_retried_later_then_succeeds(chat: Chat, clock: FakeClock) -> None:
    await _circle_with_learner(chat)
    flaky = FakeAdapter(error=RuntimeError("gateway timeout"))

    assert await chat.core.dispatch({"console": flaky}) == 0

    row = await _only_row(chat)
    assert row.status == OutboxStatus.PENDING
    assert (row.attempts, row.last_error) == (1, "gateway timeout")
    assert row.next_attempt_at > clock.now()
    # Not due yet: an immediate second run does not hammer the platform.
    assert await chat.core.dispatch({"console": flaky}) == 0
    assert (await _only_row(chat)).attempts == 1

    flaky.error = None
    clock.set(row.next_attempt_at)
    assert await chat.core.dispatch({"console": flaky}) == 1
    assert [m.text for m in flaky.sent] == [
        "Brian joined Python for Everyone. That's 1 learner now."
    ]
    row = await _only_row(chat)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


async def test_a_row_that_keeps_failing_waits_until_it_is_no_longer_useful(
    chat: Chat, clock: FakeClock
) -> None:
    await _circle_with_learner(chat)
    broken = FakeAdapter(error=ConnectionError())
    delays = []

    for _ in range(12):  # more attempts than the eight that used to kill a row
        assert await chat.core.dispatch({"console": broken}) == 0
        row = await _only_row(chat)
        assert row.status == OutboxStatus.PENDING
        assert row.last_error == "ConnectionError"  # an exception without a message
        if row.next_attempt_at > clock.now():
            delays.append(row.next_attempt_at - clock.now())
        # Past the row's retry and the platform's pause, whichever is later.
        clock.set(max(row.next_attempt_at, clock.now() + timedelta(seconds=61)))

    assert all(timedelta(0) < delay <= timedelta(minutes=7.5) for delay in delays)
    assert delays[0] < delays[-1]  # backing off
    assert row.useful_until is not None
    clock.set(row.useful_until + timedelta(seconds=1))
    working = FakeAdapter()
    assert await chat.core.dispatch({"console": working}) == 0
    assert working.sent == []
    row = await _only_row(chat)
    assert (row.status, row.failure) == (OutboxStatus.DEAD, "expired")
    assert await chat.core.revive() == 0  # too late to be worth sending


async def test_a_row_given_up_on_by_hand_can_be_revived_once_the_platform_is_back(
    chat: Chat, clock: FakeClock
) -> None:
    await _circle_with_learner(chat)
    broken = FakeAdapter(error=ConnectionError("HTTP 502"))
    for _ in range(6):
        await chat.core.dispatch({"console": broken})
        clock.advance(timedelta(minutes=10))
    row = await _only_row(chat)
    assert (row.status, row.attempts) == (OutboxStatus.PENDING, 6)

    # An operator gave up on it by hand, then the platform came back.
    async with open_session(chat.core) as session, session.begin():
        row = await session.get(OutboxMessage, row.id)
        assert row is not None
        row.status, row.failure = OutboxStatus.DEAD, "transient"
        session.add(row)
    working = FakeAdapter()
    assert await chat.core.dispatch({"console": working}) == 0
    assert await chat.core.revive() == 1
    assert await chat.core.dispatch({"console": working}) == 1
    assert [m.text for m in working.sent] == [
        "Brian joined Python for Everyone. That's 1 learner now."
    ]


async def test_a_permanent_refusal_makes_the_row_dead_at_once(chat: Chat, clock: FakeClock) -> None:
    await _circle_with_learner(chat)
    blocked = FakeAdapter(error=PermanentDeliveryError("bot was blocked by the user"))

    assert await chat.core.dispatch({"console": blocked}) == 0

    row = await _only_row(chat)
    assert row.status == OutboxStatus.DEAD
    assert (row.attempts, row.last_error) == (1, "bot was blocked by the user")
    clock.advance(timedelta(days=1))
    assert await chat.deliver() == []


async def test_a_long_text_is_sent_in_parts_that_fit(chat: Chat) -> None:
    lines = [f"{n}. Week {n}: read chapter {n} and try the exercises." for n in range(1, 13)]
    text = "\n".join(lines)
    await _queue(chat.core, text)
    small = FakeAdapter(capabilities=Capabilities(max_text_length=120))

    assert await chat.core.dispatch({"console": small}) == 1

    parts = [m.text for m in small.sent]
    assert len(parts) > 1
    assert all(len(part) <= 120 for part in parts)
    assert "\n".join(parts) == text  # cut only between lines
    keys = [m.idempotency_key for m in small.sent]
    assert len(set(keys)) == len(keys)
    row = await _only_row(chat)
    assert (row.status, row.receipt) == (OutboxStatus.SENT, f"m{len(parts)}")


async def test_choices_become_numbered_text_without_buttons(chat: Chat) -> None:
    choices = (Choice("Yes, I'll be there", "rsvp:yes"), Choice("No, not this week", "rsvp:no"))
    await _queue(chat.core, "Are you coming on Thursday?", key="a", choices=choices)
    await _queue(
        chat.core, "Are you coming on Thursday?", key="b", choices=choices, platform="telegram"
    )
    plain = FakeAdapter()
    buttons = FakeAdapter(
        platform="telegram", capabilities=Capabilities(max_text_length=4000, buttons=True)
    )

    assert await chat.core.dispatch({"console": plain, "telegram": buttons}) == 2

    assert [(m.text, m.choices) for m in plain.sent] == [
        (
            "Are you coming on Thursday?\n"
            "Reply 1 for Yes, I'll be there or 2 for No, not this week.",
            (),
        )
    ]
    assert [(m.text, m.choices) for m in buttons.sent] == [("Are you coming on Thursday?", choices)]


async def test_a_second_core_on_the_same_database_sends_nothing_twice(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    first = Chat(Core(any_engine, clock, random.Random(1), platforms=PLATFORMS))
    second = Chat(Core(any_engine, clock, random.Random(2), platforms=PLATFORMS))
    await _circle_with_learner(first)

    assert len(await first.deliver()) == 1
    assert await second.deliver() == []

    code = await code_of(first.core, "Python for Everyone")
    await second.say("Chen", f"/join {code}")
    clock.advance(timedelta(minutes=10))  # joins soon after one told are gathered a while
    assert [m.text for m in await second.deliver()] == [
        "Chen joined Python for Everyone. That's 2 learners now."
    ]
    assert await first.deliver() == []
    rows = await first.outbox()
    assert [(row.status, row.attempts) for row in rows] == [(OutboxStatus.SENT, 1)] * 2


@dataclass
class DropsSecondPart(FakeAdapter):
    """Accepts the first part, then fails once on the second (a timeout mid-message)."""

    calls: int = 0

    async def send(self, message: Outbound) -> Receipt:
        self.calls += 1
        if self.calls == 2:
            raise TimeoutError("timed out")
        return await super().send(message)


async def test_a_retry_does_not_repeat_parts_already_delivered(
    chat: Chat, clock: FakeClock
) -> None:
    text = "\n".join(f"{n}. Week {n}: read chapter {n} and try the exercises." for n in range(1, 7))
    await _queue(chat.core, text)
    adapter = DropsSecondPart(capabilities=Capabilities(max_text_length=120))

    assert await chat.core.dispatch({"console": adapter}) == 0
    clock.set((await _only_row(chat)).next_attempt_at)
    assert await chat.core.dispatch({"console": adapter}) == 1

    # The reader should see the message once, not its first part twice.
    assert "\n".join(m.text for m in adapter.sent) == text


async def test_a_row_that_cannot_be_rendered_is_dead_and_does_not_block_the_rest(
    chat: Chat,
) -> None:
    await _queue(chat.core, "first, broken", key="1")
    await _queue(chat.core, "second, fine", key="2")
    async with open_session(chat.core) as session, session.begin():
        broken = await session.get_one(OutboxMessage, (await chat.outbox())[0].id)
        broken.payload = {"locale": "en"}  # no text: written by an older or buggy version
        session.add(broken)
    sent = await chat.deliver()
    assert [message.text for message in sent] == ["second, fine"]
    first, second = await chat.outbox()
    assert first.status == OutboxStatus.DEAD and first.last_error
    assert second.status == OutboxStatus.SENT
