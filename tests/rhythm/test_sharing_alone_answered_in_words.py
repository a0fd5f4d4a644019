"""/sharing alone (/deling, /mitlesen) answered in everyday words. Walkthrough in German and
Danish: Birthe's "ja det må hun godt" set sharing on AND went to Mette as a message to answer;
Lukas's "doch lieber privat" was not read as the No at all, and went as a message to the
facilitator of his other circle. An answer to the bot's own yes / no is the answer, nothing
more; words passed on go to the circle the question was about."""

from __future__ import annotations

import pytest
from sqlmodel import select

from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import Circle, Membership, Person
from tests.conftest import Chat, code_of
from tests.core.test_several_circles import SECOND_CIRCLE
from tests.core.test_sms_words import Phones
from tests.core.test_sms_words import joined as joined_by_sms
from tests.database import open_session
from tests.rhythm.test_sharing import shares
from tests.rhythm.test_sharing_alone_offers_yes_and_no import NO_DA, joined

BIRTHE = "+4520000002"


@pytest.mark.parametrize(
    ("answer", "shared"),
    [
        ("ja det må hun godt", True),  # "yes she may"
        ("ja, fint", True),
        ("okay", True),
        ("gerne", True),
        ("nej hellere ikke", False),  # "no, rather not"
        ("hellere privat", False),
    ],
)
async def test_a_danish_sms_answer_to_deling_is_the_answer_and_nothing_more(
    chat: Chat, core: Core, answer: str, shared: bool
) -> None:
    phones = Phones(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await joined_by_sms(chat, phones, BIRTHE, "da")
    await phones.say(BIRTHE, "/skip")  # the goal
    await phones.say(BIRTHE, "/skip")  # sharing
    await chat.deliver()
    offered = await phones.say(BIRTHE, "DELING")
    assert NO_DA in offered, offered
    done = await phones.say(BIRTHE, answer)
    assert await shares(core, "Wanjiru") is shared, done
    assert "videre" not in done, done  # not "I passed it on to Amina"
    assert answer not in " ".join(m.text for m in await chat.deliver())


async def lukas_in_two(chat: Chat, core: Core) -> None:
    """Lukas, reading German, learns in Amina's Python circle and Otieno's Digital Skills,
    sharing his answers with Amina; /mitlesen asks him which circle, and he picks Python."""
    await joined(chat, core, "Lukas", "de")
    assert "is ready" in await chat.say("Otieno", SECOND_CIRCLE)
    await chat.say("Lukas", "/join " + await code_of(core, "Digital Skills"), locale_hint="de")
    await chat.say("Lukas", "/skip", locale_hint="de")  # the goal
    await chat.say("Lukas", "/skip", locale_hint="de")  # sharing
    await chat.deliver()
    assert "2 (Python for Everyone)" in await chat.say("Lukas", "/mitlesen an", locale_hint="de")
    await chat.say("Lukas", "2", locale_hint="de")
    assert await shares_in(core, "Python for Everyone") is True
    assert "2 (Python for Everyone)" in await chat.say("Lukas", "/mitlesen", locale_hint="de")
    offered = await chat.say("Lukas", "2", locale_hint="de")
    assert "Python for Everyone" in offered and "Nein, privat lassen" in offered, offered


async def shares_in(core: Core, circle: str) -> bool:
    """Whether Lukas shares his written answers in `circle`."""
    async with open_session(core) as session:
        membership = (
            await session.exec(
                select(Membership)
                .join(Person, Person.id == Membership.person_id)  # type: ignore[arg-type]
                .join(Circle, Circle.id == Membership.circle_id)  # type: ignore[arg-type]
                .where(Person.display_name == "Lukas", Circle.name == circle)
            )
        ).one()
    return membership.shares_answers


@pytest.mark.parametrize("answer", ["doch lieber privat", "lieber nicht", "privat"])
async def test_mitlesen_answered_lieber_privat_keeps_it_private(
    chat: Chat, core: Core, answer: str
) -> None:
    await lukas_in_two(chat, core)
    done = await chat.say("Lukas", answer, locale_hint="de")
    assert await shares_in(core, "Python for Everyone") is False, done
    assert "nicht notiert" not in done and "Otieno" not in done, done
    assert answer not in " ".join(m.text for m in await chat.deliver())


async def test_words_at_mitlesen_go_to_the_circle_it_asked_about(chat: Chat, core: Core) -> None:
    await lukas_in_two(chat, core)
    words = "Ich bin mir nicht sicher, was sie dann genau sieht. Kann ich das später ändern?"
    await chat.say("Lukas", words, locale_hint="de")
    sent = await chat.deliver()
    assert [m.address.chat_id for m in sent if words in m.text] == ["amina"], sent
