"""The Discord adapter: slash commands, buttons, modals and direct messages through discord.py.

It holds a Core and translates only. Every interaction becomes a bot.chat.messages.Inbound whose
text is the command line the core already understands ("/rsvp yes 3"); the core's replies answer the
interaction. Proactive messages (the outbox) go to channel ids: a learner's DM channel, a circle's
linked channel, the global channel.

Choices are buttons whose custom_id carries the choice (a discord.ui.DynamicItem), so buttons keep
working after a restart. Bots get the text of direct messages without the privileged
message_content intent, so free-text answers (check-ins, reflections) work in DMs. In a server
channel the bot cannot read what people type, so where the core waits for written words (a
letter, a reflection, a goal) the reply carries a "Write" button that opens a modal.
"""

from __future__ import annotations

import asyncio
import inspect
import io
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket
from discord.http import Route

from adapters.platforms.discord_platform import (
    CAPABILITIES,
    DESCRIPTION,
    PLATFORM,
    DiscordSettings,
)
from adapters.platforms.lanes import Lanes
from bot.chat.contract import PermanentDeliveryError, RetryLater, Unavailable
from bot.chat.i18n import N_, Catalogs, Translator
from bot.chat.messages import Choice, Inbound, Outbound, Receipt
from bot.chat.quiet import QuietLog
from bot.core import (
    ANSWER_MAX_CHARS,
    LETTER_MAX_CHARS,
    LETTER_MIN_CHARS,
    WRITING_ANSWER,
    WRITING_LETTER,
    Access,
    Arg,
    ArgKind,
    Command,
    Core,
    InGroup,
    Registry,
    SubCommand,
    local_command_name,
)

log = logging.getLogger(__name__)

# A DM the core could not take (its database down) is tried again after each of these waits.
DM_RETRY_SECONDS = (1, 2, 5, 10, 30, 60, 120, 300, 600)

# discord.py's own endpoints, kept so an adapter without DISCORD_API_BASE_URL restores them.
DISCORD_API = Route.BASE
DISCORD_GATEWAY = DiscordWebSocket.DEFAULT_GATEWAY

MAX_CUSTOM_ID = 100
MAX_BUTTONS = 25  # five rows of five
MAX_BUTTON_LABEL = 80
MAX_DESCRIPTION = 100  # command and option descriptions
MAX_NAME = 32  # command and option names
MAX_CHOICES = 25  # autocomplete suggestions
MODAL_TIMEOUT = 30 * 60.0  # discord.py forgets an open modal after this long
# Discord waits this long for a rate limit before discord.py raises RateLimited (its minimum).
MAX_RATELIMIT_WAIT = 30.0
RECONNECT_MAX_SECONDS = 60.0
# What the "Write" button opens a modal for (Core.awaiting_words).
LETTER = WRITING_LETTER
ANSWER = WRITING_ANSWER
CIRCLE_OPTION = "circle"

# Strings the adapter itself shows (the lead extracts them into the catalogs).
CIRCLE_OPTION_MSGID = N_("circle")
CIRCLE_OPTION_HELP = N_("Which of your circles it is for")
WRITE_LETTER = N_("Write my letter")
WRITE_ANSWER = N_("Write my answer")
LETTER_TITLE = N_("Your letter")
ANSWER_TITLE = N_("Your answer")
MEETING_LABEL = N_("Meeting %(number)d: %(when)s")
STALE_BUTTON = N_("That button no longer works. Send /help to see what I can do.")
FAILED = N_(
    "Sorry, something went wrong on my side and nothing was changed. Please try again in a moment."
)


def _adapter_of(client: discord.Client) -> DiscordAdapter:
    assert isinstance(client, _Client)
    return client.adapter


def option_name(text: str) -> str:
    """A Discord option name from a label such as "MEETING" or "yes|no": lower case, letters,
    digits and dashes only, at most 32 characters ("meeting", "yes-no", "réunion")."""
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text.casefold())
    return re.sub(r"-+", "-", cleaned).strip("-")[:MAX_NAME]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- buttons and modals ---------------------------------------------------------------------------


