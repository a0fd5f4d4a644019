"""People in circles that go on or finish (issue 16): a co-facilitator found by first name,
/join and /leave that fit a finished circle and a learner who came by /find, and /forget that
tells the facilitators a learner has gone."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

SHORT_CIRCLE = (
    '/newcircle name="Atelier Python" course="Python for Everybody" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-10-22 time=18:00 meetings=2"
)
AFTER_ATELIER = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)


async def join(chat: Chat, core: Core, name: str, circle: str = "Python for Everyone") -> None:
    assert "Welcome" in await chat.say(name, "/join " + await code_of(core, circle))
    await chat.say(name, "/skip")
    await chat.say(name, "/skip")


async def test_a_cofacilitator_by_first_name_in_any_case(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Grace", DETROIT_CIRCLE)
    await join(chat, core, "Aminata Diop")
    assert await chat.say("Grace", "/cofacilitator add aminata") == (
        "Aminata Diop now co-facilitates Python for Everyone."
    )
    await chat.say("Grace", "/cofacilitator remove AMINATA")
    assert await chat.say("Grace", "as a learner") == (
        "Aminata Diop is a learner in Python for Everyone now."
    )
    assert (await chat.say("Grace", "/cofacilitator add Fatou")).startswith(
        "No one called Fatou is in Python for Everyone yet. A co-facilitator joins first"
    )


async def test_join_again_a_finished_circle_says_it_has_finished(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    assert "is ready" in await chat.say("Amina", SHORT_CIRCLE)
    await join(chat, core, "Brian", "Atelier Python")
    clock.set(AFTER_ATELIER)
    answer = await chat.say("Brian", "/join " + await code_of(core, "Atelier Python"))
    assert "has finished" in answer and "/next" not in answer


async def test_leave_gives_the_code_to_come_back_with(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    await chat.say("Brian", "/leave")
    code = await code_of(core, "Python for Everyone")
    assert await chat.say("Brian", "yes") == (
        f"You've left Python for Everyone. You're welcome back any time: send /join {code}."
    )


async def test_forget_tells_the_facilitator_a_learner_has_left(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    await chat.deliver()  # the "joined" notice
    assert "Delete it all?" in await chat.say("Brian", "/forget")
    assert "everything about you is deleted" in await chat.say("Brian", "yes")
    [told] = await chat.deliver()
    assert told.address.chat_id == "amina"
    assert told.text == "A learner has left Python for Everyone."
    assert "Brian" not in told.text
