"""roster.csv tells "not answered" from "no": a learner who never answered the sharing
question has not said no to it."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat, code_of
from tests.reports.test_exports import rows
from tests.seasons import handle, open_circle


async def test_the_roster_says_not_answered_for_the_sharing_question(
    chat: Chat, core: Core
) -> None:
    code = await open_circle(chat, core, {"Brian": True, "Chioma": False})
    assert code == await code_of(core, "Python for Everyone")
    assert "Welcome" in await chat.say("Dede", f"/join {code}")
    await chat.say("Dede", "To meet people.")  # the sharing question comes: never answered
    [reply] = await handle(chat, "Amina", "/export")
    roster = rows({a.filename: a for a in reply.attachments}["python-for-everyone-roster.csv"])
    shares = {r["Name"]: r["Shares written answers"] for r in roster}
    assert shares == {"Amina": "", "Brian": "yes", "Chioma": "no", "Dede": "not answered"}