CHOICE_ID = re.compile(r"cb:(?P<number>\d{1,2}):(?P<payload>.*)", re.DOTALL)
WRITE_ID = re.compile(r"cb:write:(?P<kind>letter|answer)")
MODAL_ID = re.compile(r"cb:modal:(?P<kind>letter|answer):(?P<nonce>[0-9a-f]{1,32})")


class ChoiceButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=CHOICE_ID,
):
    """One Choice. The custom_id carries the payload, so a click after a restart still means the
    same thing; a payload too long for a custom_id travels as its number, which the core maps to
    the choice it last offered in that chat (bot.dialogue.conversations.picked)."""

    def __init__(self, number: int, payload: str, label: str) -> None:
        custom_id = f"cb:{number}:{payload}"
        if len(custom_id) > MAX_CUSTOM_ID:
            custom_id, payload = f"cb:{number}:", ""
        super().__init__(
            discord.ui.Button(
                label=_clip(label, MAX_BUTTON_LABEL) or str(number),
                custom_id=custom_id,
                style=discord.ButtonStyle.secondary,
            )
        )
        self.number = number
        self.payload = payload

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[discord.Client],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> ChoiceButton:
        label = getattr(item, "label", None) or ""
        return cls(int(match["number"]), match["payload"], label)

    async def callback(self, interaction: discord.Interaction[discord.Client]) -> None:
        await _adapter_of(interaction.client).clicked(interaction, self.number, self.payload)


class WriteButton(
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=WRITE_ID,
):
    """Opens a modal for words the core is waiting for (a letter, an answer)."""

    def __init__(self, kind: str, label: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=_clip(label, MAX_BUTTON_LABEL),
                custom_id=f"cb:write:{kind}",
                style=discord.ButtonStyle.primary,
            )
        )
        self.kind = kind

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction[discord.Client],
        item: discord.ui.Item[Any],
        match: re.Match[str],
    ) -> WriteButton:
        return cls(match["kind"], getattr(item, "label", None) or "")

    async def callback(self, interaction: discord.Interaction[discord.Client]) -> None:
        await _adapter_of(interaction.client).open_modal(interaction, self.kind)


class WritingModal(discord.ui.Modal):
    """A paragraph box; what is submitted goes to the core as the next message of the chat."""

    def __init__(self, kind: str, tr: Translator) -> None:
        letter = kind == LETTER
        super().__init__(
            title=_clip(tr._(LETTER_TITLE if letter else ANSWER_TITLE), 45),
            timeout=MODAL_TIMEOUT,
            custom_id=f"cb:modal:{kind}:{secrets.token_hex(8)}",
        )
        self.text: discord.ui.TextInput[WritingModal] = discord.ui.TextInput(
            label=_clip(tr._(LETTER_TITLE if letter else ANSWER_TITLE), 45),
            style=discord.TextStyle.paragraph,
            custom_id="text",
            min_length=LETTER_MIN_CHARS if letter else 1,
            max_length=LETTER_MAX_CHARS if letter else ANSWER_MAX_CHARS,
        )
        self.add_item(self.text)

    # No on_submit: DiscordAdapter.other_interaction takes every submission by its custom_id,
    # so a modal opened just before a restart still delivers its words.


def _submitted_text(components: Sequence[dict[str, Any]]) -> str:
    """The text field of a raw modal submission (action rows, or labels in newer clients)."""
    for component in components:
        for inner in [*component.get("components", []), component.get("component") or {}]:
            if inner.get("custom_id") == "text":
                return str(inner.get("value") or "")
    return ""


# -- slash commands -------------------------------------------------------------------------------


