"""USSD through Africa's Talking: one session callback on the shared web app.

Africa's Talking posts each step of a session (sessionId, serviceCode, phoneNumber, networkCode,
and text: every input so far, joined by "*") to POST /ussd/africastalking?token=..., and shows
the answer: "CON ..." waits for the next input, "END ..." closes the session. When a session
ends it can post a notification (status, duration) to /ussd/africastalking/events; that only
lets this process forget the session early.

Both are checked as the SMS gateway's callbacks are (adapters/platforms/sms/webhooks.py): the
secret token in the URL, compared in constant time (refused with 403 and counted against the
address by the web app's guard), a form or JSON body, the required fields, a real phone number.
A refused request reaches nothing.

The sessions act as the person's SMS account (see ussd_platform.py); the menu is in menu.py.
"""

from __future__ import annotations

import hmac
import logging

from aiohttp import web

from adapters.platforms.lanes import Lanes
from adapters.platforms.sms.webhooks import identifier, phone_number, read_fields, required
from adapters.platforms.ussd.desk import Desk
from adapters.platforms.ussd.menu import State, advance, render
from adapters.platforms.ussd.screens import Screen
from adapters.platforms.ussd.sessions import Sessions
from adapters.platforms.ussd_platform import (
    DEFAULT_COUNTRY,
    PLATFORM,
    REPLY_CAPABILITIES,
    UssdSettings,
)
from bot.chat.contract import PermanentDeliveryError, Unavailable
from bot.chat.i18n import N_
from bot.chat.messages import Capabilities, Outbound, Receipt
from bot.core import Core, database_unavailable

log = logging.getLogger(__name__)

SESSION_PATH = "/ussd/africastalking"
EVENTS_PATH = "/ussd/africastalking/events"
# Inputs in one session past which it starts over: a real one takes a handful, and each post
# replays nothing this process has seen, but a path has to end somewhere.
MAX_INPUTS = 60
SORRY = N_(
    "Sorry, something went wrong on my side and nothing was changed. Please try again in a moment."
)
TOO_LONG = N_("That session was long. Please dial again for the menu.")
TEXT = "text/plain"


class UssdAdapter:
    """The session callback. It sends nothing itself (a phone cannot be offered a USSD screen
    unasked): the core's later messages to the number go by SMS."""

    platform = PLATFORM
    capabilities: Capabilities = REPLY_CAPABILITIES

    def __init__(
        self,
        core: Core,
        *,
        service_codes: frozenset[str],
        webhook_token: str | None,
        country: str = DEFAULT_COUNTRY,
    ) -> None:
        self.core = core
        self.service_codes = service_codes
        self._token = webhook_token.encode() if webhook_token else None
        self.country = country
        self.sessions: Sessions[State] = Sessions()
        # One session's posts in order: a post the gateway repeats while the first is still
        # being answered waits for it, then finds its screen kept.
        self.lanes = Lanes()

    @classmethod
    def from_settings(cls, settings: UssdSettings, core: Core) -> UssdAdapter:
        if settings.ussd_webhook_token is None:
            log.warning(
                "USSD_WEBHOOK_TOKEN (or AT_WEBHOOK_TOKEN) is not set: USSD callbacks will be "
                "refused"
            )
        return cls(
            core,
            service_codes=settings.service_codes,
            webhook_token=(
                settings.ussd_webhook_token.get_secret_value()
                if settings.ussd_webhook_token
                else None
            ),
            country=settings.ussd_country,
        )

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        # No account is a USSD one (sessions speak for the SMS account), so nothing is queued
        # for this adapter; should something be, it is refused for good rather than retried.
        raise PermanentDeliveryError("USSD cannot start a session on a phone")

    def add_routes(self, app: web.Application) -> None:
        app.router.add_post(SESSION_PATH, self.session)
        app.router.add_post(EVENTS_PATH, self.events)

    # Webhooks

    def _check_token(self, request: web.Request) -> None:
        given = request.query.get("token", "").encode()
        if self._token is None or not hmac.compare_digest(given, self._token):
            raise web.HTTPForbidden(text="unknown token")

    async def session(self, request: web.Request) -> web.Response:
        self._check_token(request)
        fields = await read_fields(request, allow_json=True)
        session_id, service_code, raw_number = required(
            fields, "sessionId", "serviceCode", "phoneNumber"
        )
        session_id = identifier(session_id, "sessionId")
        if self.service_codes and service_code.strip() not in self.service_codes:
            raise web.HTTPBadRequest(text="not a service code of this bot")
        number = phone_number(raw_number, self.country, "phoneNumber")
        path = fields.get("text", "")
        screen = await self.lanes.run(session_id, lambda: self._screen(session_id, number, path))
        return web.Response(text=screen.body, content_type=TEXT)

    async def events(self, request: web.Request) -> web.Response:
        """The gateway's word that a session ended (completed, timed out or failed)."""
        self._check_token(request)
        fields = await read_fields(request, allow_json=True)
        [session_id] = required(fields, "sessionId")
        self.sessions.end(identifier(session_id, "sessionId"))
        return web.Response()

    async def _screen(self, session_id: str, number: str, path: str) -> Screen:
        kept = self.sessions.get(session_id, path)
        try:
            desk = await Desk.open(self.core, number, session_id)
            if kept is not None:  # the same post again: the same screen, nothing done twice
                return render(desk, kept)
            inputs = path.split("*") if path else []
            if len(inputs) > MAX_INPUTS:
                return Screen(desk.tr._(TOO_LONG), end=True)
            # From the longest part of the path this session has been shown already.
            start, state = 0, State()
            for done in range(len(inputs) - 1, 0, -1):
                found = self.sessions.get(session_id, "*".join(inputs[:done]))
                if found is not None:
                    start, state = done, found
                    break
            for position in range(start, len(inputs)):
                reached = "*".join(inputs[: position + 1])
                state = await advance(desk, state, inputs[position], reached)
                self.sessions.put(session_id, reached, state)
            self.sessions.put(session_id, path, state)
            return render(desk, state)
        except Unavailable:
            return self._sorry()
        except Exception as error:
            if database_unavailable(error):
                return self._sorry()
            raise

    def _sorry(self) -> Screen:
        """The database cannot answer: the session ends, nothing done, in English (the person's
        language is in the database)."""
        return Screen(self.core.catalogs.translator()._(SORRY), end=True)
