"""Someone in several circles, one of them finished (issue 16): "Which circle is that for?"
offers only the circles a command can still apply to, /default stops pointing at a finished
circle for them, and a circle can be named on the command line (/delete NAME)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

# Two Thursday meetings, 22 and 29 October: over on the 30th, when Python for Everyone (six
# meetings from the 29th) has five still to come.
SHORT_CIRCLE = (
    '/newcircle name="Atelier Python" course="Python for Everybody" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-10-22 time=18:00 meetings=2"
)
AFTER_ATELIER = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)


async def join(chat: Chat, core: Core, name: str, circle: str) -> None:
    """`name` joins and skips the welcome's two questions (the goal, and sharing)."""
    assert "Welcome" in await chat.say(name, "/join " + await code_of(core, circle))
    await chat.say(name, "/skip")
    await chat.say(name, "/skip")


async def two_circles(chat: Chat, core: Core) -> None:
    """Amina runs both; Brian learns in both."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Amina", SHORT_CIRCLE)
    await join(chat, core, "Brian", "Python for Everyone")
    await join(chat, core, "Brian", "Atelier Python")


async def test_a_finished_circle_is_not_offered_for_what_needs_meetings_to_come(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await two_circles(chat, core)
    assert (await chat.say("Amina", "/invite")).startswith("Which circle is that for?")
    await chat.say("Amina", "cancel")
    clock.set(AFTER_ATELIER)
    invite = await chat.say("Amina", "/invite")
    assert "Which circle" not in invite
    assert "Here is an invitation to Python for Everyone" in invite
    schedule = await chat.say("Brian", "/schedule")
    assert schedule.startswith("Python for Everyone meets at Detroit Public Library")
    rsvp = await chat.say("Brian", "/rsvp no 2")
    assert "We'll miss you at meeting 2" in rsvp and "Which circle" not in rsvp
    # A report is about the past: both circles are still offered.
    report = await chat.say("Amina", "/report")
    assert report.startswith("Which circle is that for?")
    assert "Atelier Python" in report and "Python for Everyone" in report


async def test_a_default_on_a_finished_circle_is_skipped_and_replies_name_the_default(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await two_circles(chat, core)
    chosen = await chat.say("Brian", "/default ATELIER")  # the start of its name, any case
    assert chosen.startswith("Done: when you don't say which circle, your commands are about")
    assert "Atelier Python" in chosen
    # Chosen by default among two: the reply says which circle it was saved for.
    assert (await chat.say("Brian", "/rsvp yes")).startswith(
        "Atelier Python: Great, see you at meeting 1,"
    )
    clock.set(AFTER_ATELIER)
    # Finished: the default no longer applies to an RSVP; the circle still going does.
    rsvp = await chat.say("Brian", "/rsvp yes")
    # Picked without asking among several: the reply names it.
    assert rsvp.startswith("Python for Everyone: Great, see you at meeting 2,"), rsvp


async def test_delete_takes_the_circle_by_name(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Amina", SHORT_CIRCLE)
    assert (await chat.say("Amina", "/delete atelier python")).startswith(
        "Delete Atelier Python? This can't be undone."
    )
    assert "OK, Atelier Python stays." in await chat.say("Amina", "no")
    assert await chat.say("Amina", "/delete Cooking Club") == (
        "None of the circles you can use /delete for is called Cooking Club."
    )


async def test_a_usage_line_gives_no_example_that_is_only_the_command(
    chat: Chat, core: Core
) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert await chat.say("Amina", "/invite everyone") == "Usage: /invite"
    # An example with more than the bare command is still given.
    assert await chat.say("Amina", "/uncancel") == (
        "Usage: /uncancel MEETING\nFor example: /uncancel 4"
    )


async def test_leaving_a_finished_circle_sends_the_facilitator_no_drop_out_alarm(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthroughs sms 34 and lang 56: LEAVE after the last meeting told the facilitator "A
    friendly word might help": nobody is dropping out of a season that is over."""
    await two_circles(chat, core)
    await chat.deliver()
    clock.set(AFTER_ATELIER)
    await chat.say("Brian", "/leave Atelier Python")
    assert "You've left Atelier Python." in await chat.say("Brian", "yes")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert not any("has left" in text for text in told)
