"""Defects left after a re-check of the walkthroughs (issue 16): a circle question that never
ends, yes/no words passed on when nothing asked, a join code kept as a goal, words from
someone whose circles have all finished, and a local /cancel inside a guided conversation."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.chat.clock import FakeClock
from bot.chat.messages import Outbound
from bot.core import Core
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

# Two short circles (two Thursday meetings from 22 October, two Tuesday ones from 20 October),
# both over on 30 October, when Python for Everyone (from the 29th) still has five to come.
ATELIER = (
    '/newcircle name="Atelier Python" course="Python for Everybody" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-10-22 time=18:00 meetings=2"
)
CODING_CLUB = (
    '/newcircle name="Coding Club" course="Python for Everybody" venue="Branch Library" '
    "city=Detroit country=US zone=America/Detroit start=2026-10-20 time=18:00 meetings=2"
)
AFTER_BOTH = datetime(2026, 10, 30, 14, 0, tzinfo=UTC)
LONG_AFTER = datetime(2027, 3, 1, 14, 0, tzinfo=UTC)


async def join(chat: Chat, core: Core, name: str, circle: str) -> None:
    """`name` joins and skips the welcome's two questions (the goal, and sharing)."""
    assert "Welcome" in await chat.say(name, "/join " + await code_of(core, circle))
    await chat.say(name, "/skip")
    await chat.say(name, "/skip")


async def three_circles(chat: Chat, core: Core, clock: FakeClock) -> None:
    """Akinyi runs the two short circles, Mariama Python for Everyone; Brian learns in all
    three, which the short ones finished on the 30th."""
    assert "is ready" in await chat.say("Akinyi", ATELIER)
    assert "is ready" in await chat.say("Akinyi", CODING_CLUB)
    assert "is ready" in await chat.say("Mariama", DETROIT_CIRCLE)
    for circle in ("Python for Everyone", "Atelier Python", "Coding Club"):
        await join(chat, core, "Brian", circle)
    clock.set(AFTER_BOTH)
    await chat.deliver()


async def test_words_sent_while_a_circle_is_asked_for_reach_the_facilitator(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await three_circles(chat, core, clock)
    await chat.say("Brian", "/language fr")
    # One circle still running: an RSVP is about it, with no question.
    answer = await chat.say("Brian", "/dispo oui")
    assert "Super, rendez-vous à la réunion 2, jeudi 5 novembre" in answer, answer
    # The words that follow go to the running circle's facilitator, as typed.
    assert "Mariama" in await chat.say("Brian", "Bonjour Mariama, test")
    [passed] = _to(await chat.deliver(), "mariama")
    assert "Python for Everyone:\nBonjour Mariama, test\n" in passed, passed
    # All finished: no question either; the latest circle's RSVP says so itself.
    clock.set(LONG_AFTER)
    assert "Pour quel cercle" not in await chat.say("Brian", "/dispo oui samedi")


async def test_an_answer_naming_no_circle_is_handled_as_a_message(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await three_circles(chat, core, clock)
    question = await chat.say("Brian", "/letter")
    assert question.startswith("Which circle is that for?"), question
    assert (await chat.say("Brian", "7")).startswith("Which circle is that for?")
    passed = await chat.say("Brian", "Hello Mariama, see you Thursday")
    assert passed == "Thanks, I've passed that on to Mariama.", passed
    # The question ended: a number picks no circle any more.
    assert await chat.say("Brian", "2") == "Nothing is waiting for an answer right now."


async def test_a_lone_yes_with_nothing_asked_is_not_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await three_circles(chat, core, clock)
    for word in ("oui", "yes", "Y", "N"):
        assert await chat.say("Brian", word) == "Nothing is waiting for an answer right now."
    assert _to(await chat.deliver(), "mariama") == []


async def test_words_after_every_circle_finished_are_passed_on_only_as_a_sentence(
    core: Core, clock: FakeClock
) -> None:
    phone = Chat(core, platform="sms")
    await three_circles(phone, core, clock)
    clock.set(LONG_AFTER)
    for word in ("Y", "N"):
        assert "passed that on" not in await phone.say("Brian", word)
    here = await phone.say("Brian", "HERE")
    assert "Which circle" not in here and "passed that on" not in here, here
    assert "passed that on" not in await phone.say("Brian", "thanks Akinyi")
    assert await phone.say("Brian", "Thank you Akinyi for everything") == (
        "Thanks, I've passed that on to Akinyi."
    )
    [passed] = [text for text in _to(await phone.deliver(), "akinyi") if "texted" in text]
    assert ":\nThank you Akinyi for everything\n" in passed, passed


async def test_a_join_code_while_the_goal_is_asked_joins(chat: Chat, core: Core) -> None:
    assert "is ready" in await chat.say("Akinyi", ATELIER)
    assert "is ready" in await chat.say("Mariama", DETROIT_CIRCLE)
    assert "Welcome" in await chat.say("Chen", "/join " + await code_of(core, "Atelier Python"))
    joined = await chat.say("Chen", await code_of(core, "Python for Everyone"))
    assert "Welcome" in joined and "Python for Everyone" in joined, joined
    await chat.say("Chen", "/skip")
    await chat.say("Chen", "/skip")
    roster = await chat.say("Mariama", "/roster")
    assert "Chen, learner" in roster, roster


async def test_a_local_cancel_with_no_meeting_stops_a_guided_conversation(
    chat: Chat, core: Core
) -> None:
    await chat.say("Amina", "/language fr")
    assert "Comment s'appelle le cercle" in await chat.say("Amina", "/nouveaucercle")
    stopped = await chat.say("Amina", "/annuler")
    assert stopped == "D'accord, j'arrête. Rien n'a été enregistré."
    assert "Usage" not in await chat.say("Amina", "/annuler")


def _to(sent: list[Outbound], name: str) -> list[str]:
    return [message.text for message in sent if message.address.chat_id == name]
