"""Facilitator walkthrough findings on setting a circle up (fac 28-46, theme T5b)."""

from __future__ import annotations

import re

from bot.core import Core
from tests.circles.test_editing import circle_with_members
from tests.circles.test_find import NAIROBI_CIRCLE, listed
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.rhythm.test_two_way import NEWS, detroit, to


async def test_a_listing_deadline_on_a_weekday_is_the_coming_one(chat: Chat) -> None:
    # fac 42: T0 is Tuesday 20 October 2026 in Nairobi; "friday" is the 23rd, not a day past
    # or one counted from the server's own calendar.
    await listed(chat, "Wanjiru", NAIROBI_CIRCLE)
    answer = await chat.say("Wanjiru", "/listing deadline friday")
    assert "October 23" in answer or "23 October" in answer, answer
    answer = await chat.say("Wanjiru", "/listing deadline next friday")
    assert "October 23" in answer or "23 October" in answer, answer


async def test_a_course_link_without_https_is_the_link_not_part_of_the_title(
    chat: Chat, core: Core
) -> None:
    # fac 43: /newcircle takes a link without https://; /edit course does too.
    await circle_with_members(chat, core)
    answer = await chat.say(
        "Amina", "/edit course Excel for Beginners (GCF) edu.gcfglobal.org/en/excel"
    )
    assert answer == (
        "The course is now Excel for Beginners (GCF), https://edu.gcfglobal.org/en/excel"
    )
    # A dotted word that is part of a course's name stays in its title.
    answer = await chat.say("Amina", "/edit course Intro to Node.js")
    assert answer == "The course is now Intro to Node.js, https://edu.gcfglobal.org/en/excel"


async def test_online_with_the_link_to_come_keeps_no_sentence_as_the_place(chat: Chat) -> None:
    # fac 36: "online", then "I don't have the zoom link yet": online for now, the link later.
    await chat.say("Amina", "/newcircle")
    await chat.say("Amina", "Job Search Skills")
    await chat.say("Amina", "Job Search Basics")
    await chat.say("Amina", "skip")
    assert "Please send the meeting link" in await chat.say("Amina", "online")
    answer = await chat.say("Amina", "I don't have the zoom link yet")
    assert "No link yet" in answer and "/edit link" in answer
    for typed in ("Detroit", "US", "America/Detroit", "2026-10-29", "18:00", "skip"):
        await chat.say("Amina", typed)
    ready = await chat.say("Amina", "skip")
    assert "is ready" in ready
    assert "zoom link" not in ready and "Online (link to come)" in ready
    await chat.say("Amina", "/edit link https://meet.jit.si/jobs")
    assert "Where: online at https://meet.jit.si/jobs\n" in await chat.say("Amina", "/edit")


async def test_a_circles_join_code_given_for_a_team_says_which_code_goes_there(
    chat: Chat, core: Core
) -> None:
    # fac 33: Amina, organizer of a team, types her circle's join code instead of the team's.
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    found = re.search(r"Its code is (\w+)", await chat.say("Amina", "/team new Detroit Libraries"))
    assert found is not None
    answer = await chat.say("Amina", f"/team add {await code_of(core, 'Python for Everyone')}")
    assert answer == (
        "That's the join code of Python for Everyone, for its learners. To add it to "
        f"Detroit Libraries, send /team add {found[1]}"
    )
    assert "now part of Detroit Libraries" in await chat.say("Amina", f"/team add {found[1]}")


async def test_the_digest_time_in_plain_words_as_for_reminders(chat: Chat) -> None:
    # fac 35: "/reminders 24 hours and 1 hour" is read; so is "/rhythm digest 2 days".
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "Your digest: 2 days before" in await chat.say("Amina", "/rhythm digest 2 days")
    assert "Your digest: 12 hours before" in await chat.say("Amina", "/rhythm digest 12 hours")


async def test_an_announcement_promises_a_pass_on_only_to_whom_it_works_for(
    chat: Chat, core: Core
) -> None:
    # fac 28: Dede co-facilitates and announces; Amina's words after it are hers, not passed
    # on, so her copy says nothing about replying. Brian's copy still does.
    await detroit(chat, core, "Brian", "Dede")
    assert "co-facilitates" in await chat.say("Amina", "/cofacilitator Dede")
    await chat.deliver()
    await chat.say("Dede", f"/announce {NEWS}")
    assert "Sent to 2 members" in await chat.say("Dede", "1")
    sent = await chat.deliver()
    [to_amina] = to(sent, "amina")
    [to_brian] = to(sent, "brian")
    assert NEWS in to_amina and "Reply here" not in to_amina
    assert "(Reply here and I'll pass it on to Dede.)" in to_brian


async def test_a_new_language_for_a_circle_with_members_is_asked_about_first(
    chat: Chat, core: Core
) -> None:
    # fac 34: members who never chose a language would suddenly read Spanish: she is told,
    # and asked, before it changes.
    await circle_with_members(chat, core)
    asked = await chat.say("Amina", "/edit language Spanish")
    assert asked.startswith(
        "Members of Python for Everyone who haven't chosen their own language will get every "
        "message in Spanish from now on. Change it?"
    )
    assert await chat.say("Amina", "no") == "OK, Python for Everyone still speaks English."
    await chat.say("Amina", "/edit language Spanish")
    assert await chat.say("Amina", "yes") == "Python for Everyone now speaks Spanish."


async def test_every_unreadable_detail_of_a_one_line_newcircle_is_said_at_once(
    chat: Chat,
) -> None:
    # fac 46: a past start and a bad time: both said in one answer, not one per try.
    line = DETROIT_CIRCLE.replace("2026-10-29", "2026-10-19").replace("18:00", "25:00")
    answer = await chat.say("Amina", line)
    lines = answer.splitlines()
    assert lines[0] == "Please fix these, then send the whole line again:"
    assert lines[1].startswith("start: ") and "past" in lines[1]
    assert lines[2].startswith("time: “25:00”")
