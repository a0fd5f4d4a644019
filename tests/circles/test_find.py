"""Finding a circle without a code: a facilitator lists a circle (private by default), and
/find (FIND NAIROBI by SMS) shows the open ones near a place, on a course or in a language,
nearest and soonest first, joined with one tap or one number; never a join code in a group."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.keywords import plain
from bot.chat.messages import Capabilities, Inbound
from bot.chat.segments import SMS_CAPABILITIES, sms_segments
from bot.circles import discovery
from bot.core import Core
from bot.storage.models import Circle, Membership
from tests.circles.test_editing import ONLINE_CIRCLE
from tests.conftest import DETROIT_CIRCLE, T0, Chat, code_of
from tests.database import open_session
from tests.platforms import PLATFORMS

NAIROBI_CIRCLE = (
    '/newcircle name="Python Nairobi" course="Python for Everybody" '
    'venue="Kenya National Library" city=Nairobi country=KE zone=Africa/Nairobi '
    "start=2026-11-10 time=17:00 meetings=6"
)
MOMBASA_CIRCLE = (
    '/newcircle name="Python Pwani" course="Python for Everybody" '
    'venue="Mombasa Library" city=Mombasa country=KE zone=Africa/Nairobi '
    "start=2026-11-03 time=17:00 meetings=6"
)
SWAHILI_CIRCLE = (
    '/newcircle name="Ujuzi wa Kidijitali" course="Digital Skills" '
    'venue="Kampala Library" city=Kampala country=UG zone=Africa/Kampala '
    "start=2026-10-27 time=16:00 meetings=6 language=sw"
)


async def listed(chat: Chat, facilitator: str, newcircle: str) -> str:
    assert "is ready" in await chat.say(facilitator, newcircle)
    # Answered in the circle's language while the facilitator has chosen none (Kampala's: sw).
    answer = await chat.say(facilitator, "/listing on")
    assert "is listed now" in answer or "sasa kimeorodheshwa" in answer
    return facilitator


async def network(chat: Chat) -> None:
    """Four listed circles: Detroit (English), Nairobi and Mombasa (Kenya, English, Nairobi
    later than Mombasa), Kampala (Swahili, soonest of all)."""
    await listed(chat, "Amina", DETROIT_CIRCLE)
    await listed(chat, "Wanjiru", NAIROBI_CIRCLE)
    await listed(chat, "Baraka", MOMBASA_CIRCLE)
    await listed(chat, "Nakato", SWAHILI_CIRCLE)


def names_in_order(text: str) -> list[str]:
    return [
        line.split(". ", 1)[1].split(",", 1)[0]
        for line in text.splitlines()
        if line[:1].isdigit() and ". " in line
    ]


async def test_a_new_circle_is_private_until_listed(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    assert "is private" in await chat.say("Amina", "/listing")
    assert "No circle is open" in await chat.say("Brian", "/find")
    assert "is listed now" in await chat.say("Amina", "/listing on")
    assert names_in_order(await chat.say("Brian", "/find")) == ["Python for Everyone"]
    assert "is private now" in await chat.say("Amina", "/listing off")
    assert "I found no open circle for “Detroit”" in await chat.say("Brian", "/find Detroit")


async def test_only_facilitators_list_a_circle(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", f"/join {await code_of(core, 'Python for Everyone')}")
    assert "Only a facilitator" in await chat.say("Brian", "/listing on")


async def test_find_by_city_shows_that_city_then_its_country_then_the_rest(chat: Chat) -> None:
    await network(chat)
    answer = await chat.say("Grace", "/find Nairobi")
    assert answer.startswith("Open circles: Nairobi")
    # Nairobi; then Kenya (Mombasa); then the rest, soonest first (Kampala before Detroit).
    assert names_in_order(answer) == [
        "Python Nairobi",
        "Python Pwani",
        "Ujuzi wa Kidijitali",
        "Python for Everyone",
    ]


async def test_a_city_with_no_circle_yet_gets_the_nearest_by_time_zone(chat: Chat) -> None:
    """No coordinates: Lagos has a time zone of its own, whose city is nearer Kampala than
    Nairobi (and Nairobi than Detroit)."""
    await network(chat)
    answer = await chat.say("Tunde", "/find Lagos")
    assert answer.startswith("Lagos: no open circle yet. Open circles elsewhere:")
    assert names_in_order(answer) == [
        "Ujuzi wa Kidijitali",
        "Python Pwani",
        "Python Nairobi",
        "Python for Everyone",
    ]


async def test_find_by_country_in_any_language(chat: Chat) -> None:
    await network(chat)
    for asked in ("Kenya", "KE", "kenia"):
        answer = await chat.say("Grace", f"/find {asked}")
        # Kenya first, soonest first (Mombasa meets a week before Nairobi).
        assert names_in_order(answer)[:2] == ["Python Pwani", "Python Nairobi"], asked


async def test_find_by_language_shows_only_that_language(chat: Chat) -> None:
    await network(chat)
    for asked in ("Swahili", "kiswahili", "sw"):
        answer = await chat.say("Grace", f"/find {asked}")
        assert answer.startswith("Open circles in Swahili:"), asked
        assert names_in_order(answer) == ["Ujuzi wa Kidijitali"]


async def test_find_by_course(chat: Chat) -> None:
    await network(chat)
    answer = await chat.say("Grace", "/find digital skills")
    assert names_in_order(answer) == ["Ujuzi wa Kidijitali"]
    assert len(names_in_order(await chat.say("Grace", "/find python"))) == 3


async def test_an_unknown_place_is_answered_with_what_to_try(chat: Chat) -> None:
    await network(chat)
    answer = await chat.say("Grace", "/find Atlantis")
    assert "I found no open circle for “Atlantis”" in answer


async def test_without_a_place_a_member_sees_circles_near_their_own(chat: Chat) -> None:
    await network(chat)
    code = await code_of(chat.core, "Python Pwani")
    assert "Welcome" in await chat.say("Grace", f"/join {code}")
    answer = await chat.say("Grace", "/find")
    # Her own circle is not offered; Kenya's other circle comes first.
    assert names_in_order(answer)[0] == "Python Nairobi"
    assert "Python Pwani" not in names_in_order(answer)


async def test_picking_a_circle_joins_it_without_its_code(chat: Chat, core: Core) -> None:
    await network(chat)
    listing = await chat.say("Grace", "/find Nairobi")
    code = await code_of(core, "Python Nairobi")
    assert code not in listing
    assert "Reply 1 for Python Nairobi" in listing
    welcome = await chat.say("Grace", "1")
    assert welcome.startswith("Welcome to Python Nairobi, Grace!")
    assert "Meeting 1 of 6" in welcome
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle).where(Circle.name == "Python Nairobi"))).one()
        members = (
            await session.exec(select(Membership).where(Membership.circle_id == circle.id))
        ).all()
    assert len(members) == 2


async def test_a_private_circle_cannot_be_joined_by_its_number(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
    answer = await chat.say("Mallory", f"#{circle.id} /find")
    assert "isn't open for sign-ups" in answer
    assert "Welcome" not in answer


async def test_a_passed_signup_deadline_hides_the_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await listed(chat, "Wanjiru", NAIROBI_CIRCLE)
    assert "until the end of" in await chat.say("Wanjiru", "/listing deadline 2026-10-21")
    assert "close after" in await chat.say("Wanjiru", "/listing")
    listing = await chat.say("Grace", "/find Nairobi")
    assert names_in_order(listing) == ["Python Nairobi"]
    # 23:59 on the 21st in Nairobi still counts; midnight does not.
    clock.advance(timedelta(hours=30, minutes=59))  # 23:59 on the 21st in Nairobi
    assert names_in_order(await chat.say("Brian", "/find Nairobi")) == ["Python Nairobi"]
    clock.advance(timedelta(minutes=2))
    assert "No circle is open" in await chat.say("Brian", "/find")
    # The listing Grace was shown earlier no longer joins: its numbers have lapsed (a day,
    # FOUND_KEPT_FOR), and its button says the circle is closed.
    assert "Welcome" not in await chat.say("Grace", "1")
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle))).one()
    assert "isn't open for sign-ups" in await chat.say("Grace", f"#{circle.id} /find")
    assert "That day has passed" in await chat.say("Wanjiru", "/listing deadline 2026-10-01")


async def test_a_circle_with_no_meetings_to_come_or_closed_is_not_shown(
    chat: Chat, clock: FakeClock
) -> None:
    await listed(chat, "Amina", DETROIT_CIRCLE)
    clock.advance(timedelta(days=60))  # every meeting is over
    assert "No circle is open" in await chat.say("Brian", "/find")


async def test_joining_mid_run_is_told_the_next_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await listed(chat, "Amina", DETROIT_CIRCLE)
    # A learner in the group: a meeting held with nobody in it is no group met (issue 16).
    await chat.say("Chioma", "/join " + await code_of(chat.core, "Python for Everyone"))
    clock.advance(timedelta(days=17))  # meetings 1 and 2 (Oct 29, Nov 5) are over
    await chat.say("Brian", "/find Detroit")
    welcome = await chat.say("Brian", "1")
    assert "Meeting 3 of 6" in welcome
    assert "Meeting 1 of 6" not in welcome
    assert "The group has met 2 times already; you'll meet them at meeting 3." in welcome


async def test_find_by_text_message_and_answer_with_a_number(core: Core) -> None:
    chat = Chat(core)
    phone = Chat(core, platform="sms", capabilities=Capabilities(max_text_length=459))
    await network(chat)
    listing = await phone.say("+254700000001", "FIND NAIROBI")
    assert listing.startswith("Open circles: Nairobi")
    # Fewer on SMS, and no room in another country (Kampala, Detroit) for one digit (C19).
    assert names_in_order(listing) == ["Python Nairobi", "Python Pwani"]
    assert "Reply 1 for Python Nairobi" in listing
    welcome = await phone.say("+254700000001", "1")
    assert welcome.startswith("Welcome to Python Nairobi")
    # A bare FIND lists them all; an unknown place is told what to try.
    assert "Open circles" in await phone.say("+254700000002", "find")
    # (Walkthrough sms 20: never "try FIND KENYA", which after FIND KENYA found nothing sends
    # her round in a circle: the way in is a code.)
    nothing = await phone.say("+254700000003", "FIND ATLANTIS")
    assert "ask your library or facilitator for the code, then text JOIN" in nothing
    assert "FIND" not in nothing
    # A sentence that starts with "find" is a message for the facilitator, not a search.
    await phone.say("+254700000001", "/skip")  # the goal question
    await phone.say("+254700000001", "2")  # and whether to share answers
    passed_on = await phone.say("+254700000001", "Find me by the door at six")
    assert "Open circles" not in passed_on and "no open circle" not in passed_on
    assert "Wanjiru" in passed_on


async def test_in_a_group_the_listing_goes_privately_and_shows_no_code(core: Core) -> None:
    chat = Chat(core, platform="telegram")
    await network(chat)
    inbound = Inbound(
        platform="telegram",
        account_id="grace",
        chat_id="-500",
        message_id=uuid.uuid4().hex,
        text="/find Nairobi",
        display_name="Grace",
        is_group=True,
        private_chat_id="grace",
    )
    replies = await core.handle(inbound, Capabilities(max_text_length=4000))
    in_group = [r for r in replies if r.address.chat_id == "-500"]
    assert [r.text for r in in_group] == ["I've sent it to you privately."]
    codes = [await code_of(core, name) for name in ("Python Nairobi", "Python Pwani")]
    for reply in replies:
        assert not any(code in reply.text for code in codes)
        assert not any(code in c.payload for c in reply.choices for code in codes)


async def test_huge_or_odd_input_is_answered(chat: Chat) -> None:
    await network(chat)
    assert "under 100 characters" in await chat.say("Grace", "/find " + "x" * 500)
    assert "I found no open circle" in await chat.say("Grace", "/find ☃☃☃")
    assert "isn't open for sign-ups" in await chat.say("Grace", "#999999999999 /find")
    assert "1 to 500" in await chat.say("Amina", "/listing capacity 99999999999999999999")
    assert "1 to 500" in await chat.say("Amina", "/listing capacity -3")
    assert "1 to 500" in await chat.say("Amina", "/listing capacity twelve")
    assert "not a date" in await chat.say("Amina", "/listing deadline soon")
    assert "Usage" in await chat.say("Amina", "/listing sideways")
    assert "Usage" in await chat.say("Amina", "/listing on please")


async def test_open_circles_for_the_directory(any_engine: AsyncEngine) -> None:
    """The directory's query on SQLite and PostgreSQL: nearest first, filters, no code."""
    clock = FakeClock(T0)
    core = Core(any_engine, clock, random.Random(7), platforms=PLATFORMS)
    chat = Chat(core)
    await network(chat)
    assert "takes 1 learner" in await chat.say("Wanjiru", "/listing capacity 1")
    await chat.say("Grace", "/find Nairobi")
    await chat.say("Grace", "1")
    await chat.say("Brian", "/find Nairobi")
    await chat.say("Brian", "1")  # full: Brian waits
    async with open_session(core) as session:
        near = await discovery.open_circles(session, clock.now(), place="Nairobi")
        swahili = await discovery.open_circles(session, clock.now(), language="Swahili")
        python = await discovery.open_circles(session, clock.now(), course="python", limit=2)
        kenya = await discovery.open_circles(session, clock.now(), place="KE")
    assert [c.name for c in near] == [
        "Python Nairobi",
        "Python Pwani",
        "Ujuzi wa Kidijitali",
        "Python for Everyone",
    ]
    nairobi = near[0]
    assert (nairobi.seats_left, nairobi.waiting, nairobi.full) == (0, 1, True)
    assert near[1].seats_left is None
    assert nairobi.next_meeting.utcoffset() == timedelta(0)
    assert nairobi.country_code == "KE" and nairobi.language == "en"
    assert [c.name for c in swahili] == ["Ujuzi wa Kidijitali"]
    assert [c.name for c in python] == ["Python for Everyone", "Python Pwani"]  # soonest
    assert [c.name for c in kenya][:2] == ["Python Pwani", "Python Nairobi"]
    assert not any(hasattr(c, "join_code") for c in near)
    assert "isn't open for sign-ups" in await chat.say("Grace", "#999999999999 /find")
    await any_engine.dispose()


