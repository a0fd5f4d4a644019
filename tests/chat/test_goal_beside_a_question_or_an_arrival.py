"""Issue 16: the answer to the goal question carries a goal beside something else: a question
for the facilitator with its detail ("can i bring my son? hes 10. i want to learn excel for my
job"), or an arrival at the meeting ("je suis arrivé, je veux apprendre à vendre en ligne").
The other part goes where it belongs, and the goal, alone, is kept."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

# Meeting 1 under way: Thursday 29 October 2026, 18:10 in Detroit.
DURING_MEETING_1 = datetime(2026, 10, 29, 22, 10, tzinfo=UTC)


async def _joined(
    chat: Chat, core: Core, name: str, language: str = "en", clock: FakeClock | None = None
) -> None:
    """`name` joins Amina's circle, made now; at meeting 1 when given its `clock`."""
    await chat.say("Amina", DETROIT_CIRCLE + f" language={language}")
    if clock is not None:
        clock.set(DURING_MEETING_1)
    await chat.say(name, "/join " + await code_of(core, "Python for Everyone"))


async def test_a_question_and_its_detail_go_on_and_the_goal_is_kept(chat: Chat, core: Core) -> None:
    await _joined(chat, core, "Carlos")
    await chat.say("Carlos", "can i bring my son? hes 10. i want to learn excel for my job")
    await chat.say("Carlos", "yes")  # the sharing question: the question then goes on
    portfolio = await chat.say("Carlos", "/portfolio")
    assert 'Your goal: "i want to learn excel for my job"' in portfolio, portfolio
    to_amina = [row.payload["text"] for row in await chat.outbox() if row.chat_id == "amina"]
    assert any("can i bring my son? hes 10." in text for text in to_amina), to_amina


async def test_a_short_goal_after_a_question_stays_the_goal(chat: Chat, core: Core) -> None:
    await _joined(chat, core, "Carlos")
    await chat.say("Carlos", "do i need a laptop? Excel basics.")
    portfolio = await chat.say("Carlos", "/portfolio")
    assert 'Your goal: "Excel basics."' in portfolio, portfolio


async def test_an_arrival_and_a_goal_at_the_meeting_keeps_both(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Koné joined at the first meeting and answered the goal question with his arrival and
    his goal: the arrival was noted, the goal went to Amina as a message and was lost."""
    await _joined(chat, core, "Kone", "fr", clock)
    reply = await chat.say("Kone", "je suis arrivé, je veux apprendre à vendre en ligne")
    assert "présence" in reply, reply  # noted here
    assert "Merci, je vous rappellerai votre objectif" in reply, reply
    portfolio = await chat.say("Kone", "/portfolio")
    assert "« je veux apprendre à vendre en ligne »" in portfolio, portfolio
    to_amina = [row.payload["text"] for row in await chat.outbox() if row.chat_id == "amina"]
    assert not any("vendre en ligne" in text for text in to_amina), to_amina


async def test_an_arrival_and_a_goal_between_meetings_keeps_the_goal_alone(
    chat: Chat, core: Core
) -> None:
    await _joined(chat, core, "Kone", "fr")
    await chat.say("Kone", "je suis arrivé, je veux apprendre à vendre en ligne")
    portfolio = await chat.say("Kone", "/portfolio")
    assert "« je veux apprendre à vendre en ligne »" in portfolio, portfolio
