"""/leave asks before it acts; /default chooses the circle commands are about for someone in
several, so "Which circle is that for?" stops coming every time."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from bot.storage.models import Membership, OutboxMessage, Person
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"
SECOND_CIRCLE = (
    '/newcircle name="Digital Skills" course="Learning How to Learn" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-11-02 time=10:00 meetings=4"
)
ASKED = (
    "Leave Python for Everyone? You'll stop getting its reminders and check-ins.\n"
    "Reply 1 for Yes or 2 for No."
)


async def join(chat: Chat, core: Core, name: str, circle: str = CIRCLE) -> None:
    """`name` joins and skips the welcome's two questions (the goal, and sharing)."""
    assert "Welcome" in await chat.say(name, "/join " + await code_of(core, circle))
    asked = await chat.say(name, "/skip")  # by text, Amina is named (sms 35)
    assert "May your facilitator read" in asked or "May Amina read" in asked, asked
    assert "skipped" in await chat.say(name, "/skip")


async def member(core: Core, name: str) -> Membership:
    async with open_session(core) as session:
        return (
            await session.exec(
                select(Membership)
                .join(Person, Person.id == Membership.person_id)  # type: ignore[arg-type]
                .where(Person.display_name == name)
            )
        ).one()


async def kinds(core: Core) -> list[str]:
    async with open_session(core) as session:
        return list((await session.exec(select(OutboxMessage.kind))).all())


# --- /leave -------------------------------------------------------------------------------------


