"""A learner the facilitator took off a circle (/remove) can't rejoin it with its code: told
kindly, without blame or the code, and the facilitator hears of it; /letback lets them in again.
One who left on their own comes back with the code as before (walkthrough sms 33). Two people
sharing one phone: the second JOIN is told one number is one learner, and what to do (sms 24)."""

from __future__ import annotations

from bot.chat.segments import sms_segments
from bot.core import Core
from tests.circles.test_new_phone_number import CIRCLE, OLD, mercy_joins, phones_of
from tests.conftest import Chat, code_of


async def mercy_removed(chat: Chat, phones: Chat, core: Core) -> str:
    """Mercy joins by SMS and Amina takes her off; the circle's code."""
    await mercy_joins(chat, phones, core)
    await chat.say("Amina", "/remove Mercy")
    assert await chat.say("Amina", "yes") == "Mercy is off Python for Everyone now."
    await phones.deliver()
    await chat.deliver()
    return await code_of(core, CIRCLE)


async def test_a_removed_learner_cannot_rejoin_with_the_code(chat: Chat, core: Core) -> None:
    phones = phones_of(core)
    code = await mercy_removed(chat, phones, core)

    answer = await phones.say(OLD, "JOIN " + code)
    assert answer == (
        "You're no longer on the list for Python for Everyone, so I can't add you with a code. "
        "If you'd like to come back, please talk to Amina."
    )
    assert code not in answer
    assert "not in a circle" in (await phones.say(OLD, "NEXT")).casefold() or (
        "Python for Everyone" not in await phones.say(OLD, "NEXT")
    )
    told = [m.text for m in await chat.deliver()]
    assert told == [
        "Mercy asked to join Python for Everyone again. To let them back in, send /letback Mercy."
    ]
    # Asking again the same day doesn't tell the facilitator twice.
    await phones.say(OLD, "JOIN " + code)
    assert [m.text for m in await chat.deliver()] == []
    assert "Mercy" not in await chat.say("Amina", "/roster")


async def test_the_facilitator_lets_a_removed_learner_back(chat: Chat, core: Core) -> None:
    phones = phones_of(core)
    code = await mercy_removed(chat, phones, core)

    assert await chat.say("Amina", "/letback Brian") == (
        "No one called Brian was taken off Python for Everyone."
    )
    assert await chat.say("Amina", "/letback mercy") == (
        "Done: Mercy can join Python for Everyone again, and I've told them how."
    )
    [told] = [m.text for m in await phones.deliver()]
    assert told.startswith("Amina would be glad to have you back in Python for Everyone.")
    assert code in told  # privately, to her: the way back
    assert "Welcome" in await phones.say(OLD, "JOIN " + code)
    assert "Mercy" in await chat.say("Amina", "/roster")


async def test_a_learner_who_left_on_their_own_rejoins_with_the_code(
    chat: Chat, core: Core
) -> None:
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)
    await phones.say(OLD, "LEAVE")
    assert "You've left" in await phones.say(OLD, "YES")
    assert "Welcome" in await phones.say(OLD, "JOIN " + await code_of(core, CIRCLE))


async def test_a_second_person_on_the_same_phone_is_told_what_to_do(chat: Chat, core: Core) -> None:
    """sms 24: a mother and daughter share a phone; the daughter texts JOIN too."""
    phones = phones_of(core)
    await mercy_joins(chat, phones, core)

    answer = await phones.say(OLD, "JOIN " + await code_of(core, CIRCLE))
    assert "You're already in Python for Everyone as Mercy." in answer
    assert "one phone number is one learner" in answer.casefold()
    assert "Amina" in answer  # who can help
    assert sms_segments(answer) <= 2


async def test_an_app_user_joining_twice_is_not_told_about_phones(chat: Chat, core: Core) -> None:
    await mercy_joins(chat, phones_of(core), core)
    code = await code_of(core, CIRCLE)
    assert "Welcome" in await chat.say("Chen", "/join " + code)
    assert await chat.say("Chen", "/join " + code) == (
        "You're already in Python for Everyone. /next shows when you meet."
    )
