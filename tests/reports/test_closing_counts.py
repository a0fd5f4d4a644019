"""The closing summary counts only the check-ins that have gone out: the last meeting's goes the
next morning, after the summary."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.seasons import Week, open_circle, play_week, starts

TWO_MEETINGS = DETROIT_CIRCLE.replace("meetings=6", "meetings=2")


async def test_the_closing_summary_does_not_count_the_last_check_in_before_it_goes_out(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False}, TWO_MEETINGS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma"), ratings={"Brian": 4}))
    # Nobody ticks the last meeting's sheet: the summary goes 12 hours after its end, at 8:30
    # the next morning, before that meeting's check-in (10:00).
    clock.set(starts(2) + timedelta(hours=14))
    await core.tick()
    [summary] = [m for m in await chat.deliver() if "Thank you for facilitating" in m.text]
    assert "Check-ins: 1 of 2 answered (50%)." in summary.text


async def test_the_closing_summary_counts_the_answers_to_learners_texts_among_its_sms(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """The SMS figure is what the learners' phones received: the reminders and check-ins, and
    the answers to what they texted (the welcome, "see you there"...), left out before."""
    code = await open_circle(chat, core, {"Brian": True}, TWO_MEETINGS)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)

    async def text(words: str) -> None:
        await core.answer(phone.inbound("+254700000001", words), phone)

    await text(f"JOIN {code}")
    await text("Grace")
    await text("/skip")
    await text("2")
    for number in (1, 2):
        clock.set(starts(number) - timedelta(hours=24))
        await core.tick()
        await phone.deliver()
        await text("YES")
    clock.set(starts(2) + timedelta(hours=3))  # the last meeting is over
    await core.tick()
    while await phone.deliver():  # everything queued reaches the phone before the summary
        pass
    answers = [m for m in phone.sent if (m.idempotency_key or "").startswith("reply|")]
    assert len(answers) >= 5, [m.text for m in phone.sent]
    received = sum(sms_segments(m.text) for m in phone.sent)
    clock.set(starts(2) + timedelta(hours=14))  # the summary, nobody having ticked the sheet
    await core.tick()
    [summary] = [m for m in await chat.deliver() if "Thank you for facilitating" in m.text]
    assert f"SMS: {received} segments sent to learners' phones." in summary.text, summary.text
    # /report afterwards gives the same figure, not a smaller one (walkthrough ops 22): an
    # operator reconciles the gateway's bill against either.
    replies = await core.handle(chat.inbound("Amina", "/report"), chat.capabilities)
    report = "\n".join(reply.text for reply in replies)
    assert f"SMS: {received} segments sent to learners' phones." in report, report


async def test_a_finished_circles_sms_figure_stays_as_it_was(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C62: two months after the end, /report's SMS figure had grown by what the bot answered
    its former learners' texts (about their other circles)."""
    code = await open_circle(chat, core, {"Brian": True}, TWO_MEETINGS)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)

    async def text(words: str) -> None:
        await core.answer(phone.inbound("+254700000001", words), phone)

    await text(f"JOIN {code}")
    await text("Grace")
    await text("/skip")
    await text("2")
    clock.set(starts(2) + timedelta(hours=14))  # the summary
    await core.tick()
    await chat.deliver()

    async def figure() -> str:
        replies = await core.handle(chat.inbound("Amina", "/report"), chat.capabilities)
        report = "\n".join(reply.text for reply in replies)
        return next(line for line in report.splitlines() if line.startswith("SMS:"))

    before = await figure()
    clock.set(starts(2) + timedelta(days=60))
    for words in ("HELP", "NEXT", "PORTFOLIO"):
        await text(words)
    await phone.deliver()
    assert await figure() == before
