"""The WhatsApp adapter over real HTTP: the bot's web app on 127.0.0.1 takes webhooks signed as
Meta signs them, and the real pywa client sends through a local fake Graph API (pointed there
by WHATSAPP_API_BASE_URL, pywa itself untouched)."""

from __future__ import annotations

import random
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from itertools import count
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from adapters.platforms.whatsapp import WhatsAppAdapter, templates
from adapters.platforms.whatsapp_platform import DESCRIPTION, WhatsAppSettings
from adapters.shell.web import build_app
from bot.chat.clock import FakeClock
from bot.chat.contract import Adapter
from bot.chat.messages import Address, Attachment, Choice, Outbound
from bot.chat.platforms import Platform, RateLimit
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.delivery import outbox
from bot.delivery.kinds import MessageKind
from bot.storage.models import Account, CheckIn, OutboxMessage, OutboxStatus
from tests.adapters.platforms import fake_whatsapp as meta
from tests.adapters.platforms.fake_sms import NOTHING, stored
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS
from tests.seasons import checkin_due, starts

BSUID = "KE.4815162342108"
PHONE = "254712345678"
# Someone who hides their number behind a WhatsApp username: known by the BSUID alone.
HIDDEN = "KE.9999000011112"

# The dispatcher does not wait WhatsApp's real pace between test messages.
FAST = replace(DESCRIPTION, limit=RateLimit(1000))
WHATSAPP_PLATFORMS: tuple[Platform, ...] = (*PLATFORMS, FAST)


def whatsapp_core(engine: AsyncEngine, clock: FakeClock, seed: int = 7) -> Core:
    return Core(engine, clock, random.Random(seed), platforms=WHATSAPP_PLATFORMS)


@pytest.fixture
def core(sqlite_engine: AsyncEngine, clock: FakeClock) -> Core:
    return whatsapp_core(sqlite_engine, clock)


@pytest.fixture
async def graph() -> AsyncIterator[meta.FakeGraphApi]:
    fake = meta.FakeGraphApi()
    await fake.start()
    yield fake
    await fake.close()


@dataclass
class Bot:
    core: Core
    adapter: WhatsAppAdapter
    server: TestServer
    client: aiohttp.ClientSession
    graph: meta.FakeGraphApi
    console: Chat
    wamids: count[int] = field(default_factory=lambda: count(1))
    seen: int = 0  # messages of the fake already read by new()

    async def post(self, body: bytes, signature: str | None = "sign") -> int:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers[meta.SIGNATURE_HEADER] = (
                meta.signature(body) if signature == "sign" else signature
            )
        async with self.client.post(
            self.server.make_url("/whatsapp/webhook"), data=body, headers=headers
        ) as response:
            return response.status

    async def write(self, text: str, who: str = BSUID, phone: str | None = PHONE) -> list[dict]:
        """`who` writes `text`; what the bot sent in answer."""
        wamid = f"wamid.IN{next(self.wamids):06d}"
        assert await self.post(meta.text_message(wamid, who, phone, text)) == 200
        return self.new()

    async def pick(self, payload: str, title: str, kind: str = "button") -> list[dict]:
        wamid = f"wamid.IN{next(self.wamids):06d}"
        assert await self.post(meta.picked(wamid, BSUID, PHONE, payload, title, kind)) == 200
        return self.new()

    async def dispatch(self) -> list[dict]:
        adapters: dict[str, Adapter] = {"whatsapp": self.adapter, "console": self.console}
        while (await self.core.dispatch(adapters)) > 0:
            pass
        return self.new()

    async def at(self, when: Any) -> list[dict]:
        clock = self.core.clock
        assert isinstance(clock, FakeClock)
        clock.set(when)
        await self.core.tick()
        return await self.dispatch()

    def new(self) -> list[dict]:
        sent = self.graph.sent[self.seen :]
        self.seen = len(self.graph.sent)
        return sent


