"""/report: the facilitator's chart and summary; the close-out when the last meeting ends."""

from __future__ import annotations

import io
import random
from datetime import timedelta

from matplotlib.image import imread
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.chat import segments
from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Letter, OutboxMessage
from tests.conftest import DETROIT_CIRCLE, Chat
from tests.database import open_session
from tests.platforms import PLATFORMS
from tests.seasons import (
    PNG_SIGNATURE,
    WITH_FILES,
    Week,
    handle,
    open_circle,
    play_week,
    starts,
)

THREE_WEEKS = (
    Week(yes=("Brian", "Chioma", "Dede"), came=("Brian", "Chioma", "Dede"),
         ratings={"Brian": 5, "Chioma": 4, "Dede": 3}),
    Week(yes=("Brian",), no=("Dede",), came=("Brian", "Chioma"), ratings={"Brian": 4, "Chioma": 4}),
    Week(yes=("Brian", "Chioma"), came=("Brian",), ratings={"Brian": 5}),
)  # fmt: skip


async def three_weeks(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False, "Dede": True})
    for number, week in enumerate(THREE_WEEKS, start=1):
        await play_week(chat, core, clock, number, week)


def decoded_png(data: bytes) -> tuple[int, int]:
    """(height, width) of a PNG that really decodes."""
    assert data.startswith(PNG_SIGNATURE)
    pixels = imread(io.BytesIO(data), format="png")
    return pixels.shape[0], pixels.shape[1]


async def test_before_the_first_meeting_the_report_explains_and_draws_nothing(
    chat: Chat, core: Core
) -> None:
    await open_circle(chat, core, {"Brian": True})
    [reply] = await handle(chat, "Amina", "/report")
    assert "hasn't met yet, so there's nothing to report" in reply.text
    assert "Thursday, October 29, 2026 at 6:00 PM" in reply.text
    assert reply.attachments == ()


