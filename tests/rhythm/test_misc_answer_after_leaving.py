"""Walkthrough lang 35: a learner leaves a circle while its facilitator is answering him. The
facilitator is told plainly that he left, and when; her answer reaches him as a goodbye within
two weeks of his leaving, and nothing after that; the question he left open there (may his
answers be shared?) is not asked again and does not take his next messages, which go to his
other circle's facilitator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.delivery.kinds import MessageKind
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_several_circles import SECOND_CIRCLE
from tests.rhythm.test_misc_two_ratings_by_sms import ANN, ann_in_both, ratings

LEFT = "Brian left Python for Everyone on Tuesday, October 20, 2026"


async def test_a_facilitator_answering_a_learner_who_left_is_told_and_nothing_is_sent(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    clock.set(datetime(2026, 10, 20, 16, tzinfo=UTC))
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Dede", SECOND_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Brian", "To learn how to learn.")
    assert "Your facilitator will see" in await chat.say("Brian", "1")
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    assert "May your facilitator read" in await chat.say("Brian", "To learn Python.")
    # The sharing question stays open; his question goes to Amina as message 1.
    assert "passed that on to Amina" in await chat.say("Brian", "Is there parking nearby?")
    assert "What would you like to say to Brian?" in await chat.say("Amina", "/reply 1")

    assert "Leave Python for Everyone?" in await chat.say("Brian", "/leave python for everyone")
    assert "You've left Python for Everyone" in await chat.say("Brian", "1")

    # Her answer, written just after he left: it reaches him as a goodbye (the bot itself
    # suggests "a friendly word" when someone leaves: walkthrough 8, lang 17), and she hears
    # that his answers no longer come to her.
    answer = await chat.say("Amina", "Yes, behind the building.")
    assert "I've sent your answer to Brian." in answer
    assert LEFT + ": this reached them as a goodbye" in answer
    assert LEFT + ": this reached them as a goodbye" in await chat.say(
        "Amina", "/reply Brian See you soon?"
    )  # by name too, not "can't find"
    replies = [
        row for row in await chat.outbox() if row.kind == MessageKind.FACILITATOR_REPLY.value
    ]
    assert len(replies) == 2

    # Two weeks on, nothing more is sent: she hears why and since when.
    clock.advance(timedelta(days=15))
    assert await chat.say("Amina", "/reply 1 It's free after 6.") == (
        LEFT + ", so I haven't sent your answer."
    )
    assert (
        await chat.say("Amina", "/reply Brian Hello?") == LEFT + ", so I haven't sent your answer."
    )

    # Python for Everyone's sharing question is over: "1" is no answer to it, and his words
    # go to Dede, whose circle he is still in.
    assert "Your facilitator will see" not in await chat.say("Brian", "1")
    assert "passed that on to Dede" in await chat.say("Brian", "I'll be there on Monday.")


async def test_a_rating_left_open_in_the_circle_left_takes_no_number(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """By SMS, both circles' check-ins wait and she leaves Digital Skills: its rating is over,
    and her numbers rate Python for Everyone (a second one changes it, said so)."""
    sms = await ann_in_both(chat, core, clock)
    assert "1 for Digital Skills" in await sms.say(ANN, "LEAVE")
    assert "Leave Digital Skills?" in await sms.say(ANN, "1")
    assert "You've left Digital Skills" in await sms.say(ANN, "YES")
    assert (await sms.say(ANN, "4")).startswith("Thanks, got it!")
    assert await ratings(core) == {"Python for Everyone": (4, None)}
    assert await sms.say(ANN, "5") == (
        "I changed your rating for meeting 1 of Python for Everyone from 4 to 5."
    )
