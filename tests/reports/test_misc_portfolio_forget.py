"""Walkthrough ops 23: the portfolio file a learner keeps ends by saying how to have these
records deleted, with the erase command as the learner's own language names it."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat
from tests.reports.test_records import portfolio_file
from tests.seasons import open_circle


async def test_the_portfolio_file_ends_with_how_to_have_it_deleted(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True})

    brian = await portfolio_file(chat, "Brian")
    assert "> To learn Python with others." in brian  # his goal, the record itself
    assert brian.endswith(
        "\n\n---\n\n*Want these records deleted? Send /forget to the bot in your chat; "
        "it asks you to confirm first.*\n"
    )

    # In Danish the command is /glem, as /help names it to her (the file is read away from
    # the chat, where no reply renames it).
    await chat.say("Dana", "/language da")
    dana = await portfolio_file(chat, "Dana")
    assert dana.endswith(
        "*Vil du have disse oplysninger slettet? Send /glem til botten i din chat; den beder "
        "dig bekræfte først.*\n"
    )
    assert "/forget" not in dana
    # And that word does erase her record.
    assert "Slet det hele?" in await chat.say("Dana", "/glem")
