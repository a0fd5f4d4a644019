"""Late walkthrough findings (wave 2, group G8): precedence between an open question and a
message meant for someone, and SMS keywords."""

from __future__ import annotations

from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.chat.segments import SMS_CAPABILITIES
from bot.core import Core
from bot.storage.models import CheckIn
from tests.conftest import Chat, code_of
from tests.core.test_several_circles import SECOND_CIRCLE
from tests.database import open_session
from tests.rhythm.test_private_words import HALIMA, halima_joins, text, to
from tests.seasons import Week, play_week


async def halima_in_two(chat: Chat, sms: Chat, core: Core, clock: FakeClock) -> None:
    """Halima (SMS, keeps her answers private) in Amina's circle and in Otieno's; Amina's
    check-in rated, its written question open."""
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")  # private
    assert "is ready" in await chat.say("Otieno", SECOND_CIRCLE)
    joined = await text(sms, HALIMA, "JOIN " + await code_of(core, "Digital Skills"))
    assert "Digital Skills" in joined
    await text(sms, HALIMA, "/skip")
    await text(sms, HALIMA, "/skip")
    await play_week(chat, core, clock, 1, Week())
    await sms.deliver()
    await chat.deliver()
    assert "Thank" in await text(sms, HALIMA, "4")


async def answers(core: Core) -> list[str | None]:
    async with open_session(core) as session:
        return [c.answer for c in (await session.exec(select(CheckIn))).all()]


async def test_words_to_another_circles_facilitator_reach_him_not_the_check_in(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C49: "DON PEDRO EL LUNES NO VOY..." under the other circle's open check-in question was
    filed as a private answer ("It stays between you and me"); Pedro never got it."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_in_two(chat, sms, core, clock)
    words = (
        "MR OTIENO ON MONDAY I CANT COME, I TAKE MY GRANDSON TO THE DOCTOR. CAN YOU KEEP MY "
        "PLACE AND TELL ME WHAT YOU DID? THANK YOU"
    )
    reply = await text(sms, HALIMA, words)
    assert "between you and me" not in reply
    assert "Otieno" in reply
    [notice] = to(await chat.deliver(), "Otieno")
    assert "I TAKE MY GRANDSON" in notice and "Digital Skills" in notice
    assert to(await chat.deliver(), "Amina") == []
    assert words not in await answers(core)


async def test_a_question_inside_a_private_answer_is_offered_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C49: a question mark inside the words, not only at their end, offers them on."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_in_two(chat, sms, core, clock)
    reply = await text(sms, HALIMA, "I missed a lot. Can we go slower next time? Thanks a lot")
    assert "Is it a question for Amina?" in reply


async def test_a_no_with_its_reason_keeps_the_reason_after_which_circle(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C47: "CONFIRMAR NO tengo cita en el hospital" from someone in two circles, then "1" to
    "which circle?": the facilitator got "1", and the reason was lost."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")
    assert "is ready" in await chat.say("Otieno", SECOND_CIRCLE)
    await text(sms, HALIMA, "JOIN " + await code_of(core, "Digital Skills"))
    await text(sms, HALIMA, "/skip")
    await text(sms, HALIMA, "/skip")
    await chat.deliver()
    asked = await text(sms, HALIMA, "RSVP NO I have a hospital appointment")
    assert "Which circle" in asked, asked
    pick = "1" if "1 for Python for Everyone" in asked else "2"
    reply = await text(sms, HALIMA, pick)
    assert "passed that on to Amina" in reply, reply
    [notice] = to(await chat.deliver(), "Amina")
    assert "hospital appointment" in notice, notice


async def test_name_alone_by_sms_asks_for_the_name(chat: Chat, core: Core) -> None:
    """C57: NAME, listed in the SMS help, sent alone was passed on to the facilitator, and so
    was the name that followed; the name never changed."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")
    await chat.deliver()
    assert await text(sms, HALIMA, "NAME") == (
        "What should the group call you? Reply with your first name."
    )
    assert "Nice to meet you, Juanita!" in await text(sms, HALIMA, "JUANITA")
    assert not any("texted about" in m for m in to(await chat.deliver(), "Amina"))
    # In Spanish too: NOMBRE.
    await text(sms, HALIMA, "LANGUAGE es")
    asked = await text(sms, HALIMA, "NOMBRE")
    assert "nombre" in asked.casefold() and "Luis" not in asked, asked
    assert "Juana" in await text(sms, HALIMA, "Juana")


async def test_help_after_stop_says_her_texts_still_reach_the_facilitator(
    chat: Chat, core: Core
) -> None:
    """C64: after STOP, HELP said "your texts don't reach Amina", and the next text did."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")
    await chat.deliver()
    await text(sms, HALIMA, "STOP")
    await chat.deliver()
    helped = await text(sms, HALIMA, "HELP")
    assert "don't reach" not in helped
    assert "Amina still gets your texts, but can't answer until you text START." in helped
    await text(sms, HALIMA, "amina the messages stopped coming")
    [notice] = to(await chat.deliver(), "Amina")
    assert "the messages stopped coming" in notice