async def serve(core: Core, graph: meta.FakeGraphApi, **settings: object) -> Bot:
    values: dict[str, object] = {
        "whatsapp_phone_number_id": meta.PHONE_NUMBER_ID,
        "whatsapp_access_token": meta.ACCESS_TOKEN,
        "whatsapp_app_secret": meta.APP_SECRET,
        "whatsapp_verify_token": meta.VERIFY_TOKEN,
        "whatsapp_api_base_url": graph.base_url,
    }
    values.update(settings)
    adapter = WhatsAppAdapter.from_settings(WhatsAppSettings(**values), core)  # type: ignore[arg-type]
    await adapter.start()
    server = TestServer(build_app(core, [adapter]), host="127.0.0.1")
    await server.start_server()
    return Bot(core, adapter, server, aiohttp.ClientSession(), graph, Chat(core))


@pytest.fixture
async def bot(core: Core, graph: meta.FakeGraphApi) -> AsyncIterator[Bot]:
    bot = await serve(core, graph)
    yield bot
    await bot.client.close()
    await bot.server.close()
    await bot.adapter.stop()


@pytest.fixture
async def any_bot(
    any_engine: AsyncEngine, clock: FakeClock, graph: meta.FakeGraphApi
) -> AsyncIterator[Bot]:
    """The bot on SQLite, then on PostgreSQL: for what asks the database something new."""
    bot = await serve(whatsapp_core(any_engine, clock), graph)
    yield bot
    await bot.client.close()
    await bot.server.close()
    await bot.adapter.stop()


def text_of(message: dict) -> str:
    """What a sent message reads: its text, interactive body, or template parameter."""
    kind = message["type"]
    if kind == "text":
        return str(message["text"]["body"])
    if kind == "interactive":
        return str(message["interactive"]["body"]["text"])
    if kind == "template":
        [component] = message["template"]["components"]
        return str(component["parameters"][0]["text"])
    return ""


def texts(messages: list[dict]) -> str:
    return "\n".join(text_of(message) for message in messages)


async def queue(core: Core, to: str, text: str, kind: MessageKind, **extra: Any) -> None:
    """A proactive message of `kind` to `to` on WhatsApp, as a service would write it."""
    async with open_session(core) as session, session.begin():
        key = outbox.OutboxKey(kind, "test", to, text[:40])
        message = Outbound(Address("whatsapp", to), text, **extra)
        await outbox.enqueue(session, key, message, "en", core.clock.now())


async def rows(core: Core) -> list[OutboxMessage]:
    async with open_session(core) as session:
        found = await session.exec(
            select(OutboxMessage).where(OutboxMessage.kind != MessageKind.REPLY)
        )
        return list(found.all())


async def account(core: Core, external_id: str) -> Account | None:
    async with open_session(core) as session:
        return (
            await session.exec(
                select(Account).where(
                    Account.platform == "whatsapp", Account.external_id == external_id
                )
            )
        ).first()


# The webhook's door


