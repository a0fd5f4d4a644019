"""The USSD adapter over real HTTP: the aiohttp client posts Africa's Talking's session callbacks
(the request shapes below) to the bot's web app on 127.0.0.1, and reads the CON / END screens.
The person behind the phone is the SMS account of its number; what the core sends later goes by
SMS through a fake Africa's Talking messaging API.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from adapters.platforms.sms import SmsAdapter, SmsSettings
from adapters.platforms.ussd import EVENTS_PATH, SESSION_PATH, UssdAdapter
from adapters.platforms.ussd.sessions import Sessions
from adapters.platforms.ussd_platform import SCREEN_SEPTETS, UssdSettings
from adapters.shell.platforms import described, platform_adapters
from adapters.shell.settings import Settings
from adapters.shell.web import build_app
from bot.chat.clock import FakeClock
from bot.core import Access, Core
from bot.storage.models import CheckIn, Person, Question, Reflection, Rsvp, RsvpAnswer
from tests.adapters.platforms.fake_sms import (
    NOTHING,
    FakeAfricasTalking,
    sms_account,
    sms_core,
    stored,
)
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.delivery.test_database_outage import locked
from tests.seasons import checkin_due, starts

TOKEN = "s3cret-webhook-token"
SERVICE_CODE = "*384*123#"
LEARNER = "+254712345678"

# Africa's Talking's USSD callback, as its documentation gives it: a form post for each step
# of a session. `text` is empty on the first, then every input so far joined by "*".
SESSION_START = {
    "sessionId": "ATUid_2f4b7c5d1e8a9b0c3d6e",
    "serviceCode": SERVICE_CODE,
    "phoneNumber": LEARNER,
    "networkCode": "63902",
    "text": "",
}
SESSION_STEP = {**SESSION_START, "text": "2*1"}
# And the notification it posts when a session ends (to the events callback URL).
SESSION_ENDED = {
    "date": "2026-10-20 17:02:11",
    "sessionId": "ATUid_2f4b7c5d1e8a9b0c3d6e",
    "serviceCode": SERVICE_CODE,
    "networkCode": "63902",
    "phoneNumber": LEARNER,
    "status": "Incomplete",
    "cost": "KES 0.0000",
    "durationInSeconds": "42",
    "hopsCount": "2",
    "input": "2",
    "lastAppResponse": "CON Will you come to the next meeting of Python for Everyone?",
    "errorMessage": "",
}


@pytest.fixture
def core(sqlite_engine: AsyncEngine, clock: FakeClock) -> Core:
    return sms_core(sqlite_engine, clock)


@dataclass
class Bot:
    core: Core
    ussd: UssdAdapter
    sms: SmsAdapter
    server: TestServer
    client: aiohttp.ClientSession
    at: FakeAfricasTalking
    screens: list[str] = field(default_factory=list)  # every screen shown, in order
    sessions: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def post(
        self, path: str, fields: Mapping[str, str], token: str | None = TOKEN, **options: Any
    ) -> tuple[int, str]:
        params = {"token": token} if token is not None else {}
        data = options.pop("data", dict(fields))
        async with self.client.post(
            self.server.make_url(path), params=params, data=data, **options
        ) as response:
            return response.status, await response.text()

    def dial(self, number: str = LEARNER) -> Phone:
        return Phone(self, number, f"ATUid_{next(self.sessions):020d}")


@dataclass
class Phone:
    """One USSD session on a phone: each input posts the whole path so far, as the gateway
    does; every screen is checked to fit."""

    bot: Bot
    number: str
    session_id: str
    inputs: list[str] = field(default_factory=list)
    ended: bool = False

    async def show(self, *inputs: str) -> str:
        """The screen after `inputs` (the first screen when none); "CON ..." or "END ..."."""
        assert not self.ended, "the session has ended"
        self.inputs.extend(inputs)
        fields = {**SESSION_START, "sessionId": self.session_id, "phoneNumber": self.number}
        fields["text"] = "*".join(self.inputs)
        status, body = await self.bot.post(SESSION_PATH, fields)
        assert status == 200, body
        assert body.startswith(("CON ", "END ")), body
        screen = body[4:]
        assert len(screen) <= SCREEN_SEPTETS, screen
        self.bot.screens.append(body)
        self.ended = body.startswith("END ")
        return body

    async def through(self, *inputs: str) -> str:
        """The screens after each of `inputs` in turn (one post each); the last one."""
        body = ""
        for value in inputs:
            body = await self.show(value)
        return body


async def serve(core: Core, at: FakeAfricasTalking, **settings: object) -> Bot:
    ussd_values: dict[str, object] = {
        "ussd_service_code": SERVICE_CODE,
        "ussd_webhook_token": TOKEN,
    }
    ussd_values.update(settings)
    ussd = UssdAdapter.from_settings(UssdSettings(**ussd_values), core)  # type: ignore[arg-type]
    sms = SmsAdapter.from_settings(
        SmsSettings(
            at_username=at.username,
            at_api_key=at.api_key,  # type: ignore[arg-type]
            at_api_base_url=at.base_url,
            at_webhook_token=TOKEN,  # type: ignore[arg-type]
        ),
        core,
    )
    await ussd.start()
    await sms.start()
    server = TestServer(build_app(core, [ussd, sms]), host="127.0.0.1")
    await server.start_server()
    return Bot(core, ussd, sms, server, aiohttp.ClientSession(), at)


async def close(bot: Bot) -> None:
    await bot.client.close()
    await bot.server.close()
    await bot.sms.stop()
    await bot.ussd.stop()


@pytest.fixture
async def bot(core: Core, at: FakeAfricasTalking) -> AsyncIterator[Bot]:
    bot = await serve(core, at)
    yield bot
    await close(bot)


async def detroit(core: Core) -> str:
    """Amina's circle (Thursdays 18:00 in Detroit from 29 October); its join code."""
    console = Chat(core)
    assert "is ready" in await console.say("Amina", DETROIT_CIRCLE)
    return await code_of(core, "Python for Everyone")