async def test_leave_asks_first_and_no_keeps_the_learner_in(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    assert await chat.say("Brian", "/leave") == ASKED
    assert (await member(core, "Brian")).left_at is None  # nothing yet
    assert await chat.say("Brian", "2") == "Good, you're still in Python for Everyone."
    assert (await member(core, "Brian")).left_at is None
    assert "Meeting 1 of 6" in await chat.say("Brian", "/next")
    assert "member-left" not in await kinds(core)


async def test_yes_leaves_and_the_facilitator_hears(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    await chat.deliver()
    assert await chat.say("Brian", "/leave") == ASKED
    assert await chat.say("Brian", "yes") == (
        "You've left Python for Everyone. You're welcome back any time: send /join "
        + await code_of(core, "Python for Everyone")
        + "."
    )
    assert (await member(core, "Brian")).left_at is not None
    [told] = await chat.deliver()
    assert told.address.chat_id == "amina"
    assert told.text.startswith("Brian has left Python for Everyone.")


async def test_an_unclear_answer_asks_again_and_cancel_stops(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await join(chat, core, "Brian")
    await chat.say("Brian", "/leave")
    # Asked again in other words (wave 2, B16): the same text again read as a bot stuck.
    assert await chat.say("Brian", "hmm, not sure") == (
        "Sorry, I didn't catch that. Yes or no?\nReply 1 for Yes or 2 for No."
    )
    assert await chat.say("Brian", "cancel") == "OK, I've stopped. Nothing was saved."
    assert (await member(core, "Brian")).left_at is None
    # The question is over: "1" now is nothing to do with leaving.
    await chat.say("Brian", "1")
    assert (await member(core, "Brian")).left_at is None


async def test_leave_by_text_message_alone(core: Core) -> None:
    """On a basic phone: LEAVE, then YES (not an RSVP, and not a carrier's keyword)."""
    chat = Chat(core)
    phone = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await join(phone, core, "Grace")
    assert "Leave Python for Everyone?" in await phone.say("Grace", "LEAVE")
    assert "You've left Python for Everyone" in await phone.say("Grace", "YES")
    assert (await member(core, "Grace")).left_at is not None


# --- /default -----------------------------------------------------------------------------------


async def two_circles(chat: Chat, core: Core) -> None:
    """Amina facilitates two circles; Brian learns in the first, Chen in the second."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Amina", SECOND_CIRCLE)
    await join(chat, core, "Brian")
    await join(chat, core, "Chen", "Digital Skills")


async def test_a_default_circle_spares_the_question_until_it_is_turned_off(
    chat: Chat, core: Core
) -> None:
    await two_circles(chat, core)
    assert (await chat.say("Amina", "/roster")).startswith("Which circle is that for?")
    await chat.say("Amina", "cancel")
    asked = await chat.say("Amina", "/default")
    assert asked == (
        "Which circle should your commands be about when you don't say?\n"
        "Reply 1 for Digital Skills or 2 for Python for Everyone."
    )
    assert await chat.say("Amina", "2") == (
        "Done: when you don't say which circle, your commands are about Python for Everyone. "
        "Send /default off to be asked each time."
    )
    assert (await chat.say("Amina", "/roster")).startswith("Python for Everyone has 2 members:")
    assert "Python for Everyone" in await chat.say("Amina", "/default")  # it says which
    answer = await chat.say("Amina", "/default off")
    assert answer.startswith("OK: when a command could be about more than one of your circles")
    assert (await chat.say("Amina", "/roster")).startswith("Which circle is that for?")


async def test_a_default_by_name_and_a_name_that_is_not_theirs(chat: Chat, core: Core) -> None:
    await two_circles(chat, core)
    assert "are about Digital Skills" in await chat.say("Amina", "/default digital skills")
    invite = await chat.say("Amina", "/invite")
    assert "Which circle" not in invite and "Digital Skills" in invite
    answer = await chat.say("Amina", "/default Cooking Club")
    assert answer == (
        "You're not in a circle called Cooking Club. Send /default to pick from yours."
    )


async def test_with_one_circle_there_is_nothing_to_choose(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert await chat.say("Amina", "/default") == (
        "You're only in Python for Everyone, so your commands are about it already."
    )


async def test_free_text_goes_to_the_default_circles_facilitators(chat: Chat, core: Core) -> None:
    """Brian learns in Amina's circle and, since later, in Dede's: words naming neither are
    asked about (which circle?) until he makes Amina's his default (walkthrough 10, D4)."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Dede", SECOND_CIRCLE)
    await join(chat, core, "Brian")
    await join(chat, core, "Brian", "Digital Skills")
    asked = await chat.say("Brian", "Running late today, sorry")
    assert "Which circle is your message about?" in asked, asked
    assert "passed that on to Dede" in await chat.say("Brian", "1")  # Digital Skills
    await chat.say("Brian", "/default Python for Everyone")
    assert "passed that on to Amina" in await chat.say("Brian", "Running late today, sorry")


async def test_leaving_the_default_circle_forgets_it(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is ready" in await chat.say("Dede", SECOND_CIRCLE)
    await join(chat, core, "Brian")
    await join(chat, core, "Brian", "Digital Skills")
    await chat.say("Brian", "/default Python for Everyone")
    await chat.say("Brian", "/leave")
    assert "You've left Python for Everyone" in await chat.say("Brian", "1")
    async with open_session(core) as session:
        brian = (await session.exec(select(Person).where(Person.display_name == "Brian"))).one()
    assert brian.default_circle_id is None


async def test_leave_goes_to_the_one_circle_still_running(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C21: in a circle that has ended and one still running, LEAVE is about the running one,
    at once ("Leave Digital Skills?"), never "Which circle is that for?" offering the ended one;
    the yes then leaves it."""
    clock.set(datetime(2026, 10, 20, 12, tzinfo=UTC))
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE.replace("meetings=6", "meetings=2"))
    assert "is ready" in await chat.say("Amina", SECOND_CIRCLE)
    await join(chat, core, "Brian")
    await join(chat, core, "Brian", "Digital Skills")
    clock.set(datetime(2026, 11, 10, 12, tzinfo=UTC))  # Python for Everyone met for the last time
    asked = await chat.say("Brian", "/leave")
    assert asked.startswith("Leave Digital Skills?"), asked
    assert "You've left Digital Skills" in await chat.say("Brian", "yes")


async def test_the_leaving_notice_does_not_ask_whether_she_knows_them(
    chat: Chat, core: Core
) -> None:
    """Walk smses 9, dede 35: "Si conoces a esta persona, unas palabras amables pueden
    ayudar" to a facilitator who had run two meetings with her."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/language es")
    await join(chat, core, "Brian")
    await chat.deliver()
    await chat.say("Brian", "/leave")
    await chat.say("Brian", "yes")
    [told] = await chat.deliver()
    assert told.text.startswith("Brian dejó Python for Everyone. Unas palabras amables de tu parte")
    assert "conoces" not in told.text
