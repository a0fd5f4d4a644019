"""Dates and times as people write them (walkthrough 8): a day its month lacks is said so
(fac 3); /reschedule with only a new day keeps the meeting's time, and with only a new time
its day (fac 25); Danish "kl. 17" and "tirsdag d. 10. november" (mix 1); an everyday German
date phrase (lang 25); Swahili time in words with the 24-hour clock after it, read back as
written (lang 4)."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CIRCLE = "Python for Everyone"  # Thursdays 18:00 in Detroit, meetings 1-6 from Oct 29, 2026


async def test_english_dates_and_a_reschedule_without_time_or_day(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)

    no_such_day = await chat.say("Amina", "/addmeeting February 31")
    assert no_such_day.startswith("February has only 28 days. Which day do you mean?")
    assert "“February” is not a date" not in no_such_day
    assert "February has only 28 days" in await chat.say("Amina", "/addmeeting 2/31/2027 6pm")
    # The example is in the reader's words, and never a date gone by.
    assert "For example: /addmeeting february 4 6pm" in no_such_day

    # A new day, the meeting's own time.
    assert await chat.say("Amina", "/reschedule 4 November 20") == (
        "Meeting 4 is now Friday, November 20, 2026 at 6:00 PM (EST)."
    )
    # A new time, the meeting's own day.
    assert await chat.say("Amina", "/reschedule 5 7pm") == (
        "Meeting 5 is now Thursday, November 26, 2026 at 7:00 PM (EST)."
    )
    assert await chat.say("Amina", "/reschedule 6 6:30 pm") == (
        "Meeting 6 is now Thursday, December 3, 2026 at 6:30 PM (EST)."
    )
    assert "Usage: /reschedule MEETING [DATE] [TIME]" in await chat.say("Amina", "/reschedule 6")


async def test_danish_german_and_swahili_ways_of_writing_them(chat: Chat, core: Core) -> None:
    assert "er klar" in await chat.say("Mette", DETROIT_CIRCLE, locale_hint="da")
    moved = await chat.say("Mette", "/flyt 3 tirsdag d. 10. november kl. 17")
    assert "tirsdag den 10. november 2026" in moved and "17.00" in moved, moved
    moved = await chat.say("Mette", "/flyt 4 tirsdag d. 17. november 17.00")
    assert "tirsdag den 17. november 2026" in moved and "17.00" in moved, moved
    assert "17.30" in await chat.say("Mette", "/flyt 5 kl. 17.30")

    await chat.say("Katrin", DETROIT_CIRCLE.replace(CIRCLE, "Python Berlin"), locale_hint="de")
    moved = await chat.say(
        "Katrin", "/verschieben 3 am Mittwoch den 11. November um halb sieben abends"
    )
    assert "Mittwoch, 11. November 2026" in moved and "18:30" in moved, moved

    await chat.say("Mwanaisha", DETROIT_CIRCLE.replace(CIRCLE, "Ujuzi"), locale_hint="sw")
    code = await code_of(core, "Ujuzi")
    await chat.say("Otieno", "/join " + code, locale_hint="sw")
    # Swahili time first (saa nne = 10 am), the 24-hour clock after: never "saa 10:00".
    moved = await chat.say("Mwanaisha", "/hamisha 4 14/11/2026 saa nne asubuhi")
    assert "saa nne asubuhi, 10:00" in moved and "saa 10:00" not in moved, moved
    # What the bot writes, typed back, is the same time; so is what it once wrote.
    again = await chat.say("Mwanaisha", "/hamisha 5 21/11/2026 saa nne asubuhi, 10:00")
    assert "saa nne asubuhi, 10:00" in again, again
    assert "saa nne asubuhi, 10:00" in await chat.say(
        "Mwanaisha", "/hamisha 6 28/11/2026 saa 10:00 asubuhi"
    )
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "otieno"]
    assert any("saa nne asubuhi, 10:00" in text for text in told), told
