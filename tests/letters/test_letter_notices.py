"""Letter notices tell one story: a letter held for contact details is not also "on its way
to a circle"; the facilitator reads the same reasons as the learner, joined the same way; the
review choices name their letter; the first meeting's letters fit circles mid-season too."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    HELD_TEXT,
    NAIROBI_FIRST,
    TEXT,
    delivered_season,
    detroit,
    drain,
    with_moderator,
    write,
    write_keeping,
)

CONTACTS = TEXT + " Call me on +1 313 555 0199 or write to brian@example.org."


async def test_a_held_letter_is_not_also_said_to_travel(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    answer = await write(chat, "Brian", HELD_TEXT)
    assert answer == (
        "Thank you, Brian! Your letter seems to contain the name of a chat or social-media app. "
        "Letters travel without contact details, so it can't go on as it is: send /letter to "
        "write it again without them."
    )
    [notice] = [m.text for m in await drain(chat) if "A letter from" in m.text]
    # The facilitator is not asked to approve what no one could let through.
    assert (
        "It seems to contain the name of a chat or social-media app. Letters travel without "
        "contact details, so it can't be approved as it is: reject it with a reason, so its "
        "author can write it again."
    ) in notice
    assert "Approve" not in notice and "moderator" not in notice
    assert notice.endswith("Reply 1 for Reject letter #1.")


async def test_with_a_moderator_both_hear_the_same_reasons_and_choices_name_the_letter(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = with_moderator(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chioma")
    clock.set(AFTER_MEETING_3)
    answer = await write_keeping(chat, "Brian", CONTACTS)
    assert "Your letter goes to your facilitator for a look" in answer
    assert "a phone number and an e-mail address, so a moderator will check it too" in answer
    await write(chat, "Chioma")
    notices = [m.text for m in await drain(chat) if "A letter from" in m.text]
    assert len(notices) == 2
    assert "It seems to contain a phone number and an e-mail address: a moderator" in notices[0]
    # Two notices open: each one's choices say which letter "1" approves; one letter is asked
    # about at a time (B8), so the second's are still letter 1's, and letter 2 comes next.
    assert "Reply 1 for Approve letter #1 or 2 for Reject letter #1." in notices[0]
    assert "Reply 1 for Approve letter #1 or 2 for Reject letter #1." in notices[1]
    answer = await chat.say("Amina", "1")
    assert "Letter 1 is approved" in answer
    assert answer.endswith("Reply 1 for Approve letter #2 or 2 for Reject letter #2.")
    assert "Letter 2 is approved" in await chat.say("Amina", "1")


async def test_letters_at_a_first_meeting_fit_a_circle_still_meeting(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """Brian wrote after meeting 3 of 6: his circle has not "just finished"."""
    core, chat = await delivered_season(sqlite_engine, clock)
    clock.set(NAIROBI_FIRST - timedelta(hours=2))
    await core.tick()
    [preview] = [m.text for m in await drain(chat) if "For your first meeting" in m.text]
    assert preview.startswith(
        "For your first meeting: 1 letter from learners in a circle somewhere else. "
        "You could read it aloud."
    )


async def test_a_held_letter_says_in_plain_words_what_it_found(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """fac 37: "@denise_learns_tech" and "instagram" were "an @handle and a word on the block
    list": to a learner that sounds like something offensive. The app is named as one."""
    core, chat = with_moderator(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    answer = await write_keeping(
        chat, "Brian", TEXT + " Follow me on instagram @denise_learns_tech for tips!"
    )
    assert ("seems to contain an @handle and the name of a chat or social-media app") in answer, (
        answer
    )
    assert "block list" not in answer
    [notice] = [m.text for m in await drain(chat) if "A letter from" in m.text]
    assert "the name of a chat or social-media app" in notice and "block list" not in notice
