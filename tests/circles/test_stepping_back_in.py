"""A facilitator who handed her circle over and stepped out for now steps back in with /stepin:
she co-facilitates it again, its messages reach her, its facilitator is told, and /help and the
step-out answer both say how."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_attendance_reminders import detroit


async def test_a_facilitator_who_stepped_out_steps_back_in(chat: Chat, core: Core) -> None:
    await detroit(chat, core)  # Amina leads, Dede co-facilitates, Brian learns
    await chat.say("Amina", "/handover Dede")
    done = await chat.say("Amina", "3")
    assert "To step back in as co-facilitator, send /stepin." in done, done
    await chat.deliver()
    assert "/stepin" in await chat.say("Amina", "/help")
    back = await chat.say("Amina", "/stepin")
    assert "Welcome back! You co-facilitate Python for Everyone again" in back, back
    assert "ask them to /handover it to you" in back
    told = [m.text for m in await chat.deliver() if m.address.chat_id == "dede"]
    assert told == ["Amina is back in Python for Everyone and co-facilitates it again."], told
    assert "Amina" in await chat.say("Dede", "/roster")
    # She runs it with Dede again: a co-facilitator's command is hers.
    assert "Python for Everyone" in await chat.say("Amina", "/schedule")
    assert "co-facilitat" in (await chat.say("Dede", "/roster"))


async def test_stepping_in_without_having_stepped_out_says_how_to_join(
    chat: Chat, core: Core
) -> None:
    await detroit(chat, core)
    answer = await chat.say("Brian", "/stepin")
    assert "You haven't stepped out of a circle you help run." in answer, answer
    assert "/join CODE" in answer


async def test_step_in_is_said_in_the_readers_language(chat: Chat, core: Core) -> None:
    await detroit(chat, core)
    await chat.say("Amina", "/handover Dede")
    await chat.say("Amina", "3")
    await chat.say("Amina", "/language fr")
    assert "Bon retour" in await chat.say("Amina", "/revenir")


async def test_step_in_in_german_names_who_to_ask(chat: Chat, core: Core) -> None:
    """Walk dede 18: "bitte sie, ihn dir mit /übergeben zu übergeben", "sie" for Mads."""
    await detroit(chat, core)
    await chat.say("Amina", "/handover Dede")
    await chat.say("Amina", "3")
    await chat.say("Amina", "/language de")
    back = await chat.say("Amina", "/zurueckkommen")
    assert "bitte Dede, ihn dir mit /uebergeben zurückzugeben" in back, back
