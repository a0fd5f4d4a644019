"""A yes-or-no question before a step that can't be undone or that reaches other people (/leave,
/announce). It is a guided conversation, so the answer can be tapped, picked by number or typed
in words, in English or the reader's language, and "cancel" stops it like any other. Once the
step is taken, the person it is about hears of it (tell)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.chat import keywords
from bot.chat.i18n import N_, Translator
from bot.chat.messages import Choice
from bot.delivery.kinds import MessageKind
from bot.delivery.outbox import OutboxKey
from bot.dialogue import conversations
from bot.dialogue.context import Context
from bot.storage.models import Circle

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


# A short answer holding a no and no yes ("euh non en fait", "hmm nein doch nicht, ich bleibe")
# is a no; a longer one is not an answer. A yes is read from fewer words, and only as the last
# ("bon ok oui"): "yes but fix the date" must not send an announcement.
MAX_ANSWER_WORDS = 6
MAX_YES_WORDS = 3
# Translators: everyday words that tell the bot to go ahead with the step asked about ("go
# ahead", "send it"; "vas-y", "envoie"; "dale", "mándalo"), read as the Yes of a confirmation;
# comma-separated. Keep the English ones.
GO_AHEAD = N_("GO AHEAD, GO FOR IT, DO IT, SEND IT, GO")
# Said when an answer was neither (the question is not repeated word for word).
NOT_CAUGHT = N_("Sorry, I didn't catch that. Yes or no?")


def read(tr: Translator, text: str, yes: str = YES_LABEL, no: str = NO_LABEL) -> bool | None:
    """True for the first choice, False for the second, None for anything else. A number
    counts as the choice it was offered as, even after another message cleared the offer. A
    word that agrees ("ok", "dale", "passt": keywords.AGREE) is the first choice too. A short
    answer with a no and no yes is a no ("euh non en fait"), and a very short one ending in a
    yes with no no is a yes ("bon ok oui"; "hmm, not sure" is not); words of one letter count
    only alone."""
    typed = keywords.plain(text)
    agreed = keywords.words(tr, keywords.YES) | keywords.words(tr, keywords.AGREE)
    agreed |= {YES, "1", keywords.plain(tr._(yes))} | keywords.words(tr, GO_AHEAD)
    refused = {NO, "2", keywords.plain(tr._(no))} | keywords.words(tr, keywords.NO)
    if typed in agreed:
        return True
    if typed in refused:
        return False
    words = [keywords.plain(word) for word in re.findall(r"\w+", text)]
    if len(words) > MAX_ANSWER_WORDS:
        return None
    said = {word in agreed for word in words if len(word) > 1 and word in agreed | refused}
    if said == {False}:
        return False
    # A yes itself last, never only a word that agrees: "hmm, not sure" is no yes.
    yes_words = keywords.words(tr, keywords.YES) | {YES, keywords.plain(tr._(yes))}
    if said == {True} and len(words) <= MAX_YES_WORDS and words[-1] in yes_words:
        return True
    return None


async def tell(
    ctx: Context,
    circle: Circle,
    person_id: int,
    kind: MessageKind,
    notice: Callable[[Translator], str],
) -> bool:
    """The person a confirmed step is about (taken off a circle, handed it) hears of it, in
    their language: once for the message that confirmed it, however often it is handled (its
    outbox key names the kind, the circle, the person and that message). Whether it can reach
    them."""
    return await ctx.notify(
        person_id,
        OutboxKey(kind, f"circle:{circle.id}", f"person:{person_id}", ctx.occurrence),
        notice,
    )