class CommandTranslator(app_commands.Translator):
    """Names and descriptions of the slash commands in every shipped language Discord offers.

    Command names, option names and descriptions are translated (bot/dialogue/command_names.py);
    Discord sends the English command name back whatever the menu showed, so routing is
    unchanged. Discord has no Swahili locale, so Swahili speakers see the English menu (the bot
    still answers them in Swahili).
    """

    def __init__(self, catalogs: Catalogs, registry: Registry) -> None:
        self.catalogs = catalogs
        self.registry = registry
        self._local_names: dict[str, dict[str, str]] = {}
        shipped = set(catalogs.locales) - {"en"}  # English is the default text itself
        self.languages: dict[discord.Locale, str] = {}
        for locale in discord.Locale:
            language = locale.value.split("-")[0]
            if language in shipped:  # fr, de, da, es-ES and es-419 ...
                self.languages[locale] = language

    def _names(self, language: str, tr: Translator) -> dict[str, str]:
        """Each command's name in `language`; a name two commands would share stays English
        for the second (Discord refuses duplicates), as does one taken by an English name."""
        if language not in self._local_names:
            english = {command.name for command in self.registry}
            names: dict[str, str] = {}
            for command in self.registry:
                name = local_command_name(tr, command.name)
                if name != command.name and (name in names.values() or name in english):
                    name = command.name
                names[command.name] = name
            self._local_names[language] = names
        return self._local_names[language]

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        language = self.languages.get(locale)
        if language is None:
            return None
        tr = self.catalogs.translator(language)
        usage_of = string.extras.get("usage")
        command = self.registry.get(usage_of) if usage_of else None
        if context.location is app_commands.TranslationContextLocation.command_name:
            # Discord sends the English name back whatever the menu showed, so routing holds.
            name = self._names(language, tr).get(string.message, string.message)
            return name if name != string.message else None
        if command is not None:
            text = _clip(command.usage(tr), MAX_DESCRIPTION)
        else:
            text = tr._(string.extras.get("msgid", string.message))
        if context.location is app_commands.TranslationContextLocation.parameter_name:
            text = option_name(text)
        else:
            text = _clip(text, MAX_DESCRIPTION)
        return text if text and text != string.message else None


def _parameter(name: str, annotation: type, required: bool) -> inspect.Parameter:
    return inspect.Parameter(
        name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=annotation,
        default=inspect.Parameter.empty if required else None,
    )


# In a command group, the command on its own ("/team" shows the team): Discord runs only a
# group's sub-commands, so the bare command is one of them.
SHOW = SubCommand("show", N_("show"), "")


def command_group(
    adapter: DiscordAdapter, command: Command, english: Translator
) -> app_commands.Group:
    """A registry Command with sub-commands ("/team add CODE") as a Discord command group: one
    sub-command each, and "show" for the command on its own when it needs no argument."""
    group = app_commands.Group(
        name=command.name,
        description=app_commands.locale_str(_clip(english._(command.summary), MAX_DESCRIPTION)),
    )
    if not any(arg.required for arg in command.args):
        group.add_command(slash_command(adapter, command, english, SHOW))
    for sub in command.subcommands:
        group.add_command(slash_command(adapter, command, english, sub))
    return group


