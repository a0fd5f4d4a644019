"""Walkthroughs (lang 3, 18, 21, 27; fac 34): an online circle run from Toronto, with learners
in Berlin, Dar es Salaam and Nairobi. Each reads the circle's times so she knows whose clock
they are on: her own where she set one, else the circle's with its zone named, and is told
once how to see them in her own time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Outbound
from bot.core import Core
from tests.conftest import Chat, code_of

TORONTO_ONLINE = (
    '/newcircle name="Python Online" course="Python for Everybody" venue=online '
    "link=https://meet.jit.si/py4e-toronto city=Toronto country=CA zone=America/Toronto "
    "start=2026-10-29 time=12:00 meetings=6"
)
NAIROBI_CIRCLE = (
    '/newcircle name="Python Nairobi" course="Python for Everybody" venue="Kenya National '
    'Library" city=Nairobi country=KE zone=Africa/Nairobi start=2026-10-27 time=17:00 meetings=6'
)
MEETING_1 = datetime(2026, 10, 29, 16, 0, tzinfo=UTC)  # Thursday 12:00 in Toronto (EDT)
AMANI = "+254700000021"
EAT = ZoneInfo("Africa/Nairobi")


def texting(core: Core) -> Chat:
    return Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))


async def toronto_circle(chat: Chat, core: Core) -> str:
    assert "is ready" in await chat.say("Amina", TORONTO_ONLINE)
    return await code_of(core, "Python Online")


async def test_an_online_circles_welcome_and_next_say_how_to_see_her_own_time(
    chat: Chat, core: Core
) -> None:
    """lang 3: Jonas (German) read "um 12:00 (Ortszeit Toronto)" and no word of /timezone."""
    code = await toronto_circle(chat, core)
    welcome = await chat.say("Jonas", "/join " + code)
    assert "/timezone" in welcome, welcome
    await chat.say("Jonas", "/skip")
    await chat.say("Jonas", "/skip")
    assert "/timezone" in await chat.say("Jonas", "/next")
    asked = await chat.say("Jonas", "Wann ist das nächste Treffen?", locale_hint="de")
    assert "Ortszeit Toronto" in asked and "/zeitzone und deine Stadt" in asked, asked
    await chat.say("Jonas", "/timezone Berlin")
    assert "/timezone" not in await chat.say("Jonas", "/next")


async def offered_seat(chat: Chat, core: Core, sms: Chat) -> None:
    """The Toronto circle, full with Brian; Zawadi (zone Dar es Salaam) and Amani (texting
    from Nairobi, in a Nairobi circle too, no zone set) wait; Brian leaves: two seats free."""
    code = await toronto_circle(chat, core)
    await chat.say("Amina", "/listing on")
    assert "takes 1 learner" in await chat.say("Amina", "/listing capacity 1")
    assert "Welcome" in await chat.say("Brian", "/join " + code)
    await chat.say("Zawadi", "/timezone Dar es Salaam")
    assert "waiting list" in await chat.say("Zawadi", "/join " + code)
    assert "is ready" in await chat.say("Wanjiku", NAIROBI_CIRCLE)
    await sms.say(AMANI, "JOIN " + await code_of(core, "Python Nairobi"))
    await sms.say(AMANI, "Amani")
    await sms.say(AMANI, "SKIP")
    assert "waiting list" in await sms.say(AMANI, "JOIN " + code)
    await chat.say("Amina", "/listing capacity 3")


async def test_a_seat_held_for_her_until_a_time_on_her_own_clock(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 21: Amani in Nairobi read "nimekuwekea hadi Alhamisi ... 15:58": Toronto's time,
    unnamed; Zawadi, who set her zone, got Toronto's too."""
    sms = texting(core)
    await offered_seat(chat, core, sms)
    until = clock.now() + timedelta(hours=48)
    [zawadi] = [m.text for m in await chat.deliver() if "seat has opened" in m.text]
    assert "(EAT)" in zawadi and until.astimezone(EAT).strftime("%-I:%M") in zawadi, zawadi
    [amani] = [m.text for m in await sms.deliver() if "seat has opened" in m.text]
    assert "(EAT)" in amani or "(EDT)" in amani, amani