async def joined(bot: Bot, code: str) -> None:
    """Joined by USSD, the session then left (their name and goal are asked next)."""
    assert "Welcome" in await bot.dial().through("6", code)


async def circle_choices(core: Core) -> list[str]:
    return [c.name for c in await core.circle_choices("sms", LEARNER, Access.MEMBER)]


async def rsvps(core: Core) -> list[Rsvp]:
    async with open_session(core) as session:
        return list((await session.exec(select(Rsvp))).all())


async def test_the_first_screen_is_the_menu(bot: Bot) -> None:
    menu = await bot.dial().show()
    assert menu == (
        "CON Learning circle menu\n1 Next meeting\n2 Say if you'll come\n3 Rate this week\n"
        "4 Answer a question\n5 My circles\n6 Join a circle\n7 Stop messages"
    )
    assert await stored(bot.core) == NOTHING  # a menu changes nothing


async def test_joining_by_code_pages_the_welcome_then_asks_name_and_goal(bot: Bot) -> None:
    code = await detroit(bot.core)
    phone = bot.dial()
    assert "join code" in await phone.show("6")
    first = await phone.show(code.lower())  # codes are read in any case
    assert first.startswith("CON Welcome to Python for Everyone!")
    assert first.endswith("\n0 More\n00 Back")
    pages = [first]
    while "Type your answer:" not in pages[-1]:
        pages.append(await phone.show("0"))
    # The welcome (shorter by SMS since the walkthroughs) takes more than one screen.
    assert len(pages) >= 2 and pages[0].endswith("\n0 More\n00 Back")
    assert await phone.show("00") == pages[-2]
    words = " ".join(page[4:].split("\n0 More")[0].split("\nType")[0] for page in pages)
    assert "Meeting 1 of 6" in words and "What should the group call you?" in words
    # The welcome asked their name: typed on the same session, then the goal, then sharing.
    assert "Nice to meet you, Wanjiru!" in await phone.show("Wanjiru")
    sharing = await phone.show("To write small programs for my shop")
    assert "May Amina read your written answers?" in sharing  # by text, named (sms 35)
    while "1 " not in sharing:
        sharing = await phone.show("0")
    assert (await phone.show("1")).startswith("END Thanks! From now on, Amina will see")
    account = await sms_account(bot.core, LEARNER)
    assert account is not None  # the person is the SMS account of the number that dialled
    async with open_session(bot.core) as session:
        person = await session.get_one(Person, account.person_id)
        [goal] = (await session.exec(select(Reflection))).all()
    assert person.display_name == "Wanjiru" and goal.text == "To write small programs for my shop"