async def test_the_report_is_a_chart_and_a_summary_of_the_weeks(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await three_weeks(chat, core, clock)
    [reply] = await handle(chat, "Amina", "/report")
    [chart] = reply.attachments
    assert (chart.filename, chart.media_type) == ("report.png", "image/png")
    assert decoded_png(chart.data) == (600, 800)
    assert len(chart.data) > 10_000  # bars, a line, labels: not a blank image

    text = reply.text
    assert "3 learners in the circle now." in text
    assert "3 meetings held of 6." in text
    assert "Attendance: 3 at meeting 1, 2 at meeting 2, 1 at meeting 3" in text
    assert (
        "1 of the 3 learners at meeting 1 came to meeting 3 (33%): the first and latest "
        "meetings with attendance taken."
    ) in text
    assert "Check-ins: 6 of 9 answered (67%)." in text
    assert "Average rating by meeting (of 5): 1: 4.0, 2: 4.0, 3: 5.0." in text
    assert "Letters: 0 written by your learners, 0 received." in text
    # Dede missed meetings 2 and 3; Chioma came to 2.
    assert "May be drifting away (missed the last two meetings): Dede." in text


async def test_the_chart_differs_with_the_data(chat: Chat, core: Core, clock: FakeClock) -> None:
    await three_weeks(chat, core, clock)
    [first] = await handle(chat, "Amina", "/report")
    clock.set(starts(4) + timedelta(minutes=5))
    await chat.say("Chioma", "/here")
    await chat.say("Dede", "/here")
    clock.set(starts(4) + timedelta(hours=2))
    [second] = await handle(chat, "Amina", "/report")
    assert (
        "Attendance: 3 at meeting 1, 2 at meeting 2, 1 at meeting 3, 2 at meeting 4" in second.text
    )
    assert first.attachments[0].data != second.attachments[0].data
    assert decoded_png(second.attachments[0].data) == (600, 800)


async def test_on_sms_the_report_is_the_text_alone(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await three_weeks(chat, core, clock)
    replies = await handle(chat, "Amina", "/report", segments.SMS_CAPABILITIES)
    assert all(reply.attachments == () for reply in replies)
    text = "\n".join(reply.text for reply in replies)
    assert "Attendance: 3 at meeting 1, 2 at meeting 2, 1 at meeting 3" in text
    assert "Check-ins: 6 of 9 answered (67%)." in text


async def test_sms_segments_count_what_the_learners_phones_received(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await open_circle(chat, core, {"Brian": True})
    phone = Chat(core, platform="sms", capabilities=segments.SMS_CAPABILITIES)
    # The replies to her own texts count too: they reach her phone as much as the reminders
    # (walkthrough 8, sms 34: the report left out about half).
    answered = [
        *await handle(phone, "+254700000001", f"/join {code}"),
        *await handle(phone, "+254700000001", "/skip"),
    ]
    clock.set(starts(1) - timedelta(hours=24))
    await core.tick()
    clock.set(starts(1) - timedelta(hours=1))
    await core.tick()
    sent = await phone.deliver()
    assert len(sent) == 2  # the two reminders
    [reply] = await handle(chat, "Amina", "/report")  # before the first meeting: no numbers
    assert "nothing to report" in reply.text
    clock.set(starts(1) + timedelta(hours=2))
    [reply] = await handle(chat, "Amina", "/report")
    used = sum(segments.sms_segments(message.text) for message in [*answered, *sent])
    assert used >= 2
    assert f"SMS: {used} segments sent to learners' phones." in reply.text


async def test_learners_cannot_see_the_report(chat: Chat, core: Core, clock: FakeClock) -> None:
    await three_weeks(chat, core, clock)
    answer = await chat.say("Brian", "/report")
    assert "Only a facilitator or co-facilitator can use /report." in answer


# --- the close-out when the last meeting ends ----------------------------------------------

TWO_MEETINGS = DETROIT_CIRCLE.replace("meetings=6", "meetings=2")


async def closing_rows(core: Core) -> list[OutboxMessage]:
    async with open_session(core) as session:
        rows = await session.exec(
            select(OutboxMessage)
            .where(col(OutboxMessage.kind).in_(["closing", "closing-summary"]))
            .order_by(col(OutboxMessage.id))
        )
        return list(rows.all())


async def test_when_the_last_meeting_ends_facilitator_and_learners_hear_once(
    chat: Chat, core: Core, clock: FakeClock, sqlite_engine: AsyncEngine
) -> None:
    chat.capabilities = WITH_FILES  # a chat that shows files (Telegram, Discord)
    await open_circle(chat, core, {"Brian": True, "Chioma": False}, TWO_MEETINGS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma"), ratings={"Brian": 4}))
    clock.set(starts(2) + timedelta(minutes=5))
    await chat.say("Brian", "/here")
    clock.set(starts(2) + timedelta(minutes=35))  # the letter invitation, 30 minutes in
    await core.tick()
    invited = await chat.deliver()
    # Learners' invitations wait for the letter itself; the facilitator's says /letter.
    assert sum("Reply with your letter" in m.text for m in invited) == 2
    assert sum("Send /letter when you're ready" in m.text for m in invited) == 1
    clock.set(starts(2) + timedelta(minutes=91))  # the meeting has ended
    await core.tick()
    await core.tick()  # a second tick over the same time
    again = Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS)  # and a restarted bot
    await again.tick()
    clock.set(starts(2) + timedelta(days=3))
    await again.tick()

    rows = await closing_rows(core)
    assert sorted(row.kind for row in rows) == ["closing", "closing", "closing-summary"]
    delivered = await chat.deliver()
    # (The end-of-circle survey also comes, two days on: bot/network/survey.py.)
    [summary] = [m for m in delivered if m.address.chat_id == "amina" and m.attachments]
    assert "has had its last meeting. Thank you for facilitating it!" in summary.text
    assert "Attendance: 2 at meeting 1, 1 at meeting 2" in summary.text
    [chart] = summary.attachments
    assert chart.data.startswith(PNG_SIGNATURE) and imread(io.BytesIO(chart.data)).ndim == 3
    for name in ("brian", "chioma"):
        [farewell] = [
            m for m in delivered if m.address.chat_id == name and "last meeting" in m.text
        ]
        assert "send /portfolio for your record" in farewell.text
        assert "/letter" not in farewell.text  # the relay already invited them


async def test_after_a_long_stop_the_close_out_invites_only_who_has_not_written(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False}, TWO_MEETINGS)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma")))
    clock.set(starts(2) - timedelta(hours=3))
    # After the midpoint, letters are open.
    assert "Write to a new circle far away" in await chat.say("Chioma", "/letter")
    written = await chat.say("Chioma", "Keep going, the second week is when it clicks. Chioma")
    assert "How should it be signed?" in written
    await chat.say("Chioma", "1")
    # The bot is down from before the last meeting until two days after it.
    clock.set(starts(2) + timedelta(days=2))
    await core.tick()
    delivered = await chat.deliver()
    [brian] = [m for m in delivered if m.address.chat_id == "brian" and "last meeting" in m.text]
    [chioma] = [m for m in delivered if m.address.chat_id == "chioma" and "last meeting" in m.text]
    assert "Send /letter when you're ready to write." in brian.text
    assert "/letter" not in chioma.text
    assert "send /portfolio" in chioma.text
    await core.tick()
    assert len(await closing_rows(core)) == 3


async def test_cancelling_the_last_meeting_after_the_one_before_closes_the_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Meeting 2 of 3 has ended when the facilitator cancels meeting 3: the circle is over, so
    everyone hears the close-out then (with the letter invitation nobody had yet), once."""
    three = DETROIT_CIRCLE.replace("meetings=6", "meetings=3")
    await open_circle(chat, core, {"Brian": True, "Chioma": False}, three)
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma")))
    await play_week(chat, core, clock, 2, Week(came=("Brian",)))
    clock.set(starts(2) + timedelta(days=2))
    await core.tick()
    await chat.deliver()
    assert await closing_rows(core) == []

    await chat.say("Amina", "/cancel 3")
    assert "Meeting 3 is cancelled" in await chat.say("Amina", "yes")
    delivered = await chat.deliver()
    [summary] = [m for m in delivered if "Thank you for facilitating" in m.text]
    assert summary.address.chat_id == "amina"
    assert "Attendance: 2 at meeting 1, 1 at meeting 2" in summary.text
    for name in ("brian", "chioma"):
        [farewell] = [
            m for m in delivered if m.address.chat_id == name and "last meeting" in m.text
        ]
        assert "Send /letter when you're ready to write." in farewell.text
    # Neither the next ticks nor meeting 3's old time send it again.
    for at in (clock.now() + timedelta(minutes=1), starts(3) + timedelta(hours=2)):
        clock.set(at)
        await core.tick()
    assert len(await closing_rows(core)) == 3
    assert not any("last meeting" in m.text for m in await chat.deliver())


async def test_cancelling_a_meeting_with_more_to_come_closes_nothing(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, DETROIT_CIRCLE)
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    await chat.say("Amina", "/cancel 6")
    assert "Meeting 6 is cancelled" in await chat.say("Amina", "yes")
    assert await closing_rows(core) == []


def test_names_with_dollar_signs_are_drawn_as_text() -> None:
    """matplotlib reads "$...$" as math; a circle named "Money $_$ Basics" must still draw."""
    from bot.chat.i18n import Catalogs
    from bot.reports.charts import Series, team_chart
    from locales import LOCALES_DIR

    tr = Catalogs(LOCALES_DIR).translator("en")
    chart = team_chart(tr, "Money $_$ Basics", [Series("Save $5, earn $10", [3, 2, 3])])
    assert decoded_png(chart) == (450, 800)


# --- what /report counts, the same way the digest and the letters count it --------------------


async def test_check_ins_answered_before_the_reminder_count_as_the_digest_counts_them(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Learners may check in with /checkin as soon as the meeting ends, before the check-in
    message goes out the next morning: /report counts them, as /digest does."""
    await open_circle(chat, core, {"Brian": True, "Chioma": False})
    clock.set(starts(1) + timedelta(minutes=5))
    for name in ("Brian", "Chioma"):
        await chat.say(name, "/here")
    clock.set(starts(1) + timedelta(hours=2))  # the meeting is over; the check-in is tomorrow
    for name in ("Brian", "Chioma"):
        await chat.say(name, "/checkin")
        assert "Thanks" in await chat.say(name, "4")
        await chat.say(name, "It went well.")
    assert "Last check-in: 2 of 2 answered." in await chat.say("Amina", "/digest")
    [reply] = await handle(chat, "Amina", "/report")
    assert "No check-ins have gone out yet." not in reply.text
    assert "Check-ins: 2 of 2 answered (100%)." in reply.text


async def test_rejected_and_withdrawn_letters_are_not_counted_as_written(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await three_weeks(chat, core, clock)  # past the midpoint: letters are open
    letter_text = "Keep going, the second week is when it clicks. Greetings from Detroit!"
    for name in ("Brian", "Chioma", "Dede"):
        assert "Write to a new circle far away" in await chat.say(name, "/letter")
        await chat.say(name, letter_text)
        assert "Thank you" in await chat.say(name, "1")
    async with open_session(core) as session:  # written in that order: Brian's is the first
        brian, chioma, _ = (await session.exec(select(Letter.id).order_by(col(Letter.id)))).all()
    assert "joins the pool" in await chat.say("Amina", f"/letters approve {brian}")
    asked = await chat.say("Amina", f"/letters reject {chioma} Please add a word")
    assert "Send it?" in asked  # a rejection reaches its author: asked first
    assert "rejected" in await chat.say("Amina", "1")
    assert "taken back" in await chat.say("Dede", "/letter withdraw")
    [reply] = await handle(chat, "Amina", "/report")
    assert "Letters: 1 written by your learners, 0 received." in reply.text
