"""/announce, /linkchat and /unlinkchat: a facilitator reaching a whole circle across the console,
Telegram and SMS, once per member, and the learners' replies coming back to the facilitators."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from bot.chat.clock import FakeClock
from bot.chat.messages import Capabilities, Inbound, LengthUnit, Outbound, Receipt
from bot.core import Core
from bot.storage.models import Account, LinkedChat, OutboxMessage
from tests.conftest import DETROIT_CIRCLE, code_of
from tests.database import open_session

CIRCLE = "Python for Everyone"
MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)  # Thursday 18:00 in Detroit
NEWS = "Bring your laptops on Thursday, the library wifi is back."
ANSWER = "(To answer, send /reply %d and your answer.)"  # under each message passed on

CAPABILITIES = {
    "console": Capabilities(max_text_length=4000),
    "telegram": Capabilities(max_text_length=4096, length_unit=LengthUnit.UTF16),
    "sms": Capabilities(max_text_length=1600),
}


@dataclass(frozen=True)
class Who:
    """One account on one platform, as its adapter would describe the sender."""

    platform: str
    account_id: str
    name: str | None = None  # SMS gives no name


AMINA = Who("console", "amina", "Amina")  # the facilitator
AMINA_TG = Who("telegram", "2001", "Amina")
AMINA_SMS = Who("sms", "+254700000002")
BRIAN = Who("telegram", "1001", "Brian")
BRIAN_SMS = Who("sms", "+254700000001")
CHIOMA = Who("sms", "+254700000003")
DEDE = Who("console", "dede", "Dede")
GROUP = "-500"
OTHER_GROUP = "-600"


def inbound(who: Who, text: str, group: str | None = None, message_id: str | None = None):
    return Inbound(
        platform=who.platform,
        account_id=who.account_id,
        chat_id=group or who.account_id,
        message_id=message_id or uuid.uuid4().hex,
        text=text,
        display_name=who.name,
        is_group=group is not None,
        private_chat_id=who.account_id if group else None,
    )


async def say(
    core: Core, who: Who, text: str, group: str | None = None, message_id: str | None = None
) -> str:
    replies = await core.handle(inbound(who, text, group, message_id), CAPABILITIES[who.platform])
    return "\n".join(reply.text for reply in replies)


@dataclass
class Recorder:
    """A platform adapter that keeps what the dispatcher sends it."""

    platform: str
    capabilities: Capabilities
    sent: list[Outbound] = field(default_factory=list)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def send(self, message: Outbound) -> Receipt:
        self.sent.append(message)
        return Receipt(platform_message_id=str(len(self.sent)))


async def deliver(core: Core) -> dict[tuple[str, str], list[str]]:
    """Dispatch everything due; the texts each (platform, chat) received."""
    adapters = {name: Recorder(name, caps) for name, caps in CAPABILITIES.items()}
    await core.dispatch(adapters)
    got: dict[tuple[str, str], list[str]] = {}
    for adapter in adapters.values():
        for message in adapter.sent:
            got.setdefault((message.address.platform, message.address.chat_id), []).append(
                message.text
            )
    return got


async def outbox(core: Core, kind: str | None = None) -> list[tuple[str, str, str]]:
    """(platform, chat id, text) of the queued messages, of one kind if given."""
    async with open_session(core) as session:
        query = select(OutboxMessage).order_by(col(OutboxMessage.id))
        if kind:
            query = query.where(OutboxMessage.kind == kind)
        rows = (await session.exec(query)).all()
    return [(row.platform, row.chat_id, row.payload["text"]) for row in rows]


async def announced(core: Core) -> list[tuple[str, str]]:
    return [(platform, chat) for platform, chat, _ in await outbox(core, "announcement")]


async def start_circle(core: Core, facilitator: Who, *learners: Who) -> None:
    assert "is ready" in await say(core, facilitator, DETROIT_CIRCLE)
    code = await code_of(core, CIRCLE)
    for who in learners:
        assert "Welcome" in await say(core, who, f"/join {code}")
        if who.name is None:  # SMS gives no name: it is asked first, then the goal
            assert "skipped" in await say(core, who, "/skip")
        assert "skipped" in await say(core, who, "/skip")  # the goal
        assert "skipped" in await say(core, who, "/skip")  # whether to share answers


async def announce(core: Core, who: Who, text: str) -> str:
    """/announce TEXT, then "1" to send it as shown: the answer to that."""
    shown = await say(core, who, f"/announce {text}")
    assert "Send this to" in shown, shown
    return await say(core, who, "1")


async def link(core: Core, keep: Who, other: Who) -> None:
    found = re.search(r"LINK ([A-Z0-9]+)", await say(core, keep, "/link"))
    assert found
    assert "Linked!" in await say(core, other, f"LINK {found[1]}")


async def set_account(core: Core, who: Who, **values: object) -> None:
    async with open_session(core) as session:
        row = (
            await session.exec(
                select(Account).where(
                    Account.platform == who.platform, Account.external_id == who.account_id
                )
            )
        ).one()
        for name, value in values.items():
            setattr(row, name, value)
        session.add(row)
        await session.commit()


# --- /announce ------------------------------------------------------------------------------------


async def test_every_member_gets_one_announcement_on_their_own_platform(core: Core) -> None:
    await start_circle(core, AMINA, BRIAN, CHIOMA, DEDE)
    answer = await announce(core, AMINA, NEWS)
    assert answer.startswith("Sent to 3 members: ")
    assert "1 by console" in answer and "1 by SMS" in answer and "1 by Telegram" in answer
    assert sorted(await announced(core)) == [
        ("console", "dede"),
        ("sms", CHIOMA.account_id),
        ("telegram", BRIAN.account_id),
    ]
    got = await deliver(core)
    for address in [("console", "dede"), ("sms", CHIOMA.account_id), ("telegram", "1001")]:
        [text] = got[address]
        assert text.startswith(f"{CIRCLE}, from Amina:\n{NEWS}")
        assert "Reply here and I'll pass it on to Amina" in text
    assert not any(NEWS in text for text in got.get(("console", "amina"), []))
    assert await deliver(core) == {}  # once


async def test_a_resent_announce_queues_nothing_twice(core: Core) -> None:
    await start_circle(core, AMINA, BRIAN, CHIOMA)
    shown = await say(core, AMINA, f"/announce {NEWS}", message_id="m-1")
    assert "Send this to 2 members?" in shown
    await say(core, AMINA, f"/announce {NEWS}", message_id="m-1")  # the gateway resends
    assert "Sent to 2 members" in await say(core, AMINA, "1", message_id="m-2")
    await say(core, AMINA, "1", message_id="m-2")  # and the answer too
    assert len(await announced(core)) == 2


async def test_a_linked_person_gets_it_once_where_they_were_last(
    core: Core, clock: FakeClock
) -> None:
    await start_circle(core, AMINA, BRIAN)
    await link(core, BRIAN, BRIAN_SMS)  # the phone wrote last
    assert "Sent to 1 member: 1 by SMS." in await announce(core, AMINA, NEWS)
    assert await announced(core) == [("sms", BRIAN_SMS.account_id)]


async def test_announcements_follow_prefer_and_skip_a_stopped_account(core: Core) -> None:
    await start_circle(core, AMINA, BRIAN)
    await link(core, BRIAN, BRIAN_SMS)
    await say(core, BRIAN_SMS, "/prefer telegram")
    assert "1 by Telegram" in await announce(core, AMINA, "First news.")
    await say(core, BRIAN, "/prefer sms")
    await set_account(core, BRIAN_SMS, opted_out=True)
    assert "1 by Telegram" in await announce(core, AMINA, "Second news.")
    await set_account(core, BRIAN_SMS, opted_out=False, reachable=False)
    assert "1 by Telegram" in await announce(core, AMINA, "Third news.")
    assert await announced(core) == [("telegram", BRIAN.account_id)] * 3


async def test_forget_takes_back_the_words_a_learner_passed_on(core: Core) -> None:
    """Chioma's two replies went to Amina; after /forget the bot keeps neither
    (sent or not), while Brian's reply stays."""
    await start_circle(core, AMINA, BRIAN, CHIOMA)
    await announce(core, AMINA, NEWS)
    await deliver(core)
    await say(core, CHIOMA, "Can I bring my daughter along?")
    await deliver(core)  # the reply has reached Amina
    await say(core, CHIOMA, "Is there parking nearby?")  # her second reply, still waiting
    await say(core, BRIAN, "See you there!")
    texts = [text for _, _, text in await outbox(core)]
    assert any("daughter" in text for text in texts) and any("parking" in text for text in texts)
    assert "delete" in await say(core, CHIOMA, "/forget")
    assert "deleted" in await say(core, CHIOMA, "yes")
    texts = [text for _, _, text in await outbox(core)]
    assert not any("daughter" in text or "parking" in text for text in texts)
    assert any("See you there!" in text for text in texts)