async def test_an_answer_after_stop_says_it_went_to_the_linked_chat_app(
    chat: Chat, core: Core
) -> None:
    """C61: Juana texted STOP; Luis's /reply reached the chat app she had linked on her
    granddaughter's phone, and Luis was told only "I've sent your answer to Juanita"."""
    from tests.circles.test_pairing import BRIAN_SMS, BRIAN_TG, join, link, say, start_circle

    code = await start_circle(chat, core)
    await join(core, BRIAN_SMS, code)
    assert "Linked!" in await link(core, BRIAN_SMS, BRIAN_TG)
    await say(core, BRIAN_SMS, "Amina I changed my phone, can I still come on thursday?")
    [passed] = [m.text for m in await chat.deliver() if m.address.chat_id == "amina"][-1:]
    assert "/reply 1" in passed
    await say(core, BRIAN_SMS, "STOP")
    await chat.deliver()
    answered = await chat.say("Amina", "/reply 1 Yes of course, see you")
    assert "sent STOP by SMS, so it went to their Telegram instead." in answered, answered


async def test_spanish_in_an_english_circle_yes_and_i_dont_understand(
    chat: Chat, core: Core
) -> None:
    """A42: Hana writes Spanish in an English circle. "no entiendo" to "May your facilitator
    read your written answers?" was taken as No (a privacy choice from "I don't understand");
    "si" was not a yes; "instrucciones en español por favor" was passed on, not obeyed."""
    from tests.conftest import DETROIT_CIRCLE

    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Hana", "/join " + await code_of(core, "Python for Everyone"))
    asked = await chat.say("Hana", "quiero aprender excel para mi trabajo")
    assert "May your facilitator read your written answers?" in asked
    for confused in ("no entiendo", "no entendi", "nein, verstehe nicht", "non je comprends pas"):
        again = await chat.say("Hana", confused)
        assert "stay between you and me" not in again, confused
        assert "Reply 1 for Yes, share or 2 for No, keep private." in again, confused
    assert "Your facilitator will see" in await chat.say("Hana", "si")
    switched = await chat.say("Hana", "instrucciones en español por favor")
    assert "te escribiré en español" in switched, switched


async def test_a_greeting_alone_is_no_answer_to_the_open_question(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C48: "HOLA" under the check-in's written question was saved as its answer."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_in_two(chat, sms, core, clock)
    for hello in ("HOLA", "Hello!", "habari"):
        reply = await text(sms, HALIMA, hello)
        assert reply.startswith("Hi Halima! My question can wait"), reply
    assert await answers(core) == [None]
    assert "Thank you" in await text(sms, HALIMA, "The loops were hard but I got there.")
    assert await answers(core) == ["The loops were hard but I got there."]


async def test_both_answers_which_circle_for_a_switch(chat: Chat, core: Core) -> None:
    """C50: SEGUIMIENTO DESACTIVAR, then LOS DOS / 1 y 2 to "which circle?": the same question
    again, each time another SMS."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")
    assert "is ready" in await chat.say("Otieno", SECOND_CIRCLE)
    await text(sms, HALIMA, "JOIN " + await code_of(core, "Digital Skills"))
    await text(sms, HALIMA, "/skip")
    await text(sms, HALIMA, "/skip")
    for switch, both in (("CHECKIN OFF", "both"), ("CHECKIN ON", "1 and 2")):
        assert "Which circle" in await text(sms, HALIMA, switch)
        reply = await text(sms, HALIMA, both)
        assert "Which circle" not in reply, reply
        assert "Python for Everyone" in reply and "Digital Skills" in reply, reply


async def test_the_facilitator_hears_of_start_after_stop(chat: Chat, core: Core) -> None:
    """C11, B31: Amina was told of Halima's STOP ("maybe have a word at the next meeting?"),
    never of her START."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")
    await chat.deliver()
    await text(sms, HALIMA, "STOP")
    [stopped] = to(await chat.deliver(), "Amina")
    assert "texted STOP" in stopped
    assert "Welcome back" in await text(sms, HALIMA, "START")
    [started] = to(await chat.deliver(), "Amina")
    assert started == (
        "Halima in Python for Everyone texted START again: my reminders and check-ins reach "
        "them again."
    )


