"""Facilitator walkthrough: words sent with the rating ("5 it was great, ...") answered no
question, so the export files them under none, not under the question never asked."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.reports.test_exports import exported_again, rows
from tests.seasons import Week, checkin_due, open_circle, play_week


async def test_words_with_the_rating_have_no_question_in_the_export(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Tom": True, "Brian": True})
    await play_week(chat, core, clock, 1, Week(came=("Tom", "Brian")))
    clock.set(checkin_due(1))
    await core.tick()
    await chat.deliver()
    reply = await chat.say("Tom", "5 it was great, I sent my first email!")
    assert "?" not in reply  # the open question is not asked: the words answered it
    await chat.say("Brian", "4")
    await chat.say("Brian", "Loops finally make sense.")
    exported = (await exported_again(chat))["python-for-everyone-checkins.csv"]
    checkins = {r["Name"]: r for r in rows(exported)}
    assert checkins["Tom"]["Rating (1-5)"] == "5"
    assert checkins["Tom"]["Answer (shared with you)"] == "it was great, I sent my first email!"
    assert checkins["Tom"]["Question"] == ""
    assert checkins["Brian"]["Question"].endswith("?")
