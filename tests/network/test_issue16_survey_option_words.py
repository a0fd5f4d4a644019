"""Issue 16 (frsw 25): "pas encore mais bientot inchallah" to the survey's goal question is its
"Pas encore", and the survey goes on; a message in words never drops the question waiting, and
/survey goes on from where it stopped."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.network.survey import AFTER_THE_END
from bot.storage.models import Circle, Meeting
from tests.conftest import Chat, code_of
from tests.database import open_session
from tests.network.test_survey import SMS, TWO_WEEKS, answers_of, end_the_circle
from tests.seasons import open_circle


async def test_an_answer_opening_with_an_option_is_that_option(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Dana", "/language fr")
    await chat.say("Dana", "4")
    asked = await chat.say("Dana", "pas encore mais bientot inchallah")
    assert "Recommanderiez" in asked, asked
    answers = await answers_of(core, "Dana")
    assert answers is not None and answers.goal_met == "no"


async def test_a_message_in_words_keeps_the_question_and_survey_resumes(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Brian": True, "Dana": True}, TWO_WEEKS)
    await end_the_circle(chat, core, clock)
    await chat.say("Brian", "4")
    told = await chat.say("Brian", "The videos were too fast for me, honestly.")
    assert "passed that on" in told
    assert "recommend" in await chat.say("Brian", "3")  # Not yet, still read
    answers = await answers_of(core, "Brian")
    assert answers is not None and answers.goal_met == "no"
    resumed = await chat.say("Brian", "/survey")
    assert "recommend" in resumed and "how was" not in resumed, resumed


DAKAR = (
    '/newcircle name="Python Dakar" course="Python for Everybody" url=https://www.py4e.com '
    "venue=Bibliotheque city=Dakar country=SN zone=Africa/Dakar start=2026-12-08 time=17:00 "
    "meetings=2 language=fr"
)


async def test_by_sms_a_number_after_words_still_answers(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    phones = Chat(core, platform="sms", capabilities=SMS)
    await chat.say("Amina", DAKAR)
    code = await code_of(core, "Python Dakar")
    for text in ["REJOINDRE " + code, "Apprendre Python.", "1"]:
        await phones.say("+221770000001", text)
    async with open_session(core) as session:
        circle = (await session.exec(select(Circle).where(Circle.name == "Python Dakar"))).one()
        final = (
            await session.exec(
                select(Meeting).where(Meeting.circle_id == circle.id, Meeting.number == 2)
            )
        ).one()
    clock.set(final.ends_at + AFTER_THE_END)
    await core.tick()
    while await phones.deliver():
        pass
    clock.set(clock.now() + timedelta(days=6, hours=23))  # answered late, a week on
    assert "1 pour Oui" in await phones.say("+221770000001", "4")
    clock.set(clock.now() + timedelta(hours=2))
    told = await phones.say("+221770000001", "Merci pour tout, les vidéos étaient trop rapides")
    assert "transmis" in told, told
    asked = await phones.say("+221770000001", "3")
    assert "Recommanderiez" in asked, asked
    resumed = await phones.say("+221770000001", "/enquete")
    assert "Recommanderiez" in resumed, resumed
