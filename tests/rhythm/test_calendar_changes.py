"""A facilitator changes the calendar: /cancel asks first, /uncancel brings a meeting back,
/addmeeting adds one at the end, /skipweek moves a meeting and every later one a week on;
/invite gives an invitation to forward. Members hear each change once; a learner is refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CIRCLE = "Python for Everyone"
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)  # Thursdays 18:00 in Detroit, 6 of them
REFUSED = "Only a facilitator or co-facilitator can use /%s."


async def circle_with_learners(chat: Chat, core: Core) -> str:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for learner in ("Brian", "Chen"):
        assert "Welcome" in await chat.say(learner, f"/join {code}")
    await chat.deliver()
    return code


def texts_to(sent: list, name: str) -> list[str]:
    return [m.text for m in sent if m.address.chat_id == name.casefold()]


async def test_cancel_asks_first_and_tells_everyone_once_on_yes(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)
    question = await chat.say("Amina", "/cancel 3")
    assert question == (
        "Cancel meeting 3 of Python for Everyone (Thursday, November 12, 2026 at 6:00 PM "
        "(EST))? Everyone in the circle will be told.\nReply 1 for Yes or 2 for No."
    )
    assert await chat.say("Amina", "no") == "OK, meeting 3 stays as it is."
    assert await chat.deliver() == []
    assert "cancelled" not in await chat.say("Brian", "/schedule")

    await chat.say("Amina", "/cancel 3")
    assert (
        await chat.say("Amina", "maybe") == "Please answer yes or no.\nReply 1 for Yes or 2 for No."
    )
    assert await chat.say("Amina", "1") == "Meeting 3 is cancelled. I'm letting 2 members know."
    sent = await chat.deliver()
    assert texts_to(sent, "Brian") == [
        "Python for Everyone: meeting 3 on Thursday, Nov 12, 6:00 PM won't take place. "
        "Your next meeting is still Thursday, Oct 29, 6:00 PM."
    ]
    assert len(texts_to(sent, "Chen")) == 1
    assert "3. Thursday, November 12, 2026 at 6:00 PM (EST) (cancelled)" in await chat.say(
        "Brian", "/schedule"
    )
    # An invalid meeting is refused at once, without a question.
    assert await chat.say("Amina", "/cancel 3") == "Meeting 3 is already cancelled."
    # A learner's /cancel means "I can't come" (G4, A47).
    assert (await chat.say("Brian", "/cancel 4")).startswith("Can't make it to meeting 4?")


async def test_a_cancelled_meeting_comes_back_and_everyone_hears_each_change(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    to_brian = []
    for step in ("/cancel 4", "yes", "/uncancel 4", "/cancel 4", "yes", "/uncancel 4"):
        answer = await chat.say("Amina", step)
        to_brian += texts_to(await chat.deliver(), "Brian")
        clock.advance(timedelta(minutes=11))  # apart: not gathered (test_sched_schedule_changes)
    assert answer == (
        "Meeting 4 is back on: Thursday, November 19, 2026 at 6:00 PM (EST). "
        "I'm letting 2 members know."
    )
    # Cancelled again after coming back: that is news too, each time once.
    cancelled = "won't take place. Your next meeting is still Thursday, Oct 29, 6:00 PM."
    back = "will take place after all."
    endings = [
        next(end for end in (cancelled, back, text) if text.endswith(end)) for text in to_brian
    ]
    assert endings == [cancelled, back, cancelled, back]
    listing = await chat.say("Brian", "/schedule")
    assert "cancelled" not in listing and "moved" not in listing

    assert await chat.say("Amina", "/uncancel 2") == "Meeting 2 isn't cancelled."
    await chat.say("Amina", "/cancel 1")
    await chat.say("Amina", "yes")
    clock.set(MEETING_1 + timedelta(hours=2))  # over (one under way can still come back)
    assert "time has passed" in await chat.say("Amina", "/uncancel 1")
    assert await chat.say("Brian", "/uncancel 1") == REFUSED % "uncancel"


async def test_a_meeting_under_way_with_attendance_taken_cannot_be_cancelled(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough fac 41: /cancel 1 meant for next week wiped a meeting held in the room."""
    await circle_with_learners(chat, core)
    clock.set(MEETING_1 + timedelta(minutes=40))
    await chat.say("Amina", "/attendance")
    assert await chat.say("Amina", "all done") == "Saved: 2 of 2 learners came to meeting 1."
    refused = await chat.say("Amina", "/cancel 1")
    assert refused.startswith("Meeting 1 is under way and its attendance is taken")
    assert await chat.deliver() == []  # nobody in the room hears it won't take place
    assert "cancelled" not in await chat.say("Brian", "/schedule")