async def test_a_learner_reply_reaches_the_facilitator(core: Core) -> None:
    await start_circle(core, AMINA, BRIAN, CHIOMA)
    await announce(core, AMINA, NEWS)
    await deliver(core)
    answer = await say(core, CHIOMA, "Can I bring my daughter along?")
    assert answer == "Thanks, I've passed that on to Amina."
    [(platform, chat, text)] = await outbox(core, "announcement-reply")
    assert (platform, chat) == ("console", "amina")
    assert "replied about Python for Everyone" in text
    assert "Can I bring my daughter along?" in text


async def test_every_reply_to_an_announcement_reaches_the_facilitator(core: Core) -> None:
    """Not only the first: "Also, is there parking?" goes to Amina like the reply before it,
    from Telegram and from SMS alike."""
    await start_circle(core, AMINA, BRIAN, CHIOMA)
    await announce(core, AMINA, NEWS)
    await deliver(core)
    assert await say(core, BRIAN, "See you there!") == "Thanks, I've passed that on to Amina."
    answer = await say(core, BRIAN, "Also, is there parking?")
    assert answer == "Thanks, I've passed that on to Amina."
    assert "passed that on to Amina" in await say(core, CHIOMA, "Can I bring my daughter along?")
    assert "passed that on to Amina" in await say(core, CHIOMA, "And my laptop?")
    assert [(chat, text) for _, chat, text in await outbox(core, "announcement-reply")] == [
        ("amina", "Brian replied about Python for Everyone:\nSee you there!\n" + ANSWER % 1),
        (
            "amina",
            "Brian replied about Python for Everyone:\nAlso, is there parking?\n" + ANSWER % 2,
        ),
        (
            "amina",
            "A newcomer (no name yet) replied about Python for Everyone:\n"
            "Can I bring my daughter along?\n" + ANSWER % 3,
        ),
        (
            "amina",
            "A newcomer (no name yet) replied about Python for Everyone:\nAnd my laptop?\n"
            + ANSWER % 4,
        ),
    ]


