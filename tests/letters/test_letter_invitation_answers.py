"""Walkthrough (fix-a): answering the letter invitation during a circle's last meeting. A yes
("oui", "yes") begins the letter, never the meeting's reminder (too late to answer by then);
a letter sent straight back while another question waited is asked about ("Is this your
letter?"), not passed on to the facilitators or kept as that question's answer."""

from __future__ import annotations

from datetime import timedelta

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.letters.test_letters import LAST_MEETING, detroit, drain, letters_in
from tests.letters.test_relay_due import INVITE

LETTER = "Dear new circle: come every week, even when you feel behind. It gets better!"


async def _invited(chat: Chat, core: Core, clock: FakeClock, asked: tuple[str, ...]) -> None:
    """The last meeting's reminder (Yes/No) to everyone; `asked` have a reflection waiting
    for their words too; then the invitation, 30 minutes into the meeting."""
    clock.set(LAST_MEETING - timedelta(hours=1))
    await core.tick()
    await drain(chat)
    clock.set(LAST_MEETING + timedelta(minutes=5))  # a question asked now outlasts the meeting
    for name in asked:
        assert "portfolio" in await chat.say(name, "/reflect")
    clock.set(INVITE + timedelta(minutes=1))
    await core.tick()
    await drain(chat)


async def test_a_yes_to_the_invitation_begins_the_letter(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Brian", "Dana")
    await chat.say("Dana", "/language fr")
    await _invited(chat, core, clock, asked=("Brian",))

    told = await chat.say("Brian", "yes")
    assert "too late" not in told and "Write to a new circle far away" in told
    assert "How should it be signed?" in await chat.say("Brian", LETTER)
    await chat.say("Brian", "1")

    told = await chat.say("Dana", "oui")  # her invitation waited for the letter itself
    assert "trop tard" not in told and "court" not in told
    await chat.say("Dana", LETTER)
    await chat.say("Dana", "1")
    assert [letter.text for letter in await letters_in(core)] == [LETTER, LETTER]


async def test_a_letter_sent_straight_back_is_asked_about(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Chen", "Eve")
    await _invited(chat, core, clock, asked=("Chen", "Eve"))

    asked = await chat.say("Chen", LETTER)
    assert "Is this your letter" in asked and "passed that on" not in asked
    assert "How should it be signed?" in await chat.say("Chen", "1")
    await chat.say("Chen", "1")
    assert [letter.text for letter in await letters_in(core)] == [LETTER]
    amina = "".join(m.text for m in await drain(chat) if m.address.chat_id == "amina")
    assert "Chen wrote about" not in amina and "A letter fr" in amina  # to review, not a message

    # Not a letter: the words answer the question that waited (her reflection), as before.
    words = "I finally understood loops this week, and I want to keep going."
    assert "Is this your letter" in await chat.say("Eve", words)
    kept = await chat.say("Eve", "no")
    assert "signed" not in kept
    assert len(await letters_in(core)) == 1


async def test_letter_typed_after_the_invitation_is_for_the_circle_that_invited(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """fac 19: Brian also runs a circle that has just begun (his default); "/letter" after
    the last meeting's invitation writes for the circle that invited him, not that one."""
    await detroit(chat, core, "Brian")
    assert "is ready" in await chat.say(
        "Brian",
        '/newcircle name="Spreadsheets" course="Excel" venue="Library" city=Detroit '
        "country=US zone=America/Detroit start=2026-12-01 time=10:00 meetings=6",
    )
    await chat.say("Brian", "/default Spreadsheets")
    await _invited(chat, core, clock, asked=())
    told = await chat.say("Brian", "/letter")
    assert "Letters open halfway" not in told and "Write to a new circle far away" in told
    await chat.say("Brian", LETTER)
    await chat.say("Brian", "1")
    [letter] = await letters_in(core)
    assert letter.circle_id == 1  # Python for Everyone, the circle that invited him


async def test_a_short_name_that_begins_the_offered_one_signs_the_letter(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    # Walkthrough A11: "Bea" typed as the signature, while "Beatriz" was offered, signed the
    # letter "- Beatriz": a nickname chosen not to publish her name is a name, not a choice.
    await detroit(chat, core, "Beatriz", "Patricia")
    await _invited(chat, core, clock, asked=())

    for name, signed in (("Beatriz", "Bea"), ("Patricia", "patricia")):
        await chat.say(name, "yes")
        assert "How should it be signed?" in await chat.say(name, LETTER)
        await chat.say(name, signed)
    assert sorted(letter.signature for letter in await letters_in(core)) == ["Bea", "Patricia"]
