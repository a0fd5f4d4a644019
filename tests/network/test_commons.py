"""/share: a link kept for the course, screened like a letter, approved by the facilitator;
tips and links reach others only when shared and approved."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.network import courses
from bot.storage.models import Circle, CourseResource, CourseSurvey, ResourceStatus
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_several_circles import SECOND_CIRCLE
from tests.database import open_session
from tests.network.test_survey import TWO_WEEKS, end_the_circle
from tests.seasons import open_circle


async def resources(core: Core) -> list[CourseResource]:
    async with open_session(core) as session:
        return list((await session.exec(select(CourseResource))).all())


async def test_a_learners_link_waits_for_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, DETROIT_CIRCLE)
    await chat.deliver()
    said = await chat.say("Brian", "/share https://www.py4e.com/lessons Chapter 3, slowly")
    assert "Once your facilitator approves it" in said
    [review] = [m for m in await chat.deliver() if m.address.chat_id == "amina"]
    assert "Brian shared a link" in review.text
    assert "https://www.py4e.com/lessons — Chapter 3, slowly" in review.text
    assert "Reply 1 for Approve or 2 for Reject." in review.text
    [waiting] = await resources(core)
    assert waiting.status == ResourceStatus.REVIEW
    assert "Links waiting for your approval" in await chat.say("Amina", "/share")

    assert "Approved" in await chat.say("Amina", "1")  # the Approve choice, by its number
    [kept] = await resources(core)
    assert kept.status == ResourceStatus.APPROVED
    told = [m for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert "is kept for the next circles" in told[-1].text
    assert "already shared" in await chat.say("Brian", "/share https://py4e.com/lessons/")
    # fac 39: second thoughts a moment later take the approval back, and Brian hears it.
    assert f"Link {kept.id} won't be kept." in await chat.say("Amina", f"/share reject {kept.id}")
    [undone] = await resources(core)
    assert undone.status == ResourceStatus.REJECTED
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "brian"]
    assert any("decided not to keep the link you shared" in text for text in told), told
    assert "already been decided" in await chat.say("Amina", f"/share reject {kept.id}")


async def test_only_facilitators_decide(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, DETROIT_CIRCLE)
    await chat.say("Brian", "/share https://www.py4e.com/lessons")
    [waiting] = await resources(core)
    assert "Only" in await chat.say("Dana", f"/share approve {waiting.id}")
    assert "no shared link" in await chat.say("Amina", "/share approve 12345")
    assert "Usage" in await chat.say("Amina", "/share approve 99999999999999999999")
    [still] = await resources(core)
    assert still.status == ResourceStatus.REVIEW
    # A facilitator's own link needs nobody's approval.
    assert "Kept for Python for Everybody" in await chat.say(
        "Amina", "/share https://docs.python.org/3/tutorial/"
    )


async def test_contact_details_are_held(chat: Chat, core: Core, clock: FakeClock) -> None:
    await open_circle(chat, core, {"Brian": True}, DETROIT_CIRCLE)
    await chat.deliver()
    held = [
        "/share https://www.py4e.com call me on +1 313 555 0172",
        "/share https://www.py4e.com move to WhatsApp for the answers",
        "/share https://wa.me/13135550172",
    ]
    for command in held:
        assert "holding it back" in await chat.say("Brian", command)
    assert {r.status for r in await resources(core)} == {ResourceStatus.HELD}
    assert not [m for m in await chat.deliver() if m.address.chat_id == "amina"]
    # Two reasons read as a list with "and", as letters say them (not "a, b").
    both = await chat.say("Brian", "/share https://wa.me/13135550172 call me on +1 313 555 0172")
    assert " and " in both.split("holding it back")[0], both


async def test_bad_and_huge_input_is_refused_with_nothing_kept(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True}, DETROIT_CIRCLE)
    for command in [
        "/share py4e",
        "/share ftp://files.example.org/x",
        "/share https://" + "a" * 600 + ".org",
        "/share https://www.py4e.com " + "very " * 100,
        "/share " + "x" * 3_900,
        "/share " + "x" * 20_000,
    ]:
        said = await chat.say("Brian", command)
        assert any(
            answer in said for answer in ["https://", "under 200 characters", "too long for me"]
        ), said
    assert await resources(core) == []
    for _ in range(5):
        await chat.say("Brian", f"/share https://example.org/{_}")
    assert "5 links today" in await chat.say("Brian", "/share https://example.org/6")
    assert len(await resources(core)) == 5
    assert "Found something useful" in await chat.say("Brian", "/share")


async def test_only_what_was_agreed_to_travel_and_retention_keeps_only_that(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Brian shares his tip, Dana keeps hers private; a link waits unreviewed. The course's
    record shows Brian's alone. When the circle is anonymised, Dana's tip and the unreviewed
    link go; Brian's tip, nameless, stays."""
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await chat.say("Brian", "/share https://example.org/unreviewed")
    await end_the_circle(chat, core, clock)
    for answer in ["5", "1", "1", "Ask for help early.", "1"]:
        await chat.say("Brian", answer)
    for answer in ["4", "1", "1", "My private tip.", "2"]:
        await chat.say("Dana", answer)
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
        record = await courses.course_record(session, circle.course_id or 0)
    assert record is not None
    assert [tip.text for tip in record.tips] == ["Ask for help early."]
    assert record.resources == ()

    clock.set(clock.now() + timedelta(days=200))
    await core.tick()  # the retention's anonymisation, then the commons' own
    async with open_session(core) as session:
        tips = [s.tip for s in (await session.exec(select(CourseSurvey))).all()]
        record = await courses.course_record(session, circle.course_id or 0)
    assert sorted(tips, key=str) == ["Ask for help early.", None]  # Dana's is gone
    assert await resources(core) == []
    assert record is not None and [tip.text for tip in record.tips] == ["Ask for help early."]


async def test_courses_lists_what_circles_took(chat: Chat, core: Core, clock: FakeClock) -> None:
    assert "No circle has taken a course yet" in await chat.say("Zoe", "/courses")
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "4")
    listed = await chat.say("Zoe", "/courses python")
    assert "too few to rank yet" in listed
    # One learner's rating is never shown as the course's (B11).
    assert "Python for Everybody (en): 1 circle, 50% came back\n" in listed + "\n"
    assert "rated" not in listed
    assert "Brian" not in listed and "Amina" not in listed
    assert "No circle has taken a course about “knitting” yet." in await chat.say(
        "Zoe", "/courses knitting"
    )
    assert "under 60 characters" in await chat.say("Zoe", "/courses " + "x" * 3000)


async def test_a_numbered_link_is_reached_without_a_circle_question(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 39: Joseph, running two circles, sent /share reject 1 and was asked which circle,
    though link 1 belongs to one."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", SECOND_CIRCLE)
    await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Brian", "/share https://www.py4e.com/lessons")
    [link] = await resources(core)
    answer = await chat.say("Amina", f"/share reject {link.id}")
    assert answer == f"Python for Everyone: Link {link.id} won't be kept.", answer
