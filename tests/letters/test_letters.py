"""Letters in one place: writing, screening, review and moderation, withdrawal, /letters,
delivery to a first meeting, the author told, thanks relayed, and /forget. Bad input gets a
clear answer and stores nothing."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.messages import Address
from bot.core import Core
from bot.letters.letters import LetterPolicy
from bot.storage.models import Circle, Letter, LetterStatus, Person
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS
from tests.reports.test_records import portfolio_file

# Detroit meets Thursdays 18:00 from 2026-10-29, six times: the midpoint is meeting 3.
AFTER_MEETING_3 = datetime(2026, 11, 13, 15, 0, tzinfo=UTC)
LAST_MEETING = datetime(2026, 12, 3, 23, 0, tzinfo=UTC)
NAIROBI = (
    '/newcircle name="Digital Skills" course="Learning How to Learn" venue="KNLS Upper Hill" '
    "city=Nairobi country=KE zone=Africa/Nairobi start=2026-12-08 time=17:00 meetings=6"
)
NAIROBI_FIRST = datetime(2026, 12, 8, 14, 0, tzinfo=UTC)
GLOBAL = Address("console", "global")
TEXT = (
    "Hello from Detroit! Come every week, even when you feel behind. It is snowing here, "
    "and our room is warm."
)


async def detroit(chat: Chat, core: Core, *learners: str) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for name in learners:
        await chat.say(name, "/join " + code)
        await chat.say(name, "/skip")


async def write(chat: Chat, name: str, text: str = TEXT, signature: str = "1") -> str:
    assert "Write to a new circle far away" in await chat.say(name, "/letter")
    await chat.say(name, text)
    return await chat.say(name, signature)


async def write_keeping(chat: Chat, name: str, text: str) -> str:
    """A letter with contact details kept in it, for a moderator to let through: its author
    answers Keep it to the offer to take them out, then signs."""
    assert "Write to a new circle far away" in await chat.say(name, "/letter")
    assert "I can take out the sentence" in await chat.say(name, text)
    await chat.say(name, "2")  # Keep it
    return await chat.say(name, "1")


# Held without moderators whatever its author does: an app named as where to find her (the
# contact details she is offered to take out: tests/letters/test_contact_details_in_a_letter.py).
HELD_TEXT = TEXT + " Follow me on instagram for tips."


async def drain(chat: Chat) -> list:
    """Everything due, however many dispatcher batches that takes."""
    sent = []
    while batch := await chat.deliver():
        sent += batch
    return sent


async def letters_in(core: Core) -> list[Letter]:
    async with open_session(core) as session:
        return list((await session.exec(select(Letter).order_by(col(Letter.id)))).all())


async def approved_letter(core: Core, chat: Chat, clock: FakeClock, writer: str) -> Letter:
    """After meeting 3, `writer` writes the usual letter and Amina approves it; what that sends
    is delivered."""
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, writer)
    [letter] = await letters_in(core)
    await chat.say("Amina", f"/letters approve {letter.id}")
    await drain(chat)
    return letter


async def test_letters_open_only_after_the_midpoint(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    answer = await chat.say("Brian", "/letter")
    assert "Letters open halfway through the circle, after meeting 3" in answer
    clock.set(AFTER_MEETING_3)
    assert "Write to a new circle far away" in await chat.say("Brian", "/letter")


async def test_a_letter_is_signed_and_sent_to_the_facilitator_for_review(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    answer = await write(chat, "Brian")
    assert "Thank you, Brian!" in answer
    [letter] = await letters_in(core)
    assert (letter.signature, letter.city, letter.country_code, letter.language) == (
        "Brian",
        "Detroit",
        "US",
        "en",
    )
    assert letter.status == LetterStatus.REVIEW and letter.flags == []
    [notice] = [
        m.text for m in await drain(chat) if m.address.chat_id == "amina" and "letter" in m.text
    ]
    assert TEXT in notice and "From Detroit, United States" in notice


async def test_empty_short_long_and_emoji_only_letters_are_explained_and_not_stored(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await chat.say("Brian", "/letter")
    assert "at least 20 characters" in await chat.say("Brian", "Keep going!")
    assert "not only emoji" in await chat.say("Brian", "🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉🎉")
    assert "up to 1,000" in await chat.say("Brian", "a" * 1001)
    assert await letters_in(core) == []
    # Still waiting for the letter: a good one now goes through.
    assert "How should it be signed?" in await chat.say("Brian", TEXT)


async def test_contact_details_hold_a_letter_for_a_moderator_with_the_reason(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = with_moderator(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    answer = await write_keeping(chat, "Brian", TEXT + " Call me on +1 313 555 0199.")
    assert "a phone number" in answer and "moderator" in answer
    [letter] = await letters_in(core)
    assert letter.flags == ["a phone number"]
    answer = await chat.say("Amina", f"/letters approve {letter.id}")
    assert "a moderator checks it" in answer
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.MODERATION


async def test_without_moderators_a_flagged_letter_is_sent_back_not_left_waiting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Second walkthrough: with no LETTER_MODERATORS (the default), an approved letter with an
    @handle waited forever for a moderator, and its author was told one would look."""
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    answer = await write(chat, "Brian", HELD_TEXT)
    assert "moderator" not in answer and "write it again without them" in answer
    [letter] = await letters_in(core)
    refused = await chat.say("Amina", f"/letters approve {letter.id}")
    assert "can't be approved as it is" in refused and "moderator" not in refused
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.REVIEW
    asked = await chat.say("Amina", f"/letters reject {letter.id} A phone number")
    assert asked.endswith("Send it?\nReply 1 for Send or 2 for Don't send.")  # asked first
    assert "rejected" in await chat.say("Amina", "1")