def slash_command(
    adapter: DiscordAdapter, command: Command, english: Translator, sub: SubCommand | None = None
) -> app_commands.Command[Any, ..., None]:
    """One registry Command (or one of its sub-commands) as a slash command: an option per Arg
    (integers for numbers, one string for REST), plus an autocompleted circle for
    facilitators' commands."""

    async def callback(interaction: discord.Interaction[discord.Client], **options: Any) -> None:
        await adapter.command(interaction, command, options, sub)

    parameters = [_parameter("interaction", discord.Interaction, True)]
    renames: dict[str, app_commands.locale_str] = {}
    descriptions: dict[str, app_commands.locale_str] = {}
    # Any: discord.py types autocomplete callbacks as offering str choices; ours offer ints.
    completions: dict[str, Any] = {}
    usage = _clip(command.usage(english, _real(sub)), MAX_DESCRIPTION)
    for index, arg in enumerate(_args(command, sub)):
        key = f"arg{index}"
        numeric = arg.kind in (ArgKind.NUMBER, ArgKind.MEETING)
        annotation: Any = app_commands.Range[int, 1, 9999] if numeric else str
        parameters.append(_parameter(key, annotation, arg.required))
        renames[key] = app_commands.locale_str(option_name(arg.name), msgid=arg.name)
        descriptions[key] = app_commands.locale_str(usage, usage=command.name)
        if arg.kind is ArgKind.MEETING:
            completions[key] = adapter.meeting_choices_for(command)
    if command.access >= Access.FACILITATOR and command.one_circle:
        parameters.append(_parameter(CIRCLE_OPTION, int, False))
        renames[CIRCLE_OPTION] = app_commands.locale_str(
            CIRCLE_OPTION_MSGID, msgid=CIRCLE_OPTION_MSGID
        )
        descriptions[CIRCLE_OPTION] = app_commands.locale_str(CIRCLE_OPTION_HELP)
        completions[CIRCLE_OPTION] = adapter.circle_choices_for(command)
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    decorated: Any = callback
    if renames:
        decorated = app_commands.rename(**renames)(decorated)
        decorated = app_commands.describe(**descriptions)(decorated)
    if completions:
        decorated = app_commands.autocomplete(**completions)(decorated)
    summary = command.summary if sub is None or not sub.summary else sub.summary
    return app_commands.Command(
        name=command.name if sub is None else sub.name,
        description=app_commands.locale_str(_clip(english._(summary), MAX_DESCRIPTION)),
        callback=decorated,
    )


def _real(sub: SubCommand | None) -> SubCommand | None:
    """A sub-command the core knows: not SHOW, the command on its own."""
    return None if sub is SHOW else sub


def _args(command: Command, sub: SubCommand | None) -> tuple[Arg, ...]:
    if sub is SHOW:
        return ()
    return command.args if sub is None else sub.args


def command_text(command: Command, options: dict[str, Any], sub: SubCommand | None = None) -> str:
    """The line the core parses: "#12 /attendance 3" (with a circle), "/rsvp yes", "/team add
    TK4ZP9" (a sub-command)."""
    words = ["/" + command.name]
    if _real(sub) is not None:
        assert sub is not None
        words.append(sub.name)
    for index, _arg in enumerate(_args(command, sub)):
        value = options.get(f"arg{index}")
        if value is not None and str(value).strip():
            words.append(str(value).strip())
    text = " ".join(words)
    circle = options.get(CIRCLE_OPTION)
    return f"#{circle} {text}" if isinstance(circle, int) else text


# -- the client -----------------------------------------------------------------------------------


class _Client(discord.Client):
    def __init__(self, adapter: DiscordAdapter, guild_ready_timeout: float) -> None:
        intents = discord.Intents.none()
        intents.guilds = True  # channels and servers the bot is in
        intents.dm_messages = True  # free-text answers; no privileged intent needed
        super().__init__(
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            max_ratelimit_timeout=MAX_RATELIMIT_WAIT,
            guild_ready_timeout=guild_ready_timeout,
        )
        self.adapter = adapter
        self.tree: app_commands.CommandTree[_Client] = app_commands.CommandTree(self)
        self.tree.error(adapter.command_failed)

    async def setup_hook(self) -> None:
        # Buttons sent before a restart are dispatched by their custom_id template.
        self.add_dynamic_items(ChoiceButton, WriteButton)

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.direct_message(message)

    async def on_interaction(self, interaction: discord.Interaction[discord.Client]) -> None:
        await self.adapter.other_interaction(interaction)


# -- the adapter ----------------------------------------------------------------------------------


