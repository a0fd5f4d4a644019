"""/forget erases a person everywhere their name or words were copied (issue 17).

A learner plants a marker in every field they can fill: their name, a goal, a check-in answer,
a reflection, an announcement reply, a text passed on by SMS, two letters (one delivered, one
still waiting) with their signatures, and a team they created. The tick derives digests,
previews and relay copies from them, the dispatcher sends some and leaves others waiting; then
the learner asks to be forgotten, and every row of every table is searched for the marker.
"""

from __future__ import annotations

import random
import re
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.messages import Address, Inbound, Outbound
from bot.core import Core
from bot.letters.letters import LetterPolicy
from bot.storage.models import Letter, OutboxMessage, OutboxStatus, Team
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.database import leaks as stored_leaks
from tests.database import open_session
from tests.platforms import PLATFORMS
from tests.seasons import Week, checkin_due, play_week, starts

MARKER = "zqx"  # every planted word starts with it; searched case-insensitively
NAME = "Brian Zqxname"
GOAL = "Zqxgoal: to build a budget app for my family."
# Longer than a digest quotes (200 characters): the digest has it cut short, with "…".
CHECKIN = (
    "Zqxcheckin: loops finally clicked for me this week. I practised at the library twice "
    "and once at home after work, and by Sunday I could read the examples without help. "
    "Zqxcheckin again: next I want to try lists, and maybe write a small program for the shop."
)
REFLECTION = "Zqxreflect: I learn best when someone explains it back to me."
REPLY = "Zqxreply: may I bring my sister along?"
FORWARD = "Zqxforward: running late, save me a seat please."
SIGNATURE = "Brian Zqxsig"
KEPT_TEXT = (
    "Hello from Detroit! Come every week, even when you feel behind. It is snowing here, "
    "and our room is warm — bring a café au lait."
)
WAITING_TEXT = "Zqxletter: the second week is the hardest, and then it gets easier."
WAITING_SIGNATURE = "Zqxsig2"
TEAM = "Zqxname's Reading Network"
DEDE_ANSWER = "Dede enjoyed the exercises."

GLOBAL = Address("console", "global")
NAIROBI = (
    '/newcircle name="Digital Skills" course="Learning How to Learn" venue="KNLS Upper Hill" '
    "city=Nairobi country=KE zone=Africa/Nairobi start=2026-11-17 time=17:00 meetings=6"
)
NAIROBI_FIRST = datetime(2026, 11, 17, 14, 0, tzinfo=UTC)
BRIAN_SMS = "+15550100"


class AnsweringChat(Chat):
    """Answers the way an adapter does (Core.answer): every reply is an outbox row too, so a
    facilitator's /roster or /export is stored like any message."""

    async def say(self, name: str, text: str, **extra: object) -> str:
        return await self.answer(self.inbound(name, text, **extra))

    async def answer(self, inbound: Inbound) -> str:
        before = len(self.sent)
        await self.core.answer(inbound, self)
        return "\n".join(m.text for m in self.sent[before:] if m.address.chat_id == inbound.chat_id)


async def say_by_sms(sms: AnsweringChat, text: str) -> str:
    """Brian texting from his phone: SMS gives no name."""
    return await sms.answer(
        Inbound(
            platform="sms",
            account_id=BRIAN_SMS,
            chat_id=BRIAN_SMS,
            message_id=uuid.uuid4().hex,
            text=text,
        )
    )


async def drain(chat: Chat) -> list[Outbound]:
    sent = []
    while batch := await chat.deliver():
        sent += batch
    return sent


async def tick_and_send(core: Core, chat: Chat, clock: FakeClock, at: datetime) -> None:
    clock.set(at)
    await core.tick()
    await drain(chat)


async def write_letter(chat: Chat, text: str, signature: str) -> int:
    assert "Write to a new circle far away" in await chat.say("Brian", "/letter")
    assert "How should it be signed?" in await chat.say("Brian", text)
    assert "Thank you" in await chat.say("Brian", signature)
    async with open_session(chat.core) as session:
        letter = (await session.exec(select(Letter).where(Letter.text == text))).one()
        assert letter.id is not None
        return letter.id


