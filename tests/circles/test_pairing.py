"""Pairing: one person across the console, Telegram and SMS.

/link gives a one-time code; "LINK <code>" (or /link <code>) from another platform attaches that
account to the same person, with their circles, answers, portfolio and language. /unlink detaches
one again, /prefer chooses where proactive messages go. Bad codes get a clear answer and link
nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Inbound, LengthUnit, Outbound
from bot.core import Core
from bot.dialogue.people import preferred_account
from bot.storage.models import (
    Account,
    CheckIn,
    Letter,
    LinkCode,
    Membership,
    Person,
    Reflection,
    Role,
)
from tests.conftest import DETROIT_CIRCLE, T0, Chat, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)  # Thursday 18:00 in Detroit
CHECKIN_1 = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)  # the next day, 10:00 in Detroit
GOAL = "Automate the spreadsheets at my job."

CAPABILITIES = {
    "console": Capabilities(max_text_length=4000),
    "telegram": Capabilities(max_text_length=4096, length_unit=LengthUnit.UTF16, files=True),
    "sms": Capabilities(max_text_length=1600),
}


@dataclass(frozen=True)
class Who:
    """One account on one platform, as its adapter would describe the sender."""

    platform: str
    account_id: str
    name: str | None = None  # SMS gives no name


BRIAN_TG = Who("telegram", "1001", "Brian")
BRIAN_SMS = Who("sms", "+254700000001")
AMINA_SMS = Who("sms", "+254700000002")
BRIAN_CONSOLE = Who("console", "brian", "Brian")  # what Chat.say("Brian", ...) writes as
AMINA_CONSOLE = Who("console", "amina", "Amina")


async def handle(core: Core, who: Who, text: str, message_id: str | None = None) -> list[Outbound]:
    inbound = Inbound(
        platform=who.platform,
        account_id=who.account_id,
        chat_id=who.account_id,
        message_id=message_id or uuid.uuid4().hex,
        text=text,
        display_name=who.name,
    )
    return await core.handle(inbound, CAPABILITIES[who.platform])


async def say(core: Core, who: Who, text: str) -> str:
    return "\n".join(reply.text for reply in await handle(core, who, text))


def code_in(reply: str) -> str:
    found = re.search(r"LINK ([A-Z0-9]+)", reply)
    assert found, reply
    return found[1]


async def new_code(core: Core, who: Who) -> str:
    return code_in(await say(core, who, "/link"))


async def account(core: Core, who: Who) -> Account:
    async with open_session(core) as session:
        return (
            await session.exec(
                select(Account).where(
                    Account.platform == who.platform, Account.external_id == who.account_id
                )
            )
        ).one()


async def owner(core: Core, who: Who) -> int:
    return (await account(core, who)).person_id


async def rows(core: Core, model: type) -> list:
    async with open_session(core) as session:
        return list((await session.exec(select(model))).all())


async def start_circle(chat: Chat, core: Core) -> str:
    """Amina's Detroit circle on the console; its join code."""
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    return await code_of(core, CIRCLE)


async def join(core: Core, who: Who, code: str) -> None:
    assert "Welcome" in await say(core, who, f"/join {code}")
    if who.name is None:  # SMS gives no name: it is asked first, then the goal
        assert "skipped" in await say(core, who, "/skip")
    assert "skipped" in await say(core, who, "/skip")


async def check_in(core: Core, who: Who, rating: str, words: str) -> None:
    """Answer the check-in the tick has asked."""
    assert "Thanks, got it!" in await say(core, who, rating)
    assert "Thank you for sharing" in await say(core, who, words)


async def link(core: Core, keep: Who, other: Who) -> str:
    """`other` sends the code `keep` got; the answer."""
    return await say(core, other, f"LINK {await new_code(core, keep)}")


# --- /link: the code ------------------------------------------------------------------------------


async def test_link_lists_the_accounts_and_gives_a_code_for_ten_minutes(core: Core) -> None:
    answer = await say(core, BRIAN_TG, "/link")
    assert "Your accounts:\n- Telegram, last used" in answer
    assert "within 10 minutes" in answer
    [row] = await rows(core, LinkCode)
    assert row.code == code_in(answer)
    assert row.person_id == await owner(core, BRIAN_TG)
    assert row.expires_at == T0 + timedelta(minutes=10)


