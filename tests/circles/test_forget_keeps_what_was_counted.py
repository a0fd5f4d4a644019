"""A learner's /forget after the circle has ended: the circle's figures stay as counted (their
letter, the SMS their phone took, the check-ins asked, their course rating), while what singles
them out goes from the facilitator's files (lang 23, fac 37, dada 19); and one taken off with
/remove is not "a learner who left" (fac 24b)."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.messages import Outbound
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.network.survey import AFTER_THE_END
from tests.circles.test_walk8_forget_keeps_counts import TWO_WEEKS
from tests.conftest import Chat, code_of
from tests.letters.test_letters import write
from tests.network.test_survey import delivered
from tests.seasons import CIRCLE, Week, handle, open_circle, play_week, starts


def line_of(report: str, start: str) -> str:
    return next(line for line in report.split("\n") if line.startswith(start))


async def test_an_erased_learners_dates_leave_the_export(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Lang 23: the roster still gave the erased learner's join, leave and return dates,
    which name her at a glance; her place in the counts stays, without them."""
    await open_circle(chat, core, {"Tom": True, "Rosa": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Tom", "Rosa"), ratings={"Tom": 4}))
    await chat.say("Tom", "/leave")
    await chat.say("Tom", "yes")
    clock.set(starts(2) - timedelta(hours=3))
    await chat.say("Tom", "/join " + await code_of(core, CIRCLE))
    await play_week(chat, core, clock, 2, Week(came=("Tom",), ratings={"Tom": 5}))
    [reply] = await handle(chat, "Amina", "/export")
    roster = _roster(reply)
    assert "Tom" in roster and "2026-" in roster.split("Tom", 1)[1].split("\n")[0], roster

    await chat.say("Tom", "/forget")
    assert "everything about you is deleted" in await chat.say("Tom", "yes")
    [reply] = await handle(chat, "Amina", "/export")
    roster = _roster(reply)
    [gone] = [line for line in roster.split("\n") if line.startswith("Someone who deleted")]
    assert "2026-" not in gone and "came back" not in gone, roster
    assert ",learner," in gone, gone  # still counted as one
    rosa = next(line for line in roster.split("\n") if line.startswith("Rosa"))
    assert "2026-" in rosa, roster


def _roster(reply: Outbound) -> str:
    files = {a.filename: a.data.decode("utf-8-sig") for a in reply.attachments}
    return next(text for name, text in files.items() if name.endswith("roster.csv"))


async def test_a_letter_still_travelling_is_still_counted_after_its_writer_forgets(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Fac 37: "Letters: 1 written" became 0 after its writer's /forget, though she was told
    her letter still travels without her name."""
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await play_week(chat, core, clock, 2, Week(came=("Brian",)))
    await write(chat, "Brian")
    await chat.say("Amina", "/letters approve 1")
    assert "Letters: 1 written by your learners" in await chat.say("Amina", "/report")
    asked = await chat.say("Brian", "/forget")
    assert "still travels" in asked
    assert "everything about you is deleted" in await chat.say("Brian", "yes")
    assert "Letters: 1 written by your learners" in await chat.say("Amina", "/report")


async def test_an_sms_learners_forget_keeps_the_circles_sms_and_check_in_figures(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Dada 19: after FORGET, "SMS: 30 segments sent" became 0 and "Check-ins: 0 of 5" became
    "0 of 6"."""
    code = await open_circle(chat, core, {}, TWO_WEEKS)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)

    async def text(words: str) -> None:
        await core.answer(phone.inbound("+254700000001", words), phone)

    await text(f"JOIN {code}")
    await text("Ahmed")
    await text("/skip")
    await text("2")
    for number in (1, 2):
        clock.set(starts(number) - timedelta(hours=24))
        await core.tick()
        await phone.deliver()
        await text("YES")
        clock.set(starts(number) + timedelta(days=1, hours=2))
        await core.tick()
        while await phone.deliver():
            pass
    await text("FORGET")
    await phone.deliver()  # the question "Delete it all?" reached his phone too
    before = await chat.say("Amina", "/report")
    assert "SMS: 0 " not in before, before
    await text("YES")
    after = await chat.say("Amina", "/report")
    for start in ("SMS:", "Check-ins:", "1 learner"):
        assert line_of(after, start) == line_of(before, start), after


async def test_an_erased_learners_course_rating_still_counts(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Dada 19: the course left /courses when its only rater used FORGET; the rating is a
    number, kept as the others are."""
    await open_circle(chat, core, {"Brian": True}, TWO_WEEKS)
    clock.set(starts(2) + timedelta(hours=2))
    await core.tick()
    await delivered(chat)
    clock.set(starts(2) + timedelta(hours=2) + AFTER_THE_END)
    await core.tick()
    await delivered(chat)
    assert "Did you reach your goal?" in await chat.say("Brian", "4")
    await chat.say("Brian", "2")
    await chat.say("Brian", "1")
    await chat.say("Brian", "Do the exercises twice.")
    assert "will reach the next circles" in await chat.say("Brian", "1")
    assert "Python for Everybody (en): 1 circle" in await chat.say("Dana", "/courses")
    await chat.say("Brian", "/forget")
    assert "everything about you is deleted" in await chat.say("Brian", "yes")
    assert "Python for Everybody (en): 1 circle" in await chat.say("Dana", "/courses")


async def test_someone_taken_off_before_the_first_meeting_is_not_a_learner_who_left(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Fac 24b: "2 learners in the circle now. 1 has left." counted a spammer taken off with
    /remove before the circle first met."""
    await open_circle(chat, core, {"Tom": True, "Rosa": True, "Spam": False}, TWO_WEEKS)
    await chat.say("Amina", "/remove Spam")
    assert "Spam is off" in await chat.say("Amina", "yes")
    await play_week(chat, core, clock, 1, Week(came=("Tom", "Rosa")))
    await play_week(chat, core, clock, 2, Week(came=("Tom", "Rosa")))
    report = await chat.say("Amina", "/report")
    assert "2 learners in the circle now." in report, report
    assert "has left" not in report, report