async def test_the_verify_token_challenge_is_answered_and_a_wrong_token_refused(bot: Bot) -> None:
    url = bot.server.make_url("/whatsapp/webhook")
    good = {
        "hub.mode": "subscribe",
        "hub.verify_token": meta.VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    async with bot.client.get(url, params=good) as response:
        assert (response.status, await response.text()) == (200, "1158201444")
    for wrong in (
        {**good, "hub.verify_token": "guessed"},
        {**good, "hub.mode": "unsubscribe"},
        {**good, "hub.challenge": "<script>alert(1)</script>"},
        {"hub.challenge": "1158201444"},
    ):
        async with bot.client.get(url, params=wrong) as response:
            assert response.status == 403


async def test_forged_or_unsigned_notifications_are_refused_and_nothing_is_stored(
    bot: Bot,
) -> None:
    body = meta.text_message("wamid.FORGED1", BSUID, PHONE, "/start")
    assert await bot.post(body, signature=None) == 403
    assert await bot.post(body, signature=meta.signature(body, "another-secret")) == 403
    assert await bot.post(body, signature="sha256=" + "0" * 64) == 403
    assert await bot.post(body, signature=meta.signature(body)[len("sha256=") :]) == 403
    tampered = body.replace(b"/start", b"/forget")
    assert await bot.post(tampered, signature=meta.signature(body)) == 403
    assert await stored(bot.core) == NOTHING
    assert bot.graph.sent == []
    # Signed, but not JSON: refused too.
    assert await bot.post(b"not json") == 400
    assert await stored(bot.core) == NOTHING


async def test_without_an_app_secret_every_notification_is_refused(
    core: Core, graph: meta.FakeGraphApi
) -> None:
    bot = await serve(core, graph, whatsapp_app_secret=None)
    try:
        body = meta.text_message("wamid.NOSECRET", BSUID, PHONE, "/start")
        assert await bot.post(body, signature=meta.signature(body, "")) == 403
        assert await stored(core) == NOTHING
    finally:
        await bot.client.close()
        await bot.server.close()
        await bot.adapter.stop()


# Messages in, answers out


async def test_a_message_is_answered_once_even_when_meta_sends_it_again(bot: Bot) -> None:
    body = meta.text_message("wamid.ONCE", BSUID, PHONE, "/start", name="Wanjiru")
    assert await bot.post(body) == 200
    [answer] = bot.new()
    assert answer["recipient"] == BSUID
    assert "learning circle" in text_of(answer).casefold()
    assert await bot.post(body) == 200  # Meta resends what it thinks we missed
    assert bot.new() == []
    found = await account(bot.core, BSUID)
    assert found is not None and found.address == BSUID
    counts = await stored(bot.core)
    assert (counts["people"], counts["accounts"], counts["receipts"]) == (1, 1, 1)


async def test_someone_known_only_by_a_business_scoped_id_can_join(bot: Bot) -> None:
    assert "is ready" in await bot.console.say("Amina", DETROIT_CIRCLE)
    code = await code_of(bot.core, "Python for Everyone")
    answers = await bot.write(f"join {code}", who=HIDDEN, phone=None)
    assert "Welcome to Python for Everyone" in texts(answers)
    assert all(message.get("recipient") == HIDDEN for message in answers)
    assert all("to" not in message for message in answers)
    found = await account(bot.core, HIDDEN)
    assert found is not None and found.address == HIDDEN


async def test_choices_are_reply_buttons_and_a_pick_comes_back_as_its_payload(bot: Bot) -> None:
    assert "is ready" in await bot.console.say("Amina", DETROIT_CIRCLE)
    code = await code_of(bot.core, "Python for Everyone")
    await bot.write(f"join {code}")
    [question] = await bot.write("To write small programs for my shop.")
    assert question["type"] == "interactive"
    interactive = question["interactive"]
    assert interactive["type"] == "button"
    buttons = [button["reply"] for button in interactive["action"]["buttons"]]
    assert 2 <= len(buttons) <= 3
    assert all(len(button["title"]) <= 20 for button in buttons)
    # Picking the first button sends its payload back: the facilitator may read her answers.
    answers = await bot.pick(buttons[0]["id"], buttons[0]["title"])
    assert "Thanks" in texts(answers)


async def test_five_ratings_are_a_list_and_a_picked_row_answers_the_checkin(
    bot: Bot, clock: FakeClock
) -> None:
    assert "is ready" in await bot.console.say("Amina", DETROIT_CIRCLE)
    code = await code_of(bot.core, "Python for Everyone")
    clock.set(starts(1) + timedelta(hours=1))  # she joins at the first meeting
    await bot.write(f"join {code}")
    await bot.write("/skip")
    await bot.write("1")
    [checkin] = await bot.at(checkin_due(1))
    interactive = checkin["interactive"]
    assert interactive["type"] == "list"
    assert len(interactive["action"]["button"]) <= 20
    [section] = interactive["action"]["sections"]
    assert len(section["rows"]) == 5
    assert all(len(row["title"]) <= 24 for row in section["rows"])
    row = section["rows"][3]
    answers = await bot.pick(row["id"], row["title"], kind="list")
    assert "Thanks" in texts(answers)
    async with open_session(bot.core) as session:
        [rating] = (await session.exec(select(CheckIn))).all()
    assert rating.rating == 4


async def test_long_text_is_split_within_whatsapps_4096_characters(bot: Bot) -> None:
    await bot.write("/start")
    long = "\n".join(f"Line {n}: " + "word " * 60 for n in range(40))
    await queue(bot.core, BSUID, long, MessageKind.ANNOUNCEMENT)
    sent = await bot.dispatch()
    assert len(sent) >= 3
    assert all(len(text_of(message)) <= 4096 for message in sent)
    assert "".join(text_of(m) for m in sent).replace("\n", "") == long.replace("\n", "")


async def test_files_go_as_documents_and_images(bot: Bot) -> None:
    await bot.write("/start")
    files = (
        Attachment("python-for-everyone.ics", "text/calendar", b"BEGIN:VCALENDAR\r\n"),
        Attachment("attendance.png", "image/png", b"\x89PNG\r\n\x1a\nchart"),
    )
    await queue(
        bot.core, BSUID, "Your calendar and chart.", MessageKind.ANNOUNCEMENT, attachments=files
    )
    sent = await bot.dispatch()
    assert [message["type"] for message in sent] == ["text", "document", "image"]
    assert sent[1]["document"]["filename"] == "python-for-everyone.ics"
    calendar, chart = bot.graph.uploads
    # WhatsApp shows no text/calendar: the file travels as text under its own name.
    assert (calendar["type"], calendar["data"]) == ("text/plain", b"BEGIN:VCALENDAR\r\n")
    assert (chart["type"], chart["data"]) == ("image/png", b"\x89PNG\r\n\x1a\nchart")
    assert sent[1]["document"]["id"] == calendar["id"] and sent[2]["image"]["id"] == chart["id"]


# Delivery: statuses, refusals, rate limits


async def test_delivery_statuses_are_recorded_on_the_message(bot: Bot) -> None:
    await bot.write("/start")
    await queue(bot.core, BSUID, "See you Thursday.", MessageKind.ANNOUNCEMENT)
    assert len(await bot.dispatch()) == 1
    wamid = bot.graph.ids[-1]
    for state in ("sent", "delivered", "read"):
        assert await bot.post(meta.status(wamid, state, BSUID)) == 200
    [row] = await rows(bot.core)
    assert (row.receipt, row.delivery_status) == (wamid, "delivered")
    assert row.delivered_at is not None
    # A failure reported for another message marks that one failed.
    await queue(bot.core, BSUID, "And the week after.", MessageKind.ANNOUNCEMENT)
    await bot.dispatch()
    assert await bot.post(meta.status(bot.graph.ids[-1], "failed", BSUID, 131026)) == 200
    later = [r for r in await rows(bot.core) if r.receipt == bot.graph.ids[-1]]
    assert later[0].delivery_status == "failed"


async def test_a_number_not_on_whatsapp_is_refused_for_good(bot: Bot) -> None:
    await bot.write("/start")
    bot.graph.plan(BSUID, "131026")
    await queue(bot.core, BSUID, "See you Thursday.", MessageKind.ANNOUNCEMENT)
    await queue(bot.core, BSUID, "And the week after.", MessageKind.ANNOUNCEMENT)
    assert await bot.dispatch() == []
    assert [(row.status, row.failure) for row in await rows(bot.core)] == [
        (OutboxStatus.DEAD, "permanent"),
        (OutboxStatus.DEAD, "permanent"),
    ]
    found = await account(bot.core, BSUID)
    assert found is not None and found.reachable is False
    assert bot.graph.requests.count((BSUID, 400)) == 1  # the second was never tried


async def test_a_rate_limit_is_waited_out_and_the_message_sent_after(
    bot: Bot, clock: FakeClock
) -> None:
    await bot.write("/start")
    bot.graph.plan(BSUID, "429")
    await queue(bot.core, BSUID, "See you Thursday.", MessageKind.ANNOUNCEMENT)
    assert await bot.dispatch() == []
    [row] = await rows(bot.core)
    assert row.status == OutboxStatus.PENDING and row.next_attempt_at > clock.now()
    assert (BSUID, 429) in bot.graph.requests
    sent = await bot.at(clock.now() + timedelta(minutes=1))
    assert texts(sent) == "See you Thursday."


# The 24-hour rule


async def test_inside_the_window_a_reminder_is_free_form_with_buttons(
    bot: Bot, clock: FakeClock
) -> None:
    assert "is ready" in await bot.console.say("Amina", DETROIT_CIRCLE)
    code = await code_of(bot.core, "Python for Everyone")
    clock.set(starts(1) - timedelta(hours=30))
    await bot.write(f"join {code}")
    await bot.write("/skip")
    await bot.write("1")
    [reminder] = await bot.at(starts(1) - timedelta(hours=24))
    assert reminder["type"] == "interactive" and reminder["interactive"]["type"] == "button"
    assert "meets in 24 hours" in text_of(reminder)


async def test_outside_the_window_a_reminder_goes_as_its_template(
    bot: Bot, clock: FakeClock
) -> None:
    assert "is ready" in await bot.console.say("Amina", DETROIT_CIRCLE)
    code = await code_of(bot.core, "Python for Everyone")
    await bot.write(f"join {code}")  # a week before the first meeting
    await bot.write("/skip")
    await bot.write("1")
    [reminder] = await bot.at(starts(1) - timedelta(hours=24))
    assert reminder["type"] == "template"
    template = reminder["template"]
    assert (template["name"], template["language"]["code"]) == ("circlebot_reminder", "en")
    parameter = text_of(reminder)
    assert "meets in 24 hours" in parameter
    assert "Reply 1 for Yes or 2 for No" in parameter  # the choices, as words
    assert "\n" not in parameter and len(parameter) <= 1024
    # Answering with the number: she is coming, and the window is open again.
    assert "see you" in texts(await bot.write("1")).casefold()


async def test_a_message_with_no_template_waits_for_the_next_message(
    any_bot: Bot, clock: FakeClock
) -> None:
    bot = any_bot
    await bot.write("/start")
    clock.advance(timedelta(days=2))  # the window has closed
    await queue(bot.core, BSUID, "Brian joined your circle.", MessageKind.MEMBER_JOINED)
    assert await bot.dispatch() == []
    [waiting] = await rows(bot.core)
    assert waiting.status == OutboxStatus.PENDING
    # Nothing else waits behind it: a reminder (with its template) still goes.
    await queue(bot.core, BSUID, "Your circle meets tomorrow.", MessageKind.REMINDER)
    [reminder] = await bot.dispatch()
    assert reminder["type"] == "template"
    # She writes: her answer, then what waited for her.
    answers = await bot.write("hello")
    assert answers and "Brian joined" not in texts(answers)
    [waited] = await bot.dispatch()
    assert waited["type"] == "text" and text_of(waited) == "Brian joined your circle."


async def test_a_template_meta_refuses_waits_like_a_message_with_none(
    bot: Bot, clock: FakeClock
) -> None:
    await bot.write("/start")
    clock.advance(timedelta(days=2))
    bot.graph.plan(BSUID, "132001")  # the operator has not had it approved
    await queue(bot.core, BSUID, "Your circle meets tomorrow.", MessageKind.REMINDER)
    await queue(bot.core, BSUID, "A letter arrived.", MessageKind.LETTER)
    sent = await bot.dispatch()
    assert [m["template"]["name"] for m in sent] == ["circlebot_letter"]
    await bot.write("hi")
    assert texts(await bot.dispatch()) == "Your circle meets tomorrow."


async def test_without_approved_templates_proactive_messages_wait(
    core: Core, graph: meta.FakeGraphApi, clock: FakeClock
) -> None:
    bot = await serve(core, graph, whatsapp_template_languages="")
    try:
        await bot.write("/start")
        clock.advance(timedelta(days=2))
        await queue(core, BSUID, "Your circle meets tomorrow.", MessageKind.REMINDER)
        assert await bot.dispatch() == []
        await bot.write("hi")
        assert texts(await bot.dispatch()) == "Your circle meets tomorrow."
    finally:
        await bot.client.close()
        await bot.server.close()
        await bot.adapter.stop()


async def test_choices_too_many_for_a_list_are_numbered(bot: Bot) -> None:
    await bot.write("/start")
    choices = tuple(Choice(f"Circle {n}", f"#{n} /next") for n in range(12))
    await queue(bot.core, BSUID, "Which circle?", MessageKind.ANNOUNCEMENT, choices=choices)
    [sent] = await bot.dispatch()
    assert sent["type"] == "text"
    assert "Reply 1 for Circle 0" in text_of(sent)


async def test_with_a_linked_sms_number_a_message_with_no_template_goes_by_sms(
    any_bot: Bot, clock: FakeClock
) -> None:
    bot = any_bot
    offer = texts(await bot.write("/link"))
    code = re.search(r"LINK ([A-Z0-9]+)", offer)
    assert code is not None, offer
    by_sms = Chat(bot.core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "linked" in (await by_sms.say("+254712345678", f"LINK {code[1]}")).casefold()
    clock.advance(timedelta(days=2))  # her WhatsApp window has closed
    await queue(bot.core, BSUID, "Brian joined your circle.", MessageKind.MEMBER_JOINED)
    adapters: dict[str, Adapter] = {"whatsapp": bot.adapter, "sms": by_sms}
    await bot.core.dispatch(adapters)
    await bot.core.dispatch(adapters)
    assert bot.new() == []
    assert [(m.address.chat_id, m.text) for m in by_sms.sent] == [
        ("+254712345678", "Brian joined your circle.")
    ]


# The templates


def test_every_template_carries_a_real_kind_and_is_listed_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    kinds = {kind.value for kind in MessageKind}
    for kind, template in templates.TEMPLATES.items():
        assert kind in kinds
        assert template.body.count("{{1}}") == 1
        assert f"| `{template.suffix}` |" in readme
        assert f"| {template.body} |" in readme


def test_a_message_is_flattened_into_one_template_parameter_or_does_not_fit() -> None:
    body = templates.TEMPLATES["reminder"].body
    text = "Python for Everyone meets in 24 hours.\n\n  Detroit   Public Library\n\tSee you!"
    assert templates.as_parameter(text, body) == (
        "Python for Everyone meets in 24 hours. · Detroit Public Library · See you!"
    )
    room = templates.MAX_BODY_CHARS - len(body.replace("{{1}}", ""))
    assert templates.as_parameter("a" * room, body) == "a" * room
    assert templates.as_parameter("a" * (room + 1), body) is None
    assert templates.as_parameter(" \n ", body) is None


def test_a_template_is_sent_in_the_messages_language_when_approved() -> None:
    approved = ("en", "sw")
    assert templates.language_for("sw", approved) == "sw"
    assert templates.language_for("sw_KE", approved) == "sw"
    assert templates.language_for("da", approved) == "en"
    assert templates.language_for(None, approved) == "en"
    assert templates.language_for("sw", ()) is None


async def test_a_long_text_over_buttons_goes_first_and_the_buttons_keep_1024(bot: Bot) -> None:
    await bot.write("/start")
    text = "\n".join(f"Point {n}: " + " ".join(["detail"] * 20) for n in range(12))
    choices = (Choice("Yes", "yes"), Choice("No", "no"))
    await queue(bot.core, BSUID, text, MessageKind.ANNOUNCEMENT, choices=choices)
    *before, last = await bot.dispatch()
    assert before and all(message["type"] == "text" for message in before)
    assert last["interactive"]["type"] == "button"
    assert len(text_of(last)) <= 1024
    assert "\n".join(text_of(m) for m in [*before, last]) == text


async def test_the_template_is_in_the_learners_language(bot: Bot, clock: FakeClock) -> None:
    assert "is ready" in await bot.console.say("Amina", DETROIT_CIRCLE)
    code = await code_of(bot.core, "Python for Everyone")
    await bot.write(f"join {code}")
    await bot.write("/skip")
    await bot.write("1")
    await bot.write("/language sw")
    [reminder] = await bot.at(starts(1) - timedelta(hours=24))
    assert reminder["template"]["language"]["code"] == "sw"