async def test_a_wrong_code_is_answered_and_joins_nothing(bot: Bot) -> None:
    await detroit(bot.core)
    wrong = await bot.dial().through("6", "ZZZZZZZ")
    assert wrong.startswith("END I couldn't find a circle with the code ZZZZZZZ")
    assert await circle_choices(bot.core) == []


async def test_next_meeting_and_rsvp_reach_the_core(bot: Bot) -> None:
    await joined(bot, await detroit(bot.core))
    answer = await bot.dial().show("1")
    assert answer.startswith("END Python for Everyone\nMeeting 1 of 6")
    phone = bot.dial()
    question = await phone.show("2")
    assert question == (
        "CON Will you come to the next meeting of Python for Everyone?\n1 Yes\n2 No\n00 Back"
    )
    assert (await phone.show("1")).startswith("END Great, see you at meeting 1")
    [rsvp] = await rsvps(bot.core)
    assert rsvp.answer == RsvpAnswer.YES
    # Changing one's mind in another session.
    assert "END " in await bot.dial().through("2", "2")
    [rsvp] = await rsvps(bot.core)
    assert rsvp.answer == RsvpAnswer.NO


async def test_a_repeated_post_shows_the_same_screen_and_acts_once(bot: Bot) -> None:
    await joined(bot, await detroit(bot.core))
    phone = bot.dial()
    await phone.show("2")
    done = await phone.show("1")
    receipts = (await stored(bot.core))["receipts"]
    phone.ended = False
    phone.inputs.pop()
    assert await phone.show("1") == done  # the gateway posted it again: the same screen
    assert (await stored(bot.core))["receipts"] == receipts
    # A process that never saw the session (a restart) plays it again: nothing is done twice.
    other = UssdAdapter(bot.core, service_codes=frozenset({SERVICE_CODE}), webhook_token=TOKEN)
    bot.ussd.sessions = other.sessions
    phone.ended = False
    phone.inputs.pop()
    assert await phone.show("1") == "END Done. Dial again for the menu."
    assert len(await rsvps(bot.core)) == 1
    assert (await stored(bot.core))["receipts"] == receipts


async def test_a_session_dropped_mid_flow_changes_nothing(bot: Bot) -> None:
    await joined(bot, await detroit(bot.core))  # the question of their name waits
    before = await stored(bot.core)
    async with open_session(bot.core) as session:
        questions_before = len((await session.exec(select(Question))).all())
    for inputs in (("2",), ("3",), ("7",), ("6",), ("4",)):
        phone = bot.dial()
        await phone.through(*inputs)  # then the phone drops the session
        assert not phone.ended
    assert await stored(bot.core) == before
    async with open_session(bot.core) as session:
        assert len((await session.exec(select(Question))).all()) == questions_before
        assert (await session.exec(select(CheckIn))).all() == []
    assert (await bot.dial().show()).startswith("CON Learning circle menu")


