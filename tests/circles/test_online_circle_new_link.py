"""An online circle given a new link: the old link's number to call in goes with it, as the new
meeting has its own; a number given again with /edit dialin is shown with the new link."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat, code_of

ONLINE = (
    '/newcircle name="Python Online" course="Python for Everyone" venue=online '
    "link=https://meet.google.com/abc-defg-hij city=Dakar country=SN zone=Africa/Dakar "
    "start=2026-11-10 time=18:00 meetings=6 language=en"
)
OLD_DIALIN = "+221 33 123 4567 PIN 123456"


async def test_a_new_link_takes_the_old_number_to_call_in_away(chat: Chat, core: Core) -> None:
    await chat.say("Linda", ONLINE)
    await chat.say("Linda", f"/edit dialin {OLD_DIALIN}")
    code = await code_of(core, "Python Online")
    await chat.say("Awa", f"/join {code}")
    preview = await chat.say("Linda", "/edit link https://zoom.us/j/999")
    assert "https://zoom.us/j/999" in preview
    assert OLD_DIALIN not in preview
    done = await chat.say("Linda", "yes")
    assert f"The number to call in, {OLD_DIALIN}, was for the old link" in done
    assert "/edit dialin NUMBER" in done
    for command in ("/next", "/schedule"):
        shown = await chat.say("Awa", command)
        assert "https://zoom.us/j/999" in shown
        assert OLD_DIALIN not in shown


async def test_a_number_given_again_is_shown_with_the_new_link(chat: Chat, core: Core) -> None:
    await chat.say("Linda", ONLINE)
    await chat.say("Linda", f"/edit dialin {OLD_DIALIN}")
    await chat.say("Linda", "/edit link https://zoom.us/j/999")
    await chat.say("Linda", "/edit dialin +221 33 999 0000")
    shown = await chat.say("Linda", "/next")
    assert "https://zoom.us/j/999" in shown
    assert "Or call +221 33 999 0000 to join by phone." in shown
    assert OLD_DIALIN not in shown
