"""Letters as the one-hour walkthrough of issue 16 found them: a French letter called English,
a Nairobi letter read in Nairobi, one "1" for two thank-yous, a facilitator's letter counted as a
learner's, a cancelled meeting named as the midpoint, no Reject in /letters, an approval notice
in the wrong language and CANCEL offered by SMS."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities
from bot.core import Core
from bot.letters.letters import LetterPolicy
from bot.storage.models import Account, LetterStatus
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.letters.test_letters import (
    AFTER_MEETING_3,
    GLOBAL,
    NAIROBI,
    NAIROBI_FIRST,
    TEXT,
    detroit,
    drain,
    letters_in,
    write,
)
from tests.platforms import PLATFORMS

FRENCH = (
    "Bonjour de Detroit ! Il neige ici. Mon conseil : posez toutes vos questions, même les "
    "plus simples."
)
CHEN_TEXT = "Greetings from Detroit, where the river is frozen. Be patient with yourselves."
# Chen's second Detroit circle, typed in capitals: the same city all the same.
DETROIT_AGAIN = (
    '/newcircle name="Python Evenings" course="Python for Everybody" venue="Main Library" '
    "city=DETROIT country=US zone=America/Detroit start=2026-12-01 time=18:00 meetings=6"
)
DETROIT_AGAIN_FIRST = datetime(2026, 12, 1, 23, 0, tzinfo=UTC)
AFTER_MEETING_4 = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


def relaying(sqlite_engine: AsyncEngine, clock: FakeClock) -> tuple[Core, Chat]:
    core = Core(
        sqlite_engine,
        clock,
        random.Random(7),
        letter_policy=LetterPolicy(global_channels=(GLOBAL,)),
        platforms=PLATFORMS,
    )
    return core, Chat(core)


async def first_meeting(core: Core, chat: Chat, clock: FakeClock, starts: datetime) -> list:
    """The preview two hours before, then the letters at the start: everything sent."""
    clock.set(starts - timedelta(hours=2))
    await core.tick()
    sent = await drain(chat)
    clock.set(starts)
    await core.tick()
    return sent + await drain(chat)


async def test_a_letter_is_in_the_language_its_writer_writes_it_in(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """W5: Élodie's app is in French and she never sent /language; her circle is English."""
    await detroit(chat, core)
    code = await code_of(core, "Python for Everyone")
    await chat.say("Élodie", "/join " + code, locale_hint="fr")
    await chat.say("Élodie", "/skip", locale_hint="fr")
    clock.set(AFTER_MEETING_3)
    assert "Écrivez" in await chat.say("Élodie", "/letter", locale_hint="fr")
    await chat.say("Élodie", FRENCH, locale_hint="fr")
    await chat.say("Élodie", "1", locale_hint="fr")
    [letter] = await letters_in(core)
    assert letter.language == "fr"
    [notice] = [m.text for m in await drain(chat) if "A letter from" in m.text]
    assert "From Detroit, United States (written in French):" in notice
    # An English-speaking learner's letter is still English.
    await chat.say("Brian", "/join " + code)
    await chat.say("Brian", "/skip")
    await write(chat, "Brian")
    assert [x.language for x in await letters_in(core)] == ["fr", "en"]


async def test_a_letter_never_goes_to_a_circle_in_its_own_city(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """W7: a new circle in the same city (first to meet) gets none of its city's letters, even
    with nothing else in the pool; the letter waits and travels to Nairobi."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    assert "is ready" in await chat.say("Chen", DETROIT_AGAIN)
    await chat.say("Dana", "/join " + await code_of(core, "Python Evenings"))
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    await chat.say("Amina", "/letters approve 1")
    await drain(chat)

    sent = await first_meeting(core, chat, clock, DETROIT_AGAIN_FIRST)
    assert not [m for m in sent if TEXT in m.text]
    assert not [m for m in sent if "reached" in m.text]
    [letter] = await letters_in(core)
    assert (letter.status, letter.deliveries) == (LetterStatus.POOLED, 0)

    sent = await first_meeting(core, chat, clock, NAIROBI_FIRST)
    assert [m.address.chat_id for m in sent if TEXT in m.text and m.address != GLOBAL] == [
        "wanjiru",
        "otieno",
    ]
    [told] = [m.text for m in sent if m.address.chat_id == "brian" and "reached" in m.text]
    assert told == "Your letter reached a learning circle in Nairobi, Kenya today."


async def test_one_reply_thanks_the_letter_it_is_under(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """W9: two letters each end "Reply 1 for Send a thank-you". Since walkthrough 8 (mix 11:
    "1" under the last of three letters thanked all three) the 1 thanks the letter it is
    under, the last, and /thanks thanks the other. Since issue 16 the choices under the last
    letter name each writer, and keep their numbers. Nothing reaches the facilitator."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Chen")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    await write(chat, "Chen", CHEN_TEXT)
    await chat.say("Amina", "/letters approve 1")
    await chat.say("Amina", "/letters approve 2")
    await drain(chat)
    sent = await first_meeting(core, chat, clock, NAIROBI_FIRST)
    to_otieno = [m.text for m in sent if m.address.chat_id == "otieno" and "letter" in m.text]
    assert len(to_otieno) == 2
    both = "Reply 1 for Thank Brian or 2 for Thank Chen."
    assert "Reply" not in to_otieno[0] and to_otieno[1].endswith(both)

    assert await chat.say("Otieno", "2") == "Your thanks is on its way to Chen.\n" + both
    # Brian still unthanked: the choices were offered again; all thanked, none are.
    assert await chat.say("Otieno", "/thanks 1") == "Your thanks is on its way to Brian."
    sent = await drain(chat)
    assert sorted(m.address.chat_id for m in sent) == ["brian", "chen"]
    assert all("Someone in Nairobi, Kenya says thank you" in m.text for m in sent)
    # Thanking one again, by its number, sends nothing twice.
    assert await chat.say("Otieno", "/thanks 2") == "You've already thanked Chen for letter 2."
    assert await drain(chat) == []