async def test_rating_this_week_and_answering_the_question(bot: Bot, clock: FakeClock) -> None:
    await joined(bot, await detroit(bot.core))
    clock.set(starts(1) + timedelta(minutes=30))
    phone = bot.dial()
    assert (await phone.show("3")).startswith("CON How did this week go in Python for Everyone?")
    # Before the meeting has ended there is no check-in yet: the core says so.
    clock.set(starts(1) - timedelta(days=1))
    early = await phone.show("4")
    assert (
        early == "END Your circle hasn't met yet. The first check-in comes after the first meeting."
    )

    clock.set(checkin_due(1) + timedelta(hours=1))
    await bot.core.tick()
    rating = await bot.dial().through("3", "4")
    assert rating.startswith("END Thanks") or rating.startswith("CON Thanks")
    async with open_session(bot.core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
    assert checkin.rating == 4

    phone = bot.dial()
    question = await phone.show("4")
    assert question.startswith("CON ") and "Type your answer:" in question
    assert (await phone.show("We paired up and it helped")).startswith("END Thank")
    async with open_session(bot.core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
    assert checkin.answer == "We paired up and it helped"
    assert await bot.dial().through("4") == "END No question is waiting for you right now."


async def test_several_circles_ask_which_one(bot: Bot) -> None:
    code = await detroit(bot.core)
    console = Chat(bot.core)
    await console.say("Amina", DETROIT_CIRCLE.replace("Python for Everyone", "Spanish Together"))
    await joined(bot, code)
    await joined(bot, await code_of(bot.core, "Spanish Together"))
    phone = bot.dial()
    which = await phone.show("2")
    assert which.startswith("CON Which circle?\n1 ")
    assert "Spanish Together" in which and "Python for Everyone" in which
    number = "1" if "1 Spanish Together" in which else "2"
    assert "Spanish Together" in await phone.show(number)
    await phone.show("1")
    [rsvp] = await rsvps(bot.core)
    assert rsvp.answer == RsvpAnswer.YES
    circles = await bot.dial().show("5")
    assert circles.startswith("END Your circles:") and "Spanish Together" in circles


async def test_stop_asks_first_then_stops_every_sms_and_start_brings_them_back(
    bot: Bot,
) -> None:
    await joined(bot, await detroit(bot.core))
    phone = bot.dial()
    assert (await phone.show("7")).startswith("CON Stop all messages")
    assert (await phone.show("2")).startswith("CON Learning circle menu")  # No: the menu
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and not account.opted_out

    assert "won't get any more messages" in await bot.dial().through("7", "1")
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and account.opted_out
    menu = await bot.dial().show()
    assert "7 Start messages again" in menu
    off = await bot.dial().show("1")
    assert off == "END Your messages are off. Choose 7 in the menu to start them again."
    assert "Welcome back" in await bot.dial().show("7")
    account = await sms_account(bot.core, LEARNER)
    assert account is not None and not account.opted_out


async def test_wrong_inputs_are_asked_again_and_back_goes_back(bot: Bot) -> None:
    phone = bot.dial()
    assert (await phone.show("9")).startswith("CON Please choose one of the numbers.\n")
    assert (await phone.show("99999999999999999999999")).startswith("CON Please choose")
    assert (await phone.show("0")).startswith("CON Please choose")  # no page after this
    assert (await phone.show("7")).startswith("CON Stop all messages")
    assert (await phone.show("00")).startswith("CON Learning circle menu")
    assert await stored(bot.core) == NOTHING


async def test_forged_and_bad_requests_are_refused_and_store_nothing(bot: Bot) -> None:
    await detroit(bot.core)
    before = await stored(bot.core)
    fields = {**SESSION_STEP, "text": "7*1"}
    assert (await bot.post(SESSION_PATH, fields, token=None))[0] == 403
    assert (await bot.post(SESSION_PATH, fields, token="guess"))[0] == 403
    assert (await bot.post(SESSION_PATH, fields, token=""))[0] == 403
    assert (await bot.post(EVENTS_PATH, SESSION_ENDED, token="guess"))[0] == 403
    plain = await bot.post(SESSION_PATH, {}, data="x", headers={"Content-Type": "text/plain"})
    assert plain[0] == 415
    for name in ("sessionId", "serviceCode", "phoneNumber"):
        missing = {key: value for key, value in fields.items() if key != name}
        assert (await bot.post(SESSION_PATH, missing))[0] == 400
    for number in ("+999", "MPESA", ""):
        assert (await bot.post(SESSION_PATH, {**fields, "phoneNumber": number}))[0] == 400
    assert (await bot.post(SESSION_PATH, {**fields, "serviceCode": "*100#"}))[0] == 400
    assert (await bot.post(SESSION_PATH, {**fields, "sessionId": "x" * 200}))[0] == 400
    assert await stored(bot.core) == before
    assert bot.at.requests == []


async def test_without_a_token_every_callback_is_refused(
    core: Core, at: FakeAfricasTalking, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AT_WEBHOOK_TOKEN", raising=False)
    monkeypatch.delenv("USSD_WEBHOOK_TOKEN", raising=False)
    bot = await serve(core, at, ussd_webhook_token=None)
    try:
        for token in ("", "None", TOKEN):
            assert (await bot.post(SESSION_PATH, SESSION_STEP, token=token))[0] == 403
        assert await stored(core) == NOTHING
    finally:
        await close(bot)


async def test_the_token_defaults_to_the_sms_gateways(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("USSD_WEBHOOK_TOKEN", raising=False)
    monkeypatch.setenv("AT_WEBHOOK_TOKEN", "shared")
    monkeypatch.setenv("USSD_SERVICE_CODE", "*384*123#, *384*124#")
    settings = UssdSettings()
    assert settings.configured and settings.service_codes == {"*384*123#", "*384*124#"}
    assert settings.ussd_webhook_token is not None
    assert settings.ussd_webhook_token.get_secret_value() == "shared"
    monkeypatch.setenv("USSD_WEBHOOK_TOKEN", "own")
    own = UssdSettings().ussd_webhook_token
    assert own is not None and own.get_secret_value() == "own"


async def test_the_end_of_session_notification_forgets_the_session(bot: Bot) -> None:
    phone = bot.dial()
    await phone.show("7")
    assert len(bot.ussd.sessions) == 1
    ended = {**SESSION_ENDED, "sessionId": phone.session_id}
    assert (await bot.post(EVENTS_PATH, ended)) == (200, "")
    assert len(bot.ussd.sessions) == 0


async def test_the_recorded_request_shape_and_json_are_read(bot: Bot) -> None:
    status, body = await bot.post(SESSION_PATH, SESSION_START)
    assert status == 200 and body.startswith("CON Learning circle menu")
    status, body = await bot.post(SESSION_PATH, {}, data=None, json=SESSION_STEP)
    assert status == 200 and body.startswith("END ")  # "2*1" with no circle: not in one yet


async def test_the_menu_follows_the_persons_language(bot: Bot) -> None:
    sms = bot.dial()
    await sms.show()
    standing = await bot.core.standing("sms", LEARNER)
    assert standing.locale == "en"
    # /language by SMS: the menu follows.
    from bot.chat.messages import Inbound
    from bot.chat.segments import SMS_CAPABILITIES

    inbound = Inbound("sms", LEARNER, LEARNER, "SMS-lang", "/language sw")
    await bot.core.handle(inbound, SMS_CAPABILITIES)
    assert (await bot.core.standing("sms", LEARNER)).locale == "sw"
    title = bot.core.catalogs.translator("sw")._("Learning circle menu")
    assert (await bot.dial().show()).startswith("CON " + title)


async def test_a_locked_database_ends_the_session_with_an_apology_and_nothing_done(
    bot: Bot, sqlite_engine: AsyncEngine
) -> None:
    await joined(bot, await detroit(bot.core))
    phone = bot.dial()
    await phone.show("2")
    assert sqlite_engine.url.database is not None
    with locked(Path(sqlite_engine.url.database)):
        sorry = await phone.show("1")
    assert sorry == (
        "END Sorry, something went wrong on my side and nothing was changed. "
        "Please try again in a moment."
    )
    assert await rsvps(bot.core) == []
    # The gateway's next try of the same step goes through, once.
    phone.ended = False
    phone.inputs.pop()
    assert (await phone.show("1")).startswith("END Great, see you at meeting 1")
    assert len(await rsvps(bot.core)) == 1


def test_a_session_is_forgotten_minutes_after_its_last_post() -> None:
    now = [0.0]
    sessions: Sessions[str] = Sessions(keep=300, capacity=2, clock=lambda: now[0])
    sessions.put("a", "1", "menu")
    now[0] = 299
    sessions.put("a", "1*2", "rsvp")  # each post keeps the whole session
    now[0] = 500
    assert sessions.get("a", "1") == "menu"
    now[0] = 900
    assert sessions.get("a", "1*2") is None
    sessions.put("b", "", "x")
    sessions.put("c", "", "y")
    sessions.put("d", "", "z")  # over capacity: the least recent goes
    assert sessions.get("b", "") is None and sessions.get("d", "") == "z"


async def test_the_shell_starts_it_when_a_service_code_is_set(
    core: Core, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("TELEGRAM_BOT_TOKEN", "DISCORD_BOT_TOKEN", "TWILIO_ACCOUNT_SID", "AT_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("USSD_SERVICE_CODE", raising=False)
    assert "ussd" not in platform_adapters(Settings(), core, worker=False)
    monkeypatch.setenv("USSD_SERVICE_CODE", SERVICE_CODE)
    monkeypatch.setenv("AT_WEBHOOK_TOKEN", TOKEN)
    adapters = platform_adapters(Settings(), core, worker=False)
    assert isinstance(adapters["ussd"], UssdAdapter)
    routes = {
        route.resource.canonical
        for route in build_app(core, adapters.values()).router.routes()
        if route.resource
    }
    assert {SESSION_PATH, EVENTS_PATH} <= routes
    # No account is a USSD one: the core is told of no such platform.
    assert "ussd" not in {platform.name for platform in described(Settings())}
