"""The Telegram adapter: python-telegram-bot's Application, translating updates into Inbound and
Outbound into Bot API calls.

Two ways in, never both:
- Webhook (PUBLIC_BASE_URL set): Telegram POSTs each update to /telegram/webhook on the shared web
  app, signed with a secret token; forged or malformed requests are refused before anything runs.
- Polling (`circlebot run` without PUBLIC_BASE_URL): one process polls getUpdates (a PostgreSQL
  advisory lock picks it, as for the scheduler) and stores the offset in the database, so a
  restart neither replays nor drops updates.
Either way, updates from different chats are handled side by side and each chat's in the order
Telegram gave them (adapters/platforms/lanes.py).

Text from the core is plain; it is sent in HTML parse mode with every piece escaped, so a name
like "<b>Ana & Bo</b>" reads as typed. Buttons carry their Choice's payload as callback data, or
the choice's number when the payload is longer than Telegram's 64 bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import hmac
import html
import json
import logging
import math
import time
import warnings
from collections.abc import Callable, Hashable, Iterable, Sequence
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    RetryAfter,
    TelegramError,
)
from telegram.ext import Application, ApplicationBuilder, ContextTypes, ExtBot, TypeHandler
from telegram.warnings import PTBDeprecationWarning

from adapters.platforms.lanes import Lanes
from adapters.platforms.telegram_platform import (
    CAPABILITIES,
    DESCRIPTION,
    MAX_TEXT_UTF16,
    PLATFORM,
    TelegramSettings,
)
from bot.chat.contract import PermanentDeliveryError, RetryLater, StartRefused, Unavailable
from bot.chat.messages import (
    Attachment,
    Choice,
    Inbound,
    LengthUnit,
    Outbound,
    Receipt,
)
from bot.chat.quiet import QuietLog
from bot.chat.redaction import pseudonym
from bot.chat.rendering import split_text, text_length
from bot.core import Access, Command, Core

log = logging.getLogger(__name__)

MAX_CALLBACK_DATA_BYTES = 64
# Callback data of a button whose payload is too long for Telegram: the choice's number, which
# the core maps back to the choice it last offered in that chat
# (bot.dialogue.conversations.picked). The prefix tells it apart from a payload that happens to
# be a number (check-in ratings are "1".."5").
PICK_PREFIX = "pick:"
WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
PHOTO_TYPES = frozenset({"image/png", "image/jpeg"})
# A distinct advisory lock from the scheduler's: the poller and the scheduler may live in
# different processes. Derived the same way as the scheduler's (bot/scheduling/leadership.py).
POLLING_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"circlebot-telegram-polling").digest()[:8], "big", signed=True
)
POLL_TIMEOUT_SECONDS = 30  # getUpdates long poll; Telegram answers as soon as an update arrives
FOLLOWER_WAIT_SECONDS = 5.0  # a process that does not poll asks again this often
ERROR_WAIT_SECONDS = 3.0  # after a network error or a conflict, before polling again
# Polling that has not reached Telegram for this long shows Telegram "down" (/healthz, `circlebot
# outbox`): learners' messages are not getting in. Shorter failures are the network's blips.
POLLING_DOWN_AFTER_SECONDS = 15.0
STOP_GRACE_SECONDS = 10.0  # how long stop() lets the update being handled finish
CURSOR_NAME = "offset"
# A file sent right after its text often meets the chat's 1/s limit. The text is with the reader
# already (a retry of the row would repeat it), so a short retry-after is waited out here and the
# file sent again, up to this many times.
FILE_RETRIES = 2
FILE_RETRY_LONGEST_SECONDS = 5.0
OFFICIAL_API_HOST = "api.telegram.org"  # takes only https:// webhooks (a self-hosted one: any)
# Errors of a 400 Bad Request that mean the chat will never accept a message.
GONE_CHAT_ERRORS = ("chat not found", "user not found", "peer_id_invalid", "user is deactivated")


def file_base_url(base_url: str) -> str:
    """The Bot API's file URL matching its method URL: .../bot -> .../file/bot (the token, or a
    "{token}" placeholder, follows either)."""
    head, marker, tail = base_url.rpartition("/bot")
    if not marker:
        return base_url.rstrip("/") + "/file"
    return f"{head}/file/bot{tail}"


def webhook_secret(settings: TelegramSettings, token: str) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or one derived from the bot token when it is not set: every
    process agrees on it without more configuration, and nobody without the token can forge it.
    Telegram allows A-Z, a-z, 0-9, _ and - (hex is fine)."""
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    return hashlib.sha256(b"circlebot-telegram-webhook:" + token.encode()).hexdigest()


