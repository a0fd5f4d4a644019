"""Walkthrough sms 23: a learner by SMS in two circles gets both check-ins the same morning and
texts two ratings, one after the other or both in one text. Each lands on its own question, in
the order the questions came; each thanks names the circle and meeting; a number again after
that is a change to the rating, said so, never "nothing is waiting"."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import CheckIn, Circle
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

# Meets the same Thursday as Python for Everyone, in the morning: both check-ins come on
# Friday at 10:00.
SAME_DAY = (
    '/newcircle name="Digital Skills" course="Learning How to Learn" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-10-29 time=10:00 meetings=4"
)
CHECKINS = datetime(2026, 10, 30, 14, 5, tzinfo=UTC)
ANN = "+254700000001"


async def ann_in_both(chat: Chat, core: Core, clock: FakeClock) -> Chat:
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", SAME_DAY)
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    for circle in ("Python for Everyone", "Digital Skills"):
        assert "Welcome" in await sms.say(ANN, "JOIN " + await code_of(core, circle))
        await sms.say(ANN, "To use a computer at work.")
        await sms.say(ANN, "2")  # her written answers stay private
    clock.set(CHECKINS)
    await core.tick()
    # Due together to one phone: one text, each question naming its circle, in order (D48).
    asked = "\n".join(m.text for m in await sms.deliver())
    first = asked.index("meeting 1 of Python for Everyone")
    assert asked.index("meeting 1 of Digital Skills") > first, asked
    return sms


async def ratings(core: Core) -> dict[str, tuple[int | None, str | None]]:
    async with open_session(core) as session:
        rows = await session.exec(
            select(Circle.name, CheckIn.rating, CheckIn.answer).join(
                CheckIn, col(CheckIn.circle_id) == Circle.id
            )
        )
        return {name: (rating, answer) for name, rating, answer in rows.all()}


async def test_two_texts_rate_the_two_check_ins_in_the_order_they_came(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    sms = await ann_in_both(chat, core, clock)
    assert (await sms.say(ANN, "4")).startswith("Python for Everyone, meeting 1: Thanks, got it!")
    assert (await sms.say(ANN, "5")).startswith("Digital Skills, meeting 1: Thanks, got it!")
    assert await ratings(core) == {"Python for Everyone": (4, None), "Digital Skills": (5, None)}

    # Again a number: a change to the rating just given, said so.
    assert (
        await sms.say(ANN, "3")
        == "I changed your rating for meeting 1 of Digital Skills from 5 to 3."
    )
    assert await ratings(core) == {"Python for Everyone": (4, None), "Digital Skills": (3, None)}
    # Her words answer the question shown last, which says which circle they went to.
    assert (await sms.say(ANN, "The videos were too fast for me")).startswith(
        "Digital Skills: Thank you for sharing that with me."
    )
    assert (await ratings(core))["Digital Skills"] == (3, "The videos were too fast for me")


async def test_two_ratings_in_one_text_rate_both(chat: Chat, core: Core, clock: FakeClock) -> None:
    sms = await ann_in_both(chat, core, clock)
    answer = await sms.say(ANN, "4 5")
    assert answer.startswith("Python for Everyone, meeting 1: Thanks, got it!")
    assert "\nDigital Skills, meeting 1: Thanks, got it!" in answer
    # The second number is the other rating, never words kept as an answer.
    assert "between you and me" not in answer
    assert await ratings(core) == {"Python for Everyone": (4, None), "Digital Skills": (5, None)}
    assert await sms.say(ANN, "5") == ("Digital Skills, meeting 1: you rated it 5 of 5 already.")
