"""/handover answered in words (walkthrough, German): "ja und ich steig aus" holds the third
choice's words ("Ja, und ich steige vorerst aus") beyond the yes two choices share, and steps
out; it was read as the first yes ("... und du moderierst mit"). A bare yes still picks the
first choice, as before (test_circle_lifecycle, test_fac_walk_roles)."""

from __future__ import annotations

from bot.core import Core
from tests.conftest import Chat
from tests.rhythm.test_attendance_reminders import detroit


async def test_yes_and_i_step_out_in_words_steps_out(chat: Chat, core: Core) -> None:
    await detroit(chat, core)  # Amina leads, Dede co-facilitates, Brian learns
    await chat.say("Amina", "/handover Dede")
    done = await chat.say("Amina", "yes and I step out")
    assert "Dede now facilitates Python for Everyone, and you're off it for now" in done, done


async def test_ja_und_ich_steig_aus_steps_out(chat: Chat, core: Core) -> None:
    await detroit(chat, core)
    await chat.say("Amina", "/language de")
    asked = await chat.say("Amina", "/uebergeben Dede")
    assert "Ja, und ich steige vorerst aus" in asked, asked
    done = await chat.say("Amina", "ja und ich steig aus")
    assert "mit" not in done.split(".")[0], done
    sent = await chat.deliver()
    told = next(m.text for m in sent if m.address.chat_id == "dede")
    assert "moderiert mit" not in told, told


async def test_yes_with_the_first_choices_words_co_facilitates(chat: Chat, core: Core) -> None:
    await detroit(chat, core)
    await chat.say("Amina", "/handover Dede")
    done = await chat.say("Amina", "yes I'll co-facilitate it")
    assert done == "Dede now facilitates Python for Everyone, and you co-facilitate it.", done


async def test_no_and_the_third_choices_words_keeps_it(chat: Chat, core: Core) -> None:
    await detroit(chat, core)
    await chat.say("Amina", "/handover Dede")
    kept = await chat.say("Amina", "no, I won't step out")
    assert kept == "OK, you still facilitate Python for Everyone.", kept
