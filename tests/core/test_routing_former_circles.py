"""Walkthroughs (dada 10, dada 12, sms 37, fac 45): which circle a learner's words, or a
facilitator's command, are about when some of their circles have finished or been left."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.network.survey import AFTER_THE_END
from tests.circles.test_issue16_waiting_words import text
from tests.conftest import Chat, code_of
from tests.network.test_survey import TWO_WEEKS, delivered
from tests.seasons import open_circle, starts

HVERDAG = (
    '/newcircle name="Digital hverdag" course="Digital hverdag" venue="Hovedbiblioteket" '
    "city=Aarhus country=DK zone=Europe/Copenhagen start=2026-10-22 time=10:00 meetings=1 "
    "language=da"
)
EXCEL = (
    '/newcircle name="Excel for begyndere" course="Excel" venue="Hovedbiblioteket" city=Aarhus '
    "country=DK zone=Europe/Copenhagen start=2026-11-12 time=10:00 meetings=6 language=da"
)
AFTER_HVERDAG = datetime(2026, 10, 28, 9, 0, tzinfo=UTC)


async def join(chat: Chat, core: Core, name: str, circle: str) -> None:
    """`name` joins and skips the welcome's two questions."""
    assert "/join" not in await chat.say(name, "/join " + await code_of(core, circle))
    await chat.say(name, "/skip")
    await chat.say(name, "/skip")


async def test_words_to_a_former_facilitator_after_find_are_not_filed_under_the_listing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # dada 10: Carlos left Digital hverdag (finished since); /find listed Excel for begyndere,
    # which he never picked. His words to Mette are no question about Excel.
    assert "is ready" in await chat.say("Mette", HVERDAG)
    await join(chat, core, "Carlos", "Digital hverdag")
    await chat.say("Carlos", "/leave")
    assert "Digital hverdag" in await chat.say("Carlos", "ja")
    clock.set(AFTER_HVERDAG)
    assert "is ready" in await chat.say("Mette", EXCEL)
    await chat.say("Mette", "/listing on")
    await chat.deliver()
    assert "Excel for begyndere" in await chat.say("Carlos", "/find Aarhus")
    answer = await chat.say(
        "Carlos", "hola Mette, ya no trabajo. puedo volver al grupo de computador?"
    )
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "mette"]
    assert len(told) == 1, (answer, told)
    assert "Excel" not in told[0], told
    assert "puedo volver al grupo de computador?" in told[0], told
    assert "Digital hverdag" in told[0], told  # the circle he was in
    assert "Mette" in answer, answer


async def test_words_to_a_former_facilitator_reach_her_about_the_circle_he_left(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # dada 10, without /find first: one of hers, never welcomed as a stranger.
    assert "is ready" in await chat.say("Mette", HVERDAG)
    await join(chat, core, "Carlos", "Digital hverdag")
    await chat.say("Carlos", "/leave")
    await chat.say("Carlos", "ja")
    clock.set(AFTER_HVERDAG)
    await chat.deliver()
    answer = await chat.say("Carlos", "hola Mette, ya no trabajo. puedo volver al grupo?")
    assert "Mette" in answer, answer
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "mette"]
    assert len(told) == 1 and "Digital hverdag" in told[0], told


KISUMU = (
    '/newcircle name="Kisumu Digital Skills" course="Digital Skills" venue="Kisumu Library" '
    "city=Kisumu country=KE zone=Africa/Nairobi start=2026-10-22 time=14:00 meetings=1 "
    "language=en"
)
KISUMU_2 = (
    '/newcircle name="Kisumu Digital Skills 2" course="Digital Skills" venue="Kisumu Library" '
    "city=Kisumu country=KE zone=Africa/Nairobi start=2027-02-04 time=14:00 meetings=6 "
    "language=en"
)
WANJIKU = "+254711000437"
JOHNSON = "+13135550145"
BACK_IN_KISUMU = datetime(2027, 1, 25, 9, 0, tzinfo=UTC)


