"""The Telegram adapter with the real python-telegram-bot against a fake Bot API on 127.0.0.1.

Updates are the recorded payloads in payloads/telegram/, with ids and text changed per step. A
polling adapter is driven by queueing updates in the fake; a webhook adapter by POSTing them to
the shared web app, as Telegram does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import random
import signal
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from adapters.platforms.telegram_bot import (
    PICK_PREFIX,
    TelegramAdapter,
    TelegramSettings,
    file_base_url,
)
from adapters.shell.web import build_app
from bot.chat.clock import FakeClock
from bot.chat.contract import RetryLater
from bot.chat.messages import Address, Attachment, Choice, Outbound
from bot.chat.rendering import fit
from bot.core import Core
from bot.delivery import outbox
from bot.delivery.budget import MemoryBudget
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.storage.database import create_engine
from bot.storage.models import (
    Account,
    AdapterCursor,
    InboundReceipt,
    LinkedChat,
    OutboxMessage,
    OutboxStatus,
)
from tests.adapters.platforms.fake_telegram import TOKEN, USERNAME, FakeTelegram, Sent, utf16_length
from tests.conftest import DETROIT_CIRCLE, circlebot_command, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS

# PTB warns, inside its own RetryAfter, that retry_after becomes a timedelta in v23.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

PAYLOADS = Path(__file__).parent / "payloads" / "telegram"
# Detroit meets Thursdays 18:00 (22:00Z) from 2026-10-29; reminders go 24 h before.
FIRST_REMINDER = datetime(2026, 10, 28, 22, 1, tzinfo=UTC)
FIRST_CHECKIN = datetime(2026, 10, 30, 14, 1, tzinfo=UTC)  # 10:00 in Detroit, the day after
AFTER_MEETING_3 = datetime(2026, 11, 13, 15, 0, tzinfo=UTC)
LETTER = (
    "Hello from Detroit! Come every week, even when you feel behind. It is snowing here, "
    "and our room is warm."
)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def payload(kind: str) -> dict[str, Any]:
    return json.loads((PAYLOADS / f"{kind}.json").read_text())


@dataclass(frozen=True)
class User:
    id: int
    first_name: str
    language_code: str = "en"

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }


AMINA = User(1001, "Amina")
BRIAN = User(1002, "Brian")
# A first name longer than 64 bytes in UTF-8: as a button payload it does not fit.
ALEXANDRA = User(1003, "Αλεξάνδρα-Μαρία-Κωνσταντινοπούλου-Ζαχαρίου")
GROUP_ID = -1009876543210


class Updates:
    """Updates built from the recorded payloads, each with a new update_id."""

    def __init__(self) -> None:
        self._ids = itertools.count(815_100_001)

    def of(self, kind: str, **changes: Any) -> dict[str, Any]:
        update = payload(kind)
        update["update_id"] = next(self._ids)
        update.update(changes)
        return update

    def message(self, user: User, text: str, chat_id: int | None = None) -> dict[str, Any]:
        kind = "group_message" if chat_id else "command" if text.startswith("/") else "message"
        update = self.of(kind)
        message = update["message"]
        message["from"] = user.as_json()
        if chat_id is None:
            message["chat"] = {"id": user.id, "first_name": user.first_name, "type": "private"}
        message["text"] = text
        word = text.split(maxsplit=1)[0] if text else ""
        message["entities"] = (
            [{"offset": 0, "length": utf16_length(word), "type": "bot_command"}]
            if text.startswith("/")
            else []
        )
        return update

    def press(self, user: User, sent: Sent, label: str) -> dict[str, Any]:
        """`user` presses the button labelled `label` under `sent`."""
        [data] = [data for text, data in sent.buttons if text == label]
        update = self.of("callback_query")
        query = update["callback_query"]
        query["id"] = f"q{update['update_id']}"
        query["from"] = user.as_json()
        query["message"]["chat"] = {"id": int(sent.chat_id), "type": "private"}
        query["message"]["message_id"] = sent.message_id
        query["message"]["text"] = sent.text
        query["data"] = data
        return update


@dataclass
class Phone:
    """A person's Telegram app: writes to the bot through the fake and reads the answers."""

    fake: FakeTelegram
    updates: Updates

    async def send(self, update: dict[str, Any]) -> None:
        await self.fake.push(update)
        await self.fake.wait_handled(update["update_id"])

    async def say(self, user: User, text: str) -> str:
        """What the bot answered `user`, as one text."""
        before = len(self.fake.messages_to(user.id))
        await self.send(self.updates.message(user, text))
        return "\n".join(m.text for m in self.fake.messages_to(user.id)[before:])

    async def send_and_read(self, update: dict[str, Any], chat_id: int) -> str:
        """What the bot answered in `chat_id` to `update`."""
        before = len(self.fake.messages_to(chat_id))
        await self.send(update)
        return "\n".join(m.text for m in self.fake.messages_to(chat_id)[before:])

    async def press(self, user: User, sent: Sent, label: str) -> str:
        before = len(self.fake.messages_to(user.id))
        await self.send(self.updates.press(user, sent, label))
        return "\n".join(m.text for m in self.fake.messages_to(user.id)[before:])


