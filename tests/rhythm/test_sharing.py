"""Whether a learner's facilitator may read their written answers: asked at joining (also when
the goal is skipped), answerable by its number after another command, and changed any time
with /sharing, as the question promises."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from bot.storage.models import Membership, Person, Rsvp, RsvpAnswer
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"
SHARE_QUESTION = "May your facilitator read your written answers?"
SHARE_CHOICES = "Reply 1 for Yes, share or 2 for No, keep private."


async def join(chat: Chat, core: Core) -> None:
    """Amina's circle, and Brian joining it: the welcome asks his goal."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "What do you hope" in await chat.say("Brian", "/join " + await code_of(core, CIRCLE))


async def shares(core: Core, name: str = "Brian") -> bool:
    async with open_session(core) as session:
        membership = (
            await session.exec(
                select(Membership)
                .join(Person, Person.id == Membership.person_id)  # type: ignore[arg-type]
                .where(Person.display_name == name)
            )
        ).one()
    return membership.shares_answers


async def test_sharing_can_be_changed_any_time(chat: Chat, core: Core) -> None:
    await join(chat, core)
    await chat.say("Brian", "To learn Python.")
    answer = await chat.say("Brian", "1")
    assert answer == (
        "Thanks! Your facilitator will see what you write in check-ins. "
        "You can change this any time with /sharing."
    )
    assert await chat.say("Brian", "/sharing") == (
        "Your facilitator can read what you write in check-ins for Python for Everyone. "
        "To keep your answers private, send /sharing off.\n" + SHARE_CHOICES
    )
    # What he had shared is hidden from the facilitator too: said so, not "from now on" (D15).
    assert await chat.say("Brian", "/sharing off") == (
        "Done: what you write in check-ins for Python for Everyone stays between you and me, "
        "and so does what you had already shared. Send /sharing on to share what you write next."
    )
    assert await shares(core) is False
    assert "stays between you and me" in await chat.say("Brian", "/sharing")
    assert "can read what you write" in await chat.say("Brian", "/sharing on")
    assert await shares(core) is True


async def test_sharing_with_another_word_explains_itself(chat: Chat, core: Core) -> None:
    await join(chat, core)
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "/skip")
    assert await chat.say("Brian", "/sharing maybe") == ("Please send /sharing on or /sharing off.")
    assert await shares(core) is False


async def test_sharing_answers_the_question_still_waiting(chat: Chat, core: Core) -> None:
    """/sharing on while the welcome's question waits: that question is answered too, and the
    next words are not taken as an answer to it."""
    await join(chat, core)
    await chat.say("Brian", "To learn Python.")
    assert "can read what you write" in await chat.say("Brian", "/sharing on")
    # A lone "no" is no message for the facilitator (issue 16) and answers nothing now.
    assert await chat.say("Brian", "no") == "Nothing is waiting for an answer right now."
    assert await shares(core) is True


async def test_the_sharing_question_takes_its_number_after_another_command(
    chat: Chat, core: Core
) -> None:
    """The walkthrough: /next between the question and the answer made "1" ask it again."""
    await join(chat, core)
    assert SHARE_QUESTION in await chat.say("Brian", "To learn Python.")
    assert "Meeting 1 of 6" in await chat.say("Brian", "/next")
    assert "Your facilitator will see" in await chat.say("Brian", "1")
    assert await shares(core) is True


async def test_skipping_the_goal_still_asks_about_sharing(chat: Chat, core: Core) -> None:
    await join(chat, core)
    answer = await chat.say("Brian", "/skip")
    assert answer == (
        "OK, skipped. No answer is saved for that one.\n\n"
        "May your facilitator read your written answers? Your 1-5 ratings are always shared.\n"
        + SHARE_CHOICES
    )
    assert "Your facilitator will see" in await chat.say("Brian", "1")
    assert await shares(core) is True


async def test_after_a_skipped_goal_other_words_are_not_taken_as_the_answer(
    chat: Chat, core: Core
) -> None:
    await join(chat, core)
    await chat.say("Brian", "/skip")
    answer = await chat.say("Brian", "hello?")
    assert answer.startswith("Thanks, I've passed that on to Amina.")
    assert answer.endswith("Reply 1 for Yes, share or 2 for No, keep private.")  # still open
    assert "stay between you and me" in await chat.say("Brian", "2")
    assert await shares(core) is False


async def test_a_sentence_instead_of_an_answer_reaches_the_facilitator(
    chat: Chat, core: Core
) -> None:
    await join(chat, core)
    await chat.say("Brian", "To learn Python.")
    answer = await chat.say("Brian", "I will be late on Tuesday, sorry")
    assert answer.startswith("Thanks, I've passed that on to Amina.")
    assert "your answer isn't noted yet" in answer
    assert "Your facilitator will see" in await chat.say("Brian", "yes")  # still waiting
    assert await shares(core) is True


async def test_the_question_is_over_before_the_first_reminder_is_answered(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """By SMS, YES to the reminder the day before is an RSVP, never consent to share."""
    phones = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await phones.say("Grace", "JOIN " + await code_of(core, CIRCLE))
    # The goal skipped; by SMS the question names Amina (sms 35).
    assert "May Amina read your written answers?" in await phones.say("Grace", "/skip")
    clock.advance(timedelta(hours=2))
    assert "see you at meeting 1" in await phones.say("Grace", "YES", message_id=uuid.uuid4().hex)
    assert await shares(core, "Grace") is False
    async with open_session(core) as session:
        [rsvp] = (await session.exec(select(Rsvp))).all()
    assert rsvp.answer == RsvpAnswer.YES


async def test_one_word_of_a_choice_picks_it(chat: Chat, core: Core) -> None:
    """The walkthrough (lang 34): "privado" to "1 (Compartir) o 2 (Mantener en privado)" was
    passed on to the facilitator as a message. A lone word found in one label, and in no
    other, picks that choice; a little word never does."""
    await join(chat, core)
    await chat.say("Brian", "To learn Python.")
    assert "stay between you and me" not in await chat.say("Brian", "keep")  # too short
    answer = await chat.say("Brian", "private")
    assert "stay between you and me" in answer
    assert "passed that on" not in answer
    assert await shares(core) is False