async def test_an_online_circles_times_are_named_with_their_zone_for_one_who_set_none(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 21 cont.: Amani, in a Nairobi circle too and in the Toronto one by a seat offer,
    read "kitakutana leo saa sita adhuhuri" in the evening, and NEXT in Toronto's time
    unnamed. Her other circle's zone is offered."""
    sms = texting(core)
    await offered_seat(chat, core, sms)
    await sms.deliver()
    assert "Python Online" in await sms.say(AMANI, "1")
    await sms.say(AMANI, "SKIP")
    coming = await sms.say(AMANI, "NEXT")
    assert "12:00 PM (EDT)" in coming or "7:00 PM (EAT)" in coming, coming
    if "EAT" not in coming:
        assert "/timezone Nairobi" in coming or "TIMEZONE Nairobi" in coming, coming
    await sms.say(AMANI, "SCHEDULE")
    dates = await sms.say(AMANI, "1")
    assert "(EDT)" in dates or "(EAT)" in dates, dates

    await sms.deliver()
    await chat.deliver()
    clock.set(MEETING_1 - timedelta(hours=1))
    await core.tick()
    [brian] = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert "meets today at 12:00 PM (EDT)" in brian, brian


async def test_dates_by_sms_name_an_online_circles_zone(chat: Chat, core: Core) -> None:
    """Moussa texts from Montréal, on Toronto's clock: no zone of his own is set, and the
    dates of an online circle still say whose they are."""
    code = await toronto_circle(chat, core)
    sms = texting(core)
    await sms.say("+15145550127", "JOIN " + code)
    await sms.say("+15145550127", "Moussa")
    await sms.say("+15145550127", "SKIP")
    dates = await sms.say("+15145550127", "SCHEDULE")
    assert dates.endswith("(EDT)") or dates.endswith("(Eastern Time)"), dates
    # On the circle's own clock already: nothing to set.
    assert "timezone" not in (await sms.say("+15145550127", "NEXT")).casefold()


async def test_a_reminder_says_when_the_clocks_moved_her_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """lang 18: after Toronto's clocks changed, Jonas in Berlin read 18:00 where the week
    before said 17:00, and nothing said it had moved for him."""
    code = await toronto_circle(chat, core)
    for learner in ("Jonas", "Brian"):
        await chat.say(learner, "/join " + code)
        await chat.say(learner, "/skip")
        await chat.say(learner, "/skip")
    await chat.say("Jonas", "/timezone Berlin")
    await chat.deliver()

    async def reminders(at: datetime) -> dict[str, str]:
        """The reminders sent by `at`, ticking each day on the way."""
        sent: list[Outbound] = []
        while clock.now() < at:
            clock.set(min(at, clock.now() + timedelta(days=1)))
            await core.tick()
            sent += await chat.deliver()
        return {m.address.chat_id: m.text for m in sent if "Python Online meets" in m.text}

    first = await reminders(MEETING_1 - timedelta(hours=24))
    assert "5:00 PM" in first["jonas"] and "usual" not in first["jonas"], first
    second = await reminders(MEETING_1 + timedelta(days=6, hours=2))  # Toronto is on EST now
    assert "Thursday at 6:00 PM" in second["jonas"], second
    assert "1 hour later than usual for you: the clocks changed." in second["jonas"], second
    assert "usual" not in second["brian"], second
    assert "usual" not in (await reminders(MEETING_1 + timedelta(days=13, hours=2)))["jonas"]


@pytest.mark.parametrize(
    ("locale", "said", "city"),
    [
        ("en", "i moved to LA for work, can the times show in my time?", "Los Angeles"),
        ("de", "Ich bin jetzt in Berlin, können die Zeiten in meiner Zeit kommen?", "Berlin"),
        ("es", "¿puedo ver la hora en mi hora? Estoy en Madrid", "Madrid"),
        ("fr", "je peux voir les heures en mon heure ?", None),
        ("sw", "naweza kuona saa kwa saa zangu? niko Dar es Salaam", "Dar es Salaam"),
        ("da", "kan tiderne vises i min tid?", None),
    ],
)
async def test_asking_for_her_own_time_is_answered_with_timezone(
    core: Core, locale: str, said: str, city: str | None
) -> None:
    """fac 34: Brian, who moved to LA, asked for the times in his time: it went to the
    facilitator, who then had to know /timezone."""
    amina = Chat(core)
    code = await toronto_circle(amina, core)
    await amina.say("Brian", "/join " + code, locale_hint=locale)
    await amina.say("Brian", "/skip", locale_hint=locale)
    await amina.say("Brian", "/skip", locale_hint=locale)
    await amina.deliver()
    answer = await amina.say("Brian", said, locale_hint=locale)
    assert "/" in answer and (city is None or city in answer), answer
    assert not [m for m in await amina.deliver() if said in m.text]


async def test_her_circle_in_a_room_says_which_zone_to_set(chat: Chat, core: Core) -> None:
    """lang 21 cont.: a learner of a Nairobi circle who joins the Toronto one is offered
    Nairobi's time by name."""
    code = await toronto_circle(chat, core)
    assert "is ready" in await chat.say("Wanjiku", NAIROBI_CIRCLE)
    await chat.say("Baraka", "/join " + await code_of(core, "Python Nairobi"))
    await chat.say("Baraka", "/skip")
    welcome = await chat.say("Baraka", "/join " + code)
    assert "In Nairobi? Send /timezone Nairobi" in welcome, welcome