def settings_for(fake: FakeTelegram, **extra: Any) -> TelegramSettings:
    return TelegramSettings(
        telegram_bot_token=TOKEN,
        telegram_api_base_url=fake.base_url,
        **extra,
    )


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    fake = FakeTelegram()
    await fake.start()
    yield fake
    await fake.close()


@pytest.fixture
async def adapter(fake: FakeTelegram, core: Core) -> AsyncIterator[TelegramAdapter]:
    adapter = TelegramAdapter.from_settings(settings_for(fake), core, polling=True)
    await adapter.start()
    yield adapter
    await adapter.stop()


@pytest.fixture
def phone(fake: FakeTelegram, adapter: TelegramAdapter) -> Phone:
    return Phone(fake, Updates())


async def deliver(core: Core, adapter: TelegramAdapter) -> None:
    """Run the scheduler's tick and the outbox dispatcher, as `circlebot run` would."""
    await core.tick()
    while await core.dispatch({"telegram": adapter}):
        pass


async def detroit(phone: Phone, core: Core, *learners: User) -> str:
    assert "is ready" in await phone.say(AMINA, DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for learner in learners:
        assert "Welcome" in await phone.say(learner, f"/start {code}")
        await phone.say(learner, "/skip")
    return code


async def count(core: Core, model: Any) -> int:
    async with open_session(core) as session:
        return (await session.exec(select(func.count()).select_from(model))).one()


def test_the_file_url_follows_the_api_url() -> None:
    assert file_base_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_base_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"
    assert (
        file_base_url("https://tg.example/x/bot{token}") == "https://tg.example/x/file/bot{token}"
    )


# -- a season through Telegram ------------------------------------------------------------------


async def test_a_circle_through_telegram_from_creation_to_an_approved_letter(
    fake: FakeTelegram,
    core: Core,
    clock: FakeClock,
    adapter: TelegramAdapter,
    phone: Phone,
) -> None:
    # The facilitator creates the circle and shares the deep link /invite shows.
    assert "is ready" in await phone.say(AMINA, DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    invite = await phone.say(AMINA, "/invite")
    assert f"https://t.me/{USERNAME}?start={code}" in invite
    assert f"send /join {code} to @{USERNAME}" in invite  # the bot named, from getMe

    # The learner taps it: Telegram sends "/start CODE".
    assert "Welcome" in await phone.say(BRIAN, f"/start {code}")
    await phone.say(BRIAN, "/skip")  # the goal
    await phone.say(BRIAN, "/skip")  # whether to share answers

    # The reminder comes with buttons; pressing one answers it and the button stops spinning.
    clock.set(FIRST_REMINDER)
    await deliver(core, adapter)
    [reminder] = [m for m in fake.messages_to(BRIAN.id) if m.buttons and "come?" in m.text]
    assert [label for label, _ in reminder.buttons] == ["Yes", "No"]
    answer = await phone.press(BRIAN, reminder, "Yes")
    assert "see you at meeting 1" in answer
    [answered] = fake.calls_to("answerCallbackQuery")
    assert answered.params["callback_query_id"].startswith("q")

    # The check-in the day after: a rating by button, then a written answer.
    clock.set(FIRST_CHECKIN)
    await deliver(core, adapter)
    rating = fake.messages_to(BRIAN.id)[-1]
    assert len(rating.buttons) == 5
    question = await phone.press(BRIAN, rating, rating.buttons[3][0])
    assert "Thanks, got it!" in question and question.rstrip().endswith("?")
    answer = await phone.say(BRIAN, "We finally got loops to work.")
    assert "Thank you for sharing" in answer

    # After the midpoint the learner writes a letter; the facilitator approves it by button.
    clock.set(AFTER_MEETING_3)
    assert "Write to a new circle far away" in await phone.say(BRIAN, "/letter")
    signing = await phone.say(BRIAN, LETTER)
    assert "How should it be signed?" in signing
    sign = fake.messages_to(BRIAN.id)[-1]
    assert "Thank you, Brian!" in await phone.press(BRIAN, sign, "Brian")
    await deliver(core, adapter)
    [review] = [m for m in fake.messages_to(AMINA.id) if LETTER in m.text]
    assert "is approved" in await phone.press(AMINA, review, "Approve letter #1")
    assert len(fake.calls_to("answerCallbackQuery")) == 4


async def test_a_payload_too_long_for_a_button_is_sent_as_its_number(
    fake: FakeTelegram, core: Core, clock: FakeClock, adapter: TelegramAdapter, phone: Phone
) -> None:
    # The letter's signature button carries the learner's first name: 64 bytes is too short.
    await detroit(phone, core, ALEXANDRA)
    clock.set(AFTER_MEETING_3)
    await phone.say(ALEXANDRA, "/letter")
    await phone.say(ALEXANDRA, LETTER)
    sign = fake.messages_to(ALEXANDRA.id)[-1]
    assert sign.buttons == [(ALEXANDRA.first_name, PICK_PREFIX + "1")]
    thanks = await phone.press(ALEXANDRA, sign, ALEXANDRA.first_name)
    assert f"Thank you, {ALEXANDRA.first_name}!" in thanks


async def test_what_people_type_is_escaped_and_reads_as_typed(
    fake: FakeTelegram, phone: Phone
) -> None:
    ana = User(1010, "<b>Ana & Bo</b>")
    welcome = await phone.say(ana, "/start")
    assert "<b>Ana & Bo</b>" in welcome  # shown as typed, not in bold
    [message] = fake.messages_to(ana.id)
    assert "&lt;b&gt;Ana &amp; Bo&lt;/b&gt;" in message.raw
    assert fake.calls_to("sendMessage")[-1].params["parse_mode"] == "HTML"


async def test_a_long_message_is_split_on_lines_within_4096_utf16_units(
    fake: FakeTelegram, core: Core, adapter: TelegramAdapter
) -> None:
    # Emoji are two UTF-16 units each, and every "<" or "&" grows when escaped.
    lines = [f"{n:03} <b> & 🎉🎉 x < y && y > z 🎉" for n in range(400)]
    text = "\n".join(lines)
    assert utf16_length(text) > 3 * 4096
    tr = core.catalogs.translator("en")
    to = Address("telegram", str(BRIAN.id))
    parts = fit(Outbound(to, text), adapter.capabilities, tr)
    for part in parts:
        await adapter.send(part)
    received = fake.messages_to(BRIAN.id)
    assert len(received) == len(parts) >= 4
    assert all(utf16_length(m.text) <= 4096 for m in received)
    assert any(len(m.raw) > 4096 for m in received)  # escaped, it is longer: Telegram parses it
    assert [line for m in received for line in m.text.split("\n")] == lines  # whole lines

    # Given a text nobody fitted, the adapter still splits it rather than have it refused.
    await adapter.send(Outbound(to, text, choices=(Choice("OK", "/help"),)))
    again = fake.messages_to(BRIAN.id)[len(received) :]
    assert len(again) >= 4 and all(utf16_length(m.text) <= 4096 for m in again)
    assert [m.buttons for m in again][-1] == [("OK", "/help")]
    assert all(not m.buttons for m in again[:-1])


async def test_a_portfolio_arrives_as_a_document_and_a_chart_as_a_photo(
    fake: FakeTelegram, core: Core, adapter: TelegramAdapter, phone: Phone
) -> None:
    code = await detroit(phone, core)
    await phone.say(BRIAN, f"/start {code}")
    await phone.say(BRIAN, "To write small programs for my shop.")  # the goal it asks for
    await phone.say(BRIAN, "/portfolio")
    [document] = [m.document for m in fake.messages_to(BRIAN.id) if m.document]
    name, data = document
    assert name == "portfolio.md" and b"small programs for my shop" in data
    [call] = fake.calls_to("sendDocument")
    assert call.files["document"][0] == name

    chart = Attachment("attendance.png", "image/png", PNG)
    receipt = await adapter.send(
        Outbound(Address("telegram", str(AMINA.id)), "Attendance so far", attachments=(chart,))
    )
    [text, photo] = fake.messages_to(AMINA.id)[-2:]
    assert text.text == "Attendance so far" and receipt.platform_message_id == str(text.message_id)
    assert photo.photo == ("attendance.png", PNG)


async def test_a_file_sent_right_after_its_text_arrives_once_the_chats_limit_allows(
    core: Core, caplog: pytest.LogCaptureFixture
) -> None:
    """A reminder with its .ics on a Telegram that holds a chat to one message a second: the
    file, sent right after the text, is refused with a 429. It still arrives, a second later,
    and the text is not sent twice."""
    fake = FakeTelegram(rate_per_second=1)
    await fake.start()
    adapter = TelegramAdapter.from_settings(settings_for(fake), core, polling=False)
    await adapter.start()
    try:
        calendar = Attachment("circle.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR")
        reminder = Address("telegram", str(AMINA.id))
        receipt = await adapter.send(
            Outbound(reminder, "Meeting tomorrow", attachments=(calendar,))
        )
        [text, document] = fake.messages_to(AMINA.id)
        assert text.text == "Meeting tomorrow"
        assert receipt.platform_message_id == str(text.message_id)
        assert document.document == ("circle.ics", calendar.data)
        assert fake.rate_limited == 1  # the first try met the limit
        assert "not sent" not in caplog.text
    finally:
        await adapter.stop()
        await fake.close()


async def test_a_file_held_off_for_long_after_its_text_is_given_up_not_the_text_repeated(
    fake: FakeTelegram, adapter: TelegramAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram asks for a long wait on the file: the text already reached the reader, and a
    retry of the whole row would repeat it, so the file is given up (and logged)."""
    calendar = Attachment("circle.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    fake.failing_files, fake.file_retry_after = 1, 30
    began = time.monotonic()
    receipt = await adapter.send(
        Outbound(Address("telegram", str(AMINA.id)), "Meeting tomorrow", attachments=(calendar,))
    )
    assert time.monotonic() - began < 5  # not kept waiting for Telegram's 30 s
    [text] = fake.messages_to(AMINA.id)
    assert text.text == "Meeting tomorrow" and receipt.platform_message_id == str(text.message_id)
    assert len(fake.calls_to("sendDocument")) == 1
    assert "file circle.ics not sent" in caplog.text
    # With nothing delivered yet, a failing file is the platform's answer: retry later.
    fake.failing_files = 1
    with pytest.raises(RetryLater):
        await adapter.send(
            Outbound(Address("telegram", str(AMINA.id)), "", attachments=(calendar,))
        )


# -- polling: the offset, once only ---------------------------------------------------------


async def stored_offset(core: Core) -> int | None:
    async with open_session(core) as session:
        cursor = (await session.exec(select(AdapterCursor))).first()
        return None if cursor is None else int(cursor.value)


async def test_the_offset_is_stored_so_a_restart_neither_replays_nor_drops(
    fake: FakeTelegram, core: Core
) -> None:
    updates = Updates()
    phone = Phone(fake, updates)
    first = TelegramAdapter.from_settings(settings_for(fake), core, polling=True)
    await first.start()
    hello = updates.message(BRIAN, "/start")
    await phone.send(hello)
    assert await stored_offset(core) == hello["update_id"] + 1
    await first.stop()

    # While the bot is down, two more messages arrive; and Telegram, not having heard the
    # first one confirmed, offers it again.
    later = [updates.message(BRIAN, "/help"), updates.message(BRIAN, "/language")]
    await fake.push(hello, *later)
    polls_before = len(fake.calls_to("getUpdates"))
    second = TelegramAdapter.from_settings(settings_for(fake), core, polling=True)
    await second.start()
    try:
        await fake.wait_handled(later[-1]["update_id"])
    finally:
        await second.stop()
    offsets = [call.params.get("offset") for call in fake.calls_to("getUpdates")[polls_before:]]
    assert offsets[0] == hello["update_id"] + 1  # resumed after the last one handled
    texts = fake.texts_to(BRIAN.id)
    assert len(texts) == 3  # the welcome once, then /help and /language: nothing twice or lost
    assert "Here's what you can do" in texts[1]
    assert await stored_offset(core) == later[-1]["update_id"] + 1


async def test_only_one_process_polls_and_another_takes_over_where_it_stopped(
    fake: FakeTelegram, pg_engine: AsyncEngine, clock: FakeClock
) -> None:
    url = pg_engine.url.render_as_string(hide_password=False)
    cores = [
        Core(pg_engine, clock, random.Random(1), platforms=PLATFORMS),
        Core(create_engine(url), clock, random.Random(2), platforms=PLATFORMS),
    ]
    adapters = [
        TelegramAdapter.from_settings(settings_for(fake), core, polling=True) for core in cores
    ]
    for adapter in adapters:
        adapter.follower_wait = 0.1
        await adapter.start()
    updates = Updates()
    phone = Phone(fake, updates)
    try:
        assert "Brian" in await phone.say(BRIAN, "/start")
        [leader] = [adapter for adapter in adapters if adapter.leading]
        [follower] = [adapter for adapter in adapters if adapter is not leader]
        await leader.stop()  # its advisory lock goes with it
        assert "Here's what you can do" in await phone.say(BRIAN, "/help")
        assert follower.leading
    finally:
        for adapter in adapters:
            await adapter.stop()
        await cores[1].close()
    assert len(fake.texts_to(BRIAN.id)) == 2  # nothing answered twice


async def test_a_webhook_left_from_before_is_deleted_before_polling(
    fake: FakeTelegram, core: Core
) -> None:
    fake.webhook = {"url": "https://old.example.org/telegram/webhook", "secret_token": None}
    adapter = TelegramAdapter.from_settings(settings_for(fake), core, polling=True)
    await adapter.start()
    try:
        phone = Phone(fake, Updates())
        assert "Brian" in await phone.say(BRIAN, "/start")
    finally:
        await adapter.stop()
    methods = [call.method for call in fake.calls]
    assert methods.index("deleteWebhook") < methods.index("getUpdates")
    assert fake.webhook is None


# -- delivery failures ------------------------------------------------------------------------


async def test_a_user_who_blocked_the_bot_becomes_unreachable(
    fake: FakeTelegram, core: Core, adapter: TelegramAdapter, phone: Phone
) -> None:
    await detroit(phone, core, BRIAN)
    fake.blocked.add(str(BRIAN.id))
    await phone.say(AMINA, "/announce No meeting next week: the library is closed.")
    assert "Sent to 1 member" in await phone.say(AMINA, "1")
    await deliver(core, adapter)
    async with open_session(core) as session:
        brian = (await session.exec(select(Account).where(Account.external_id == "1002"))).one()
        rows = (await session.exec(select(OutboxMessage))).all()
    assert brian.reachable is False
    [to_brian] = [row for row in rows if row.chat_id == str(BRIAN.id) and row.kind != "reply"]
    assert to_brian.status == "dead" and "blocked" in (to_brian.last_error or "")
    assert not any("library is closed" in text for text in fake.texts_to(BRIAN.id))


async def test_the_facilitator_learns_that_a_learner_blocked_the_bot(
    fake: FakeTelegram, core: Core, adapter: TelegramAdapter, phone: Phone
) -> None:
    """Walkthrough ops 9: only `circlebot outbox` showed it; the roster and the digest now say
    that Brian no longer gets the bot's messages, so Amina can reach him another way."""
    await detroit(phone, core, BRIAN)
    fake.blocked.add(str(BRIAN.id))
    await phone.say(AMINA, "/announce No meeting next week: the library is closed.")
    await phone.say(AMINA, "1")
    await deliver(core, adapter)
    roster = await phone.say(AMINA, "/roster")
    assert (
        "Brian, learner (Telegram): my messages don't reach them any more (they may have "
        "blocked the bot), so please reach them another way"
    ) in roster
    digest = await phone.say(AMINA, "/digest")
    assert (
        "My messages don't reach Brian any more (they may have blocked the bot): please reach "
        "them another way."
    ) in digest


async def test_too_many_requests_means_retry_later_with_telegrams_delay(
    core: Core,
) -> None:
    # 5 a second: 40 sends at once are over it however slowly a loaded machine makes them
    # (at 30 a second, 40 sends spread over more than a second once let 33 through).
    fake = FakeTelegram(rate_per_second=5)
    await fake.start()
    adapter = TelegramAdapter.from_settings(settings_for(fake), core, polling=False)
    await adapter.start()
    try:
        outcomes = await asyncio.gather(
            *(
                adapter.send(Outbound(Address("telegram", str(2000 + n)), f"Hello {n}"))
                for n in range(40)
            ),
            return_exceptions=True,
        )
    finally:
        await adapter.stop()
        await fake.close()
    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(fake.sent) + len(refused) == 40 and len(refused) >= 25
    assert all(isinstance(error, RetryLater) and error.retry_after == 1 for error in refused)


# -- command menus ----------------------------------------------------------------------------

DEFAULT = {"type": "default"}


async def test_menus_in_every_language_with_facilitator_commands_only_for_facilitators(
    fake: FakeTelegram, core: Core, adapter: TelegramAdapter, phone: Phone
) -> None:
    learner_menu = fake.menu(DEFAULT)
    assert learner_menu is not None and "join" in learner_menu and "checkin" in learner_menu
    assert "invite" not in learner_menu and "announce" not in learner_menu
    assert fake.descriptions(DEFAULT)["join"] == "Join a circle with its code"
    for language in core.catalogs.locales:
        assert fake.menu(DEFAULT, language) == learner_menu
    assert fake.descriptions(DEFAULT, "es")["join"] == "Unirte a un círculo con su código"
    assert fake.descriptions(DEFAULT, "sw")["join"] == "Jiunge na kikundi kwa msimbo wake"

    # Creating a circle makes Amina a facilitator: her private chat gets the whole menu.
    amina_chat = {"type": "chat", "chat_id": AMINA.id}
    assert fake.menu(amina_chat) is None
    await detroit(phone, core, BRIAN)
    amina_menu = fake.menu(amina_chat)
    assert amina_menu is not None and {"invite", "announce", "cofacilitator"} <= set(amina_menu)
    assert fake.menu({"type": "chat", "chat_id": BRIAN.id}) is None  # learners keep the default

    # After a restart, facilitators get theirs at start, in their language.
    await phone.say(AMINA, "/language es")
    fake.commands.clear()
    calls = len(fake.calls_to("setMyCommands"))
    again = TelegramAdapter.from_settings(settings_for(fake), core, polling=False)
    await again.start()
    try:
        # The default menu, one per language, and Amina's.
        await fake.wait_for_call("setMyCommands", calls + 1 + len(core.catalogs.locales) + 1)
    finally:
        await again.stop()
    assert fake.descriptions(amina_chat)["invite"] != "The join code to share with learners"
    assert fake.descriptions(amina_chat)["join"] == "Unirte a un círculo con su código"


# -- what the bot does not read -----------------------------------------------------------------


async def test_edits_channel_posts_membership_changes_and_unknown_kinds_are_ignored(
    fake: FakeTelegram, core: Core, phone: Phone
) -> None:
    updates = phone.updates
    ignored = [
        updates.of("edited_message"),
        updates.of("channel_post"),
        updates.of("my_chat_member"),
        updates.of("callback_query", callback_query=None)
        | {"some_future_kind": {"id": 7, "text": "/help"}},
    ]
    game = updates.of("callback_query")  # a button the bot never made: no data, a game's
    del game["callback_query"]["data"]
    game["callback_query"]["game_short_name"] = "quiz"
    for update in [*ignored, game]:
        await phone.send(update)
    assert fake.sent == []
    assert len(fake.calls_to("answerCallbackQuery")) == 1  # its spinner still stops

    # A sticker or a voice note in private gets a kind word; in a group, nothing.
    for kind in ("sticker", "voice"):
        await phone.send(updates.of(kind))
    group_sticker = updates.of("sticker")
    group_sticker["message"]["chat"] = {"id": GROUP_ID, "title": "Circle", "type": "supergroup"}
    await phone.send(group_sticker)
    only_text = "I can only read text messages. Send /help to see what I can do."
    assert fake.texts_to(BRIAN.id) == [only_text, only_text]
    assert fake.messages_to(GROUP_ID) == []

    # And the adapter is still there for the next message.
    assert "Here's what you can do" in await phone.say(BRIAN, "/help")


async def test_in_a_group_commands_are_answered_there_and_chatter_is_left_alone(
    fake: FakeTelegram, core: Core, phone: Phone
) -> None:
    await detroit(phone, core, BRIAN)
    await phone.send(phone.updates.of("group_message"))  # "/next@circle_test_bot" from Brian
    [answer] = fake.texts_to(GROUP_ID)
    assert "Python for Everyone" in answer
    await phone.send(phone.updates.message(BRIAN, "see you all thursday!", chat_id=GROUP_ID))
    await phone.send(phone.updates.message(BRIAN, "/next@some_other_bot", chat_id=GROUP_ID))
    assert len(fake.texts_to(GROUP_ID)) == 1


OLD_GROUP_ID = -4001234567  # a basic group, before Telegram upgraded it (migrate.json)


def migrated_from_update(update: dict[str, Any]) -> dict[str, Any]:
    """What the new supergroup says of the same upgrade: where it came from."""
    message = update["message"]
    old = message["chat"]
    message["chat"] = {"id": message.pop("migrate_to_chat_id"), "type": "supergroup"}
    message["migrate_from_chat_id"] = old["id"]
    return update


@pytest.mark.parametrize("said_by", ["the old group", "the new supergroup"])
async def test_a_group_upgraded_to_a_supergroup_keeps_its_circle(
    fake: FakeTelegram,
    core: Core,
    phone: Phone,
    adapter: TelegramAdapter,
    clock: FakeClock,
    said_by: str,
) -> None:
    """The linked group becomes a supergroup with a new id: the reminder on its way goes to
    the new id, and once either of Telegram's migration updates arrives the circle is linked
    there."""
    await detroit(phone, core, BRIAN)
    in_old_group = phone.updates.message(AMINA, "/linkchat@" + USERNAME, chat_id=OLD_GROUP_ID)
    in_old_group["message"]["chat"] = {"id": OLD_GROUP_ID, "title": "Detroit", "type": "group"}
    linked = await phone.send_and_read(in_old_group, OLD_GROUP_ID)
    assert "now linked" in linked
    fake.migrated[str(OLD_GROUP_ID)] = GROUP_ID
    await deliver(core, adapter)  # the notices of the week, before they are out of date

    clock.set(FIRST_REMINDER)
    await deliver(core, adapter)
    [reminder] = [m for m in fake.messages_to(GROUP_ID) if "meets in 24 hours" in m.text]
    assert reminder.buttons  # the RSVP buttons came along
    async with open_session(core) as session:
        rows = (await session.exec(select(OutboxMessage))).all()
    assert all(row.status == "sent" for row in rows)

    update = phone.updates.of("migrate")
    await phone.send(update if said_by == "the old group" else migrated_from_update(update))
    async with open_session(core) as session:
        [link] = (await session.exec(select(LinkedChat))).all()
    assert link.chat_id == str(GROUP_ID)
    refused = len(fake.calls_to("sendMessage"))
    clock.set(FIRST_REMINDER + timedelta(hours=23))  # the 1 h reminder: straight to the new id
    await deliver(core, adapter)
    new_calls = fake.calls_to("sendMessage")[refused:]
    assert new_calls and all(str(call.params["chat_id"]) != str(OLD_GROUP_ID) for call in new_calls)
    reminders = [
        m
        for m in fake.messages_to(GROUP_ID)
        if "Python for Everyone meets in" in m.text or "Python for Everyone meets today" in m.text
    ]
    assert len(reminders) == 2


# -- webhook mode -----------------------------------------------------------------------------

SECRET = "s3cret-Token_for-tests"
PUBLIC = "https://circles.example.org"


@dataclass
class Webhook:
    """Telegram's side of a webhook: POSTs updates to the shared web app."""

    client: aiohttp.ClientSession
    url: str

    async def post(self, body: Any, secret: str | None = SECRET) -> int:
        headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
        async with self.client.post(self.url, data=data, headers=headers) as response:
            return response.status


@pytest.fixture
async def webhook(fake: FakeTelegram, core: Core) -> AsyncIterator[Webhook]:
    settings = settings_for(fake, telegram_webhook_secret=SECRET)
    # `circlebot run` with PUBLIC_BASE_URL set: webhooks, no polling.
    adapter = TelegramAdapter.from_settings(settings, core, polling=True, public_base_url=PUBLIC)
    await adapter.start()
    server = TestServer(build_app(core, [adapter]), host="127.0.0.1")
    await server.start_server()
    async with aiohttp.ClientSession() as client:
        yield Webhook(client, str(server.make_url("/telegram/webhook")))
    await server.close()
    await adapter.stop()


async def test_a_webhook_is_set_with_its_secret_and_signed_updates_are_answered_once(
    fake: FakeTelegram, core: Core, webhook: Webhook
) -> None:
    assert fake.webhook == {"url": PUBLIC + "/telegram/webhook", "secret_token": SECRET}
    assert fake.calls_to("getUpdates") == []
    updates = Updates()
    creating = updates.message(AMINA, DETROIT_CIRCLE)
    assert await webhook.post(creating) == 200
    assert "is ready" in fake.texts_to(AMINA.id)[0]

    # Telegram resends an update it is unsure we got: it is answered once.
    code = await code_of(core, "Python for Everyone")
    joining = updates.message(BRIAN, f"/start {code}")
    assert await webhook.post(joining) == 200
    assert await webhook.post(joining) == 200
    assert len(fake.texts_to(BRIAN.id)) == 1 and "Welcome" in fake.texts_to(BRIAN.id)[0]

    # A button press through the webhook is answered too (a newcomer's welcome has one).
    newcomer = User(1_009, "Chen")
    assert await webhook.post(updates.message(newcomer, "/start")) == 200
    hello = fake.messages_to(newcomer.id)[-1]
    assert await webhook.post(updates.press(newcomer, hello, "See all commands")) == 200
    assert "Here's what you can do" in fake.texts_to(newcomer.id)[-1]
    assert len(fake.calls_to("answerCallbackQuery")) == 1


async def test_forged_and_malformed_webhook_requests_are_refused_and_change_nothing(
    fake: FakeTelegram, core: Core, webhook: Webhook
) -> None:
    update = Updates().message(BRIAN, "/start")
    assert await webhook.post(update, secret=None) == 403
    assert await webhook.post(update, secret="guess") == 403
    assert await webhook.post(update, secret=SECRET + "x") == 403
    assert await webhook.post(b"not json at all") == 400
    assert await webhook.post(b"not json", secret="guess") == 403  # the secret is checked first
    assert await webhook.post([1, 2, 3]) == 400
    assert await webhook.post({"message": {"text": "/start"}}) == 400  # no update_id
    assert fake.sent == []
    assert await count(core, InboundReceipt) == 0
    assert await count(core, Account) == 0
    # The genuine one still goes through afterwards.
    assert await webhook.post(update) == 200
    assert len(fake.texts_to(BRIAN.id)) == 1


# -- the real worker ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_circlebot_run_polls_telegram_and_answers_start(
    fake: FakeTelegram, tmp_path: Path
) -> None:
    platform_settings = ("TELEGRAM_", "DISCORD_", "TWILIO_", "AT_", "PUBLIC_BASE_URL")
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(platform_settings)}
    env |= {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'circlebot.db'}",
        "PORT": str(free_port()),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": fake.base_url,
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log_file:
        process = await asyncio.create_subprocess_exec(
            *circlebot_command(),
            "run",
            env=env,
            cwd=tmp_path,
            stdout=log_file,
            stderr=log_file,
        )
        try:
            await fake.push(Updates().message(BRIAN, "/start"))
            try:
                [hello] = await fake.wait_for(BRIAN.id, seconds=40)
            except AssertionError as error:
                raise AssertionError(log_path.read_text()) from error
            assert "Brian" in hello.text and ("Start a circle", "/newcircle") in hello.buttons
        finally:
            if process.returncode is None:
                process.send_signal(signal.SIGTERM)
            returncode = await asyncio.wait_for(process.wait(), 30)
    assert returncode == 0, log_path.read_text()
    assert [c.method for c in fake.calls[:1]] == ["getMe"]
    assert fake.menu(DEFAULT) is not None


async def test_two_hundred_people_writing_at_once_all_get_their_answer_within_the_rate(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """A burst through the webhook: every reply is kept with its handling, sent at once while
    the rate allows and by the dispatcher after; none is dropped, none is refused for the rate,
    none is sent twice."""
    fake = FakeTelegram(rate_per_second=30)
    await fake.start()
    # The rate on the wall clock, as in production (the test's clock stands still).
    core = Core(sqlite_engine, clock, random.Random(3), platforms=PLATFORMS, budget=MemoryBudget())
    settings = settings_for(fake, telegram_webhook_secret=SECRET)
    adapter = TelegramAdapter.from_settings(settings, core, polling=True, public_base_url=PUBLIC)
    await adapter.start()
    server = TestServer(build_app(core, [adapter]), host="127.0.0.1")
    await server.start_server()
    people = [User(3_000_000 + n, f"Learner {n}") for n in range(200)]
    updates = Updates()
    try:
        async with aiohttp.ClientSession() as client:
            hook = Webhook(client, str(server.make_url("/telegram/webhook")))
            statuses = await asyncio.gather(
                *(hook.post(updates.message(person, "/start")) for person in people)
            )
            assert statuses == [200] * len(people)
            while await core.dispatch({"telegram": adapter}):
                pass
    finally:
        await server.close()
        await adapter.stop()
        await fake.close()
        await core.close()
    assert all(len(fake.texts_to(person.id)) == 1 for person in people)
    assert all("circlebot" in fake.texts_to(person.id)[0] for person in people)
    assert fake.rate_limited == 0
    async with AsyncSession(sqlite_engine) as session:
        replies = (await session.exec(select(OutboxMessage))).all()
    assert len(replies) == len(people)
    assert all(row.status == OutboxStatus.SENT and row.attempts == 1 for row in replies)


async def test_through_429s_then_502s_every_message_arrives_once_and_never_too_soon(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """Telegram answers 429 (retry after 1 s) for 2 s, then 502 for 2 s, while reminders go
    out and people write: afterwards every reply and every reminder has arrived exactly once,
    and nothing was sent within a retry-after of a 429. (The issue's 20 s of each, shortened.)"""
    fake = FakeTelegram()
    await fake.start()
    core = Core(sqlite_engine, clock, random.Random(5), platforms=PLATFORMS, budget=MemoryBudget())
    settings = settings_for(fake, telegram_webhook_secret=SECRET)
    adapter = TelegramAdapter.from_settings(settings, core, polling=True, public_base_url=PUBLIC)
    await adapter.start()
    server = TestServer(build_app(core, [adapter]), host="127.0.0.1")
    await server.start_server()
    readers = [User(4_000_000 + n, f"Reader {n}") for n in range(10)]
    writers = [User(5_000_000 + n, f"Writer {n}") for n in range(15)]
    async with open_session(core) as session, session.begin():
        for reader in readers:
            key = OutboxKey(MessageKind.REMINDER, "meeting:1", f"person:{reader.id}")
            message = Outbound(Address("telegram", str(reader.id)), "Your circle meets tomorrow.")
            await outbox.enqueue(session, key, message, "en", clock.now())
    began = asyncio.get_running_loop().time()
    t_start = clock.now()
    start = time.monotonic()
    fake.outage = [(start + 2, 429), (start + 4, 502)]
    updates = Updates()

    async def dispatching() -> None:
        # The worker's dispatcher, with the bot's clock keeping up with the wall clock.
        loop = asyncio.get_running_loop()
        while loop.time() - began < 20:
            clock.set(t_start + timedelta(seconds=loop.time() - began))
            await core.dispatch({"telegram": adapter})
            if loop.time() - began > 5 and (await core.outbox_counts())["pending"] == 0:
                return
            await asyncio.sleep(0.1)

    try:
        async with aiohttp.ClientSession() as client:
            hook = Webhook(client, str(server.make_url("/telegram/webhook")))

            async def writing() -> list[int]:
                statuses = []
                for writer in writers:  # one every 0.25 s, through both kinds of outage
                    statuses.append(await hook.post(updates.message(writer, "/start")))
                    await asyncio.sleep(0.25)
                return statuses

            statuses, _ = await asyncio.gather(writing(), dispatching())
    finally:
        await server.close()
        await adapter.stop()
        await fake.close()
        await core.close()
    assert statuses == [200] * len(writers)
    assert fake.refusals, "the outage was not met"
    for person in readers + writers:
        assert len(fake.texts_to(person.id)) == 1, person
    rate_limited = [at for at, status in fake.refusals if status == 429]
    for refused in rate_limited:
        assert not [at for at in fake.accepted_at if refused < at < refused + 1.0]
