"""/help COMMAND takes the command's name as people were told it: its English name or its name
in any shipped language ("aide", "msaada", "nachstes"), with or without the slash, and shows the
command's usage and example in the reader's language."""

from __future__ import annotations

import pytest

from tests.conftest import Chat

HELP_USAGE = "/help [COMMAND]\nWhat I can do, or how to use one command"
NEXT_USAGE = "/next\nWhen and where your circles meet next"


@pytest.mark.parametrize(
    ("asked", "usage"),
    [
        ("/help aide", HELP_USAGE),  # French
        ("/help /msaada", HELP_USAGE),  # Swahili, with its slash
        ("/help HJÆLP", HELP_USAGE),  # Danish, in capitals
        ("/help nachstes", NEXT_USAGE),  # German "nächstes", typed without the umlaut
        ("/help proxima", NEXT_USAGE),  # Spanish "próxima"
        ("/help next", NEXT_USAGE),
    ],
)
async def test_help_finds_a_command_by_any_of_its_names(chat: Chat, asked: str, usage: str) -> None:
    assert (await chat.say("Brian", asked)).startswith(usage)


async def test_help_answers_in_the_readers_language_with_their_words(chat: Chat) -> None:
    await chat.say("Brian", "/language fr")
    answer = await chat.say("Brian", "/aide rsvp")
    assert "Par exemple : /dispo oui 3" in answer
    assert "/rsvp yes" not in answer
    assert "Par exemple : /visibilite désactiver" in await chat.say("Brian", "/aide sharing")
    reply = await chat.say("Brian", "/aide reply")
    assert "Par exemple : /repondre 3 Oui, il y a un parking" in reply


async def test_help_about_no_command_says_so(chat: Chat) -> None:
    # The word as typed, not a "/zzzz" never sent (wave 2, B8).
    assert "I don't know a command called “zzzz”" in await chat.say("Brian", "/help zzzz")