async def test_after_replying_a_learner_can_use_sms_keywords_again(core: Core) -> None:
    """The first text after an announcement is the reply, even "Yes"; after that, NEXT and YES
    are commands again, and other texts still reach Amina."""
    await start_circle(core, AMINA, CHIOMA)
    await announce(core, AMINA, "Can everyone bring a laptop next week?")
    assert "passed that on to Amina" in await say(core, CHIOMA, "Yes")
    assert "Meeting 1 of 6" in await say(core, CHIOMA, "NEXT")
    assert "see you at meeting 1" in await say(core, CHIOMA, "YES")
    assert "passed that on to Amina" in await say(core, CHIOMA, "I might be a bit late")
    replies = [text for _, _, text in await outbox(core, "announcement-reply")]
    assert [text.split("\n")[1] for text in replies] == ["Yes", "I might be a bit late"]


async def test_replies_reach_the_facilitator_for_two_days_even_past_a_meeting(
    core: Core, clock: FakeClock
) -> None:
    """Announced an hour before the meeting: a reply the next morning still reaches Amina."""
    await start_circle(core, AMINA, BRIAN)
    clock.set(MEETING_1 - timedelta(hours=1))
    await announce(core, AMINA, "We're in room B tonight.")
    clock.set(MEETING_1 + timedelta(hours=14))
    assert "passed that on to Amina" in await say(core, BRIAN, "Sorry I missed it, what's next?")
    clock.set(MEETING_1 + timedelta(hours=46))
    assert "passed that on to Amina" in await say(core, BRIAN, "Found the slides, thanks!")
    assert len(await outbox(core, "announcement-reply")) == 2


async def test_replies_reach_every_facilitator_by_name(core: Core) -> None:
    await start_circle(core, AMINA, BRIAN, DEDE)
    assert "co-facilitates" in await say(core, AMINA, "/cofacilitator Dede")
    await announce(core, AMINA, NEWS)
    answer = await say(core, BRIAN, "See you there!")
    assert answer == "Thanks, I've passed that on to Amina and Dede."
    assert sorted(chat for _, chat, _ in await outbox(core, "announcement-reply")) == [
        "amina",
        "dede",
    ]


async def test_a_learner_cannot_announce(core: Core) -> None:
    await start_circle(core, AMINA, BRIAN, CHIOMA)
    answer = await say(core, BRIAN, f"/announce {NEWS}")
    assert "Only a facilitator or co-facilitator can use /announce" in answer
    assert await announced(core) == []