def callback_data(choice: Choice, number: int) -> str:
    """What a button sends back: the payload, or the choice's number when the payload does not
    fit (or could be mistaken for a number sent in its place)."""
    size = len(choice.payload.encode("utf-8"))
    if 1 <= size <= MAX_CALLBACK_DATA_BYTES and not choice.payload.startswith(PICK_PREFIX):
        return choice.payload
    return f"{PICK_PREFIX}{number}"


def keyboard(choices: Sequence[Choice]) -> InlineKeyboardMarkup:
    # One button per row: labels are whole phrases ("Yes, I'll come") and phones are narrow.
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(choice.label, callback_data=callback_data(choice, number))]
            for number, choice in enumerate(choices, start=1)
        ]
    )


def retry_seconds(error: RetryAfter) -> float:
    # PTB 22 returns an int and warns that it will become a timedelta; accept either, quietly.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | float | timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def menu(commands: Iterable[Command], translate: Callable[[str], str]) -> list[BotCommand]:
    """A command menu: each command with its summary in the reader's language."""
    return [BotCommand(command.name, translate(command.summary)[:256]) for command in commands]


def lane_of(update: Update) -> Hashable:
    """The lane an update is handled in: its chat's (a button's chat is its message's), or one
    of its own for an update from no chat."""
    chat = update.effective_chat
    return chat.id if chat is not None else ("update", update.update_id)


