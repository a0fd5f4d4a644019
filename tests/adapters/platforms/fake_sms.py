"""Local fakes of the Twilio Messages API and the Africa's Talking messaging API, on 127.0.0.1.

Each records the messages it accepted and every request it answered, checks credentials the way
the real API does (Basic auth with the account SID and auth token; the apiKey header and the
username), and can be told to answer a number with a failure: per number, a queue of answers
used up in turn ("429", "500"), and a set of numbers refused for good (Twilio's 21610 for an
unsubscribed recipient, Africa's Talking's UserInBlacklist).
"""

from __future__ import annotations

import base64
import random
import uuid
from dataclasses import dataclass, field

from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.chat.clock import Clock
from bot.chat.messages import Address, Outbound
from bot.chat.platforms import RateLimit
from bot.core import Core
from bot.delivery import outbox
from bot.storage.models import Account, InboundReceipt, OutboxMessage, Person
from tests.database import open_session
from tests.platforms import with_limits

RETRY_AFTER = 30
# What `stored` says of a database where a refused request left nothing.
NOTHING = {"receipts": 0, "people": 0, "accounts": 0, "outbox": 0}


def sms_core(engine: AsyncEngine, clock: Clock, seed: int = 7) -> Core:
    """A core whose dispatcher does not wait the gateways' real second between SMS."""
    return Core(engine, clock, random.Random(seed), platforms=with_limits(sms=RateLimit(1000)))


@dataclass
class FakeGateway:
    """What both fakes share: the recorded traffic and the planned failures."""

    accepted: list[dict[str, str]] = field(default_factory=list)  # the forms of sent messages
    ids: list[str] = field(default_factory=list)  # the message id given to each accepted one
    requests: list[tuple[str, int]] = field(default_factory=list)  # (recipient, HTTP status)
    plans: dict[str, list[str]] = field(default_factory=dict)  # by number: "429", "500"
    unsubscribed: set[str] = field(default_factory=set)  # numbers refused for good
    server: TestServer | None = None

    def plan(self, number: str, *answers: str) -> None:
        self.plans.setdefault(number, []).extend(answers)

    def next_answer(self, number: str) -> str | None:
        planned = self.plans.get(number)
        return planned.pop(0) if planned else None

    def tries(self, number: str) -> int:
        return sum(1 for to, _ in self.requests if to == number)

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def serve(self, app: web.Application) -> None:
        self.server = TestServer(app, host="127.0.0.1", port=0)
        await self.server.start_server()

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()


@dataclass
class FakeTwilio(FakeGateway):
    account_sid: str = "AC" + "0" * 32
    auth_token: str = "twilio-auth-token"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/2010-04-01/Accounts/{sid}/Messages.json", self.messages)
        await self.serve(app)

    def _authorised(self, request: web.Request) -> bool:
        expected = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        return (
            request.match_info["sid"] == self.account_sid
            and request.headers.get("Authorization") == "Basic " + expected
        )

    async def messages(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response(
                {"code": 20003, "message": "Authenticate", "status": 401}, status=401
            )
        form = {name: str(value) for name, value in (await request.post()).items()}
        to = form.get("To", "")
        answer = self.next_answer(to)
        if to in self.unsubscribed:
            answer = "21610"
        if answer == "429":
            self.requests.append((to, 429))
            return web.json_response(
                {"code": 20429, "message": "Too Many Requests", "status": 429},
                status=429,
                headers={"Retry-After": str(RETRY_AFTER)},
            )
        if answer == "500":
            self.requests.append((to, 500))
            return web.Response(status=500, text="<html>Internal Server Error</html>")
        if answer == "21610":
            self.requests.append((to, 400))
            return web.json_response(
                {
                    "code": 21610,
                    "message": "Attempt to send to unsubscribed recipient",
                    "more_info": "https://www.twilio.com/docs/errors/21610",
                    "status": 400,
                },
                status=400,
            )
        self.requests.append((to, 201))
        self.accepted.append(form)
        sid = "SM" + uuid.uuid4().hex
        self.ids.append(sid)
        return web.json_response(
            {"sid": sid, "status": "queued", "to": to, "body": form.get("Body")}, status=201
        )


@dataclass
class FakeAfricasTalking(FakeGateway):
    username: str = "circlebot"
    api_key: str = "at-api-key"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/version1/messaging", self.messaging)
        await self.serve(app)

    async def messaging(self, request: web.Request) -> web.Response:
        form = {name: str(value) for name, value in (await request.post()).items()}
        if request.headers.get("apiKey") != self.api_key or form.get("username") != self.username:
            return web.Response(status=401, text="The supplied authentication is invalid")
        if request.headers.get("Accept") != "application/json":
            return web.Response(status=406, text="Unsupported Accept header")  # it answers XML
        to = form.get("to", "")
        answer = self.next_answer(to)
        if answer == "429":
            self.requests.append((to, 429))
            return web.Response(
                status=429, text="Too Many Requests", headers={"Retry-After": str(RETRY_AFTER)}
            )
        if answer == "500":
            self.requests.append((to, 500))
            return web.Response(status=500, text="Internal Server Error")
        self.requests.append((to, 201))
        if to in self.unsubscribed:
            recipient = {
                "statusCode": 406,
                "number": to,
                "status": "UserInBlacklist",
                "cost": "0",
                "messageId": "None",
            }
            summary = "Sent to 0/1 Total Cost: 0"
        else:
            self.accepted.append(form)
            self.ids.append("ATXid_" + uuid.uuid4().hex)
            recipient = {
                "statusCode": 101,
                "number": to,
                "status": "Success",
                "cost": "KES 0.8000",
                "messageId": self.ids[-1],
            }
            summary = "Sent to 1/1 Total Cost: KES 0.8000"
        return web.json_response(
            {"SMSMessageData": {"Message": summary, "Recipients": [recipient]}}, status=201
        )


# What the tests read from, and write to, the bot's database.


async def stored(core: Core) -> dict[str, int]:
    """How many inbound receipts, people, accounts and outbox rows the database holds."""
    counts = {}
    async with open_session(core) as session:
        for name, model in (
            ("receipts", InboundReceipt),
            ("people", Person),
            ("accounts", Account),
            ("outbox", OutboxMessage),
        ):
            counts[name] = (await session.exec(select(func.count()).select_from(model))).one()
    return counts


async def sms_account(core: Core, number: str) -> Account | None:
    async with open_session(core) as session:
        return (
            await session.exec(
                select(Account).where(Account.platform == "sms", Account.external_id == number)
            )
        ).first()


async def outbox_rows(core: Core, replies: bool = False) -> list[OutboxMessage]:
    """The outbox, in order; without the replies to inbound messages (every reply is a row,
    sent at once) unless `replies`."""
    statement = select(OutboxMessage).order_by(col(OutboxMessage.id))
    if not replies:
        statement = statement.where(OutboxMessage.kind != "reply")
    async with open_session(core) as session:
        return list((await session.exec(statement)).all())


async def queue_sms(core: Core, number: str, text: str, occurrence: str = "") -> None:
    """A proactive message to `number`, as a service would write it."""
    async with open_session(core) as session, session.begin():
        key = outbox.OutboxKey("test", "sms", number, occurrence or text)
        message = Outbound(Address("sms", number), text)
        await outbox.enqueue(session, key, message, "en", core.clock.now())
