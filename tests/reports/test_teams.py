"""/team: organizers over several circles. Facilitators add their own circle with the team's
code; organizers see only their team's circles, in one message and one chart, and can opt in
to a Monday summary."""

from __future__ import annotations

import io
import random
import re
from datetime import UTC, date, datetime, timedelta

from matplotlib.image import imread
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import OutboxMessage
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS
from tests.seasons import PNG_SIGNATURE, Week, handle, open_circle, play_week, starts

NAIROBI_CIRCLE = (
    '/newcircle name="Kujifunza Pamoja" course="Digital Skills" venue="Kenya National Library" '
    "city=Nairobi country=KE zone=Africa/Nairobi start=2026-10-27 time=18:00 meetings=6"
)
BERLIN_CIRCLE = (
    '/newcircle name="Offene Werkstatt" course="Python lernen" venue="Stadtbibliothek Mitte" '
    "city=Berlin country=DE zone=Europe/Berlin start=2026-10-28 time=18:00 meetings=6"
)
NAIROBI_FIRST = date(2026, 10, 27)
KNLS = "Kenya National Library Service"
RISK = "At risk: learners who missed the last two meetings."


async def new_team(chat: Chat, organizer: str, name: str) -> str:
    answer = await chat.say(organizer, f"/team new {name}")
    assert "you're its organizer" in answer
    found = re.search(r"Its code is (\w+)", answer)
    assert found is not None
    return found[1]


async def three_circles(chat: Chat, core: Core) -> None:
    """Detroit (Amina), Nairobi (Wanjiru) and Berlin (Klara), each with learners."""
    await open_circle(chat, core, {"Brian": True, "Chioma": False, "Dede": True})
    assert "is ready" in await chat.say("Wanjiru", NAIROBI_CIRCLE)
    assert "is ready" in await chat.say("Klara", BERLIN_CIRCLE)
    for name, circle in (("Grace", "Kujifunza Pamoja"), ("Otieno", "Kujifunza Pamoja")):
        await chat.say(name, "/join " + await code_of(core, circle))
        await chat.say(name, "/skip")
    await chat.say("Jonas", "/join " + await code_of(core, "Offene Werkstatt"))
    await chat.say("Jonas", "/skip")


async def play_three_weeks(chat: Chat, core: Core, clock: FakeClock) -> None:
    detroit = (
        Week(came=("Brian", "Chioma", "Dede"), ratings={"Brian": 5, "Chioma": 4, "Dede": 3}),
        Week(came=("Brian", "Chioma"), ratings={"Brian": 4, "Chioma": 4}),
        Week(came=("Brian",), ratings={"Brian": 5}),
    )
    nairobi_came = (("Grace", "Otieno"), ("Grace", "Otieno"), ("Grace",))
    for number in (1, 2, 3):
        clock.set(starts(number, NAIROBI_FIRST, "Africa/Nairobi") + timedelta(minutes=5))
        for name in nairobi_came[number - 1]:
            assert "You're here" in await chat.say(name, "/here")
        await play_week(chat, core, clock, number, detroit[number - 1])


async def test_a_facilitator_adds_their_own_circle_and_nobody_else_can(
    chat: Chat, core: Core
) -> None:
    await three_circles(chat, core)
    code = await new_team(chat, "Njeri", KNLS)
    assert "Only the circle's facilitator can use /team add." in await chat.say(
        "Njeri", f"/team add {code}"
    )  # an organizer cannot pull a circle in
    assert "Only the circle's facilitator can use /team add." in await chat.say(
        "Grace", f"/team add {code}"
    )
    assert "There's no team with the code XYZ2345." in await chat.say(
        "Wanjiru", "/team add XYZ2345"
    )
    assert "Kujifunza Pamoja is now part of Kenya National Library Service" in await chat.say(
        "Wanjiru", f"/team add {code.lower()}"
    )
    assert "already in" in await chat.say("Wanjiru", f"/team add {code}")
    told = [m for m in await chat.deliver() if m.address.chat_id == "njeri"]
    assert ["Kujifunza Pamoja (Nairobi) joined" in m.text for m in told] == [True]


async def test_bad_team_commands_get_a_clear_answer(chat: Chat, core: Core) -> None:
    assert "You don't organize a team yet." in await chat.say("Njeri", "/team")
    assert "Usage: /team" in await chat.say("Njeri", "/team delete everything")
    assert "Usage: /team new NAME\nFor example: /team new" in await chat.say("Njeri", "/team new")
    assert "You don't organize a team yet." in await chat.say("Njeri", "/team weekly on")