def with_moderator(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Core, Chat]:
    """A core where "Mod" on the console is a global letter moderator."""
    policy = LetterPolicy(moderators=frozenset({"console:mod"}))
    core = Core(sqlite_engine, clock, random.Random(7), letter_policy=policy, platforms=PLATFORMS)
    return core, Chat(core)


async def test_a_moderator_releases_a_flagged_letter(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = with_moderator(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write_keeping(chat, "Brian", TEXT + " Write to brian@example.org")
    [letter] = await letters_in(core)
    await chat.say("Amina", f"/letters approve {letter.id}")
    assert "isn't yours to review" in await chat.say("Brian", f"/letters approve {letter.id}") or (
        "Only" in await chat.say("Brian", f"/letters approve {letter.id}")
    )
    overview = await chat.say("Mod", "/letters")
    assert "Waiting for your approval" in overview and "brian@example.org" in overview
    assert "is approved: it joins the pool" in await chat.say(
        "Mod", f"/letters approve {letter.id}"
    )
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.POOLED


async def test_a_facilitators_own_letter_is_approved_by_someone_else(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """Amina writes a letter too: with a co-facilitator, only Chen may approve it."""
    core, chat = with_moderator(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Amina", "/cofacilitator Chen")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Amina")
    [letter] = await letters_in(core)
    notices = [m for m in await chat.deliver() if "A letter from Python for Everyone" in m.text]
    assert [m.address.chat_id for m in notices] == ["chen"]  # not to its writer
    refused = await chat.say("Amina", f"/letters approve {letter.id}")
    assert f"You wrote letter {letter.id}, so Chen approves it." in refused
    assert (await letters_in(core))[0].status == LetterStatus.REVIEW
    assert "joins the pool" in await chat.say("Chen", f"/letters approve {letter.id}")


async def test_a_facilitator_alone_approves_their_own_letter_for_a_moderator_to_see(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = with_moderator(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Amina")
    [letter] = await letters_in(core)
    answer = await chat.say("Amina", f"/letters approve {letter.id}")
    assert "You wrote it, so a moderator has a look" in answer
    assert (await letters_in(core))[0].status == LetterStatus.MODERATION
    assert "Waiting for your approval" in await chat.say("Mod", "/letters")
    assert "joins the pool" in await chat.say("Mod", f"/letters approve {letter.id}")


async def test_a_facilitator_alone_without_moderators_approves_their_own_letter(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Amina")
    [letter] = await letters_in(core)
    assert "joins the pool" in await chat.say("Amina", f"/letters approve {letter.id}")


async def test_approving_another_circles_letter_or_twice_is_refused(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    [letter] = await letters_in(core)
    assert "isn't yours to review" in await chat.say("Wanjiru", f"/letters approve {letter.id}")
    assert "approved" in await chat.say("Amina", f"/letters approve {letter.id}")
    assert "already been reviewed" in await chat.say("Amina", f"/letters approve {letter.id}")
    assert "no letter 99" in (await chat.say("Amina", "/letters approve 99")).casefold() or (
        "There is no letter 99" in await chat.say("Amina", "/letters approve 99")
    )


async def test_a_rejection_needs_a_reason_and_the_author_hears_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    [letter] = await letters_in(core)
    await drain(chat)
    asked = await chat.say("Amina", f"/letters reject {letter.id}")
    assert "What should I tell the author of letter 1?" in asked
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.REVIEW
    await chat.say("Amina", f"/letters reject {letter.id} Please leave out the surname")
    assert "is rejected" in await chat.say("Amina", "yes")  # sent once confirmed
    told = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert any("Please leave out the surname" in text for text in told)
    # The reason came with the command: the question is over, later words are not a reason.
    assert "I didn't catch that" in await chat.say("Amina", "Thanks!")


async def test_the_author_can_withdraw_before_delivery(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    assert "1 letter taken back" in await chat.say("Brian", "/letter withdraw")
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.WITHDRAWN
    assert "no letter waiting" in await chat.say("Brian", "/letter withdraw")


async def delivered_season(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Core, Chat]:
    """Brian's approved letter reaches Nairobi's first meeting."""
    core = Core(
        sqlite_engine,
        clock,
        random.Random(7),
        letter_policy=LetterPolicy(global_channels=(GLOBAL,)),
        platforms=PLATFORMS,
    )
    chat = Chat(core)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    await approved_letter(core, chat, clock, "Brian")
    return core, chat


async def test_a_pooled_letter_reaches_a_first_meeting_elsewhere_and_the_author_is_told(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = await delivered_season(sqlite_engine, clock)
    clock.set(NAIROBI_FIRST - timedelta(hours=2))
    await core.tick()
    sent = await drain(chat)
    [preview] = [m.text for m in sent if "For your first meeting" in m.text]
    assert sent[sent.index(next(m for m in sent if m.text == preview))].address.chat_id == "wanjiru"
    assert "For your first meeting: 1 letter" in preview and TEXT in preview
    assert not [m for m in sent if m.address.chat_id == "otieno" and TEXT in m.text]
    clock.set(NAIROBI_FIRST)
    await core.tick()
    sent = await drain(chat)
    [letter_to_otieno] = [m for m in sent if m.address.chat_id == "otieno" and TEXT in m.text]
    assert TEXT in letter_to_otieno.text and "- Brian" in letter_to_otieno.text
    [relayed] = [m.text for m in sent if m.address == GLOBAL]
    assert relayed.startswith("From Detroit, United States to Nairobi, Kenya:")
    [told] = [m.text for m in sent if m.address.chat_id == "brian" and "reached" in m.text]
    assert "Your letter reached a learning circle in Nairobi, Kenya today." in told
    # A thank-you goes back without saying who sent it.
    assert "Reply 1 for Send a thank-you." in letter_to_otieno.text
    assert "on its way to Brian" in await chat.say("Otieno", "1")
    [thanks] = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert "Someone in Nairobi, Kenya says thank you" in thanks and "Otieno" not in thanks
    # Nothing goes twice.
    await core.tick()
    assert await drain(chat) == []


async def test_the_portfolio_keeps_the_letter_and_where_it_went(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = await delivered_season(sqlite_engine, clock)
    await write(chat, "Brian", TEXT + " A second one, still waiting.")
    before = await portfolio_file(chat, "Brian")
    assert before.count("### My letter to a new circle") == 2
    assert "> " + TEXT.splitlines()[0] in before and "> - Brian" in before
    assert "Approved, and waiting for a circle that is just starting." in before
    assert "Waiting for approval." in before
    clock.set(NAIROBI_FIRST)
    await core.tick()
    await drain(chat)
    after = await portfolio_file(chat, "Brian")
    assert "Read at the first meeting of a circle in Nairobi." in after
    # A withdrawn letter is not in it.
    await chat.say("Brian", "/letter withdraw")
    assert (await portfolio_file(chat, "Brian")).count("### My letter") == 1


async def test_a_circle_that_opted_out_receives_no_letters(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = await delivered_season(sqlite_engine, clock)
    assert "won't receive letters" in await chat.say("Wanjiru", "/letters off")
    clock.set(NAIROBI_FIRST)
    await core.tick()
    assert not [m for m in await drain(chat) if TEXT in m.text]


async def test_forget_deletes_waiting_letters_and_anonymises_delivered_ones(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = await delivered_season(sqlite_engine, clock)
    clock.set(NAIROBI_FIRST)
    await core.tick()
    await drain(chat)
    await write(chat, "Brian", TEXT + " And one more thing: keep going.")
    assert len(await letters_in(core)) == 2
    # lang 69: what /forget promises is true: the letter already read stays, unsigned.
    stays = "Letters that another circle has already read stay with them, without your name."
    assert stays in await chat.say("Brian", "/forget")
    assert stays in await chat.say("Brian", "yes")
    [kept] = await letters_in(core)
    assert kept.author_id is None and kept.deliveries == 1
    overview = await chat.say("Wanjiru", "/letters")
    assert "- a learner in Detroit" in overview and "Brian" not in overview
    async with open_session(core) as session:
        # Brian is gone; his finished circle keeps its numbers under a nameless record with no
        # account (walkthrough 8, fac 28).
        people = (await session.exec(select(Person))).all()
        assert len(people) == 4
        assert "Brian" not in {person.display_name for person in people}


async def test_a_signature_with_contact_details_holds_the_letter_too(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    answer = await write(chat, "Brian", signature="Brian @brian_k")
    assert "an @handle" in answer
    [letter] = await letters_in(core)
    assert letter.flags == ["an @handle"]


async def test_forget_also_takes_back_the_review_notice_quoting_the_letter(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    await chat.say("Brian", "/forget")
    await chat.say("Brian", "yes")
    assert not [m for m in await drain(chat) if TEXT in m.text]


async def test_a_first_meeting_missed_during_a_stop_gets_no_late_letters(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = await delivered_season(sqlite_engine, clock)
    clock.set(NAIROBI_FIRST + timedelta(days=5))  # the bot was down over the first meeting
    await core.tick()
    assert not [m for m in await drain(chat) if TEXT in m.text]
    [letter] = await letters_in(core)
    assert letter.deliveries == 0  # still in the pool for the next circle


# --- found by a walkthrough (issue 16) ---------------------------------------------------------


async def test_huge_letter_numbers_get_the_usage_line_not_an_apology(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    huge = "99999999999999999999999"
    assert await chat.say("Amina", f"/letters approve {huge}") == (
        "Usage: /letters approve NUMBER\nFor example: /letters approve 12"
    )
    assert await chat.say("Amina", f"/letters reject {huge} Too long") == (
        "Usage: /letters reject NUMBER [REASON]\nFor example: /letters reject 12 It names a street"
    )
    assert await chat.say("Brian", f"/thanks {huge}") == (
        "Usage: /thanks [LETTER] [LETTER ...]\nFor example: /thanks 12"
    )
    # Letter numbers keep growing with the pool: five digits are a letter like any other.
    assert "There is no letter 12345." in await chat.say("Amina", "/letters approve 12345")
    assert "Letter 12345 didn't come to your circle." in await chat.say("Brian", "/thanks 12345")


async def test_a_facilitator_writing_a_letter_is_told_who_reviews_it(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = with_moderator(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chen")
    clock.set(AFTER_MEETING_3)
    alone = await write(chat, "Amina")
    assert "goes to your facilitator" not in alone
    assert "approve it yourself with /letters approve 1, then a moderator" in alone
    await chat.say("Amina", "/cofacilitator Chen")
    await chat.say("Amina", "/letter withdraw")
    helped = await write(chat, "Amina")
    assert "goes to your facilitator" not in helped
    assert "Your letter goes to Chen for a look" in helped
    # A learner's letter still goes to the facilitators.
    assert "Your letter goes to your facilitator for a look" in await write(chat, "Brian")


async def test_a_facilitator_alone_without_moderators_is_told_to_approve_their_own_letter(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    answer = await write(chat, "Amina")
    assert "goes to your facilitator" not in answer
    assert "You approve it yourself with /letters approve 1" in answer
    assert "moderator" not in answer


async def test_the_reviewer_sees_what_the_screening_flagged(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian", HELD_TEXT)
    [notice] = [m.text for m in await drain(chat) if "A letter from" in m.text]
    # No moderator here: it can only go back to its author (tests/letters/test_letter_notices.py).
    found = "It seems to contain the name of a chat or social-media app. Letters travel without"
    assert found in notice
    overview = await chat.say("Amina", "/letters")
    assert found in overview


async def test_a_letter_without_contact_details_is_not_flagged(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    answer = await write(chat, "Brian", "We met every week.Me and the others loved it. See you!")
    assert "moderator" not in answer
    [letter] = await letters_in(core)
    assert letter.flags == []
    [notice] = [m.text for m in await drain(chat) if "A letter from" in m.text]
    assert "seems to contain" not in notice


async def test_letters_off_switches_one_circle(chat: Chat, core: Core, clock: FakeClock) -> None:
    await detroit(chat, core, "Brian")
    await chat.say("Amina", NAIROBI.replace("Digital Skills", "Second Circle"))
    asked = await chat.say("Amina", "/letters off")
    assert "Which circle should stop receiving letters?" in asked
    assert "won't receive letters" not in asked
    answer = await chat.say("Amina", "2")  # the second choice: Python for Everyone
    assert answer == "Python for Everyone won't receive letters."
    async with open_session(core) as session:
        wanted = {c.name: c.letters_wanted for c in (await session.exec(select(Circle))).all()}
    assert wanted["Python for Everyone"] == 0 and wanted["Second Circle"] > 0
    # With one circle there is nothing to ask.
    assert await chat.say("Wanjiru", NAIROBI)
    assert await chat.say("Wanjiru", "/letters off") == "Digital Skills won't receive letters."


async def test_rejecting_from_the_review_notice_asks_only_for_the_reason(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    [notice] = [m for m in await drain(chat) if "A letter from" in m.text]
    assert "Reply 1 for Approve letter #1 or 2 for Reject letter #1." in notice.text
    asked = await chat.say("Amina", "2")  # the Reject button, as SMS or a tap sends it
    assert "What should I tell the author" in asked and "Usage" not in asked
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.REVIEW
    shown = await chat.say("Amina", "Please leave out the surname")
    assert shown.startswith("The author of letter 1 will read:\nYour letter")  # asked first
    answer = await chat.say("Amina", "1")
    assert "Letter 1 is rejected; I've told the author why." in answer
    [letter] = await letters_in(core)
    assert (letter.status, letter.reject_reason) == (
        LetterStatus.REJECTED,
        "Please leave out the surname",
    )
    told = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert any("Please leave out the surname" in text for text in told)


async def test_skip_while_writing_a_letter_ends_it_and_says_so(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await chat.say("Brian", "/reflect")  # a question waits too: /skip is for the letter
    assert "Write to a new circle far away" in await chat.say("Brian", "/letter")
    answer = await chat.say("Brian", "/skip")
    assert "no letter" in answer and "/letter" in answer
    # The letter is over: the next words answer the reflection, still open, not the letter.
    answer = await chat.say("Brian", "I explain things better now.")
    assert "portfolio" in answer and "How should it be signed?" not in answer
    assert "nothing to cancel" in await chat.say("Brian", "/cancel")
    assert await letters_in(core) == []


async def test_skip_at_the_signature_signs_with_the_first_name_and_sends_it(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await chat.say("Brian", "/letter")
    assert "How should it be signed?" in await chat.say("Brian", TEXT)
    answer = await chat.say("Brian", "/skip")
    assert "Thank you, Brian!" in answer and "goes to your facilitator" in answer
    [letter] = await letters_in(core)
    assert (letter.signature, letter.status) == ("Brian", LetterStatus.REVIEW)
    assert "nothing to cancel" in await chat.say("Brian", "/cancel")


async def test_skip_when_asked_for_a_rejection_reason_leaves_the_letter_for_review(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    assert "What should I tell the author" in await chat.say("Amina", "/letters reject 1")
    answer = await chat.say("Amina", "/skip")
    assert "still waiting" in answer and "is rejected" not in answer
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.REVIEW
    assert "nothing to cancel" in await chat.say("Amina", "/cancel")
