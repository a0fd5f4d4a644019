"""Command names in the reader's language, for menus that can show them (Discord's slash
commands). The English name always works: it is what /help shows and what Discord sends back
whatever name the menu displayed, so a translated name never changes how a command is routed.
"""

from __future__ import annotations

import re

from bot.chat.i18n import N_, Translator

# Translators: each is a command's name in a menu: lower case, one word (letters, digits, - or
# _), at most 32 characters, with the slash. Keep the English word if yours would be odd.
NAMES = {
    "start": N_("/start"),
    "help": N_("/help"),
    "name": N_("/name"),
    "language": N_("/language"),
    "join": N_("/join"),
    "next": N_("/next"),
    "schedule": N_("/schedule"),
    "leave": N_("/leave"),
    "rsvp": N_("/rsvp"),
    "here": N_("/here"),
    "checkin": N_("/checkin"),
    "reflect": N_("/reflect"),
    "skip": N_("/skip"),
    "portfolio": N_("/portfolio"),
    "letter": N_("/letter"),
    "thanks": N_("/thanks"),
    "letters": N_("/letters"),
    "link": N_("/link"),
    "unlink": N_("/unlink"),
    "prefer": N_("/prefer"),
    "forget": N_("/forget"),
    "newcircle": N_("/newcircle"),
    "invite": N_("/invite"),
    "roster": N_("/roster"),
    "attendance": N_("/attendance"),
    "announce": N_("/announce"),
    "linkchat": N_("/linkchat"),
    "unlinkchat": N_("/unlinkchat"),
    "digest": N_("/digest"),
    "reminders": N_("/reminders"),
    "reschedule": N_("/reschedule"),
    "cancel": N_("/cancel"),
    "rhythm": N_("/rhythm"),
    "report": N_("/report"),
    "export": N_("/export"),
    "calendar": N_("/calendar"),
    "team": N_("/team"),
    "cofacilitator": N_("/cofacilitator"),
    "edit": N_("/edit"),
    "uncancel": N_("/uncancel"),
    "addmeeting": N_("/addmeeting"),
    "skipweek": N_("/skipweek"),
    "close": N_("/close"),
    "delete": N_("/delete"),
    "handover": N_("/handover"),
}

# What Discord accepts as a command name (its rule, narrowed to what a translation needs).
VALID = re.compile(r"[-_\w]{1,32}")


def local_name(tr: Translator, command: str) -> str:
    """The command's name in the reader's language, or its English name when there is no valid
    translation."""
    msgid = NAMES.get(command)
    if msgid is None:
        return command
    name = tr._(msgid).strip().lstrip("/").casefold()
    return name if VALID.fullmatch(name) else command