class DiscordAdapter:
    platform = PLATFORM
    capabilities = CAPABILITIES
    description = DESCRIPTION

    def __init__(
        self,
        core: Core,
        token: str,
        *,
        guild_id: str | None = None,
        api_base_url: str | None = None,
        guild_ready_timeout: float = 2.0,
        ready_timeout: float = 60.0,
    ) -> None:
        self.core = core
        # A person's DMs are handled one after the other (discord.py gives each its own task).
        self.lanes = Lanes()
        self._token = token
        self.guild_id = guild_id
        self.api_base_url = api_base_url
        self.guild_ready_timeout = guild_ready_timeout
        self.ready_timeout = ready_timeout
        self.client: _Client | None = None
        self._connection: asyncio.Task[None] | None = None
        self._quiet = QuietLog(log)

    @classmethod
    def from_settings(cls, settings: DiscordSettings, core: Core) -> DiscordAdapter:
        assert settings.discord_bot_token is not None
        return cls(
            core,
            settings.discord_bot_token.get_secret_value(),
            guild_id=settings.discord_guild_id,
            api_base_url=settings.discord_api_base_url,
        )

    # -- life cycle --------------------------------------------------------------------------

    async def start(self) -> None:
        """Log in, sync the slash commands, connect the gateway in the background; return once
        Discord says the bot is ready (or raise why not)."""
        if self.client is not None:
            return
        # discord.py reads its endpoints from class attributes: point them where we were told.
        Route.BASE = self.api_base_url.rstrip("/") if self.api_base_url else DISCORD_API
        client = _Client(self, self.guild_ready_timeout)
        self.client = client
        try:
            await client.login(self._token)
            if self.api_base_url:  # a local or proxied API names its own gateway
                _, url, _ = await client.http.get_bot_gateway()
                DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)
            else:
                DiscordWebSocket.DEFAULT_GATEWAY = DISCORD_GATEWAY
            await self._sync(client)
            self._connection = asyncio.create_task(self._stay_connected(client))
            ready = asyncio.create_task(client.wait_until_ready())
            done, _ = await asyncio.wait(
                {ready, self._connection},
                timeout=self.ready_timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
            if ready not in done:
                ready.cancel()
                if self._connection in done:
                    self._connection.result()  # raises why the gateway failed
                raise TimeoutError("Discord gateway not ready")
        except BaseException:
            await self.stop()
            raise
        if client.user is not None:  # /invite names the app to write to
            self.core.reach[PLATFORM] = (client.user.name,)
        log.info("discord: connected as %s", client.user)

    async def _stay_connected(self, client: _Client) -> None:
        """discord.py reconnects after network trouble itself, but an event it cannot parse
        ends its connection with the exception: log it and connect again, so one odd payload
        does not silence the bot. Bad credentials and missing intents still end it."""
        loop = asyncio.get_running_loop()
        failures = 0
        while not client.is_closed():
            began = loop.time()
            try:
                await client.connect(reconnect=True)
                return
            except (discord.LoginFailure, discord.PrivilegedIntentsRequired):
                raise
            except Exception:
                if client.is_closed():
                    return
                # A connection that lasted a while was fine: start the back-off afresh.
                failures = 1 if loop.time() - began > RECONNECT_MAX_SECONDS else failures + 1
                delay = min(RECONNECT_MAX_SECONDS, 2.0 ** (failures - 1))
                log.exception("discord: gateway connection failed; reconnecting in %g s", delay)
                await asyncio.sleep(delay)

    async def _sync(self, client: _Client) -> None:
        english = self.core.catalogs.translator("en")
        for command in self.core.commands():
            if command.subcommands:
                client.tree.add_command(command_group(self, command, english))
            else:
                client.tree.add_command(slash_command(self, command, english))
        await client.tree.set_translator(CommandTranslator(self.core.catalogs, self.core.registry))
        if self.guild_id:  # development: a guild's commands update at once
            guild = discord.Object(int(self.guild_id))
            client.tree.copy_global_to(guild=guild)
            await client.tree.sync(guild=guild)
        else:
            await client.tree.sync()

    async def stop(self) -> None:
        client, self.client = self.client, None
        connection, self._connection = self._connection, None
        if client is not None:
            await client.close()
        if connection is not None:
            try:
                await asyncio.wait_for(connection, timeout=5)
            except (Exception, asyncio.CancelledError) as error:
                log.debug("discord: gateway ended: %r", error)

    # -- sending -----------------------------------------------------------------------------

    async def send(self, message: Outbound) -> Receipt:
        client = self.client
        if client is None:
            raise RuntimeError("the Discord adapter is not started")
        try:
            channel_id = int(message.address.chat_id)
        except ValueError:
            raise PermanentDeliveryError(
                f"not a Discord channel id: {message.address.chat_id!r}"
            ) from None
        options = self._message(message)
        if not options.keys() & {"content", "view", "files"}:
            return Receipt()  # nothing to show: Discord would refuse an empty message
        channel = client.get_partial_messageable(channel_id)
        try:
            sent = await channel.send(**options)
        except discord.RateLimited as error:
            raise RetryLater(error.retry_after) from error
        except (discord.Forbidden, discord.NotFound) as error:
            # 50007 "Cannot send messages to this user" (DMs closed, bot blocked), 10003
            # unknown channel, 50001 no access to a linked channel: retrying will not help.
            raise PermanentDeliveryError(
                f"Discord refused ({error.status}, code {error.code}): {error.text}"
            ) from error
        except discord.HTTPException as error:
            if error.status == 429:
                headers = getattr(getattr(error, "response", None), "headers", None) or {}
                raise RetryLater.from_header(headers.get("Retry-After")) from error
            raise
        return Receipt(platform_message_id=str(sent.id))

    def _message(
        self, message: Outbound, extra: discord.ui.Item[Any] | None = None
    ) -> dict[str, Any]:
        """Keyword arguments for discord.py's send(): text, buttons, files, no pings ever."""
        options: dict[str, Any] = {"allowed_mentions": discord.AllowedMentions.none()}
        if message.text:
            options["content"] = message.text
        view = self._view(message.choices, extra)
        if view is not None:
            options["view"] = view
        if message.attachments:
            options["files"] = [
                discord.File(io.BytesIO(attachment.data), filename=attachment.filename)
                for attachment in message.attachments
            ]
        return options

    @staticmethod
    def _view(
        choices: Sequence[Choice], extra: discord.ui.Item[Any] | None = None
    ) -> discord.ui.View | None:
        if not choices and extra is None:
            return None
        view = discord.ui.View(timeout=None)
        if len(choices) > MAX_BUTTONS:
            log.warning("discord: %d choices, only %d shown as buttons", len(choices), MAX_BUTTONS)
        for number, choice in enumerate(choices[:MAX_BUTTONS], start=1):
            view.add_item(ChoiceButton(number, choice.payload, choice.label))
        if extra is not None and len(view.children) < MAX_BUTTONS:
            view.add_item(extra)
        return view

    # -- interactions ------------------------------------------------------------------------

    async def command(
        self,
        interaction: discord.Interaction[discord.Client],
        command: Command,
        options: dict[str, Any],
        sub: SubCommand | None = None,
    ) -> None:
        # In a server, answers are for the sender alone, but for a command about the channel
        # itself (/linkchat): the registry says which (Command.in_group).
        ephemeral = interaction.guild_id is not None and command.in_group is not InGroup.ONLY
        # The core may take longer than the 3 s Discord allows for a first answer.
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        inbound = await self._inbound(
            interaction, command_text(command, options, sub), private_replies=ephemeral
        )
        await self._answer(interaction, inbound, ephemeral)

    async def clicked(
        self, interaction: discord.Interaction[discord.Client], number: int, payload: str
    ) -> None:
        await interaction.response.defer()  # no "thinking": the answer is a new message
        # A click is said to the bot, never chat between people, even in a server channel.
        if payload:
            inbound = await self._inbound(interaction, payload, payload=payload, group=False)
        else:  # too long for a custom_id: its number means the choice last offered here
            inbound = await self._inbound(interaction, str(number), group=False)
        await self._answer(interaction, inbound, ephemeral=interaction.guild_id is not None)

    async def open_modal(self, interaction: discord.Interaction[discord.Client], kind: str) -> None:
        tr = self.core.catalogs.translator(str(interaction.locale))
        await interaction.response.send_modal(WritingModal(kind, tr))

    async def submitted(self, interaction: discord.Interaction[discord.Client], text: str) -> None:
        """Words from a modal: the next message of this person in this chat. It is private
        even in a server channel, so it answers a waiting question there too."""
        ephemeral = interaction.guild_id is not None
        await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        inbound = await self._inbound(interaction, text, group=False)
        await self._answer(interaction, inbound, ephemeral)

    async def other_interaction(self, interaction: discord.Interaction[discord.Client]) -> None:
        """Every interaction passes here after discord.py's own dispatch: take the few that
        nothing else handles, and let the rest be."""
        try:
            data: dict[str, Any] = dict(interaction.data or {})
            custom_id = str(data.get("custom_id", ""))
            if interaction.type is discord.InteractionType.modal_submit:
                if MODAL_ID.fullmatch(custom_id):
                    await self.submitted(interaction, _submitted_text(data.get("components", [])))
            elif interaction.type is discord.InteractionType.component:
                ours = CHOICE_ID.fullmatch(custom_id) or WRITE_ID.fullmatch(custom_id)
                if not ours and not interaction.response.is_done():
                    tr = self.core.catalogs.translator(str(interaction.locale))
                    await interaction.response.send_message(
                        tr._(STALE_BUTTON),
                        ephemeral=True,
                        allowed_mentions=discord.AllowedMentions.none(),
                    )
        except Exception:
            log.exception("discord: interaction %s not handled", interaction.id)

    async def command_failed(
        self,
        interaction: discord.Interaction[discord.Client],
        error: app_commands.AppCommandError,
    ) -> None:
        """A command Discord knows and we no longer do (an old sync), or a failure: say so."""
        tr = self.core.catalogs.translator(str(interaction.locale))
        if isinstance(error, app_commands.CommandNotFound):
            text = self.core.registry.unknown(error.name, tr)
        else:
            log.error("discord: command failed", exc_info=error)
            text = tr._(FAILED)
        try:
            if interaction.response.is_done():
                await interaction.followup.send(
                    text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
                )
            elif interaction.type is discord.InteractionType.application_command:
                await interaction.response.send_message(
                    text, ephemeral=True, allowed_mentions=discord.AllowedMentions.none()
                )
        except discord.HTTPException:
            log.warning("discord: could not tell %s about a failure", interaction.id)

    async def _inbound(
        self,
        interaction: discord.Interaction[discord.Client],
        text: str,
        payload: str | None = None,
        group: bool | None = None,
        private_replies: bool = False,
    ) -> Inbound:
        user = interaction.user
        in_guild = interaction.guild_id is not None
        return Inbound(
            platform=PLATFORM,
            account_id=str(user.id),
            chat_id=str(interaction.channel_id or ""),
            message_id=str(interaction.id),
            text=text,
            payload=payload,
            locale_hint=str(interaction.locale),
            display_name=user.display_name,
            is_group=in_guild if group is None else group,
            private_chat_id=await self._dm_channel_id(user) if in_guild else None,
            private_replies=private_replies,
        )

    async def _dm_channel_id(self, user: discord.abc.Snowflake) -> str | None:
        """Where to write to someone met in a server: their DM channel (discord.py caches it)."""
        if self.client is None:
            return None
        try:
            return str((await self.client.create_dm(user)).id)
        except discord.HTTPException as error:
            log.warning("discord: no DM channel for a user (%s)", error.status)
            return None

    async def _answer(
        self,
        interaction: discord.Interaction[discord.Client],
        inbound: Inbound,
        ephemeral: bool,
    ) -> None:
        """The core's replies as follow-ups to the (deferred) interaction."""
        try:
            try:
                replies = await self.core.handle(inbound, self.capabilities)
            except Unavailable:
                # An interaction cannot come again: say so, and change nothing.
                tr = self.core.catalogs.translator(str(interaction.locale))
                busy = tr._("I can't take that right now. Please try again in a minute.")
                await interaction.followup.send(busy, ephemeral=True)
                return
            extra = None
            if replies and not replies[-1].choices:
                kind = await self.core.awaiting_words(inbound)
                if kind is not None:
                    tr = self.core.catalogs.translator(str(interaction.locale))
                    extra = WriteButton(
                        kind, tr._(WRITE_LETTER if kind == LETTER else WRITE_ANSWER)
                    )
            if not replies:  # a resent interaction: answered already
                if interaction.type is not discord.InteractionType.component:
                    await interaction.delete_original_response()
                return
            for index, reply in enumerate(replies):
                last = index == len(replies) - 1
                options = self._message(reply, extra if last else None)
                await interaction.followup.send(ephemeral=ephemeral, wait=True, **options)
        except discord.HTTPException as error:
            log.warning("discord: could not answer interaction %s: %s", interaction.id, error)

    # -- autocomplete ------------------------------------------------------------------------

    def circle_choices_for(
        self, command: Command
    ) -> Callable[..., Awaitable[list[app_commands.Choice[int]]]]:
        async def circle_choices(
            interaction: discord.Interaction[discord.Client], current: str
        ) -> list[app_commands.Choice[int]]:
            """The circles this person runs, matching what they typed."""
            mine = await self.core.circle_choices(
                PLATFORM, str(interaction.user.id), command.access
            )
            typed = current.casefold().strip()
            return [
                app_commands.Choice(name=_clip(circle.name, 100), value=circle.id)
                for circle in mine
                if typed in circle.name.casefold()
            ][:MAX_CHOICES]

        return circle_choices

    def meeting_choices_for(
        self, command: Command
    ) -> Callable[..., Awaitable[list[app_commands.Choice[int]]]]:
        async def meeting_choices(
            interaction: discord.Interaction[discord.Client], current: str
        ) -> list[app_commands.Choice[int]]:
            """The meetings of the circle chosen (else the person's latest), with dates."""
            chosen = getattr(interaction.namespace, CIRCLE_OPTION, None)
            planned = await self.core.meeting_choices(
                PLATFORM, str(interaction.user.id), command.access, chosen
            )
            tr = self.core.catalogs.translator(str(interaction.locale))
            typed = str(current).strip()
            return [
                app_commands.Choice(
                    name=_clip(
                        tr._(
                            MEETING_LABEL,
                            number=meeting.number,
                            when=tr.when(meeting.starts_at, meeting.timezone),
                        ),
                        100,
                    ),
                    value=meeting.number,
                )
                for meeting in planned
                if str(meeting.number).startswith(typed)
            ][:MAX_CHOICES]

        return meeting_choices

    # -- direct messages ---------------------------------------------------------------------

    async def direct_message(self, message: discord.Message) -> None:
        """A DM is a message to the bot. Server messages are not: without the privileged
        message_content intent their text is empty, and people there talk to each other."""
        if not isinstance(message.channel, discord.DMChannel):
            return  # a server channel (its guild may not even be cached)
        if message.author.bot or message.webhook_id is not None:
            return
        if message.type not in (discord.MessageType.default, discord.MessageType.reply):
            return  # pins, calls and other system messages
        inbound = Inbound(
            platform=PLATFORM,
            account_id=str(message.author.id),
            chat_id=str(message.channel.id),
            message_id=str(message.id),
            text=message.content,  # empty for a sticker or a bare file: the core says so
            display_name=message.author.display_name,
        )
        await self.lanes.run(inbound.chat_id, lambda: self._answer_dm(inbound))

    async def _answer_dm(self, inbound: Inbound) -> None:
        """The core's answer, through the outbox. Discord never gives a message twice, so while
        the core cannot take it (its database down) this process keeps it and tries again."""
        for delay in DM_RETRY_SECONDS:
            try:
                await self.core.answer(inbound, self)
                return
            except Unavailable:
                self._quiet.warning("discord", "a DM waits for the database")
                await asyncio.sleep(delay)
        log.error("discord: a DM was not handled: the database did not come back")


__all__ = ["ChoiceButton", "CommandTranslator", "DiscordAdapter", "WriteButton"]