async def test_find_alone_offers_no_circle_in_another_country_as_if_near(
    chat: Chat, core: Core
) -> None:
    """Walkthrough sms 50: SØG alone from a Copenhagen learner listed a Swahili class in Nairobi
    for one tap (and "1" put her on its waiting list). Nothing near her own circle: she is
    told so, and how to look elsewhere."""
    await network(chat)
    code = await code_of(core, "Python for Everyone")
    assert "Welcome" in await chat.say("Brian", f"/join {code}")

    answer = await chat.say("Brian", "/find")

    assert names_in_order(answer) == []
    assert "No open circle near Detroit right now" in answer
    assert "send /find and a town" in answer
    # Asked for a place, the circles there are listed as before.
    assert names_in_order(await chat.say("Brian", "/find Kenya"))[0] in {
        "Python Nairobi",
        "Python Pwani",
    }


COLOMBIA = "+573001234567"


def parts(replies: list) -> int:
    return sum(sms_segments(reply.text) for reply in replies)


async def test_find_alone_by_text_offers_circles_in_the_phones_own_country_or_online(
    core: Core,
) -> None:
    """C22: BUSCAR alone, from a Colombian number, offered a circle in Kenya, in three SMS
    parts. Without words, a phone is offered the circles in its own country (by its number's
    country code) or online, in at most two parts; nothing abroad as if it were near."""
    chat = Chat(core)
    await network(chat)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    replies = await core.handle(phone.inbound(COLOMBIA, "BUSCAR"), SMS_CAPABILITIES)
    answer = "\n".join(reply.text for reply in replies)
    assert names_in_order(answer) == [], answer
    assert "Colombia" in answer and "BUSCAR" in answer, answer
    assert parts(replies) <= 2, answer

    await listed(chat, "Grace", ONLINE_CIRCLE)
    replies = await core.handle(phone.inbound(COLOMBIA, "BUSCAR"), SMS_CAPABILITIES)
    answer = "\n".join(reply.text for reply in replies)
    assert names_in_order(answer) == ["Python Online"], answer
    assert parts(replies) <= 2, answer

    # From a Kenyan number: Kenya's circles and the online one, never Detroit's or Kampala's.
    kenya = "+254700000011"
    replies = await core.handle(phone.inbound(kenya, "BUSCAR"), SMS_CAPABILITIES)
    answer = "\n".join(reply.text for reply in replies)
    found = names_in_order(answer)
    assert found and set(found) <= {"Python Nairobi", "Python Pwani", "Python Online"}, answer
    assert parts(replies) <= 2, answer


