"""A reply that tells a French or Swahili reader what to send names the command's words in their
language ("envoyez /rsvp oui"), the words /help shows them and the command takes; and those
words work when sent back."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

# The words commands take after their name, as msgids: /rsvp yes, /sharing off, /team add, ...
WORDS = ("yes", "no", "on", "off", "approve", "reject", "withdraw", "new", "add", "leave")
WORDS += ("weekly", "checkin", "digest", "letters", "remove")
COMMANDS = ("rsvp", "sharing", "default", "letters", "letter", "team", "rhythm", "cofacilitator")
COMMANDS += ("reminders", "listing", "edit")
QUOTED = re.compile(r"/(?:" + "|".join(COMMANDS) + r") (" + "|".join(WORDS) + r")\b")
TRANSLATED = sorted(
    path.parent.parent.name for path in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po")
)


@pytest.mark.parametrize("code", TRANSLATED)
def test_replies_quote_command_words_in_the_readers_language(code: str) -> None:
    with (LOCALES_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po)
    local = {word: catalog.get(word).string if catalog.get(word) else word for word in WORDS}
    english = []
    for message in catalog:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            english += [
                found.group(0)
                for found in QUOTED.finditer(text or "")
                if local[found.group(1)] and local[found.group(1)] != found.group(1)
            ]
    assert english == [], f"{code} quotes English command words: {english}"


async def test_a_french_learner_sends_back_the_words_a_reply_quoted(chat: Chat) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(chat.core, "Python for Everyone")
    await chat.say("Brian", "/language fr")
    await chat.say("Brian", f"/join {code}")
    refused = await chat.say("Brian", "/rsvp bientôt")  # ("peut-être": a maybe)
    assert "/dispo oui" in refused and "/dispo non" in refused  # named as /help names them
    changed = await chat.say("Brian", "/dispo oui")
    assert "/dispo oui" not in changed and "Répondez" not in changed
    private = await chat.say("Brian", "/partage désactiver")
    assert "/visibilite activer" in private  # its name now (B7); /partage still works
    assert "/visibilite désactiver" in await chat.say("Brian", "/sharing activer")


async def test_a_swahili_learner_sends_back_the_words_a_reply_quoted(chat: Chat) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(chat.core, "Python for Everyone")
    await chat.say("Juma", "/language sw")
    await chat.say("Juma", f"/join {code}")
    assert "/hudhuria ndiyo" in await chat.say("Juma", "/rsvp kesho")  # ("labda": a maybe)
    # /kushiriki is /ruhusa now (walkthrough 8, lang 6); the old name is still read.
    assert "/ruhusa washa" in await chat.say("Juma", "/ruhusa zima")
    assert "/ruhusa zima" in await chat.say("Juma", "/kushiriki washa")
