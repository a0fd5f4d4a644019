"""Facilitator walkthrough findings on who runs a circle: a co-facilitator who hasn't joined
yet is shown the way in."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CIRCLE = "Python for Everyone"


async def test_a_cofacilitator_not_in_the_circle_yet_is_shown_the_way_in(
    chat: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Ruth", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    refused = await chat.say("Ruth", "/cofacilitator add Keisha")
    assert refused.startswith("No one called Keisha is in Python for Everyone yet.")
    assert f"send /join {code}" in refused and "/skip" in refused
    assert "Welcome" in await chat.say("Keisha", f"/join {code}")
    assert "Keisha now co-facilitates" in await chat.say("Ruth", "/cofacilitator add Keisha")


async def ruth_hands_over_to_keisha(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Ruth", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for name in ("Keisha", "Tom"):
        assert "Welcome" in await chat.say(name, f"/join {code}")
    assert "co-facilitates" in await chat.say("Ruth", "/cofacilitator add Keisha")
    await chat.say("Ruth", "/handover Keisha")
    assert "now facilitates" in await chat.say("Ruth", "yes")
    await chat.deliver()


async def test_a_cofacilitator_removed_is_asked_about_first_and_can_be_taken_off(
    chat: Chat, core: Core
) -> None:
    await ruth_hands_over_to_keisha(chat, core)
    asked = await chat.say("Keisha", "/cofacilitator remove ruth")
    assert asked == (
        "Ruth will stop helping run Python for Everyone. Keep them in it as a learner (they'll "
        "get its reminders and check-ins), or take them off it? Only they are told.\n"
        "Reply 1 for As a learner or 2 for Off the circle."
    )
    assert await chat.deliver() == []  # nothing done before the answer
    assert await chat.say("Keisha", "2") == "Ruth is off Python for Everyone now."
    sent = await chat.deliver()
    assert [m.text for m in sent] == [
        "Keisha runs Python for Everyone from here, so you're off it now. Thank you for "
        "helping run it!"
    ]
    assert sent[0].address.chat_id == "ruth"
    roster = await chat.say("Keisha", "/roster")
    assert "Ruth" not in roster and "Tom" in roster


async def test_no_keeps_a_cofacilitator_and_a_learner_is_not_told_again(
    chat: Chat, core: Core
) -> None:
    await ruth_hands_over_to_keisha(chat, core)
    await chat.say("Keisha", "/cofacilitator remove Ruth")
    assert await chat.say("Keisha", "no") == "OK, Ruth still co-facilitates Python for Everyone."
    assert "co-facilitator" in await chat.say("Keisha", "/roster")
    await chat.say("Keisha", "/cofacilitator remove Ruth")
    assert await chat.say("Keisha", "1") == "Ruth is a learner in Python for Everyone now."
    [notice] = [m.text for m in await chat.deliver() if m.address.chat_id == "ruth"]
    assert notice.startswith("You're a learner in Python for Everyone now:")
    assert "again" not in notice
