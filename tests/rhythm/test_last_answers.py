"""Issue 16, after a re-check of the walkthroughs: answers given before are not ignored. /survey
once it is answered says so; skipping a check-in opened again keeps the earlier answer;
/sharing takes a yes or no and says how to use it in the reader's words."""

from __future__ import annotations

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import CheckIn
from tests.conftest import Chat
from tests.database import open_session
from tests.network.test_survey import TWO_WEEKS, answers_of, end_the_circle
from tests.rhythm.test_sharing import join, shares
from tests.seasons import Week, open_circle, play_week


async def test_survey_once_answered_says_so_and_can_go_again(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "4")  # rating
    await chat.say("Brian", "2")  # goal: partly
    await chat.say("Brian", "1")  # would recommend
    assert "Thank you for answering" in await chat.say("Brian", "/skip")  # no tip

    again = await chat.say("Brian", "/survey")
    assert "already answered the survey about Python for Everybody" in again
    assert "thank you" in again
    assert "how was Python for Everybody" not in again
    # The one choice goes through it again, and a new rating replaces the old one.
    assert "how was Python for Everybody, from 1 to 5?" in await chat.say("Brian", "1")
    await chat.say("Brian", "2")
    answers = await answers_of(core, "Brian")
    assert answers is not None and answers.rating == 2


async def test_survey_half_answered_carries_on_from_where_it_stopped(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # Issue 16 (frsw 25): from its next question, not from the 1-5 already given.
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "4")
    resumed = await chat.say("Brian", "/survey")
    assert "Did you reach your goal?" in resumed and "from 1 to 5?" not in resumed
    assert "from 1 to 5?" in await chat.say("Brian", "/survey again")


async def _answer(core: Core) -> str | None:
    async with open_session(core) as session:
        [checkin] = (await session.exec(select(CheckIn))).all()
    return checkin.answer


async def test_skipping_a_check_in_opened_again_keeps_the_earlier_answer(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    week = Week(came=("Brian",), ratings={"Brian": 4}, answers={"Brian": "Loops made sense."})
    await play_week(chat, core, clock, 1, week)
    assert await _answer(core) == "Loops made sense."
    await chat.say("Brian", "/checkin")
    await chat.say("Brian", "3")
    skipped = await chat.say("Brian", "skip")
    assert "Your earlier answer stays." in skipped
    assert "No answer is saved" not in skipped
    assert await _answer(core) == "Loops made sense."


async def test_skipping_a_first_check_in_keeps_nothing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await chat.say("Brian", "3")
    assert "No answer is saved for that one." in await chat.say("Brian", "skip")


async def test_sharing_takes_yes_and_no(chat: Chat, core: Core) -> None:
    await join(chat, core)
    await chat.say("Brian", "To learn Python.")
    await chat.say("Brian", "1")
    assert "stays between you and me" in await chat.say("Brian", "/sharing no")
    assert await shares(core) is False
    assert "can read what you write" in await chat.say("Brian", "/sharing yes")
    assert await shares(core) is True


async def test_sharing_in_french_takes_non_and_hints_in_french(chat: Chat, core: Core) -> None:
    await join(chat, core)
    await chat.say("Brian", "To learn Python.")
    await chat.say("Brian", "1")
    await chat.say("Brian", "/language fr")
    assert "reste" in await chat.say("Brian", "/partage non")
    assert await shares(core) is False
    assert await chat.say("Brian", "/partage oui") != ""
    assert await shares(core) is True
    hint = await chat.say("Brian", "/partage peut-être")
    # Named /visibilite now, one letter away from /partager no more (B7); /partage still works.
    assert "/visibilite activer" in hint and "/visibilite désactiver" in hint
    assert "/sharing" not in hint