async def test_a_meeting_cancelled_while_under_way_can_come_back_until_it_ends(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await circle_with_learners(chat, core)
    clock.set(MEETING_1 + timedelta(minutes=10))
    await chat.say("Amina", "/cancel 1")
    assert "is cancelled" in await chat.say("Amina", "yes")
    assert (await chat.say("Amina", "/uncancel 1")).startswith("Meeting 1 is back on")


async def test_a_meeting_is_added_after_the_last_one(chat: Chat, core: Core) -> None:
    await circle_with_learners(chat, core)
    assert await chat.say("Amina", "/addmeeting 2026-12-10 18:00") == (
        "Meeting 7 is added: Thursday, December 10, 2026 at 6:00 PM (EST). "
        "I'm letting 2 members know."
    )
    [notice] = texts_to(await chat.deliver(), "Brian")
    assert notice == (
        "Python for Everyone has one more meeting: meeting 7, Thursday, December 10, 2026 at "
        "6:00 PM (EST), Detroit Public Library, Detroit."
    )
    listing = await chat.say("Brian", "/schedule")
    assert listing.endswith("7. Thursday, December 10, 2026 at 6:00 PM (EST)")
    assert "Meeting 1 of 7" in await chat.say("Brian", "/next")
    # Numbers keep following the calendar: a new meeting goes after the last one.
    # A1 (walkthrough 11): said plainly that nothing was added, and when the last one is.
    assert await chat.say("Amina", "/addmeeting 2026-11-20 18:00") == (
        "Nothing was added: a new meeting can only come after the last one, meeting 7 on "
        "Thursday, December 10, 2026 at 6:00 PM (EST). To move a meeting to that day instead, use "
        "/reschedule NUMBER DATE TIME."
    )
    assert listing == await chat.say("Brian", "/schedule")  # and nothing was
    assert "already passed" in await chat.say("Amina", "/addmeeting 2026-10-01 18:00")
    assert await chat.say("Brian", "/addmeeting 2026-12-17 18:00") == REFUSED % "addmeeting"


async def test_skipping_a_week_moves_the_rest_and_tells_members_once(
    chat: Chat, core: Core
) -> None:
    await circle_with_learners(chat, core)
    assert (await chat.say("Amina", "/skipweek 3")).startswith("Skip a week in")  # asked first
    answer = await chat.say("Amina", "yes")
    assert answer == (
        "Python for Everyone skips a week: meeting 3 is now Thursday, November 19, 2026 at "
        "6:00 PM (EST), and each meeting after it is a week later too. I'm letting 2 members "
        "know."
    )
    assert len(texts_to(await chat.deliver(), "Brian")) == 1
    listing = await chat.say("Brian", "/schedule")
    assert "2. Thursday, November 5, 2026 at 6:00 PM (EST)\n" in listing
    assert "3. Thursday, November 19, 2026 at 6:00 PM (EST)\n" in listing
    assert listing.endswith("6. Thursday, December 10, 2026 at 6:00 PM (EST)")
    assert "moved" not in listing  # the rhythm moved on, no meeting left it
    # A meeting moved off its new slot is "moved"; back on it, it isn't.
    await chat.say("Amina", "/reschedule 4 2026-11-27 18:00")
    assert "(moved)" in await chat.say("Brian", "/schedule")
    await chat.say("Amina", "/reschedule 4 2026-11-26 18:00")
    assert "(moved)" not in await chat.say("Brian", "/schedule")
    # The last meeting alone: a shorter notice.
    await chat.say("Amina", "/skipweek 6")
    assert (await chat.say("Amina", "yes")).startswith(
        "Python for Everyone skips a week: meeting 6 is now Thursday, December 17, 2026"
    )
    assert await chat.say("Brian", "/skipweek 2") == REFUSED % "skipweek"


async def test_invite_is_one_message_to_forward(chat: Chat, core: Core, clock: FakeClock) -> None:
    code = await circle_with_learners(chat, core)
    core.join_links["telegram"] = "https://t.me/circlebot?start={code}"
    await chat.say("Amina", "/edit course Python for Everybody https://www.py4e.com")
    replies = await core.handle(chat.inbound("Amina", "/invite"), chat.capabilities)
    assert [r.text for r in replies] == [
        "Here is an invitation to Python for Everyone. Forward it as it is to anyone you'd "
        "like to join:",
        "Join us in Python for Everyone, a learning circle: we take the online course Python "
        "for Everybody together.\n"
        "The course: https://www.py4e.com\n"
        "First meeting: Thursday, October 29, 2026 at 6:00 PM (EDT), Detroit Public Library, "
        "Detroit.\n"
        # Walkthrough 8 (sms 3, fac 1): forwarded, it never says "the bot this comes from".
        f"To join from a chat app, send /join {code} to the circle's bot: ask Amina for its "
        "name.\n"
        f"On Telegram, one tap joins: https://t.me/circlebot?start={code}\n"
        f"By SMS, text JOIN {code} to the circle's number: ask Amina for it.",
        "For a basic phone, this shorter one fits in one text message:",
        # One text: with no number to give, "a learning circle" makes room for "ask Amina".
        "Python for Everyone. First meeting Thursday, Oct 29, 6:00 PM, Detroit Public Library. "
        f"To join, text JOIN {code} to the circle's number (ask Amina).",
    ]
    clock.set(MEETING_1 + timedelta(days=1))
    assert "Next meeting: Thursday, November 5, 2026" in await chat.say("Amina", "/invite")
    assert await chat.say("Brian", "/invite") == REFUSED % "invite"


async def test_the_short_invitation_with_an_accented_name_is_one_text(
    chat: Chat, core: Core
) -> None:
    """Walkthrough C16: "Inglés básico 2" made the "one text" invitation UCS-2, two parts, and
    it had left out the venue for that. Written as phones write it, it is one part, venue kept."""
    await circle_with_learners(chat, core)
    await chat.say("Amina", "/language es")
    for edit in ("name Inglés básico 2", "language es", "venue Biblioteca de Miraflores"):
        await chat.say("Amina", "/edit " + edit)
        await chat.say("Amina", "1")  # "yes" where an edit asks first
    replies = await core.handle(chat.inbound("Amina", "/invite"), chat.capabilities)
    said, short = replies[-2].text, replies[-1].text
    assert said == "Para un celular sencillo, esta versión más corta cabe en un solo SMS:"
    assert short.startswith("Inglés basico 2. Primera reunion ")
    assert "Biblioteca de Miraflores" in short and sms_segments(short) == 1


async def test_the_invitation_names_the_bot_and_the_number_to_text(chat: Chat, core: Core) -> None:
    """Adapters register whom people write to when they start (Core.reach): the invitation
    names the Telegram bot and the number to text, instead of "the bot this comes from"."""
    code = await circle_with_learners(chat, core)
    core.join_links["telegram"] = "https://t.me/circlebot?start={code}"
    core.reach["telegram"] = ("@circlebot",)
    core.reach["discord"] = ("Circlebot",)
    core.reach["sms"] = ("+13135550100",)
    [_, invitation, _, _] = await core.handle(chat.inbound("Amina", "/invite"), chat.capabilities)
    assert "the bot this comes from" not in invitation.text
    assert invitation.text.endswith(
        f"On Discord, send /join {code} to Circlebot\n"
        f"On Telegram, one tap joins: https://t.me/circlebot?start={code} "
        f"(or send /join {code} to @circlebot)\n"
        f"By SMS, text JOIN {code} to +13135550100"
    )


async def test_the_number_to_text_is_the_one_in_the_circles_country(chat: Chat, core: Core) -> None:
    """Two gateways, two numbers: a Detroit circle is given the US one. No number (a messaging
    service): the keyword alone, as before."""
    code = await circle_with_learners(chat, core)
    core.reach["sms"] = ("+254711082000", "+13135550100")
    [_, invitation, *_] = await core.handle(chat.inbound("Amina", "/invite"), chat.capabilities)
    assert invitation.text.endswith(f"By SMS, text JOIN {code} to +13135550100")
    core.reach["sms"] = ()
    [_, invitation, *_] = await core.handle(chat.inbound("Amina", "/invite"), chat.capabilities)
    assert invitation.text.endswith(
        f"By SMS, text JOIN {code} to the circle's number: ask Amina for it."
    )


async def test_the_texted_join_word_is_in_the_circles_language(chat: Chat, core: Core) -> None:
    """A French circle's invitation, asked for by a facilitator reading English: it is
    forwarded to the circle's people, so it is in French, the word to text included."""
    await chat.say("Amina", "/language fr")
    assert "est prêt" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/language en")
    code = await code_of(core, CIRCLE)
    core.reach["sms"] = ("+13135550100",)
    [_, invitation, *_] = await core.handle(chat.inbound("Amina", "/invite"), chat.capabilities)
    assert invitation.text.endswith(f"Par SMS, envoyez REJOINDRE {code} au +13135550100")


async def test_by_sms_the_invitation_is_for_phones_and_short(core: Core) -> None:
    core.join_links["telegram"] = "https://t.me/circlebot?start={code}"
    core.reach["telegram"] = ("@circlebot",)
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    assert "is ready" in await sms.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    # Walkthrough 8 (sms 4): by SMS, the one-text version, to forward to basic phones.
    [_, invitation] = await core.handle(sms.inbound("Amina", "/invite"), SMS_CAPABILITIES)
    assert invitation.text.endswith(
        f"To join, text JOIN {code} to the circle's number (ask Amina)."
    )
    assert "/join" not in invitation.text and "t.me" not in invitation.text
    # Where and which course, in two parts at most (walk sms 2: one part had room for neither).
    assert sms_segments(invitation.text) <= 2
    assert "Detroit Public Library" in invitation.text and "Python for Everybody" in invitation.text
    # With a number to text, it is named, and the invitation stays as short.
    core.reach["sms"] = ("+13135550100",)
    [_, invitation] = await core.handle(sms.inbound("Amina", "/invite"), SMS_CAPABILITIES)
    assert invitation.text.endswith(f"To join, text JOIN {code} to +13135550100")
    assert "/join" not in invitation.text and "circlebot" not in invitation.text
    assert sms_segments(invitation.text) <= 2


async def test_an_online_circles_short_invitation_names_its_zone(chat: Chat, core: Core) -> None:
    """Walk 14, lang 28: "Nächstes Treffen Mittwoch, 19. Mai, 18:00, online" for a circle anyone
    anywhere may join: whose 18:00?"""
    await chat.say(
        "Amina", DETROIT_CIRCLE.replace("Detroit Public Library", "https://meet.jit.si/py")
    )
    replies = await core.handle(chat.inbound("Amina", "/invite"), chat.capabilities)
    short = replies[-1].text
    assert "6:00 PM (EDT)" in short, short