async def test_the_team_view_covers_its_circles_in_one_message_and_one_chart(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await three_circles(chat, core)
    code = await new_team(chat, "Njeri", KNLS)
    await chat.say("Amina", f"/team add {code}")
    await chat.say("Wanjiru", f"/team add {code}")
    await play_three_weeks(chat, core, clock)

    [reply] = await handle(chat, "Njeri", "/team")
    text = reply.text
    assert text.startswith("Kenya National Library Service: 2 circles")
    assert (
        "- Python for Everyone (Detroit): 3 of 6 meetings held; 3 learners; came: 3, 2, 1; "
        "1 at risk" in text
    )
    assert (
        "- Kujifunza Pamoja (Nairobi): 3 of 6 meetings held; 2 learners; came: 2, 2, 1; "
        "0 at risk" in text
    )
    assert "Offene Werkstatt" not in text  # not in the team
    assert RISK in text
    assert "Dede" not in text and "Brian" not in text  # numbers only, never names
    [chart] = reply.attachments
    assert chart.filename == "team.png" and chart.data.startswith(PNG_SIGNATURE)
    assert imread(io.BytesIO(chart.data)).shape[:2] == (450, 800)


async def test_organizers_see_only_their_own_teams_circles(chat: Chat, core: Core) -> None:
    await three_circles(chat, core)
    kenya = await new_team(chat, "Njeri", KNLS)
    berlin = await new_team(chat, "Petra", "Berliner Bibliotheken")
    await chat.say("Wanjiru", f"/team add {kenya}")
    await chat.say("Klara", f"/team add {berlin}")
    njeri = await chat.say("Njeri", "/team")
    petra = await chat.say("Petra", "/team")
    assert "Kujifunza Pamoja" in njeri and "Offene Werkstatt" not in njeri
    assert "Offene Werkstatt" in petra and "Kujifunza Pamoja" not in petra
    assert "starts Tuesday, October 27, 2026" in njeri
    assert "Python for Everyone" not in njeri + petra


async def weekly_rows(core: Core) -> list[OutboxMessage]:
    async with open_session(core) as session:
        rows = await session.exec(select(OutboxMessage).where(OutboxMessage.kind == "team-weekly"))
        return list(rows.all())


async def test_the_weekly_summary_comes_once_a_week_to_those_who_opted_in(
    chat: Chat, core: Core, clock: FakeClock, sqlite_engine: AsyncEngine
) -> None:
    await three_circles(chat, core)
    code = await new_team(chat, "Njeri", KNLS)
    await chat.say("Njeri", "/team weekly on")
    await chat.say("Amina", f"/team add {code}")
    await chat.say("Wanjiru", f"/team add {code}")
    assert "Every Monday you'll get a summary" in await chat.say("Njeri", "/team weekly on")
    monday = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    clock.set(monday + timedelta(minutes=1))
    await core.tick()
    await core.tick()
    restarted = Core(sqlite_engine, clock, random.Random(7), platforms=PLATFORMS)
    await restarted.tick()  # a restart: still one
    assert [row.idempotency_key.rsplit("|", 1)[1] for row in await weekly_rows(core)] == [
        "2026-W45"
    ]
    [summary] = [
        m for m in await chat.deliver() if m.address.chat_id == "njeri" and "weekly" in m.text
    ]
    assert summary.text.startswith("Your weekly summary\nKenya National Library Service")
    assert summary.attachments == ()  # the chart comes with /team
    clock.set(monday + timedelta(days=7, hours=1))
    await core.tick()
    assert len(await weekly_rows(core)) == 2
    assert "No more weekly summaries" in await chat.say("Njeri", "/team weekly off")
    clock.set(monday + timedelta(days=14, hours=1))
    await core.tick()
    assert len(await weekly_rows(core)) == 2


async def test_a_facilitator_of_two_circles_picks_which_one_joins(chat: Chat, core: Core) -> None:
    await open_circle(chat, core, {"Brian": True})
    assert "is ready" in await chat.say("Amina", NAIROBI_CIRCLE)
    code = await new_team(chat, "Njeri", KNLS)
    asked = await chat.say("Amina", f"/team add {code}")
    assert "Which circle should join Kenya National Library Service?" in asked
    assert "1 for Kujifunza Pamoja or 2 for Python for Everyone" in asked
    assert "Kujifunza Pamoja is now part of" in await chat.say("Amina", "1")
    njeri = await chat.say("Njeri", "/team")
    assert "Kujifunza Pamoja" in njeri and "Python for Everyone" not in njeri


async def test_an_organizer_who_forgets_themselves_leaves_the_team_behind(
    chat: Chat, core: Core
) -> None:
    await three_circles(chat, core)
    code = await new_team(chat, "Njeri", KNLS)
    await chat.say("Wanjiru", f"/team add {code}")
    await chat.say("Njeri", "/forget")
    assert "everything about you is deleted" in await chat.say("Njeri", "yes")
    assert "You don't organize a team yet." in await chat.say("Njeri", "/team")
    # The circle's facilitator still sees their circle is in the team.
    assert "already in" in await chat.say("Wanjiru", f"/team add {code}")


async def test_a_facilitator_takes_their_circle_out_of_the_team(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await three_circles(chat, core)
    code = await new_team(chat, "Njeri", KNLS)
    await chat.say("Wanjiru", f"/team add {code}")
    await chat.say("Amina", f"/team add {code}")
    await chat.deliver()
    assert "Only the circle's facilitator can use /team leave." in await chat.say(
        "Grace", "/team leave"
    )
    assert "Offene Werkstatt is not part of a team." in await chat.say("Klara", "/team leave")

    answer = await chat.say("Wanjiru", "/team leave")
    assert "Kujifunza Pamoja has left Kenya National Library Service." in answer
    [told] = [m.text for m in await chat.deliver() if m.address.chat_id == "njeri"]
    assert "Kujifunza Pamoja (Nairobi) has left Kenya National Library Service" in told
    view = await chat.say("Njeri", "/team")
    assert "Python for Everyone" in view and "Kujifunza Pamoja" not in view

    # It may come back, and the organizer hears of it again.
    clock.advance(timedelta(minutes=1))
    assert "is now part of" in await chat.say("Wanjiru", f"/team add {code}")
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "njeri"]
    assert ["Kujifunza Pamoja (Nairobi) joined" in text for text in told] == [True]
    assert "Kujifunza Pamoja" in await chat.say("Njeri", "/team")


async def test_a_finished_circle_is_in_one_weekly_summary_as_finished_then_left_out(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Before, every Monday listed the circles that had finished, week after week."""
    taster = NAIROBI_CIRCLE.replace("Kujifunza Pamoja", "Taster")
    taster = taster.replace("meetings=6", "meetings=2")
    assert "is ready" in await chat.say("Wanjiru", taster)  # Oct 27 and Nov 3
    assert "is ready" in await chat.say("Wanjiru", NAIROBI_CIRCLE)  # Oct 27 to Dec 1
    code = await new_team(chat, "Njeri", KNLS)
    await chat.say("Njeri", "/team weekly on")
    for pick in ("1", "2"):
        await chat.say("Wanjiru", f"/team add {code}")
        await chat.say("Wanjiru", pick)

    async def summary_on(monday: datetime) -> str:
        clock.set(monday + timedelta(minutes=1))
        await core.tick()
        [summary] = [m.text for m in await chat.deliver() if m.address.chat_id == "njeri"]
        return summary

    # Monday Nov 2: both running. Nov 9: the taster ended last week, said once.
    assert "Taster (Nairobi): 1 of 2 meetings held" in await summary_on(
        datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    )
    assert "Taster (Nairobi): finished after 2 meetings" in await summary_on(
        datetime(2026, 11, 9, 12, 0, tzinfo=UTC)
    )
    later = await summary_on(datetime(2026, 11, 16, 12, 0, tzinfo=UTC))
    assert "Taster" not in later, later
    assert "Kujifunza Pamoja (Nairobi): 3 of 6 meetings held" in later, later
    assert "Taster" in await chat.say("Njeri", "/team")  # asked for, every circle


async def test_a_circle_finished_after_one_meeting_says_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough fac 48: "finished after 1 meetings"."""
    taster = NAIROBI_CIRCLE.replace("Kujifunza Pamoja", "Taster")
    taster = taster.replace("meetings=6", "meetings=1")
    assert "is ready" in await chat.say("Wanjiru", taster)  # Oct 27
    code = await new_team(chat, "Njeri", KNLS)
    await chat.say("Njeri", "/team weekly on")
    await chat.say("Wanjiru", f"/team add {code}")
    clock.set(datetime(2026, 11, 2, 12, 1, tzinfo=UTC))
    await core.tick()
    [summary] = [m.text for m in await chat.deliver() if m.address.chat_id == "njeri"]
    assert "Taster (Nairobi): finished after 1 meeting;" in summary, summary


async def test_weekly_on_for_a_team_with_nothing_running_says_nothing_will_come_yet(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough fac 48: "Every Monday you'll get a summary" for a team whose only circle had
    finished; no Monday brought one."""
    taster = NAIROBI_CIRCLE.replace("Kujifunza Pamoja", "Taster")
    taster = taster.replace("meetings=6", "meetings=1")
    assert "is ready" in await chat.say("Wanjiru", taster)  # Oct 27
    code = await new_team(chat, "Njeri", KNLS)
    await chat.say("Wanjiru", f"/team add {code}")
    assert "is running" not in await chat.say("Njeri", "/team weekly on")  # not started yet
    clock.set(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))  # a Friday, weeks after it ended
    answer = await chat.say("Njeri", "/team weekly on")
    assert "Every Monday you'll get a summary of Kenya National Library Service." in answer
    assert f"No circle in {KNLS} is running now, so there's nothing to send yet." in answer
