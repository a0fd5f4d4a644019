"""The check-in asks someone who missed the meeting about their week, not about the meeting;
once a circle is over nothing nudges anyone (the end-of-circle survey aside). Someone who says
she couldn't come is not asked to rate that meeting, and it is noted as missed."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Outbound
from bot.core import Core
from bot.storage.models import CheckIn, Question, QuestionKind
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session
from tests.seasons import Week, checkin_due, handle, open_circle, play_week, starts

TWO_MEETINGS = DETROIT_CIRCLE.replace("meetings=6", "meetings=2")
ABOUT_THE_MEETING = "How did meeting 1 of Python for Everyone go for you?"
ABOUT_THE_WEEK = "we missed you! How has Python for Everyone been going for you?"
NUDGE = "Reply when you can, or"


def text_to(sent: list[Outbound], name: str) -> str:
    return "\n".join(m.text for m in sent if m.address.chat_id == name)


async def test_who_said_no_or_was_not_ticked_is_asked_about_the_week(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False, "Dede": True, "Ewa": True})
    clock.set(starts(1) - timedelta(hours=2))
    await chat.say("Chioma", "/rsvp no 1")
    await chat.say("Ewa", "/rsvp no 1")  # and came after all
    clock.set(starts(1) + timedelta(minutes=5))
    await chat.say("Ewa", "/here")
    clock.set(starts(1) + timedelta(hours=1))
    assert "[ ] 1. Brian" in await chat.say("Amina", "/attendance")
    await chat.say("Amina", "1")  # Brian came; Dede is not ticked
    await chat.say("Amina", "done")
    clock.set(checkin_due(1))
    await core.tick()
    sent = await chat.deliver()
    assert ABOUT_THE_MEETING in text_to(sent, "brian")
    assert ABOUT_THE_MEETING in text_to(sent, "ewa")
    for name in ("chioma", "dede"):
        assert ABOUT_THE_WEEK in text_to(sent, name)
        assert "How did meeting" not in text_to(sent, name)
    # Their answer counts as the week's, and the open question that follows is not about
    # meeting the group for the first time.
    follow_up = await chat.say("Chioma", "3")
    assert "Thanks" in follow_up
    assert "meet the group for the first time" not in follow_up
    # /checkin asks the same way.
    assert ABOUT_THE_WEEK in await chat.say("Dede", "/checkin")


async def test_after_the_last_meeting_nobody_is_nudged(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False}, TWO_MEETINGS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma")))
    clock.set(checkin_due(1) + timedelta(days=2, hours=1))
    await core.tick()
    assert NUDGE in text_to(await chat.deliver(), "brian")  # meeting 1's: more to come then
    clock.set(starts(2) + timedelta(minutes=5))
    await chat.say("Brian", "/here")
    clock.set(checkin_due(2))
    await core.tick()  # the last check-in still asks
    assert "How did meeting 2" in text_to(await chat.deliver(), "brian")
    # Days later in one step (the bot was down, or the console's ":wait 3d"): the survey comes,
    # and no nudge about a circle that has ended.
    clock.set(checkin_due(2) + timedelta(days=3))
    assert (await core.tick()).nudges == 0
    sent = await chat.deliver()
    assert not any(NUDGE in m.text for m in sent)
    assert any(m.address.chat_id == "brian" for m in sent)  # the end-of-circle survey


@pytest.mark.parametrize(
    ("language", "said", "missed"),
    [
        ("en", "I could not come", "We missed you"),
        ("es", "no pude ir", "Te echamos de menos"),
        ("fr", "je n'ai pas pu venir", "Vous nous avez manqué"),
        ("sw", "sikuweza kuja", "Tulikukosa"),
        ("de", "ich konnte nicht kommen", "Wir haben dich"),
        ("da", "jeg kunne ikke komme", "Vi savnede dig"),
    ],
)
async def test_who_says_she_couldnt_come_is_not_asked_to_rate_it(
    chat: Chat, core: Core, clock: FakeClock, language: str, said: str, missed: str
) -> None:
    """C4: "I could not come" to "How did meeting 1 go?" was kept as the check-in's words and
    the rating asked for again; where it was read, her facilitator never learnt she missed it."""
    await open_circle(chat, core, {"Luc": False})
    await play_week(chat, core, clock, 1, Week())  # attendance not taken
    await chat.say("Luc", "/language " + language)
    clock.set(checkin_due(1) + timedelta(hours=1))
    await core.tick()
    await chat.deliver()
    reply = await chat.say("Luc", said)
    assert reply.startswith(missed) and "1" not in reply, reply
    async with open_session(core) as session:
        assert [c.rating for c in (await session.exec(select(CheckIn))).all()] == []
        kinds = [q.kind for q in (await session.exec(select(Question))).all()]
    assert QuestionKind.RATING not in kinds  # the rating question is closed
    [export] = await handle(chat, "Amina", "/export")
    [sheet] = [a for a in export.attachments if a.filename.endswith("attendance.csv")]
    table = csv.DictReader(io.StringIO(sheet.data.decode("utf-8-sig")))
    assert [(r["Meeting"], r["Name"], r["Said they'd come"]) for r in table] == [("1", "Luc", "no")]