async def test_five_codes_an_hour_then_a_pause(core: Core, clock: FakeClock) -> None:
    codes = []
    for _ in range(5):
        codes.append(await new_code(core, BRIAN_TG))
        clock.advance(timedelta(minutes=1))
    answer = await say(core, BRIAN_TG, "/link")
    assert "several codes in an hour" in answer
    assert "LINK" not in answer
    # The last code given still works.
    assert "Linked!" in await say(core, BRIAN_SMS, f"LINK {codes[-1]}")
    clock.set(T0 + timedelta(hours=1, minutes=1))
    assert "LINK" in await say(core, BRIAN_TG, "/link")


# --- Linking: history follows ---------------------------------------------------------------------


async def test_sms_linked_to_telegram_keeps_the_history(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Brian joins on Telegram with a goal and checks in; then pairs his phone."""
    code = await start_circle(chat, core)
    assert "Welcome" in await say(core, BRIAN_TG, f"/join {code}")
    await say(core, BRIAN_TG, GOAL)
    await say(core, BRIAN_TG, "yes")
    clock.set(CHECKIN_1)
    await core.tick()
    await check_in(core, BRIAN_TG, "4", "The loops finally made sense.")
    await say(core, BRIAN_TG, "/reflect")
    await say(core, BRIAN_TG, "My neighbour showed me how to read an error.")

    await say(core, BRIAN_SMS, "/start")
    sms_person = await owner(core, BRIAN_SMS)
    answer = await say(core, BRIAN_SMS, f"link {(await new_code(core, BRIAN_TG)).lower()}")
    assert "Linked! You're Brian here too" in answer
    assert "- Telegram" in answer and "- SMS" in answer

    brian = await owner(core, BRIAN_TG)
    assert await owner(core, BRIAN_SMS) == brian
    async with open_session(core) as session:
        assert await session.get(Person, sms_person) is None  # the phone's empty person is gone
    assert {m.person_id for m in await rows(core, Membership) if m.role == Role.LEARNER} == {brian}
    [checkin] = await rows(core, CheckIn)
    assert (checkin.person_id, checkin.rating) == (brian, 4)
    assert {r.person_id for r in await rows(core, Reflection)} == {brian}

    # By SMS he is in the circle, with the same record.
    assert "Python for Everyone\nMeeting 2 of 6" in await say(core, BRIAN_SMS, "/next")
    [by_telegram] = await handle(core, BRIAN_TG, "/portfolio")
    [by_sms] = await handle(core, BRIAN_SMS, "/portfolio")
    # By SMS the same summary, without a file to talk of, and how to get the whole record.
    summary = by_telegram.text.split("\n", 1)[1]
    assert by_sms.text.startswith("Your portfolio, in short:\n" + summary)
    assert "whole record as a file" in by_sms.text and "Files not shown" not in by_sms.text
    [record] = by_telegram.attachments
    markdown = record.data.decode("utf-8")
    assert GOAL in markdown and "The loops finally made sense." in markdown

    listing = await say(core, BRIAN_SMS, "/link")
    assert "- Telegram, last used" in listing and "- SMS, last used" in listing


async def test_slash_link_with_the_code_works_as_well(core: Core) -> None:
    code = await new_code(core, BRIAN_TG)
    assert "Linked!" in await say(core, BRIAN_SMS, f"/link {code.lower()}")
    assert await owner(core, BRIAN_SMS) == await owner(core, BRIAN_TG)


async def test_the_language_follows_the_person(core: Core) -> None:
    await say(core, BRIAN_TG, "/start")
    await say(core, BRIAN_SMS, "/start")
    async with open_session(core) as session:
        phone_person = await session.get_one(Person, await owner(core, BRIAN_SMS))
        phone_person.locale = "sw"
        session.add(phone_person)
        await session.commit()
    answer = await link(core, BRIAN_TG, BRIAN_SMS)
    assert "Linked!" not in answer  # said in Swahili, the language the phone's person chose
    assert await owner(core, BRIAN_SMS) == await owner(core, BRIAN_TG)
    async with open_session(core) as session:
        brian = await session.get_one(Person, await owner(core, BRIAN_TG))
    assert brian.locale == "sw"


async def test_linking_two_people_in_the_same_circle_keeps_both_answers(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Brian joined twice, on the console and on Telegram, and checked in from both."""
    code = await start_circle(chat, core)
    await join(core, BRIAN_CONSOLE, code)
    await join(core, BRIAN_TG, code)
    clock.set(CHECKIN_1)
    await core.tick()
    await check_in(core, BRIAN_CONSOLE, "4", "Loops made sense.")
    clock.advance(timedelta(minutes=5))
    await check_in(core, BRIAN_TG, "2", "I got lost in the functions.")

    assert "Linked!" in await link(core, BRIAN_CONSOLE, BRIAN_TG)
    brian = await owner(core, BRIAN_CONSOLE)
    assert await owner(core, BRIAN_TG) == brian
    learners = [m for m in await rows(core, Membership) if m.role == Role.LEARNER]
    assert [m.person_id for m in learners] == [brian]
    [checkin] = await rows(core, CheckIn)
    assert checkin.person_id == brian
    assert "Loops made sense." in checkin.answer
    assert "I got lost in the functions." in checkin.answer
    assert checkin.rating == 2  # the later rating


async def test_linking_keeps_the_stronger_role(chat: Chat, core: Core) -> None:
    """Amina also joined her own circle from her phone, as a learner."""
    code = await start_circle(chat, core)
    await join(core, AMINA_SMS, code)
    assert "Linked!" in await link(core, AMINA_SMS, AMINA_CONSOLE)
    amina = await owner(core, AMINA_CONSOLE)
    assert await owner(core, AMINA_SMS) == amina
    [membership] = await rows(core, Membership)
    assert (membership.person_id, membership.role) == (amina, Role.FACILITATOR)


async def test_linking_people_in_different_circles_keeps_both_circles(
    chat: Chat, core: Core
) -> None:
    code = await start_circle(chat, core)
    await join(core, BRIAN_CONSOLE, code)
    await say(
        core,
        Who("console", "wanjiru", "Wanjiru"),
        '/newcircle name="Reading Club" course="Digital Skills" venue="KNLS Nairobi" '
        "city=Nairobi country=KE zone=Africa/Nairobi start=2026-11-10 time=17:00 meetings=6",
    )
    await join(core, BRIAN_SMS, await code_of(core, "Reading Club"))
    assert "Linked!" in await link(core, BRIAN_SMS, BRIAN_CONSOLE)
    brian = await owner(core, BRIAN_SMS)
    learners = [m for m in await rows(core, Membership) if m.role == Role.LEARNER]
    assert sorted(m.person_id for m in learners) == [brian, brian]


# --- Bad codes link nothing -----------------------------------------------------------------------


async def test_an_expired_code_is_refused(core: Core, clock: FakeClock) -> None:
    await say(core, BRIAN_SMS, "/start")
    code = await new_code(core, BRIAN_TG)
    clock.advance(timedelta(minutes=11))
    answer = await say(core, BRIAN_SMS, f"LINK {code}")
    assert "That code has expired" in answer
    assert await owner(core, BRIAN_SMS) != await owner(core, BRIAN_TG)


async def test_a_used_code_is_refused(core: Core) -> None:
    code = await new_code(core, BRIAN_TG)
    assert "Linked!" in await say(core, BRIAN_SMS, f"LINK {code}")
    other = Who("sms", "+254700000099")
    answer = await say(core, other, f"LINK {code}")
    assert "That code was already used" in answer
    assert await owner(core, other) != await owner(core, BRIAN_TG)


async def test_a_wrong_code_is_refused(core: Core) -> None:
    await new_code(core, BRIAN_TG)
    answer = await say(core, BRIAN_SMS, "LINK ZZZZZZ")
    assert "I don't know the code ZZZZZZ" in answer
    assert await owner(core, BRIAN_SMS) != await owner(core, BRIAN_TG)


async def test_wrong_codes_slow_the_account_down(core: Core, clock: FakeClock) -> None:
    code = await new_code(core, BRIAN_TG)
    for guess in ("AAAAAA", "BBBBBB", "CCCCCC", "DDDDDD", "EEEEEE"):
        assert "I don't know the code" in await say(core, BRIAN_SMS, f"LINK {guess}")
    answer = await say(core, BRIAN_SMS, f"LINK {code}")  # even the right one, for now
    assert "Please wait" in answer
    assert await owner(core, BRIAN_SMS) != await owner(core, BRIAN_TG)
    clock.advance(timedelta(minutes=15))  # the pause is over; a fresh code works
    assert "Linked!" in await link(core, BRIAN_TG, BRIAN_SMS)


async def test_sending_your_own_code_from_the_same_account_is_refused(core: Core) -> None:
    code = await new_code(core, BRIAN_TG)
    answer = await say(core, BRIAN_TG, f"LINK {code}")
    assert "That code is for this account already" in answer
    [row] = await rows(core, LinkCode)
    assert row.used_at is None
    assert len(await rows(core, Account)) == 1


async def test_a_new_code_replaces_the_unused_one(core: Core) -> None:
    first = await new_code(core, BRIAN_TG)
    second = await new_code(core, BRIAN_TG)
    assert "That code has expired" in await say(core, BRIAN_SMS, f"LINK {first}")
    assert "Linked!" in await say(core, BRIAN_SMS, f"LINK {second}")


# --- /unlink --------------------------------------------------------------------------------------


async def test_unlink_detaches_the_account_and_the_history_stays(chat: Chat, core: Core) -> None:
    code = await start_circle(chat, core)
    await join(core, BRIAN_TG, code)
    await link(core, BRIAN_TG, BRIAN_SMS)
    answer = await say(core, BRIAN_TG, "/unlink sms")
    assert "Your SMS account is no longer linked" in answer
    brian = await owner(core, BRIAN_TG)
    assert await owner(core, BRIAN_SMS) != brian
    learners = [m for m in await rows(core, Membership) if m.role == Role.LEARNER]
    assert [m.person_id for m in learners] == [brian]
    assert "You're not in a circle yet" in await say(core, BRIAN_SMS, "/next")


async def test_the_last_account_cannot_be_unlinked(core: Core) -> None:
    await link(core, BRIAN_TG, BRIAN_SMS)
    assert "no longer linked" in await say(core, BRIAN_SMS, "/unlink telegram")
    answer = await say(core, BRIAN_SMS, "/unlink sms")
    assert "That's your only account" in answer
    assert len({a.person_id for a in await rows(core, Account)}) == 2


async def test_unlink_of_a_platform_you_have_not_linked_is_explained(core: Core) -> None:
    await link(core, BRIAN_TG, BRIAN_SMS)
    assert "no linked account there" in await say(core, BRIAN_TG, "/unlink discord")
    assert "I don't know the platform fax" in await say(core, BRIAN_TG, "/unlink fax")
    assert await owner(core, BRIAN_SMS) == await owner(core, BRIAN_TG)


# --- Where a person is reached --------------------------------------------------------------------


async def reached_at(core: Core, who: Who) -> str | None:
    async with open_session(core) as session:
        found = await preferred_account(session, await owner(core, who))
        return found.platform if found else None


async def set_account(core: Core, who: Who, **values: object) -> None:
    async with open_session(core) as session:
        row = await session.get_one(Account, (await account(core, who)).id)
        for field, value in values.items():
            setattr(row, field, value)
        session.add(row)
        await session.commit()


async def test_the_account_used_last_is_preferred(core: Core, clock: FakeClock) -> None:
    await link(core, BRIAN_TG, BRIAN_SMS)
    assert await reached_at(core, BRIAN_TG) == "sms"
    clock.advance(timedelta(minutes=1))
    await say(core, BRIAN_TG, "/help")
    assert await reached_at(core, BRIAN_TG) == "telegram"


async def test_prefer_chooses_the_account(core: Core, clock: FakeClock) -> None:
    await link(core, BRIAN_TG, BRIAN_SMS)
    answer = await say(core, BRIAN_SMS, "/prefer telegram")
    assert "reminders and check-ins come to you on Telegram" in answer
    clock.advance(timedelta(minutes=1))
    await say(core, BRIAN_SMS, "/help")  # used later, still not chosen
    assert await reached_at(core, BRIAN_SMS) == "telegram"


async def test_an_unreachable_account_falls_back_to_the_other(core: Core) -> None:
    await link(core, BRIAN_TG, BRIAN_SMS)
    await say(core, BRIAN_SMS, "/prefer sms")
    await set_account(core, BRIAN_SMS, reachable=False)
    assert await reached_at(core, BRIAN_TG) == "telegram"


async def test_an_opted_out_account_is_never_used(core: Core) -> None:
    await link(core, BRIAN_TG, BRIAN_SMS)
    await say(core, BRIAN_TG, "/prefer sms")
    await set_account(core, BRIAN_SMS, opted_out=True)
    assert await reached_at(core, BRIAN_TG) == "telegram"
    await set_account(core, BRIAN_TG, reachable=False)
    assert await reached_at(core, BRIAN_TG) is None


async def test_prefer_an_unreachable_account_says_the_other_is_used(core: Core) -> None:
    await link(core, BRIAN_TG, BRIAN_SMS)
    await set_account(core, BRIAN_SMS, reachable=False)
    answer = await say(core, BRIAN_TG, "/prefer sms")
    assert "I can't reach you there right now" in answer
    assert await reached_at(core, BRIAN_TG) == "telegram"


# --- A facilitator on a paired phone --------------------------------------------------------------


async def test_a_facilitator_takes_attendance_by_sms(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    code = await start_circle(chat, core)
    await join(core, BRIAN_TG, code)
    assert "Only a facilitator or co-facilitator can use /attendance" in await say(
        core, AMINA_SMS, "/attendance"
    )
    assert "Linked!" in await link(core, AMINA_CONSOLE, AMINA_SMS)
    clock.set(MEETING_1 + timedelta(hours=1))
    sheet = await say(core, AMINA_SMS, "/attendance")
    assert "Who came to meeting 1" in sheet
    assert "[ ] 1. Brian" in sheet
    assert "[x] 1. Brian" in await say(core, AMINA_SMS, "1")


async def join_with_goal(core: Core, who: Who, code: str, goal: str) -> None:
    assert "Welcome" in await say(core, who, f"/join {code}")
    if who.name is None:  # SMS gives no name: it is asked first, then the goal
        assert "What do you hope" in await say(core, who, "Brian")
    await say(core, who, goal)
    await say(core, who, "yes")


async def test_linking_two_people_in_the_same_circle_keeps_both_goals(
    chat: Chat, core: Core
) -> None:
    code = await start_circle(chat, core)
    await join_with_goal(core, BRIAN_CONSOLE, code, GOAL)
    await join_with_goal(core, BRIAN_SMS, code, "Learn enough to help my daughter.")
    assert "Linked!" in await link(core, BRIAN_CONSOLE, BRIAN_SMS)
    [goal] = await rows(core, Reflection)
    assert goal.person_id == await owner(core, BRIAN_CONSOLE)
    assert GOAL in goal.text and "Learn enough to help my daughter." in goal.text


async def test_a_letter_written_from_the_phone_follows_the_link(chat: Chat, core: Core) -> None:
    """Brian wrote an encouragement letter as his SMS self, then pairs the phone."""
    code = await start_circle(chat, core)
    await join(core, BRIAN_SMS, code)
    async with open_session(core) as session:
        circle_id = (await session.exec(select(Membership.circle_id))).first()
        assert circle_id is not None
        session.add(
            Letter(
                circle_id=circle_id,
                author_id=await owner(core, BRIAN_SMS),
                signature="Brian",
                city="Detroit",
                country_code="US",
                language="en",
                text="You will get there, one loop at a time.",
                created_at=T0,
            )
        )
        await session.commit()
    assert "Linked!" in await link(core, BRIAN_TG, BRIAN_SMS)
    [letter] = await rows(core, Letter)
    assert letter.author_id == await owner(core, BRIAN_TG)


async def test_link_in_a_group_is_refused_and_shows_no_code(core: Core) -> None:
    """A code posted in a group would let anyone there become you."""
    inbound = Inbound(
        platform="telegram",
        account_id="1001",
        chat_id="-500",
        message_id=uuid.uuid4().hex,
        text="/link",
        display_name="Brian",
        is_group=True,
        private_chat_id="1001",
    )
    [reply] = await core.handle(inbound, CAPABILITIES["telegram"])
    assert "private chat" in reply.text
    async with open_session(core) as session:
        assert (await session.exec(select(LinkCode))).all() == []


async def test_an_organizer_role_follows_the_person_when_accounts_merge(core: Core) -> None:
    from bot.storage.models import TeamOrganizer

    # Brian organizes a team from Telegram and, as a separate person so far, from SMS as well.
    assert "organizer" in await say(core, BRIAN_TG, "/team new Detroit Libraries")
    assert "organizer" in await say(core, BRIAN_SMS, "/team new Wayne County Libraries")
    await say(core, BRIAN_SMS, "/team weekly on")
    assert "Linked!" in await link(core, BRIAN_TG, BRIAN_SMS)
    person = await owner(core, BRIAN_TG)
    assert await owner(core, BRIAN_SMS) == person
    organizers = await rows(core, TeamOrganizer)
    assert [row.person_id for row in organizers] == [person, person]
    assert [row.weekly_summary for row in organizers] == [False, True]
    # From either account he sees both teams.
    view = await say(core, BRIAN_TG, "/team")
    assert "Detroit Libraries" in view and "Wayne County Libraries" in view


async def test_a_new_phone_links_with_the_spanish_word_and_hears_spanish(
    chat: Chat, core: Core
) -> None:
    """Walkthrough lang 80: from a new phone (no language yet) "VINCULAR 4YJBGM" got "I didn't
    catch that", and LINK's confirmation came in English to someone who had chosen Spanish."""
    code = await start_circle(chat, core)
    assert "Welcome" in await say(core, BRIAN_TG, f"/join {code}")
    await say(core, BRIAN_TG, "/language es")
    await say(core, BRIAN_TG, "/skip")

    answer = await say(core, BRIAN_SMS, f"VINCULAR {await new_code(core, BRIAN_TG)}")

    assert "Brian" in answer and "Linked!" not in answer
    assert "¡Listo, vinculado! Aquí también eres Brian" in answer