async def test_announce_without_text_asks_for_it(core: Core) -> None:
    await start_circle(core, AMINA, BRIAN)
    assert "What would you like to tell everyone" in await say(core, AMINA, "/announce")
    assert await announced(core) == []


async def test_an_overlong_announcement_is_refused(core: Core) -> None:
    await start_circle(core, AMINA, BRIAN)
    answer = await say(core, AMINA, "/announce " + "x" * 1001)
    assert answer == "Announcements can be up to 1,000 characters. This one has 1,001."
    assert await announced(core) == []
    assert "Sent to 1 member" in await announce(core, AMINA, "x" * 1000)


async def test_announce_in_an_empty_circle_is_explained(core: Core) -> None:
    await start_circle(core, AMINA)
    answer = await say(core, AMINA, f"/announce {NEWS}")
    assert answer == "There's no one else in Python for Everyone to tell yet."


async def test_a_facilitator_announces_from_a_paired_phone(core: Core) -> None:
    await start_circle(core, AMINA, BRIAN, DEDE)
    await link(core, AMINA, AMINA_SMS)
    answer = await announce(core, AMINA_SMS, NEWS)
    assert answer == "Sent to 2 members: 1 by Telegram, 1 by console."
    assert sorted(await announced(core)) == [("console", "dede"), ("telegram", "1001")]
    # Brian's reply reaches her where she was last: her phone.
    assert "passed that on to Amina" in await say(core, BRIAN, "See you there!")
    [(platform, chat, _)] = await outbox(core, "announcement-reply")
    assert (platform, chat) == ("sms", AMINA_SMS.account_id)


# --- Linked group chats ---------------------------------------------------------------------------


async def test_members_who_write_in_the_linked_group_get_it_there(core: Core) -> None:
    await start_circle(core, AMINA_TG, BRIAN, CHIOMA)
    answer = await say(core, AMINA_TG, "/linkchat", group=GROUP)
    assert "This chat is now linked to Python for Everyone" in answer
    await say(core, BRIAN, "/next", group=GROUP)  # Brian writes in the group
    answer = await announce(core, AMINA_TG, NEWS)
    assert answer == "Sent to 2 members: 1 by SMS, 1 in the group chat."
    assert sorted(await announced(core)) == [
        ("sms", CHIOMA.account_id),
        ("telegram", GROUP),
    ]
    got = await deliver(core)
    [post] = got[("telegram", GROUP)]
    assert post == f"{CIRCLE}, from Amina:\n{NEWS}"
    assert ("telegram", BRIAN.account_id) not in got


async def test_a_chat_with_a_new_id_keeps_its_links_readers_and_queue(core: Core) -> None:
    """A group chat gets a new id (Telegram's supergroup upgrade): links, who reads it there
    and what waits for it follow; a circle linked in both keeps one link; twice is harmless."""
    await start_circle(core, AMINA_TG, BRIAN, CHIOMA)
    await say(core, AMINA_TG, "/linkchat", group=GROUP)
    await say(core, AMINA_TG, "/linkchat", group=OTHER_GROUP)
    await say(core, BRIAN, "/next", group=GROUP)
    await announce(core, AMINA_TG, NEWS)  # queued for GROUP, where Brian reads
    assert await core.chat_moved("telegram", GROUP, OTHER_GROUP) == 1
    assert await core.chat_moved("telegram", GROUP, OTHER_GROUP) == 0
    async with open_session(core) as session:
        links = (await session.exec(select(LinkedChat))).all()
    assert [link.chat_id for link in links] == [OTHER_GROUP]
    got = await deliver(core)
    assert got[("telegram", OTHER_GROUP)] == [f"{CIRCLE}, from Amina:\n{NEWS}"]
    assert ("telegram", GROUP) not in got
    answer = await announce(core, AMINA_TG, f"{NEWS} again")
    assert "1 in the group chat" in answer  # Brian is known to read the new id


async def test_linkchat_only_by_a_facilitator_of_the_circle(core: Core) -> None:
    await start_circle(core, AMINA_TG, BRIAN)
    answer = await say(core, BRIAN, "/linkchat", group=GROUP)
    assert "Only a facilitator or co-facilitator can use /linkchat" in answer
    stranger = Who("telegram", "3003", "Esi")
    assert "Only a facilitator" in await say(core, stranger, "/linkchat", group=GROUP)
    async with open_session(core) as session:
        assert (await session.exec(select(LinkedChat))).all() == []


