"""Walkthrough 8, fac 28: /forget after a circle has ended takes the learner's name and words,
but the circle's head-counts stay as the facilitator already reported them."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.seasons import Week, handle, open_circle, play_week

TWO_WEEKS = DETROIT_CIRCLE.replace("meetings=6", "meetings=2")


async def test_forgetting_after_the_end_keeps_the_numbers(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Tom": True, "Rosa": True}, TWO_WEEKS)
    await play_week(
        chat,
        core,
        clock,
        1,
        Week(came=("Tom", "Rosa"), ratings={"Tom": 4}, answers={"Tom": "Loops are fun now"}),
    )
    await play_week(chat, core, clock, 2, Week(came=("Tom",), ratings={"Tom": 5, "Rosa": 3}))
    before = await chat.say("Amina", "/report")
    assert "2 learners in the circle now." in before
    assert "Attendance: 2 at meeting 1, 1 at meeting 2" in before

    assert "Delete it all?" in await chat.say("Tom", "/forget")
    assert "everything about you is deleted" in await chat.say("Tom", "yes")
    after = await chat.say("Amina", "/report")
    assert after == before
    assert "Tom" not in after
    export = await chat.say("Amina", "/roster")
    assert "Tom" not in export and "Loops are fun" not in export


async def test_someone_forgotten_is_named_in_the_readers_words_on_the_roster(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # D20: "2. Circle member, Teilnehmer*in ()" on a German roster after VERGESSEN.
    await open_circle(chat, core, {"Tom": True, "Rosa": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Tom", "Rosa"), ratings={"Tom": 4}))
    await play_week(chat, core, clock, 2, Week(came=("Tom",), ratings={"Tom": 5}))
    await chat.say("Tom", "/forget")
    assert "everything about you is deleted" in await chat.say("Tom", "yes")
    await chat.say("Amina", "/language de")
    roster = await chat.say("Amina", "/roster")
    assert "Circle member" not in roster and "()" not in roster, roster
    assert "Eine Person, die ihre Daten gelöscht hat, Teilnehmer*in" in roster, roster
    assert "Rosa, Teilnehmer*in (" in roster, roster


async def test_someone_forgotten_is_not_named_as_going_quiet(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # D20: "/uebersicht" named the erased learner, in English, as not there at the end.
    await open_circle(chat, core, {"Tom": True, "Rosa": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week())
    await play_week(chat, core, clock, 2, Week())
    before = await chat.say("Amina", "/digest")
    assert "Tom" in before, before  # quiet for two check-ins, as Rosa is
    await chat.say("Tom", "/forget")
    assert "everything about you is deleted" in await chat.say("Tom", "yes")
    after = await chat.say("Amina", "/digest")
    assert "Circle member" not in after and "Rosa" in after, after


async def test_someone_forgotten_is_named_in_the_readers_words_in_the_export(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walk dede 23: after VERGESSEN the German export's roster and attendance files named
    her "Circle member", in English, where /teilnehmende says who she is."""
    await open_circle(chat, core, {"Tom": True, "Rosa": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Tom", "Rosa"), ratings={"Tom": 4}))
    await play_week(chat, core, clock, 2, Week(came=("Tom",), ratings={"Tom": 5}))
    await chat.say("Tom", "/forget")
    assert "everything about you is deleted" in await chat.say("Tom", "yes")
    await chat.say("Amina", "/language de")
    [reply] = await handle(chat, "Amina", "/export")
    files = {a.filename: a.data.decode("utf-8-sig") for a in reply.attachments}
    for text in files.values():
        assert "Circle member" not in text, text
    roster = next(text for name, text in files.items() if name.endswith("roster.csv"))
    assert "Eine Person, die ihre Daten gelöscht hat" in roster, roster
