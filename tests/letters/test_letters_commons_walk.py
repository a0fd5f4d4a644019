"""Walkthrough findings on letters (fac, sms, lang): who approves a facilitator's own letter
is named, not a role that a /handover made stale."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.chat.clock import FakeClock
from bot.chat.segments import gsm_safe, sms_segments
from bot.core import Core
from bot.storage.models import LetterStatus
from tests.conftest import Chat, code_of
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    HELD_TEXT,
    NAIROBI,
    NAIROBI_FIRST,
    TEXT,
    approved_letter,
    detroit,
    drain,
    letters_in,
    write,
)
from tests.letters.test_letters_by_sms import LETTER, LONG, PHONE, joined_by_sms
from tests.letters.test_walkthrough_letters import first_meeting, relaying


async def test_after_a_handover_the_new_facilitator_is_named_as_the_approver(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 30: Amina hands the circle to Chen and stays on as co-facilitator; her own letter
    is Chen's to approve, and the refusal says so by name, not "your co-facilitator"."""
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Amina", "/cofacilitator Chen")
    await chat.say("Amina", "/handover Chen")
    assert "Chen now facilitates" in await chat.say("Amina", "yes")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Amina")
    [letter] = await letters_in(core)
    refused = await chat.say("Amina", f"/letters approve {letter.id}")
    assert refused == f"You wrote letter {letter.id}, so Chen approves it."
    assert (await letters_in(core))[0].status == LetterStatus.REVIEW


PHONE_TEXT = HELD_TEXT  # held whatever its author does (no moderators here)