async def test_linkchat_in_a_private_chat_is_explained(core: Core) -> None:
    await start_circle(core, AMINA_TG, BRIAN)
    answer = await say(core, AMINA_TG, "/linkchat")
    assert "/linkchat works in a group chat: send it there." in answer
    async with open_session(core) as session:
        assert (await session.exec(select(LinkedChat))).all() == []


async def test_a_circle_may_link_several_chats_and_unlink_one(core: Core) -> None:
    await start_circle(core, AMINA_TG, BRIAN)
    await say(core, AMINA_TG, "/linkchat", group=GROUP)
    assert "already linked" in await say(core, AMINA_TG, "/linkchat", group=GROUP)
    assert "now linked" in await say(core, AMINA_TG, "/linkchat", group=OTHER_GROUP)
    await announce(core, AMINA_TG, NEWS)
    chats = [chat for platform, chat in await announced(core) if chat.startswith("-")]
    assert sorted(chats) == [GROUP, OTHER_GROUP]

    answer = await say(core, AMINA_TG, "/unlinkchat", group=OTHER_GROUP)
    assert answer == "This chat is no longer linked to Python for Everyone."
    assert "isn't linked" in await say(core, AMINA_TG, "/unlinkchat", group=OTHER_GROUP)
    async with open_session(core) as session:
        [linked] = (await session.exec(select(LinkedChat))).all()
    assert linked.chat_id == GROUP


async def test_reminders_go_to_each_linked_chat_once_and_privately(
    core: Core, clock: FakeClock
) -> None:
    await start_circle(core, AMINA_TG, BRIAN, CHIOMA)
    await say(core, AMINA_TG, "/linkchat", group=GROUP)
    await say(core, AMINA_TG, "/linkchat", group=OTHER_GROUP)
    await say(core, BRIAN, "/next", group=GROUP)
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    await core.tick()  # a second tick adds nothing
    reminders = sorted((platform, chat) for platform, chat, _ in await outbox(core, "reminder"))
    assert reminders == [
        ("sms", CHIOMA.account_id),
        ("telegram", GROUP),
        ("telegram", OTHER_GROUP),
        ("telegram", BRIAN.account_id),
    ]
    got = await deliver(core)
    [post] = got[("telegram", GROUP)]
    assert "Python for Everyone" in post and "Will you come?" in post


async def test_a_reminder_goes_to_the_account_the_person_prefers(
    core: Core, clock: FakeClock
) -> None:
    await start_circle(core, AMINA, BRIAN)
    await link(core, BRIAN, BRIAN_SMS)
    await say(core, BRIAN_SMS, "/prefer telegram")
    await set_account(core, BRIAN, reachable=False)
    clock.set(MEETING_1 - timedelta(hours=24))
    await core.tick()
    assert [(p, c) for p, c, _ in await outbox(core, "reminder")] == [("sms", BRIAN_SMS.account_id)]


async def test_a_reply_starting_with_link_is_still_passed_on(core: Core) -> None:
    await start_circle(core, AMINA, BRIAN, CHIOMA)
    await announce(core, AMINA, NEWS)
    answer = await say(core, CHIOMA, "Link please, I can't find the course page")
    assert answer == "Thanks, I've passed that on to Amina."
    [(_, _, text)] = await outbox(core, "announcement-reply")
    assert "Link please, I can't find the course page" in text


async def test_chatter_in_the_group_does_not_answer_a_private_question(core: Core) -> None:
    """Brian has the announcement's reply question waiting in private; then he chats in the
    group. That is not his reply to Amina, and the group hears nothing about it."""
    await start_circle(core, AMINA_TG, BRIAN, CHIOMA)
    await announce(core, AMINA_TG, NEWS)
    await say(core, AMINA_TG, "/linkchat", group=GROUP)
    answer = await say(core, BRIAN, "Morning all! Who's bringing snacks?", group=GROUP)
    assert "passed that on" not in answer
    assert await outbox(core, "announcement-reply") == []


async def test_announce_in_the_linked_group_asks_there_and_only_its_sender_answers(
    core: Core,
) -> None:
    await start_circle(core, AMINA_TG, BRIAN, CHIOMA)
    await say(core, AMINA_TG, "/linkchat", group=GROUP)
    shown = await say(core, AMINA_TG, f"/announce {NEWS}", group=GROUP)
    assert "Send this to 2 members?" in shown
    assert await say(core, BRIAN, "1", group=GROUP) == ""  # Brian's "1" is chat, not an answer
    assert await announced(core) == []
    assert "Sent to 2 members" in await say(core, AMINA_TG, "1", group=GROUP)
    assert ("telegram", GROUP) in await announced(core)
