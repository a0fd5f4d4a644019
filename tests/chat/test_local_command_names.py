"""Readers who type slash commands are told the names /help shows them: a Spanish reader reads
"envía /confirmar sí", not "/rsvp sí", in every reply, with no catalog naming a command by
hand (bot.chat.keywords.for_slash_commands, applied in bot.chat.rendering.fit). An English
reader keeps the English names, and every name shown is one the router takes back."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.chat import keywords
from bot.chat.clock import FakeClock
from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Capabilities, Outbound
from bot.chat.rendering import fit
from bot.core.command_table import build_registry
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CATALOGS = Catalogs(Path(LOCALES_DIR))
TRANSLATED = ("es", "de", "da", "fr", "sw")
# A command quoted in a reply, as people read it: "/rsvp" in "envía /rsvp sí".
QUOTED = re.compile(r"(?<![\w/:.])/([^\W\d_][\w-]*)")
# 24 hours before meeting 1 (Thursday 2026-10-29, 18:00 in Detroit): the RSVP question goes out.
REMINDER_1 = datetime(2026, 10, 28, 22, 0, tzinfo=UTC)
SLASHES = Capabilities(max_text_length=4000)  # a platform with slash commands (Telegram, Discord)

# Each moment a walkthrough in Spanish and German caught, and the command its reply names.
MOMENTS = {
    "welcome": "join",  # "Envía /join y el código"
    "circle ready": "join",  # "Quienes quieran participar envían /join CODE."
    "consent": "sharing",  # "Puedes cambiarlo cuando quieras con /sharing."
    "skip hint": "skip",  # "(Para tu portafolio. /skip si prefieres no responder.)"
    "reflection kept": "portfolio",  # "Ya está en tu portafolio (/portfolio)."
    "rsvp no": "rsvp",  # "Si cambian tus planes, envía /rsvp sí."
    "digest": "digest",  # "Envía /digest más tarde para ver las respuestas."
    "letters": "letters",  # "Uso: /letters reject NÚMERO MOTIVO"
    "new circle": "cancel",  # "... o /cancel para parar."
}


async def walkthrough(chat: Chat, clock: FakeClock, language: str) -> dict[str, str]:
    """What a facilitator (Amina) and a learner (Lucia) read in `language`, moment by moment."""
    seen: dict[str, str] = {}
    seen["welcome"] = await chat.say("Lucia", "/start", locale_hint=language)
    await chat.say("Lucia", f"/language {language}")
    await chat.say("Amina", f"/language {language}")
    created = await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(chat.core, "Python for Everyone")
    seen["circle ready"] = created
    await chat.say("Lucia", f"/join {code}")
    await chat.say("Lucia", "Write my first program")  # the goal; then "may your facilitator read"
    seen["consent"] = await chat.say("Lucia", "2")
    seen["skip hint"] = await chat.say("Lucia", "/reflect")
    seen["reflection kept"] = await chat.say("Lucia", "Reading the code aloud helped.")
    clock.set(REMINDER_1)
    await chat.core.tick()
    await chat.deliver()
    seen["digest"] = await chat.say("Amina", "/digest")
    seen["rsvp no"] = await chat.say("Lucia", "/rsvp no")
    seen["letters"] = await chat.say("Amina", "/letters reject")
    seen["new circle"] = await chat.say("Amina", "/newcircle")
    return seen


def english_names_with_local_ones(language: str, text: str) -> list[str]:
    tr = CATALOGS.translator(language)
    return [
        "/" + name
        for name in QUOTED.findall(text)
        if name in keywords.COMMAND_NAMES and keywords.slash_name(tr, name) != name
    ]


@pytest.mark.parametrize("language", TRANSLATED)
async def test_replies_name_commands_as_help_names_them_in_the_readers_language(
    chat: Chat, clock: FakeClock, language: str
) -> None:
    seen = await walkthrough(chat, clock, language)
    tr = CATALOGS.translator(language)
    for moment, command in MOMENTS.items():
        text = seen[moment]
        assert english_names_with_local_ones(language, text) == [], (moment, text)
        assert "/" + keywords.slash_name(tr, command) in text, (moment, text)


async def test_an_english_reader_reads_the_english_names(chat: Chat, clock: FakeClock) -> None:
    seen = await walkthrough(chat, clock, "en")
    for moment, command in MOMENTS.items():
        assert "/" + command in seen[moment], (moment, seen[moment])


@pytest.mark.parametrize(
    ("language", "english", "local"),
    [
        ("es", "Si cambian tus planes, envía /rsvp sí 2.", "envía /confirmar sí 2."),
        ("es", "Envía /digest más tarde", "Envía /resumen más tarde"),
        ("es", "p. ej. /reminders 24h 1h, o bien off", "p. ej. /recordatorios 24h 1h, o bien"),
        ("es", "/letter retirar la quita", "/carta retirar la quita"),
        ("es", "/letters rechazar 1 MOTIVO", "/cartas rechazar 1 MOTIVO"),
        ("de", "oder schick /skip.", "oder schick /ueberspringen."),  # umlaut spelled out
        ("de", "Mit /sharing kannst du das jederzeit ändern.", "Mit /mitlesen kannst du"),
        ("sw", "(/portfolio)", "(/jalada)"),
        ("da", "/join, /newcircle eller /help", "/tilmeld, /nycirkel eller /hjaelp"),
    ],
)
def test_a_quoted_command_takes_its_local_name_and_keeps_what_follows(
    language: str, english: str, local: str
) -> None:
    [shown] = fit(Outbound(Address("x", "1"), english), SLASHES, CATALOGS.translator(language))
    assert local in shown.text


@pytest.mark.parametrize(
    "text",
    [
        "Course: https://example.org/help and /Nairobi/join",  # links and paths
        "Meeting on 2026/10/29, see docs/rsvp.",
        "Send /confirmar sí 2 or /ayuda.",  # already in the reader's words
    ],
)
def test_links_paths_and_local_names_are_left_as_written(text: str) -> None:
    assert keywords.for_slash_commands(CATALOGS.translator("es"), text) == text


def test_sms_readers_still_get_words_to_text() -> None:
    sms = Capabilities(max_text_length=459, slash_commands=False, gsm_safe=True)
    [shown] = fit(Outbound(Address("x", "1"), "Send /rsvp sí 2."), sms, CATALOGS.translator("es"))
    assert shown.text == "Send CONFIRMAR SI 2."


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_router_takes_back_every_name_a_reply_shows(language: str) -> None:
    tr = CATALOGS.translator(language)
    registry = build_registry()
    for command in registry:
        shown = keywords.for_slash_commands(tr, "/" + command.name)
        named = registry.named(shown.lstrip("/"), tr)
        assert named is not None and named.name == command.name, (command.name, shown)
        typed = keywords.plain(shown)  # typed without accents: "/proxima", "/ueberspringen"
        accentless = registry.named(typed, tr)
        assert accentless is not None and accentless.name == command.name, (command.name, typed)


def test_a_name_a_reply_shows_is_a_whole_telegram_command_link() -> None:
    """Telegram links a command only as far as its Latin letters go: "/próxima" would send
    "/pr". Replies show the name without accents, and the router takes that back."""
    for language in TRANSLATED:
        tr = CATALOGS.translator(language)
        for command in keywords.COMMAND_NAMES:
            assert re.fullmatch(r"[a-z0-9_]{1,32}", keywords.slash_name(tr, command)), (
                language,
                command,
            )
    assert keywords.slash_name(CATALOGS.translator("es"), "next") == "proxima"
