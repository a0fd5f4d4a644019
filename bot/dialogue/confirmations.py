"""A yes-or-no question before a step that can't be undone or that reaches other people (/leave,
/announce). It is a guided conversation, so the answer can be tapped, picked by number or typed
in words, in English or the reader's language, and "cancel" stops it like any other."""

from __future__ import annotations

from typing import Any

from bot.chat import keywords
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Choice
from bot.dialogue import conversations
from bot.dialogue.context import Context

YES = "yes"  # the first choice's payload
NO = "no"  # the second's

# Translators: short: on SMS these read "Reply 1 for Yes or 2 for No".
YES_LABEL = N_("Yes")
NO_LABEL = N_("No")


def choices(tr: Translator, yes: str = YES_LABEL, no: str = NO_LABEL) -> list[Choice]:
    return [Choice(tr._(yes), YES), Choice(tr._(no), NO)]


def ask(
    ctx: Context,
    flow: str,
    data: dict[str, Any],
    question: str,
    yes: str = YES_LABEL,
    no: str = NO_LABEL,
) -> None:
    """Start `flow` with `data` and ask `question`, with `yes` and `no` (msgids) as its
    choices."""
    conversations.begin(ctx.conversation, flow, data, ctx.now)
    ctx.reply(question, choices=choices(ctx.tr, yes, no))


def read(tr: Translator, text: str, yes: str = YES_LABEL, no: str = NO_LABEL) -> bool | None:
    """True for the first choice, False for the second, None for anything else. A number
    counts as the choice it was offered as, even after another message cleared the offer. A
    word that agrees ("ok", "dale", "passt": keywords.AGREE) is the first choice too."""
    typed = keywords.plain(text)
    agreed = keywords.words(tr, keywords.YES) | keywords.words(tr, keywords.AGREE)
    if typed in {YES, "1", keywords.plain(tr._(yes))} | agreed:
        return True
    if typed in {NO, "2", keywords.plain(tr._(no))} | keywords.words(tr, keywords.NO):
        return False
    return None