async def test_a_flagged_letter_is_offered_only_back_in_the_overview(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 19, sms 17: /letters said the letter "can't be approved as it is", then offered
    "Approve"; picking it spoke of a moderator nobody had mentioned."""
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian", PHONE_TEXT)
    [letter] = await letters_in(core)
    overview = await chat.say("Amina", "/letters")
    assert "can't be approved as it is" in overview
    assert f"Reply 1 for Reject #{letter.id}." in overview
    assert f"Approve #{letter.id}" not in overview
    refused = await chat.say("Amina", f"/letters approve {letter.id}")
    assert "can't be approved as it is" in refused and "moderator" not in refused


async def test_a_letter_written_again_takes_the_flagged_ones_place(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 22, sms 17: Mateo was told to write his letter again without his number and did;
    the flagged one stayed in Camila's queue, and rejecting it told him his letter wasn't
    approved after he had fixed it."""
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    assert "write it again" in await write(chat, "Brian", PHONE_TEXT)
    await drain(chat)
    await write(chat, "Brian")
    flagged, fixed = await letters_in(core)
    assert (flagged.status, fixed.status) == (LetterStatus.WITHDRAWN, LetterStatus.REVIEW)
    [notice] = [m.text for m in await drain(chat) if m.address.chat_id == "amina"]
    assert f"It takes the place of letter {flagged.id}, which its author wrote again." in notice
    overview = await chat.say("Amina", "/letters")
    assert f"Letter {fixed.id}:" in overview and f"Letter {flagged.id}:" not in overview
    # The old notice's Reject, tapped late: nothing to reject, nothing to tell Brian.
    answer = await chat.say("Amina", f"/letters reject {flagged.id} It has a phone number")
    assert answer == f"Its author took letter {flagged.id} back, so there's nothing to review."
    assert not [m for m in await drain(chat) if m.address.chat_id == "brian"]
    assert "joins the pool" in await chat.say("Amina", f"/letters approve {fixed.id}")


async def test_a_rejection_says_which_letter_by_its_first_words(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 17: Halima had written two letters; "Your letter wasn't approved" didn't say which."""
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    [letter] = await letters_in(core)
    await drain(chat)
    await chat.say("Amina", f"/letters reject {letter.id} Please say more about the course")
    await chat.say("Amina", "1")  # Send
    [notice] = [m.text for m in await drain(chat) if m.address.chat_id == "brian"]
    assert notice.startswith(
        'Your letter "Hello from Detroit! Come every week..." wasn\'t approved this time.'
    )


async def test_a_letter_is_signed_with_the_name_the_author_chose(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """sms 16: the circle knows Halima as "Mama Halima"; her letter offered only "Mama" to sign
    it with, and thanked her "Thank you, Mama!"."""
    await detroit(chat, core)
    sms = Chat(core, platform="sms")
    await sms.say(PHONE, "JOIN " + await code_of(core, "Python for Everyone"))
    assert "Mama Halima" in await sms.say(PHONE, "NAME Mama Halima")
    await sms.say(PHONE, "To send emails to my children.")
    clock.set(AFTER_MEETING_3)
    await sms.say(PHONE, "LETTER")
    asked = await sms.say(PHONE, LETTER)
    assert asked.endswith("Reply 1 for Mama Halima.")
    assert "Thank you, Mama Halima!" in await sms.say(PHONE, "1")
    [letter] = await letters_in(core)
    assert letter.signature == "Mama Halima"

    # A surname is offered too, never by default: letters travel with a first name.
    await chat.say("Halima Abdi", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Halima Abdi", "/skip")
    await chat.say("Halima Abdi", "/letter")
    asked = await chat.say("Halima Abdi", TEXT)
    assert asked.endswith("Reply 1 for Halima or 2 for Halima Abdi.")
    assert "Thank you, Halima!" in await chat.say("Halima Abdi", "/skip")
    assert (await letters_in(core))[-1].signature == "Halima"


async def test_a_facilitators_next_circle_never_reads_her_past_learners_letters(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """lang 28: Amélie's new circle in Québec got only Spanish letters while Luc's French one,
    from her circle in Montréal, waited: her being in both circles made Luc a "classmate" of
    the new group. Her new learners have never met him; it is classmates (learners together)
    whose letters stay away, as before. Since walkthrough 8 (fac 21: Aaliyah's letter "for a
    circle far from here" went to Denise's next circle at the same branch) a letter never goes
    back to a circle of its own facilitator either: it waits for one somewhere else."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    assert "is ready" in await chat.say("Amina", NAIROBI)  # she runs the next circle too
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    await approved_letter(core, chat, clock, "Brian")

    sent = await first_meeting(core, chat, clock, NAIROBI_FIRST)
    assert not [m for m in sent if m.address.chat_id == "otieno" and TEXT in m.text]
    assert (await letters_in(core))[0].deliveries == 0


async def test_several_letters_reach_a_phone_as_one_short_message(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """sms 23: three letters came by SMS as three texts of 3 segments each, during the meeting
    where they are read aloud, each ending "Reply 1 for Send a thank-you" though 1 thanked all
    three. Now one text: where each comes from and its first words, and a 1 that says it
    thanks every writer (who are named when thanked)."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chen", "Dana")
    await chat.say("Wanjiru", NAIROBI)
    sms = await joined_by_sms(core, "Digital Skills")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    for name in ("Brian", "Chen", "Dana"):
        await write(chat, name, f"{name} here. " + LONG[:600])
    for letter in await letters_in(core):
        await chat.say("Amina", f"/letters approve {letter.id}")
    await drain(chat)

    clock.set(NAIROBI_FIRST - timedelta(hours=2))
    await core.tick()
    clock.set(NAIROBI_FIRST)
    await core.tick()
    while await core.dispatch({"sms": sms, "console": chat}):
        pass
    [message] = [m for m in sms.sent if "for your first meeting" in m.text]
    assert message.text.startswith("3 letters for your first meeting")
    ids = [letter.id for letter in await letters_in(core)]
    # Each line led by the number that opens it (C19), marked "#" above "Reply 1" (issue 16).
    assert [line.split(":")[0] for line in message.text.splitlines()[1:4]] == [
        f"#{number} Detroit, United States" for number in ids
    ]
    assert all(f'"{name} here. Come every' in message.text for name in ("Brian", "Chen", "Dana"))
    # The reminder's "Will you come? Reply 1" waits too: the letters are thanked by a word,
    # and each can be read whole (walkthrough 8, sms 27 and sms 21).
    assert f"Each in full: send LETTER {ids[0]}, LETTER {ids[1]}, or LETTER {ids[2]}." in (
        message.text
    )
    assert message.text.endswith("To thank all 3 writers, reply THANKS.")
    assert sms_segments(gsm_safe(message.text)) <= 3
    thanked = await sms.say(PHONE, "THANKS")
    assert all(f"on its way to {name}" in thanked for name in ("Brian", "Chen", "Dana"))