async def test_name_with_an_emoji_by_sms_is_the_name(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """B34: "jina Otis 🔥" with a check-in waiting got "send a number from 1 to 5"."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")
    await play_week(chat, core, clock, 1, Week())
    await sms.deliver()
    assert "Nice to meet you, Otis!" in await text(sms, HALIMA, "NAME Otis 🔥")


async def test_here_and_more_counts_the_arrival_and_passes_the_rest_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A29: "im here but phone almost dead" during the meeting was only passed on; the
    attendance never heard of it."""
    from datetime import timedelta

    from tests.seasons import open_circle, starts

    await open_circle(chat, core, {"Brian": True})
    await chat.deliver()
    clock.set(starts(1) + timedelta(minutes=5))
    reply = await chat.say("Brian", "im here but phone almost dead")
    assert "You're here for meeting 1" in reply, reply
    assert "passed that on to Amina" in reply, reply
    [notice] = to(await chat.deliver(), "Amina")
    assert "phone almost dead" in notice
    # A sentence that only mentions "here" is no arrival.
    assert "You're here" not in await chat.say("Brian", "here is my question about loops")


async def test_words_naming_neither_circle_ask_which_circle_first(chat: Chat, core: Core) -> None:
    """D4: a learner in two circles wrote to "the facilitators" naming neither circle (no
    weekday, no name): the bot guessed one. It asks which, by number, then passes it on."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")  # private
    assert "is ready" in await chat.say("Otieno", SECOND_CIRCLE)
    await text(sms, HALIMA, "JOIN " + await code_of(core, "Digital Skills"))
    await text(sms, HALIMA, "/skip")
    await text(sms, HALIMA, "/skip")
    await chat.deliver()
    words = "My sister wants to come with me, she is learning to type too."
    asked = await text(sms, HALIMA, words)
    assert asked.startswith("Which circle is your message about?"), asked
    assert "Reply 1 for " in asked and " or 2 for " in asked, asked
    sent = await chat.deliver()
    assert to(sent, "Amina") == [] and to(sent, "Otieno") == []

    number = "1" if asked.index("Digital Skills") < asked.index("Python for Everyone") else "2"
    assert "passed that on to Otieno" in await text(sms, HALIMA, number)
    sent = await chat.deliver()
    [told] = to(sent, "Otieno")
    assert words in told and "Digital Skills" in told, told
    assert to(sent, "Amina") == []


async def test_words_naming_one_circles_course_go_to_that_circle(chat: Chat, core: Core) -> None:
    """D8: "Hallo Sabine, muss ich für python was installieren?" from a learner in two of
    Sabine's circles was filed under the other one (its notice the newest)."""
    sms = Chat(core, platform="sms", capabilities=SMS_CAPABILITIES)
    await halima_joins(chat, sms, core)
    await text(sms, HALIMA, "2")  # private
    assert "is ready" in await chat.say("Amina", SECOND_CIRCLE)
    await text(sms, HALIMA, "JOIN " + await code_of(core, "Digital Skills"))
    await text(sms, HALIMA, "/skip")
    await text(sms, HALIMA, "/skip")
    await chat.deliver()
    said = await text(sms, HALIMA, "Hello Amina, do I have to install anything for python?")
    assert "passed that on to Amina" in said, said
    [told] = to(await chat.deliver(), "Amina")
    assert "about Python for Everyone" in told, told