async def test_thanks_for_several_letters_checks_every_number(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    await chat.say("Amina", "/letters approve 1")
    await first_meeting(core, chat, clock, NAIROBI_FIRST)
    # One that never came: nothing is sent for the other either.
    assert await chat.say("Otieno", "/thanks 1 7") == "Letter 7 didn't come to your circle."
    assert await drain(chat) == []
    usage = "Usage: /thanks [LETTER] [LETTER ...]\nFor example: /thanks 12"
    # Words after the numbers go with the thanks (D35), never a usage line.
    assert await chat.say("Otieno", "/thanks 1 two") == "Your thanks is on its way to Brian."
    await drain(chat)
    assert await chat.say("Otieno", "/thanks 1 " + "9" * 30) == usage
    assert await chat.say("Otieno", "/thanks " + " ".join(["1"] * 500)) == (
        "Your thanks is on its way to Brian."
    )
    assert await chat.say("Otieno", "/thanks " + " ".join(map(str, range(1, 30)))) == usage


async def test_the_report_counts_only_the_learners_letters(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """W13: the facilitator's own letter is not "written by your learners"."""
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Amina")
    await write(chat, "Brian", CHEN_TEXT)
    assert len(await letters_in(core)) == 2
    assert "Letters: 1 written by your learners, 0 received." in await chat.say("Amina", "/report")


async def test_the_midpoint_counts_meetings_that_take_place(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """X9: meeting 3 of 6 is cancelled, so the midpoint is the third meeting that takes place,
    meeting 4, and /letter never names the cancelled one."""
    await detroit(chat, core, "Brian")
    await chat.say("Amina", "/cancel 3")
    assert "is cancelled" in await chat.say("Amina", "1")
    closed = await chat.say("Brian", "/letter")
    assert "Letters open halfway through the circle, after meeting 4." in closed
    clock.set(AFTER_MEETING_3)
    assert "after meeting 4" in await chat.say("Brian", "/letter")
    clock.set(AFTER_MEETING_4)
    assert "Write to a new circle far away" in await chat.say("Brian", "/letter")


async def test_the_waiting_list_offers_reject_too(chat: Chat, core: Core, clock: FakeClock) -> None:
    """X11: /letters offers Reject next to Approve; Reject asks for the reason."""
    await detroit(chat, core, "Brian")
    clock.set(AFTER_MEETING_3)
    await write(chat, "Brian")
    overview = await chat.say("Amina", "/letters")
    assert "Reply 1 for Approve #1 or 2 for Reject #1." in overview
    assert "What should I tell the author of letter 1?" in await chat.say("Amina", "2")
    assert "Send it?" in await chat.say("Amina", "Please leave out the surname")
    assert "is rejected" in await chat.say("Amina", "1")
    [letter] = await letters_in(core)
    assert letter.status == LetterStatus.REJECTED


async def test_letter_notices_reach_their_author_in_the_letters_circles_language(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """U12: Baraka never chose a language and has left his Swahili circle since he wrote: the
    approval (sent by /letters, about no circle of his), the news that it was read in Detroit
    and the thanks from there come in his letter's circle's language, not the sender's."""
    core, chat = relaying(sqlite_engine, clock)
    await chat.say("Wanjiru", NAIROBI.replace("meetings=6", "meetings=6 language=sw"))
    await chat.say("Baraka", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Baraka", "/skip")
    assert "is ready" in await chat.say("Chen", DETROIT_AGAIN.replace("2026-12-01", "2027-01-05"))
    await chat.say("Dana", "/join " + await code_of(core, "Python Evenings"))
    clock.set(NAIROBI_FIRST + timedelta(weeks=2, hours=3))  # after meeting 3 of 6
    await core.tick()
    await drain(chat)
    await chat.say("Baraka", "/letter")
    await chat.say("Baraka", "Habari kutoka Nairobi! Hapa ni jua kali. Usiogope kuuliza.")
    await chat.say("Baraka", "1")
    await chat.say("Baraka", "/leave")
    await chat.say("Baraka", "1")
    await chat.say("Wanjiru", "/letters approve 1")
    [approved] = [m.text for m in await drain(chat) if m.address.chat_id == "baraka"]
    assert approved.startswith("Barua yako imeidhinishwa!")

    sent = await first_meeting(core, chat, clock, datetime(2027, 1, 5, 23, 0, tzinfo=UTC))
    # 2 a.m. in Nairobi: the news waits for the morning there (walkthrough 8, sms 28).
    assert not [m for m in sent if m.address.chat_id == "baraka"]
    clock.set(datetime(2027, 1, 6, 5, 0, tzinfo=UTC))
    [reached] = [m.text for m in await drain(chat) if m.address.chat_id == "baraka"]
    assert reached == "Barua yako imefika leo kwa kikundi cha kujifunza huko DETROIT, Marekani."
    assert "on its way to Baraka" in await chat.say("Dana", "1")  # in English, to Dana
    [thanked] = [m.text for m in await drain(chat) if m.address.chat_id == "baraka"]
    assert thanked.startswith("Mtu fulani huko DETROIT, Marekani")


async def test_by_sms_the_letter_prompt_offers_skip_not_cancel(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """W6: by SMS a bare CANCEL opts out of every message, so the prompt names SKIP, which
    stops only the letter."""
    phone = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    await detroit(chat, core)
    code = await code_of(core, "Python for Everyone")
    await phone.say("+13135550100", f"JOIN {code}")
    await phone.say("+13135550100", "SKIP")
    clock.set(AFTER_MEETING_3)
    prompt = await phone.say("+13135550100", "LETTER")
    assert "/cancel" not in prompt and prompt.endswith("or SKIP.")
    assert "no letter this time" in await phone.say("+13135550100", "SKIP")
    async with open_session(core) as session:
        [account] = (await session.exec(select(Account).where(Account.platform == "sms"))).all()
    assert not account.opted_out
    assert await letters_in(core) == []
    # Elsewhere the prompt stays as it was.
    await chat.say("Brian", "/join " + code)
    assert "or /cancel" in await chat.say("Brian", "/letter")


async def test_a_letter_never_goes_to_a_circle_its_author_is_in(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """Second walkthrough: a learner in two circles received her own letter in the other one,
    and her "1" thanked herself."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Brian", "/join " + await code_of(core, "Digital Skills"))  # a second circle
    await chat.say("Brian", "/default Python for Everyone")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    await chat.say("Amina", "/letters approve 1")
    await drain(chat)

    sent = await first_meeting(core, chat, clock, NAIROBI_FIRST)
    assert not [m for m in sent if TEXT in m.text]  # not to Brian's own other circle
    [letter] = await letters_in(core)
    assert (letter.status, letter.deliveries) == (LetterStatus.POOLED, 0)


async def test_a_letter_never_goes_to_a_circle_where_a_classmate_of_its_author_is(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """sms 43: Dana, Brian's classmate in Detroit, starts a new circle in Nairobi; Brian's
    letter is meant for strangers, so it waits for another circle."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian", "Dana")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Dana", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Dana", "/default Python for Everyone")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    await chat.say("Amina", "/letters approve 1")
    await drain(chat)

    sent = await first_meeting(core, chat, clock, NAIROBI_FIRST)
    assert not [m for m in sent if TEXT in m.text]
    [letter] = await letters_in(core)
    assert (letter.status, letter.deliveries) == (LetterStatus.POOLED, 0)


async def test_a_circle_first_joined_on_the_day_still_gets_its_letters(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """fac 31: Otieno joins Nairobi's circle an hour before its first meeting, after the
    facilitator's preview found nobody to write to; the letters still come at the start."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian")
    await chat.say("Amina", "/letters approve 1")
    await drain(chat)
    clock.set(NAIROBI_FIRST - timedelta(hours=2))
    await core.tick()
    await drain(chat)

    clock.set(NAIROBI_FIRST - timedelta(hours=1))
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    await core.tick()
    await drain(chat)
    clock.set(NAIROBI_FIRST)
    await core.tick()
    sent = await drain(chat)
    assert [m for m in sent if m.address.chat_id == "otieno" and TEXT in m.text]
    [letter] = await letters_in(core)
    assert letter.deliveries == 1


async def test_a_signature_ending_in_a_full_stop_is_thanked_with_one(
    sqlite_engine: AsyncEngine, clock: FakeClock
) -> None:
    """SMS walkthrough: "Your thanks is on its way to Wanjiru K.." had two full stops."""
    core, chat = relaying(sqlite_engine, clock)
    await detroit(chat, core, "Brian")
    await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    await write(chat, "Brian", signature="Brian K.")
    await chat.say("Amina", "/letters approve 1")
    await drain(chat)
    await first_meeting(core, chat, clock, NAIROBI_FIRST)
    assert await chat.say("Otieno", "1") == "Your thanks is on its way to Brian K."