LIMA_CIRCLE = (
    '/newcircle name="Inglés básico" course="English for beginners de la BBC" '
    'venue="Biblioteca Municipal de Miraflores, sala 3" city=Lima country=PE '
    "zone=America/Lima start=2026-11-05 time=19:00 meetings=6 language=es"
)


async def test_find_by_text_offers_no_room_abroad_and_reads_a_language_as_a_subject(
    core: Core,
) -> None:
    """C1, C3, C19: BUSCAR LIMA took four parts, with dates in full and a room in Kampala
    listed under "Lima"; BUSCAR INGLES from Peru offered only Kampala's English-speaking
    circle, not Lima's "Inglés básico"; FIND with nothing open in the town asked offered, for
    one digit, a room on another continent. By SMS, in-person circles abroad are not offered."""
    chat = Chat(core)
    await network(chat)
    await listed(chat, "Rosa", LIMA_CIRCLE)
    phone = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    ernesto = "+51987000111"

    replies = await core.handle(phone.inbound(ernesto, "BUSCAR LIMA"), SMS_CAPABILITIES)
    answer = "\n".join(reply.text for reply in replies)
    assert [plain(name) for name in names_in_order(answer)] == ["inglesbasico"], answer
    assert "2026" not in answer and "jueves, 5 nov, 19:00" in answer, answer
    assert parts(replies) <= 2, answer

    replies = await core.handle(phone.inbound(ernesto, "BUSCAR INGLES"), SMS_CAPABILITIES)
    answer = "\n".join(reply.text for reply in replies)
    assert [plain(name) for name in names_in_order(answer)] == ["inglesbasico"], answer

    # From Kampala, nothing open in Lagos: no room in Lima, Detroit or Kenya for one digit.
    replies = await core.handle(phone.inbound("+256700000021", "FIND LAGOS"), SMS_CAPABILITIES)
    answer = "\n".join(reply.text for reply in replies)
    assert names_in_order(answer) == [], answer
    assert "ask your library or facilitator for the code" in answer, answer
    # In an app, a language still lists the circles that speak it, a subject among them.
    assert names_in_order(await chat.say("Grace", "/find English"))[0] in {
        "Python Nairobi",
        "Python Pwani",
        "Python for Everyone",
    }