async def leaks(core: Core) -> list[str]:
    """Every stored value that still holds the marker, as "table #id column: the words"."""
    return await stored_leaks(core, MARKER)


async def season(engine: AsyncEngine, clock: FakeClock) -> tuple[Core, Chat, int]:
    """Brian's season in Detroit, up to the moment he asks to be forgotten. His delivered
    letter's number."""
    core = Core(
        engine,
        clock,
        random.Random(7),
        letter_policy=LetterPolicy(global_channels=(GLOBAL,)),
        platforms=PLATFORMS,
    )
    chat = AnsweringChat(core)
    sms = AnsweringChat(core, platform="sms")
    assert "Nice to meet you" in await chat.say("Brian", f"/name {NAME}")
    assert "is ready" in await chat.say("Amina", DETROIT_CIRCLE)
    code = await code_of(core, "Python for Everyone")
    for name, goal in (("Brian", GOAL), ("Dede", "To learn Python with others.")):
        assert "Welcome" in await chat.say(name, f"/join {code}")
        await chat.say(name, goal)
        await chat.say(name, "yes")  # the facilitator may read their written answers
    assert "is ready" in await chat.say("Wanjiru", NAIROBI)
    await chat.say("Otieno", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Otieno", "/skip")

    # A team named after him, with Amina's and Wanjiru's circles in it.
    found = re.search(r"Its code is (\w+)", await chat.say("Brian", f"/team new {TEAM}"))
    assert found is not None
    for facilitator in ("Amina", "Wanjiru"):  # Wanjiru never shared a circle with him
        assert "is now part of" in await chat.say(facilitator, f"/team add {found[1]}")

    # An announcement, and his reply to it; a text by SMS from a linked phone.
    await chat.say("Amina", "/announce Bring your laptops on Thursday.")
    assert "Sent to" in await chat.say("Amina", "1")
    await drain(chat)
    assert "passed that on" in await chat.say("Brian", REPLY)
    linking = await chat.say("Brian", "/link")
    pairing = re.search(r"LINK (\w+)", linking)
    assert pairing is not None
    await say_by_sms(sms, f"/link {pairing[1]}")
    assert "passed that on" in await say_by_sms(sms, FORWARD)
    await drain(chat)

    # Week 1: he comes and answers; the digest before meeting 2 quotes him (sent).
    await play_week(
        chat,
        core,
        clock,
        1,
        Week(
            yes=("Brian", "Dede"),
            came=("Brian", "Dede"),
            ratings={"Brian": 5, "Dede": 4},
            answers={"Brian": CHECKIN, "Dede": DEDE_ANSWER},
        ),
    )
    await chat.say("Brian", "/reflect")
    await chat.say("Brian", REFLECTION)
    await tick_and_send(core, chat, clock, starts(2) - timedelta(hours=23))
    # Weeks 2 and 3: he goes quiet.
    for number in (2, 3):
        await play_week(chat, core, clock, number, Week(came=("Dede",), ratings={"Dede": 4}))
    await chat.say("Amina", "/attendance")
    await chat.say("Amina", "done")
    await chat.say("Amina", "/roster")
    await chat.say("Amina", "/export")

    # His first letter: reviewed, approved and read at Nairobi's first meeting, and thanked.
    clock.set(checkin_due(3))
    kept = await write_letter(chat, KEPT_TEXT, SIGNATURE)
    assert SIGNATURE in await chat.say("Amina", "/letters")
    assert "approved" in await chat.say("Amina", f"/letters approve {kept}")
    await drain(chat)
    await tick_and_send(core, chat, clock, NAIROBI_FIRST - timedelta(hours=2))
    await tick_and_send(core, chat, clock, NAIROBI_FIRST)
    assert SIGNATURE in await chat.say("Otieno", f"/thanks {kept}")
    await drain(chat)

    # The digest before meeting 4 names him as quiet (sent); week 4 he stays away.
    await tick_and_send(core, chat, clock, starts(4) - timedelta(hours=23))
    await play_week(chat, core, clock, 4, Week(came=("Dede",), ratings={"Dede": 5}))

    # Still waiting when he asks to be forgotten: a second letter's review notice, and the
    # digest before meeting 5 that names him again.
    await write_letter(chat, WAITING_TEXT, WAITING_SIGNATURE)
    assert WAITING_SIGNATURE in await chat.say("Amina", "/letters")
    clock.set(starts(5) - timedelta(hours=23))
    await core.tick()
    return core, chat, kept


async def test_forget_leaves_nothing_of_the_person_in_any_table(
    any_engine: AsyncEngine, clock: FakeClock
) -> None:
    core, chat, kept = await season(any_engine, clock)
    before = await leaks(core)
    tables = {leak.split(" ", 1)[0] for leak in before}
    assert {"person", "reflection", "checkin", "letter", "outboxmessage", "team"} <= tables
    planted = {word for leak in before for word in re.findall(r"Zqx\w*", leak)}
    every_field = "Zqxname Zqxgoal Zqxcheckin Zqxreflect Zqxreply Zqxforward Zqxsig Zqxletter"
    assert set(every_field.split()) | {WAITING_SIGNATURE} <= planted
    rows = await chat.outbox()
    assert any(row.status == OutboxStatus.SENT and "Zqxname" in row.payload["text"] for row in rows)
    waiting = [r for r in rows if r.status == OutboxStatus.PENDING and r.kind == "digest"]
    assert waiting and all("meetings): Brian Zqxname." in r.payload["text"] for r in waiting)
    assert all("send /reply Brian and a few words." in r.payload["text"] for r in waiting)

    assert "Delete it all?" in await chat.say("Brian", "/forget")
    assert "everything about you is deleted" in await chat.say("Brian", "yes")

    left = await leaks(core)
    assert left == [], "\n".join(left)

    # What others were sent still reads: Dede's words stay, and the digest that was waiting
    # still goes to Amina, without his name.
    sent = await drain(chat)
    [digest] = [m.text for m in sent if m.address.chat_id == "amina" and "How " in m.text]
    assert "meetings): [name deleted]." in digest and "Brian" not in digest
    # Nothing can be replied to him: the digest's hint to write to him goes too.
    assert "/reply" not in digest and "friendly word" not in digest, digest
    rows = await chat.outbox()
    assert any(DEDE_ANSWER in row.payload["text"] for row in rows if row.kind == "digest")
    # The delivered letter keeps its words, signed by a learner in Detroit, in every copy.
    copies = [row.payload["text"] for row in rows if KEPT_TEXT in row.payload["text"]]
    assert copies and all("a learner in Detroit" in text for text in copies)
    assert "- a learner in Detroit" in await chat.say("Wanjiru", "/letters")
    async with open_session(core) as session:
        letter = await session.get_one(Letter, kept)
        assert (letter.author_id, letter.signature, letter.text) == (None, "", KEPT_TEXT)
        [team] = (await session.exec(select(Team))).all()
        assert team.name == "Reading Network"  # without his surname, still with its circles
        waiting_notices = (
            await session.exec(
                select(OutboxMessage).where(col(OutboxMessage.kind) == "letter-review")
            )
        ).all()
        assert all(WAITING_TEXT not in row.payload["text"] for row in waiting_notices)


async def test_the_facilitator_of_a_finished_circle_may_forget_themself(
    chat: Chat, clock: FakeClock
) -> None:
    from tests.conftest import DETROIT_CIRCLE as ONE_LINE

    await chat.say("Amina", ONE_LINE)
    assert "can't delete you yet" in await chat.say("Amina", "/forget")
    clock.set(datetime(2026, 12, 31, tzinfo=UTC))  # after the sixth and last meeting
    assert "can't delete you yet" not in await chat.say("Amina", "/forget")
    assert "everything about you is deleted" in await chat.say("Amina", "1")
