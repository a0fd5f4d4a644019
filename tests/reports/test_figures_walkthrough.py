"""The figures facilitators and organizers read, from the walkthroughs of a Detroit librarian
and a facilitator in Dakar (issue 16): a meeting without attendance is "not taken" everywhere
(never 0), retention names the meetings it runs between, a check-in still to go out is not one
nobody answered, a circle nobody has joined shows no empty figures, attendance sheets list only
those who had joined by the meeting, and plurals agree with the number that goes with the verb."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from prompts import checkin as checkin_prompts
from prompts.library import Phase
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.seasons import CIRCLE, Week, handle, open_circle, play_week, starts

FOUR_MEETINGS = DETROIT_CIRCLE.replace("meetings=6", "meetings=4")


async def join(chat: Chat, core: Core, name: str) -> str:
    answer = await chat.say(name, "/join " + await code_of(core, CIRCLE))
    await chat.say(name, "/skip")
    return answer


async def test_the_team_view_says_not_taken_where_nobody_took_attendance(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False})
    answer = await chat.say("Njeri", "/team new Detroit Libraries")
    code = re.search(r"Its code is (\w+)", answer)
    assert code is not None
    assert "is now part of" in await chat.say("Amina", f"/team add {code[1]}")
    await play_week(chat, core, clock, 1, Week())  # nobody took attendance
    await play_week(chat, core, clock, 2, Week(came=("Brian", "Chioma")))
    [reply] = await handle(chat, "Njeri", "/team")
    assert "came: not taken, 2;" in reply.text
    assert "came: 0" not in reply.text
    assert [a.filename for a in reply.attachments] == ["team.png"]  # drawn with a gap


async def test_retention_names_the_meetings_with_attendance_it_runs_between(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False}, FOUR_MEETINGS)
    await play_week(chat, core, clock, 1, Week())
    await play_week(chat, core, clock, 2, Week(came=("Brian", "Chioma")))
    await play_week(chat, core, clock, 3, Week(came=("Brian",)))
    await play_week(chat, core, clock, 4, Week())
    summary = next(
        m.text for m in await chat.deliver() + chat.sent if "Thank you for facilitating" in m.text
    )
    assert (
        "Attendance: meeting 1 not taken, 2 at meeting 2, 1 at meeting 3, meeting 4 not taken"
        in summary
    )
    assert (
        "1 of the 2 learners at meeting 2 came to meeting 3 (50%): the first and latest "
        "meetings with attendance taken."
    ) in summary
    assert "at the first meeting" not in summary


async def test_a_check_in_still_to_go_out_is_not_one_nobody_answered(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False})
    await play_week(chat, core, clock, 1, Week(came=("Brian", "Chioma"), ratings={"Brian": 4}))
    clock.set(starts(2) + timedelta(minutes=5))
    await chat.say("Brian", "/here")
    clock.set(starts(2) + timedelta(hours=3))  # meeting 2's check-in goes tomorrow morning
    digest = await chat.say("Amina", "/digest")
    assert "Last check-in: 1 of 2 answered." in digest  # meeting 1's, not "0 of 2"
    report = await chat.say("Amina", "/report")
    assert "Check-ins: 1 of 2 answered (50%)." in report


async def test_a_circle_nobody_has_joined_shows_no_empty_figures(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {})
    digest = await chat.say("Amina", "/digest")
    assert "Nobody has joined yet; /invite gives an invitation to forward." in digest
    assert "0 yes" not in digest and "0 of 0" not in digest
    clock.set(starts(1) + timedelta(hours=3))  # meeting 1 passes with nobody in the circle
    assert "met once" not in await join(chat, core, "Brian")
    assert "No learners had joined by meeting 1" in await chat.say("Amina", "/attendance 1")
    await play_week(chat, core, clock, 2, Week(came=("Brian",)))
    digest = await chat.say("Amina", "/digest")
    assert "Attendance so far: 1 at meeting 2" in digest  # meeting 1 had nobody to come
    assert "not taken" not in digest and "0 of 0" not in digest
    assert "met once already" in await join(chat, core, "Chioma")


async def test_the_attendance_sheet_lists_only_those_who_had_joined_by_the_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False})
    await play_week(chat, core, clock, 1, Week(came=("Brian",)))
    clock.set(starts(2) + timedelta(hours=3))
    await join(chat, core, "Aisha")  # after meeting 2
    sheet = await chat.say("Amina", "/attendance 2")
    assert "Brian" in sheet and "Chioma" in sheet and "Aisha" not in sheet
    assert await chat.say("Amina", "1 done") == "Saved: 1 of 2 learners came to meeting 2."


async def test_after_the_last_meeting_the_check_in_asks_no_next_week_question(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True})
    clock.set(starts(1) + timedelta(minutes=5))
    await chat.say("Brian", "/here")
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/close")
    assert "is closed" in await chat.say("Amina", "yes")
    await chat.say("Brian", "/checkin")
    question = await chat.say("Brian", "4")
    assert "Thanks" in question
    # One of the closing questions (meeting 1 was the last): no "next week" after the last one.
    closing = [p.text for p in checkin_prompts.QUESTIONS if Phase.FINAL in p.phases]
    assert any(text in question for text in closing)
    assert "next week" not in question


async def test_french_plurals_agree_with_who_came_and_who_answered(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Chioma": False})
    await chat.say("Amina", "/language fr")
    await play_week(chat, core, clock, 1, Week(ratings={"Brian": 4, "Chioma": 2}))
    await play_week(chat, core, clock, 2, Week(ratings={"Brian": 3}))
    await chat.say("Amina", "/attendance 2")
    saved = await chat.say("Amina", "1 fini")
    assert saved == "Enregistré : 1 participant·e sur 2 était présent·e à la réunion 2."
    digest = await chat.say("Amina", "/resume")
    assert "Dernier bilan : 1 sur 2 a répondu." in digest
    report = await chat.say("Amina", "/rapport")
    # Not "3,0, 3,0": the comma is the decimal mark; each average with its meeting (lang 29).
    assert "Note moyenne par réunion (sur 5) : 1 : 3,0 ; 2 : 3,0." in report, report
