"""Who may be drifting away, as the digest says it: how to write to one of them (/reply NAME
and a few words), a note the facilitator starts herself not called a reply, and once the
circle is over no "friendly word" to win someone back to a circle that no longer meets."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_rhythm import MEETING_1, start_circle
from tests.rhythm.test_two_way import to
from tests.seasons import Week, checkin_due, open_circle, play_week, starts


async def test_the_digest_says_how_to_write_to_who_is_drifting_and_the_note_is_no_reply(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Dede")
    clock.set(MEETING_1 - timedelta(days=2))
    await chat.say("Dede", "Is there parking near the library?")  # passed on, weeks before
    for number in (1, 2):
        clock.set(starts(number) + timedelta(minutes=5))
        await chat.say("Brian", "/here")
    clock.set(starts(3) - timedelta(days=2))
    digest = await chat.say("Amina", "/digest")
    assert (
        "May be drifting away (missed the last two meetings): Dede. A friendly word might "
        "help: send /reply Dede and a few words."
    ) in digest
    await chat.deliver()
    await chat.say("Amina", "/reply Dede we missed you, hope all is well!")
    [note] = to(await chat.deliver(), "dede")
    assert note.startswith("Amina (your facilitator) wrote to you:\nwe missed you"), note


async def test_after_the_last_meeting_no_friendly_word_is_asked_for(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Brian", "Dede")
    for number in range(1, 7):
        clock.set(starts(number) + timedelta(minutes=5))
        await chat.say("Brian", "/here")
    clock.set(starts(6) + timedelta(days=1))
    for said in (await chat.say("Amina", "/digest"), await chat.say("Amina", "/report")):
        assert "Not with the group at the end (missed the last two meetings): Dede." in said
        assert "friendly word" not in said


async def test_help_reply_says_it_writes_to_a_learner_by_name(chat: Chat, core: Core) -> None:
    await start_circle(chat, core, "Brian")
    assert "or write to one learner by name" in await chat.say("Amina", "/help reply")


async def test_the_digest_names_who_went_silent_about_the_last_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Jamal came to meeting 1, then said nothing about meeting 2: no answer to "Will you
    come?", not there, no check-in. One meeting missed is no drifting away yet, but he is
    named."""
    await open_circle(chat, core, {"Brian": True, "Dede": True, "Jamal": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Dede", "Jamal")))
    week = Week(yes=("Brian",), no=("Dede",), came=("Brian",), ratings={"Brian": 4, "Dede": 3})
    await play_week(chat, core, clock, 2, week)
    clock.set(starts(3) - timedelta(days=2))
    digest = await chat.say("Amina", "/digest")
    assert (
        "Haven't heard from Jamal about meeting 2: no answer to the reminder, not there, no "
        "check-in. A friendly word might help: send /reply Jamal and a few words."
    ) in digest, digest
    assert "Haven't heard from Dede" not in digest  # she said she couldn't come


async def test_who_missed_the_last_meeting_is_asked_looking_back(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Jamal said he can't come to the last meeting: the check-in after it is a look back at a
    circle that is over, not "how has it been going"."""
    await open_circle(chat, core, {"Brian": True, "Jamal": True})
    for number in range(1, 6):
        await play_week(chat, core, clock, number, Week(came=("Brian", "Jamal")))
    clock.set(starts(6) - timedelta(hours=2))
    await chat.say("Jamal", "/rsvp no 6")
    clock.set(starts(6) + timedelta(minutes=5))
    await chat.say("Brian", "/here")
    clock.set(checkin_due(6))
    await core.tick()
    sent = to(await chat.deliver(), "jamal")
    [asked] = [text for text in sent if "how was it for you" in text or "going" in text]
    assert asked.startswith(
        "Hi Jamal, we missed you at the last meeting. Now that Python for Everyone is over, "
        "how was it for you?"
    ), asked


async def test_a_no_then_no_check_in_is_named_and_a_yes_since_drops_the_name(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A3: Dede said she couldn't come to meeting 2, then left the "we missed you" check-in
    unanswered: her no exempted her from the digest's names. A15: once Jamal, named for saying
    nothing about meeting 2, has said yes to meeting 3, the digest stops asking for a word."""
    await open_circle(chat, core, {"Brian": True, "Dede": True, "Jamal": True})
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Dede", "Jamal")))
    week = Week(yes=("Brian",), no=("Dede",), came=("Brian",), ratings={"Brian": 4})
    await play_week(chat, core, clock, 2, week)
    clock.set(starts(3) - timedelta(days=2))
    digest = await chat.say("Amina", "/digest")
    assert (
        "Dede missed meeting 2 (said they couldn't come) and hasn't answered the check-in "
        "since. A friendly word might help: send /reply Dede and a few words."
    ) in digest, digest
    assert "Haven't heard from Jamal about meeting 2" in digest, digest
    await chat.say("Jamal", "/rsvp yes 3")
    digest = await chat.say("Amina", "/digest")
    assert "Haven't heard from Jamal" not in digest, digest
    assert "Dede missed meeting 2" in digest, digest