async def test_join_words_with_a_finished_code_reach_its_facilitator_running_a_new_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # sms 37: Wanjiku left the first circle; its facilitator now runs a new one.
    assert "is ready" in await chat.say("Atieno", KISUMU)
    code = await code_of(core, "Kisumu Digital Skills")
    assert "Welcome" in await text(core, WANJIKU, f"JOIN {code}")
    await text(core, WANJIKU, "Wanjiku")
    await text(core, WANJIKU, "LEAVE")
    assert "left" in await text(core, WANJIKU, "1")
    clock.set(BACK_IN_KISUMU)  # months later
    assert "is ready" in await chat.say("Atieno", KISUMU_2)
    await chat.deliver()
    answer = await text(
        core, WANJIKU, f"Hello Atieno I am back in Kisumu. Can I join the new class? JOIN {code}"
    )
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "atieno"]
    assert len(told) == 1, (answer, told)
    assert "Can I join the new class?" in told[0], told
    assert "Kisumu Digital Skills 2" in told[0], told  # filed under the circle going on
    assert "Kisumu Digital Skills 2" in answer and "Atieno" in answer, answer


EARLIER = (
    '/newcircle name="Excel Basics" course="Excel" venue="Detroit Public Library" city=Detroit '
    "country=US zone=America/Detroit start=2026-10-21 time=10:00 meetings=1"
)
LATER = (
    '/newcircle name="Spanish Together" course="Spanish" venue="Detroit Public Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-12-03 time=10:00 meetings=6"
)


async def test_words_to_the_survey_rating_are_no_which_circle_menu(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # fac 45: in several circles, most finished, a learner answers the survey's rating in
    # words: a rating read from them, or the question again; never a menu of circles.
    assert "is ready" in await chat.say("Grace", EARLIER)
    await text(core, JOHNSON, "JOIN " + await code_of(core, "Excel Basics"))
    await text(core, JOHNSON, "Mrs Johnson")
    await text(core, JOHNSON, "SKIP")
    await text(core, JOHNSON, "SKIP")
    code = await open_circle(chat, core, {"Dana": True}, TWO_WEEKS)
    await text(core, JOHNSON, "JOIN " + code)
    await text(core, JOHNSON, "SKIP")
    await text(core, JOHNSON, "SKIP")
    for week in (1, 2):
        clock.set(starts(week) + timedelta(minutes=5))
        assert "here" in await text(core, JOHNSON, "HERE")
        await chat.say("Dana", "/here")
    clock.set(starts(2) + timedelta(hours=2))
    await core.tick()  # the close-out
    await delivered(chat)
    clock.set(starts(2) + timedelta(hours=2) + AFTER_THE_END)
    await core.tick()
    await delivered(chat)
    phone = Chat(core, "sms", SMS_CAPABILITIES)
    assert "how was Python for Everybody" in (await delivered(phone))[JOHNSON]
    answer = await text(core, JOHNSON, "I liked it very much")
    assert "Which circle" not in answer, answer
    assert "reply with a number from 1 to 5" in answer, answer  # the survey asked again
    assert "recommend Python for Everybody" in await text(core, JOHNSON, "5")
    # Weeks on, nothing offered: her words go to the circle she joined last, no menu of
    # circles both over.
    clock.set(starts(2) + timedelta(days=28))
    answer = await text(core, JOHNSON, "I liked it very much")
    assert "Which circle" not in answer and "Amina" in answer, answer


async def test_the_default_circle_holds_for_announce_and_reply(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # dada 12: Mette runs Digital hverdag (finished) and Excel for begyndere, her default.
    assert "is ready" in await chat.say("Mette", HVERDAG)
    await join(chat, core, "Sofie", "Digital hverdag")
    clock.set(AFTER_HVERDAG)
    assert "is ready" in await chat.say("Mette", EXCEL)
    await join(chat, core, "Sofie", "Excel for begyndere")
    written = await chat.say("Sofie", "Jeg kommer lidt senere på torsdag, bussen er forsinket.")
    assert "Mette" in written, written
    await chat.deliver()
    # Her one open message is about Excel: /reply NAME answers in that circle, no question.
    replied = await chat.say("Mette", "/reply Sofie Tak, vi venter på dig.")
    assert "Digital hverdag" not in replied, replied
    to_sofie = [m.text for m in await chat.deliver() if m.address.chat_id == "sofie"]
    assert any("Tak, vi venter på dig." in t for t in to_sofie), to_sofie
    # Her /default holds for /announce, as for /overview.
    assert "Excel for begyndere" in await chat.say("Mette", "/default Excel for begyndere")
    announced = await chat.say("Mette", "/announce Husk at tage jeres bærbare med.")
    assert announced.startswith("Excel for begyndere, from Mette:"), announced
