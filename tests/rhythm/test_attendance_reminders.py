"""A quarter of an hour after a meeting ends, its facilitators are reminded to take attendance,
once, unless one of them already has; never for a cancelled meeting, nor long after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.chat.clock import FakeClock
from bot.chat.messages import Outbound
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CIRCLE = "Python for Everyone"
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)  # Thursday 18:00 in Detroit, 90 minutes
DUE = MEETING_1 + timedelta(minutes=90 + 15)
REMINDER = (
    "Thanks for running meeting 1 of Python for Everyone! Who came? Send /attendance 1 to tick "
    "them while you remember.\nReply 1 for Take attendance."
)


async def detroit(chat: Chat, core: Core) -> None:
    """Amina's circle: Brian learns, Dede co-facilitates."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for name in ("Brian", "Dede"):
        assert "Welcome" in await chat.say(name, f"/join {code}")
        await chat.say(name, "/skip")
        await chat.say(name, "/skip")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Dede")
    await chat.deliver()


def reminders(sent: list[Outbound]) -> list[tuple[str, str]]:
    return sorted(
        (message.address.chat_id, message.text) for message in sent if "Who came?" in message.text
    )


async def tick_at(core: Core, clock: FakeClock, chat: Chat, at: datetime) -> list[Outbound]:
    clock.set(at)
    await core.tick()
    return await chat.deliver()


async def test_the_facilitators_are_reminded_once_after_the_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core)
    clock.set(MEETING_1 + timedelta(minutes=20))
    assert "Welcome!" in await chat.say("Brian", "/here")  # his own word is not the list
    assert reminders(await tick_at(core, clock, chat, DUE - timedelta(seconds=1))) == []
    sent = await tick_at(core, clock, chat, DUE)
    assert reminders(sent) == [("amina", REMINDER), ("dede", REMINDER)]
    assert reminders(await tick_at(core, clock, chat, DUE + timedelta(hours=1))) == []
    # The choice opens the attendance sheet for that meeting.
    sheet = await chat.say("Amina", "1")
    assert sheet.startswith("Who came to meeting 1")


async def test_no_reminder_once_attendance_is_taken(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core)
    clock.set(MEETING_1 + timedelta(minutes=80))
    assert "Who came to meeting 1" in await chat.say("Dede", "/attendance")
    await chat.say("Dede", "1")
    assert "Saved: Brian came" in await chat.say("Dede", "done")
    assert reminders(await tick_at(core, clock, chat, DUE + timedelta(minutes=5))) == []


async def test_no_reminder_for_a_cancelled_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core)
    await chat.say("Amina", "/cancel 1")
    assert "cancelled" in await chat.say("Amina", "1")
    assert reminders(await tick_at(core, clock, chat, DUE + timedelta(minutes=5))) == []


async def test_no_reminder_long_after_the_meeting(chat: Chat, core: Core, clock: FakeClock) -> None:
    """A bot that was stopped until the next day does not send it then."""
    await detroit(chat, core)
    assert reminders(await tick_at(core, clock, chat, DUE + timedelta(days=1))) == []


async def test_the_sheet_opened_after_the_reminder_takes_its_numbers(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Second walkthrough: after the reminder ("Reply 1 for Take attendance"), /attendance 1
    and then "1" picked the reminder's choice again instead of ticking learner 1."""
    await detroit(chat, core)
    assert reminders(await tick_at(core, clock, chat, DUE))
    assert "[ ] 1. Brian" in await chat.say("Amina", "/attendance 1")
    assert "[x] 1. Brian" in await chat.say("Amina", "1")
    assert await chat.say("Amina", "done") == "Saved: Brian came to meeting 1."


async def test_a_sheet_the_learners_ticked_themselves_counts_once_confirmed(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough (SMS, and Spanish): everyone who came had texted HERE, so the sheet opened
    ticked and the facilitator only said "done". That wrote no row of hers: she was still
    reminded to take attendance, and the learner who said yes but stayed away was asked how
    the meeting went."""
    await detroit(chat, core)
    code = await code_of(core, CIRCLE)
    assert "Welcome" in await chat.say("Chen", f"/join {code}")
    await chat.say("Chen", "/skip")
    await chat.say("Chen", "/skip")
    await chat.deliver()
    clock.set(MEETING_1 + timedelta(minutes=20))
    assert "Welcome!" in await chat.say("Brian", "/here")
    sheet = await chat.say("Amina", "/attendance")
    assert "Who came to meeting 1" in sheet
    assert "Saved: 1 of 2" in await chat.say("Amina", "done")
    assert reminders(await tick_at(core, clock, chat, DUE + timedelta(minutes=5))) == []
    # The next morning's check-in: Chen, not on the list, is asked about his week instead.
    sent = await tick_at(core, clock, chat, MEETING_1 + timedelta(hours=16))
    to_chen = [m.text for m in sent if m.address.chat_id == "chen"]
    to_brian = [m.text for m in sent if m.address.chat_id == "brian"]
    assert to_brian and "How did meeting 1" in to_brian[0]
    assert to_chen and "How did meeting 1" not in to_chen[0]


async def test_names_answer_who_came(chat: Chat, core: Core, clock: FakeClock) -> None:
    """Walkthrough 11 (A20): the reminder asks "Who came?"; "brian came" got "Sorry, I didn't
    catch that. Reply 1 for Take attendance." The names tick the sheet, as /attendance 1
    NAMES does."""
    await detroit(chat, core)
    await tick_at(core, clock, chat, DUE)
    assert await chat.say("Amina", "brian came") == "Saved: Brian came to meeting 1."