class TelegramAdapter:
    platform = PLATFORM
    capabilities = CAPABILITIES
    description = DESCRIPTION

    def __init__(
        self,
        core: Core,
        application: Application[Any, Any, Any, Any, Any, Any],
        *,
        polling: bool,
        webhook_url: str | None,
        secret: str,
        poll_timeout: int = POLL_TIMEOUT_SECONDS,
        follower_wait: float = FOLLOWER_WAIT_SECONDS,
    ) -> None:
        """`webhook_url` set: take updates by webhook. Else `polling`: poll getUpdates (in the
        process holding the polling lock). Neither: send only (`circlebot serve` without
        PUBLIC_BASE_URL; the worker polls)."""
        self.core = core
        self.application = application
        self.webhook_url = webhook_url
        self.polling = polling and webhook_url is None
        self.secret = secret
        self.poll_timeout = poll_timeout
        self.follower_wait = follower_wait
        self.leading = False  # this process is the one polling (when polling)
        self.username: str | None = None
        self._poller: asyncio.Task[None] | None = None
        self._menus: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._fetching = False  # the poller waits on getUpdates: safe to cancel there
        self._leadership = core.leadership(key=POLLING_LOCK_KEY, name="Telegram polling")
        # Private chats already given the facilitators' command menu by this process.
        self._facilitator_menus: set[str] = set()
        # Updates the core could not take (its database down): not acknowledged to Telegram.
        self._unavailable: set[int] = set()
        # Chats handled side by side, each in order (the poller's batches, concurrent webhooks).
        self.lanes = Lanes()
        self._quiet = QuietLog(log)
        # Why polling cannot reach Telegram, and since when (time.monotonic); None: it can.
        self._polling_trouble: tuple[str, float] | None = None
        application.add_handler(TypeHandler(Update, self._on_update))
        application.add_error_handler(self._on_error)

    @classmethod
    def from_settings(
        cls,
        settings: TelegramSettings,
        core: Core,
        polling: bool,
        public_base_url: str | None = None,
    ) -> TelegramAdapter:
        """`public_base_url` (PUBLIC_BASE_URL, the shell's) set: take updates by webhook."""
        if settings.telegram_bot_token is None:
            raise ValueError("TELEGRAM_BOT_TOKEN is not set")
        token = settings.telegram_bot_token.get_secret_value()
        # httpx logs every request's URL at INFO, and a Bot API URL contains the token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        application = (
            ApplicationBuilder()
            .token(token)
            .base_url(settings.telegram_api_base_url)
            .base_file_url(file_base_url(settings.telegram_api_base_url))
            # Updates come from our own poller (its offset lives in the database) or from the
            # shared web app's webhook route: PTB's Updater and JobQueue are not used.
            .updater(None)
            .job_queue(None)
            .build()
        )
        webhook_url = None
        if public_base_url:
            webhook_url = public_base_url.rstrip("/") + WEBHOOK_PATH
        return cls(
            core,
            application,
            polling=polling,
            webhook_url=webhook_url,
            secret=webhook_secret(settings, token),
        )

    @property
    def bot(self) -> ExtBot[Any]:
        return self.application.bot

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Start sending and taking updates. A start that fails part-way (a refused setWebhook)
        is undone, so the shell's next try starts afresh; Telegram's reason is raised as
        StartRefused, without the token."""
        problem = self._webhook_url_problem()
        if problem is not None:
            raise StartRefused(problem)
        try:
            await self._start()
        except BaseException as error:
            await self._undo_start()
            if isinstance(error, TelegramError):
                raise StartRefused(self._refusal(error)) from error
            raise

    def _webhook_url_problem(self) -> str | None:
        """What is wrong with the webhook address PUBLIC_BASE_URL makes, if anything."""
        if self.webhook_url is None:
            return None
        address = urlsplit(self.webhook_url)
        if address.scheme not in ("http", "https") or not address.netloc:
            return (
                "PUBLIC_BASE_URL must be a full address such as https://bot.example.org "
                f"(the webhook would be {self.webhook_url!r})"
            )
        official = urlsplit(self.bot.base_url).hostname == OFFICIAL_API_HOST
        if address.scheme != "https" and official:
            return (
                "Telegram takes only an https:// webhook: set PUBLIC_BASE_URL to an https "
                f"address (the webhook would be {self.webhook_url})"
            )
        return None

    def _refusal(self, error: TelegramError) -> str:
        """Telegram's words for a failed start, with the token (a URL may quote it) taken out."""
        if isinstance(error, InvalidToken):
            reason = f"TELEGRAM_BOT_TOKEN was refused ({error.message})"
        else:
            reason = f"{type(error).__name__}: {error.message}"
        return reason.replace(self.bot.token, "<token>")

    async def _undo_start(self) -> None:
        if self._menus is not None and not self._menus.done():
            self._menus.cancel()
        with contextlib.suppress(Exception):
            if self.application.running:
                await self.application.stop()

    async def _start(self) -> None:
        await self.application.initialize()  # getMe: fails here on a wrong token
        self.username = self.bot.username
        # /invite shows this link; /start CODE joins (bot.circles.commands.welcome).
        self.core.join_links[PLATFORM] = f"https://t.me/{self.username}?start={{code}}"
        self.core.reach[PLATFORM] = (f"@{self.username}",)
        await self.application.start()
        if await self._set_menus():
            # One call per facilitator: in the background, so a big deployment starts at once.
            self._menus = asyncio.create_task(self._set_facilitator_menus(), name="telegram-menus")
        if self.webhook_url is not None:
            try:
                await self.bot.set_webhook(
                    url=self.webhook_url,
                    secret_token=self.secret,
                    allowed_updates=Update.ALL_TYPES,
                )
            except TelegramError as error:
                refusal = f"the webhook {self.webhook_url} was refused: {self._refusal(error)}"
                raise StartRefused(refusal) from error
            log.info("telegram: taking updates by webhook at %s", self.webhook_url)
        elif self.polling:
            self._stopping.clear()
            self._poller = asyncio.create_task(self._poll(), name="telegram-polling")
        else:
            log.info("telegram: sending only (the worker polls, or set PUBLIC_BASE_URL)")

    async def stop(self) -> None:
        self._stopping.set()
        menus, self._menus = self._menus, None
        if menus is not None and not menus.done():
            menus.cancel()  # whoever is left gets theirs at the next start
            # Waited for, so its database session is closed before the engine goes: left
            # cancelling, its connection's close could hang the loop's shutdown.
            await asyncio.wait({menus}, timeout=STOP_GRACE_SECONDS)
        poller, self._poller = self._poller, None
        if poller is not None:
            if self._fetching:
                poller.cancel()  # waiting on a long poll: nothing is lost by cutting it
            # An update being handled finishes first, so its offset is stored.
            done, _ = await asyncio.wait({poller}, timeout=STOP_GRACE_SECONDS)
            if not done:
                poller.cancel()
                await asyncio.wait({poller})
            if not poller.cancelled() and poller.exception() is not None:
                log.error("telegram: the poller failed", exc_info=poller.exception())
        await self._leadership.release()
        self.leading = False
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    def add_routes(self, app: web.Application) -> None:
        if self.webhook_url is not None:
            app.router.add_post(WEBHOOK_PATH, self._webhook)

    # -- sending ---------------------------------------------------------------------------

    async def send(self, message: Outbound) -> Receipt:
        """Send one message (text with its buttons, then its files). The core has fitted it
        already; a text that is still too long is split here all the same, so no caller can
        make Telegram refuse it for length."""
        try:
            return await self._send_to(message.address.chat_id, message)
        except ChatMigrated as error:
            # The group became a supergroup: this message goes to its new id now, and the
            # migration update Telegram sends to the group moves the stored chat (_on_update).
            log.info(
                "telegram: chat %s is now %s",
                pseudonym(message.address.chat_id),
                pseudonym(str(error.new_chat_id)),
            )
            return await self._send_to(str(error.new_chat_id), message)

    async def _send_to(self, chat_id: str, message: Outbound) -> Receipt:
        text = message.text
        # Telegram counts length after parsing entities: "&lt;" is one character there, so
        # escaping never makes a fitted part longer in Telegram's count.
        if text_length(text, LengthUnit.UTF16) > MAX_TEXT_UTF16:
            parts = split_text(text, MAX_TEXT_UTF16, LengthUnit.UTF16)
        else:
            parts = [text]
        first_id: int | None = None
        try:
            for index, part in enumerate(parts):
                last = index == len(parts) - 1
                markup = keyboard(message.choices) if last and message.choices else None
                if not part.strip() and markup is None:
                    continue  # a file alone: nothing to write above it
                sent = await self.bot.send_message(
                    chat_id,
                    html.escape(part, quote=False),
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    # Learners often have small data plans: no link previews.
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
                first_id = first_id or sent.message_id
            for attachment in message.attachments:
                if first_id is None:  # nothing delivered yet: a failure retries the row
                    first_id = (await self._send_file(chat_id, attachment)).message_id
                else:
                    await self._send_file_after_text(chat_id, attachment)
        except RetryAfter as error:
            raise RetryLater(retry_seconds(error)) from error
        except Forbidden as error:  # blocked by the user, kicked from the group
            raise PermanentDeliveryError(str(error)) from error
        except BadRequest as error:
            if any(words in str(error).casefold() for words in GONE_CHAT_ERRORS):
                raise PermanentDeliveryError(str(error)) from error
            raise
        return Receipt(platform_message_id=None if first_id is None else str(first_id))

    async def _send_file_after_text(self, chat_id: str, attachment: Attachment) -> None:
        """A file whose text the reader already has. Retrying the row would send that text
        twice, so a short wait Telegram asks for (the chat's 1/s, met by a file sent right
        after its text) is waited out here and the file sent again; past that, it is given up."""
        for retries_left in range(FILE_RETRIES, -1, -1):
            try:
                await self._send_file(chat_id, attachment)
                return
            except RetryAfter as error:
                wait = retry_seconds(error)
                if retries_left and wait <= FILE_RETRY_LONGEST_SECONDS:
                    await asyncio.sleep(wait)
                    continue
                failure: TelegramError = error
            except TelegramError as error:
                failure = error
            log.warning("telegram: file %s not sent: %s", attachment.filename, failure)
            return

    async def _send_file(self, chat_id: str, attachment: Attachment) -> Message:
        if attachment.media_type in PHOTO_TYPES:
            return await self.bot.send_photo(
                chat_id, photo=attachment.data, filename=attachment.filename
            )
        return await self.bot.send_document(
            chat_id, document=attachment.data, filename=attachment.filename
        )

    # -- receiving -------------------------------------------------------------------------

    def inbound(self, update: Update) -> Inbound | None:
        """The Inbound for an update, or None for what the bot does not read (edits, channel
        posts, membership changes, kinds it does not know, other bots)."""
        message_id = str(update.update_id)
        query = update.callback_query
        if query is not None:
            if query.data is None or query.message is None:
                return None  # a game button, or a button on an inline message: not ours
            chat = query.message.chat
            user = query.from_user
            payload: str | None
            text, payload = "", query.data
            if query.data.startswith(PICK_PREFIX):
                # The choice's number, as someone without buttons would type it.
                text, payload = query.data.removeprefix(PICK_PREFIX), None
        elif update.message is not None:
            message = update.message
            chat = message.chat
            if message.from_user is None:
                return None
            user = message.from_user
            payload = None
            text = message.text or ""
            if not self._for_us(text):
                return None
            if not text and chat.type != ChatType.PRIVATE:
                return None  # stickers, photos and joins in a group are for the people there
            if not text and not _has_content(message):
                return None  # a service message (a pin, a chat photo change)
        else:
            return None
        if user.is_bot:
            return None
        if chat.type == ChatType.PRIVATE:
            is_group = False
        elif chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
            is_group = True
        else:
            return None  # a channel: nobody there to answer
        return Inbound(
            platform=PLATFORM,
            account_id=str(user.id),
            chat_id=str(chat.id),
            message_id=message_id,
            text=text,  # empty for a sticker or voice note: the core says it reads text only
            payload=payload,
            locale_hint=user.language_code,
            display_name=user.first_name,
            is_group=is_group,
            private_chat_id=str(user.id) if is_group else None,
        )

    def _for_us(self, text: str) -> bool:
        """False for "/command@otherbot" in a group: a command for another bot there."""
        word = text.split(maxsplit=1)[0] if text.startswith("/") else ""
        _, at, addressee = word.partition("@")
        return not at or addressee.casefold() == (self.username or "").casefold()

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        if message is not None and (message.migrate_to_chat_id or message.migrate_from_chat_id):
            # A group upgraded to a supergroup: its circles, readers and queue follow it. The
            # old group says where it went and the new one where it came from; either will do
            # (moving twice changes nothing), so one lost update loses nothing.
            old, new = (
                (message.chat.id, message.migrate_to_chat_id)
                if message.migrate_to_chat_id
                else (message.migrate_from_chat_id, message.chat.id)
            )
            await self.core.chat_moved(PLATFORM, str(old), str(new))
            return
        try:
            inbound = self.inbound(update)
            if inbound is None:
                log.debug("telegram: update %s ignored", update.update_id)
                return
            try:
                # Stored with the handling, then sent at once when the budget allows; what
                # cannot go now is left to the dispatcher.
                await self.core.answer(inbound, self)
            except Unavailable:
                # Not consumed: the webhook answers 503 and the poller keeps its offset, so
                # Telegram gives the update again once the database is back.
                self._unavailable.add(update.update_id)
                return
            if not inbound.is_group:
                await self._facilitator_menu_for(inbound.account_id)
        finally:
            if update.callback_query is not None:
                # Always answered, or the button keeps spinning on the person's phone.
                try:
                    await update.callback_query.answer()
                except TelegramError as error:  # too old to answer: nothing to do
                    log.debug("telegram: callback query not answered: %s", error)

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram: handling an update failed", exc_info=context.error)

    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            return web.Response(status=403, text="forbidden")
        if not self.application.running:  # still starting: Telegram sends it again
            return web.Response(status=503, text="starting")
        try:
            # UTF-8 whatever the request says (Telegram sends nothing else).
            data = json.loads((await request.read()).decode("utf-8"))
            # JSON may spell lone surrogates ("\ud800"), which no encoder or database takes:
            # read again with each one as U+FFFD (a pair as the character it makes).
            document = json.dumps(data, ensure_ascii=False)
            try:
                document.encode("utf-8")
            except UnicodeEncodeError:
                valid = document.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
                data = json.loads(valid)
        except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested too deep
            return web.Response(status=400, text="not JSON")
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if not isinstance(update_id, int) or not 0 <= update_id < 2**63:
            return web.Response(status=400, text="not an update")
        try:
            update = Update.de_json(data, self.bot)
        except Exception:  # a malformed update: Telegram would not send one
            return web.Response(status=400, text="not an update")
        # Handled before answering: if this process dies meanwhile, Telegram sends it again
        # (and the core's receipts ignore a second copy of one that was handled). After any
        # update of the same chat that came first and is still being handled.
        if not await self.lanes.run(lane_of(update), lambda: self._handled(update)):
            return web.Response(status=503, text="try again later")
        return web.Response(status=200)

    async def _handled(self, update: Update) -> bool:
        """Process one update; False when the core could not take it (try it again later)."""
        await self.application.process_update(update)
        if update.update_id in self._unavailable:
            self._unavailable.discard(update.update_id)
            return False
        return True

    # -- polling ---------------------------------------------------------------------------

    @property
    def receiving_trouble(self) -> str | None:
        """Why this process's polling has not got updates from Telegram for
        POLLING_DOWN_AFTER_SECONDS (the worker then reports Telegram down); None when it has,
        or when it does not poll."""
        if self._polling_trouble is None:
            return None
        reason, since = self._polling_trouble
        return reason if time.monotonic() - since >= POLLING_DOWN_AFTER_SECONDS else None

    def _polling_failed(self, reason: str, at_once: bool = False) -> None:
        if at_once:  # it will not get better by itself
            self._polling_trouble = (reason, -math.inf)
        elif self._polling_trouble is None:
            self._polling_trouble = (reason, time.monotonic())
        else:  # the latest reason, since the first failure
            self._polling_trouble = (reason, self._polling_trouble[1])

    async def _poll(self) -> None:
        webhook_cleared = False
        while not self._stopping.is_set():
            try:
                self.leading = await self._leadership.is_leader()
                if not self.leading:
                    webhook_cleared = False  # another process polls; check again later
                    self._polling_trouble = None  # its own to report
                    await self._pause(self.follower_wait)
                    continue
                if not webhook_cleared:
                    # getUpdates is refused while a webhook is set (from an earlier deployment).
                    await self.bot.delete_webhook()
                    webhook_cleared = True
                offset = await self._load_offset()
                if self._stopping.is_set():
                    break  # stop() came while we looked: no long poll to cancel then
                # Set with no await since the check above, so stop() either sees it set (and
                # cancels the long poll) or was seen here.
                self._fetching = True
                try:
                    updates = await self.bot.get_updates(
                        offset=offset,
                        timeout=self.poll_timeout,
                        allowed_updates=Update.ALL_TYPES,
                    )
                finally:
                    self._fetching = False
                self._polling_trouble = None
                if not updates:
                    continue
                confirmed, failure = await self._take(updates)
                if confirmed != offset:
                    await self._save_offset(confirmed)  # once a batch
                if failure is not None:
                    raise failure
                taken_all = confirmed > max(update.update_id for update in updates)
                if not taken_all and not self._stopping.is_set():
                    # The database is down: this update and those after it come again.
                    self._quiet.warning("telegram", "update %s waits for the database", confirmed)
                    await self._pause(ERROR_WAIT_SECONDS)
            except asyncio.CancelledError:
                raise
            except InvalidToken:
                log.error("telegram: the bot token was refused; polling stops")
                self._polling_failed("the bot token was refused; polling stopped", at_once=True)
                return
            except Conflict as error:  # a webhook set meanwhile, or another poller
                log.warning("telegram: polling conflict: %s", error)
                self._polling_failed("polling conflict: another poller, or a webhook")
                webhook_cleared = False
                await self._pause(ERROR_WAIT_SECONDS)
            except Exception as error:
                self._quiet.warning("telegram", "polling failed, trying again: %s", error)
                if isinstance(error, TelegramError):  # Telegram unreached, not our database
                    self._polling_failed(f"polling cannot reach Telegram: {type(error).__name__}")
                await self._pause(ERROR_WAIT_SECONDS)

    async def _take(self, updates: Sequence[Update]) -> tuple[int, BaseException | None]:
        """Handle a batch of updates, chats side by side, each chat's in order. Returns the
        offset to store once they are done: after the last one, or at the first one not taken
        (the database down, stop() called, an error), so it and every one after it come again;
        and the first error, if any.

        The offset is stored once a batch, not after each update: a crash in the middle gives
        the whole batch again, and the core recognises each update already handled by its
        receipt (stored in the same transaction as its handling and replies) and does nothing
        for it: nothing is lost or answered twice, and each chat's are still taken in order."""
        halted = False  # once one is not taken, the ones not started wait for the next poll

        async def take(update: Update) -> bool:
            nonlocal halted
            if halted or self._stopping.is_set():
                return False
            handled = False
            try:
                handled = await self._handled(update)
            finally:
                halted = halted or not handled
            return handled

        taken = await asyncio.gather(
            *(self.lanes.run(lane_of(u), functools.partial(take, u)) for u in updates),
            return_exceptions=True,
        )
        confirmed = min(
            (u.update_id for u, done in zip(updates, taken, strict=True) if done is not True),
            default=max(u.update_id for u in updates) + 1,
        )
        failure = next((done for done in taken if isinstance(done, BaseException)), None)
        return confirmed, failure

    async def _pause(self, seconds: float) -> None:
        """Sleep, unless stop() comes first."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), seconds)

    async def _load_offset(self) -> int | None:
        # Read each time: after a hand-over, another process may have moved it on.
        value = await self.core.load_cursor(PLATFORM, CURSOR_NAME)
        return int(value) if value is not None else None

    async def _save_offset(self, offset: int) -> None:
        await self.core.save_cursor(PLATFORM, CURSOR_NAME, str(offset))

    # -- command menus ---------------------------------------------------------------------

    async def _set_menus(self) -> bool:
        """Everyone's menu holds the commands a learner may run, in each shipped language
        (English where Telegram has no language of ours). False if Telegram refused."""
        learner = [c for c in self.core.commands() if c.access <= Access.MEMBER]
        catalogs = self.core.catalogs
        try:
            english = catalogs.translator(None)
            await self.bot.set_my_commands(menu(learner, english._), scope=BotCommandScopeDefault())
            languages = sorted({locale.split("_")[0] for locale in catalogs.locales})
            for language in languages:
                tr = catalogs.translator(language)
                await self.bot.set_my_commands(
                    menu(learner, tr._), scope=BotCommandScopeDefault(), language_code=language
                )
        except TelegramError as error:  # menus are a convenience: the bot works without them
            log.warning("telegram: could not set the command menus: %s", error)
            return False
        return True

    async def _set_facilitator_menus(self) -> None:
        """Facilitators' private chats get a menu with the facilitator commands too."""
        try:
            for chat_id, locale in await self._facilitators():
                await self._set_facilitator_menu(chat_id, locale)
        except Exception:
            log.exception("telegram: could not set the facilitators' menus")

    async def _facilitator_menu_for(self, account_id: str) -> None:
        """A person who has just become a facilitator (/newcircle, /cofacilitator) gets the
        facilitators' menu in their private chat the next time they write here."""
        for chat_id, locale in await self._facilitators(account_id):
            if chat_id not in self._facilitator_menus:
                await self._set_facilitator_menu(chat_id, locale)

    async def _set_facilitator_menu(self, chat_id: str, locale: str) -> None:
        tr = self.core.catalogs.translator(locale)
        try:
            await self.bot.set_my_commands(
                menu(self.core.commands(), tr._), scope=BotCommandScopeChat(int(chat_id))
            )
        except (TelegramError, ValueError) as error:
            log.warning(
                "telegram: could not set the menu of chat %s: %s",
                pseudonym(chat_id),
                # int()'s ValueError would repeat the id itself.
                error if isinstance(error, TelegramError) else "not a chat id",
            )
            return
        self._facilitator_menus.add(chat_id)

    async def _facilitators(self, account_id: str | None = None) -> list[tuple[str, str]]:
        """(private chat, language) of Telegram accounts facilitating an active circle (only
        `account_id`'s, when given). The language is chosen as the router chooses it."""
        if account_id is not None and account_id in self._facilitator_menus:
            return []  # already given (private chat id == user id on Telegram)
        return await self.core.facilitator_chats(PLATFORM, account_id)


def _has_content(message: Message) -> bool:
    """Whether someone sent something (a sticker, voice note, photo...) rather than the chat
    reporting an event."""
    return bool(
        message.sticker
        or message.voice
        or message.audio
        or message.video
        or message.video_note
        or message.photo
        or message.document
        or message.animation
        or message.contact
        or message.location
        or message.venue
        or message.poll
        or message.dice
    )
