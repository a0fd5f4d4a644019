"""Everyday words read right (wave 2, group G1): a reminder's yes or no in words and a change of
mind soon after ("cant this week", "actually yes my shift changed", "me confundi, si voy a ir",
"i CAN come", "siwezi kukam leo"), a rating found in a check-in written in words ("le pongo un
4", "war ganz ok, aber...", "nadhani 4"), words at the rating question kept with the check-in
and never passed on against a private choice, a yes said warmly to the sharing question, and a
leave confirmation answered in a short sentence."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import RsvpAnswer
from tests.circles.test_leave_and_default import member
from tests.conftest import Chat
from tests.rhythm.test_everyday_answers import checkins
from tests.rhythm.test_reading_answers import answer_reminder, passed_on_to, rsvps
from tests.rhythm.test_sharing import join, shares
from tests.seasons import Week, open_circle, play_week, starts

# --- a reminder answered in words --------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "answer", "passed_on"),
    [
        ("en", "cant this week, grandkids are sick 😞", RsvpAnswer.NO, True),  # A12
        ("fr", "merci!! 2 je suis au village ce week end", RsvpAnswer.NO, True),  # B15
        ("fr", "Oui si Dieu le veut", RsvpAnswer.YES, False),  # B9
        ("es", "si Dios quiere, ahí estaré", RsvpAnswer.YES, False),
        ("sw", "ndiyo, Mungu akipenda", RsvpAnswer.YES, False),
        ("de", "kann diese Woche nicht, bin krank", RsvpAnswer.NO, True),
        ("da", "kan ikke i dag, min søn er syg", RsvpAnswer.NO, True),
    ],
)
async def test_a_reminder_answered_in_everyday_words_is_the_rsvp(
    chat: Chat,
    core: Core,
    clock: FakeClock,
    language: str,
    typed: str,
    answer: RsvpAnswer,
    passed_on: bool,
) -> None:
    """A12, B15: a no in words was only passed on, the learner still "not answered yet" in
    the digest. B9: "Oui si Dieu le veut" was a yes AND a message in the facilitator's inbox."""
    await answer_reminder(chat, core, clock, "Diego", language, typed)
    assert await rsvps(core) == [answer]
    notices = passed_on_to(await chat.deliver(), "Amina")
    assert bool(notices) is passed_on
    if passed_on:
        assert typed in notices[0]


# --- a change of mind soon after ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "first", "typed", "answer", "recorded"),
    [
        ("en", "2", "actually yes my shift changed", RsvpAnswer.YES, "see you"),  # A15
        (
            "es",
            "2",
            "ah no perdon señorita me confundi, si voy a ir, el jueves me dieron permiso en el "
            "mercado",
            RsvpAnswer.YES,
            "nos vemos",
        ),  # C18
        ("en", "2", "oh wait i mixed up the days, i CAN come tomorrow", RsvpAnswer.YES, "see you"),
        ("de", "2", "ich habe mich vertan, ich kann doch kommen", RsvpAnswer.YES, "bis"),
        (
            "sw",
            "1",
            "sori siwezi kukam leo, boss amesema nikae job hadi saa mbili",
            RsvpAnswer.NO,
            "tutakukosa",
        ),  # B6
        ("en", "1", "cant tonight sorry, car broke down", RsvpAnswer.NO, "miss you"),
    ],
)
async def test_a_change_of_mind_in_words_changes_the_rsvp_and_says_so(
    chat: Chat,
    core: Core,
    clock: FakeClock,
    language: str,
    first: str,
    typed: str,
    answer: RsvpAnswer,
    recorded: str,
) -> None:
    """A15, C18, D13, B6: the words went to the facilitator and the digest kept the old
    answer; the learner believed they had told the bot."""
    await answer_reminder(chat, core, clock, "Diego", language, first)
    await chat.deliver()
    clock.set(starts(1) - timedelta(hours=22, minutes=50))
    reply = await chat.say("Diego", typed)
    assert recorded in reply.casefold()  # says what was recorded
    assert await rsvps(core) == [answer]
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice  # the reason, for the facilitator


async def test_a_yes_word_long_after_a_no_is_only_a_message(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Hours after a No, a "yes ..." may answer anything (the facilitator's question): only
    a yes in so many words ("I can come") changes the RSVP then."""
    await answer_reminder(chat, core, clock, "Diego", "en", "2")
    clock.set(starts(1) - timedelta(hours=12))
    await chat.say("Diego", "yes I have a laptop now")
    assert await rsvps(core) == [RsvpAnswer.NO]
    await chat.say("Diego", "good news, I can come after all")
    assert await rsvps(core) == [RsvpAnswer.YES]


# --- a check-in answered in words -------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "shares", "typed", "rating"),
    [
        ("en", False, "its ok. i can follow now. would be 4", 4),  # A19
        ("de", False, "war ganz ok, aber die Blende verstehe ich immer noch nicht", 3),  # D11
        ("da", False, "det var rigtig hyggeligt, men lidt svært at høre", 5),  # D16
        (
            "es",
            True,
            "fue muy bonita la reunion, la señora rosa explico bien pero yo no pude prender la "
            "computadora al principio, el joven Luis me ayudo, creo que le pongo un 4 porque "
            "todavia me falta mucho",
            4,
        ),  # C9
        ("es", True, "un 5 señorita!!! ya se prender y apagar la computadora", 5),  # C19
        ("sw", True, "ilikuwa poa sana, nilijifunza mengi", 5),  # B14
    ],
)
async def test_a_rating_in_a_written_check_in_is_taken_and_the_words_are_its_answer(
    chat: Chat, core: Core, clock: FakeClock, language: str, shares: bool, typed: str, rating: int
) -> None:
    """The words went to the facilitators as a message ("not into your check-in"), even from
    learners who keep their answers private, and no rating was kept."""
    await open_circle(chat, core, {"Mateo": shares})
    await chat.say("Mateo", "/language " + language)
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    reply = await chat.say("Mateo", typed)
    assert f"{rating} " in reply  # the rating said back
    [checkin] = await checkins(core)
    assert (checkin.rating, checkin.answer) == (rating, typed)
    assert not passed_on_to(await chat.deliver(), "Amina")


async def test_nadhani_4_is_a_rating(chat: Chat, core: Core, clock: FakeClock) -> None:
    """B14: "Samahani, sikuelewa" to "I think 4"."""
    await open_circle(chat, core, {"Zawadi": True})
    await chat.say("Zawadi", "/language sw")
    await play_week(chat, core, clock, 1, Week())
    reply = await chat.say("Zawadi", "nadhani 4")
    assert "sikuelewa" not in reply
    assert [c.rating for c in await checkins(core)] == [4]


async def test_private_words_at_the_check_in_are_kept_and_never_passed_on(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """A19: Carlos keeps his answers private; his "lost my job..." went to both facilitators.
    Now it is his check-in's words, private, and the number is still asked for; the number
    then takes no "see above" open question."""
    await open_circle(chat, core, {"Carlos": False})
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    typed = (
        "lost my job last week so its been rough, didnt feel like coming. dont tell the group pls"
    )
    reply = await chat.say("Carlos", typed)
    assert "passed" not in reply
    assert "It stays between you and me." in reply
    assert "send a number from 1 to 5" in reply
    assert not passed_on_to(await chat.deliver(), "Amina")
    thanks = await chat.say("Carlos", "2")
    assert "?" not in thanks  # no open question: his words answered it
    [checkin] = await checkins(core)
    assert (checkin.rating, checkin.answer) == (2, typed)
    assert not passed_on_to(await chat.deliver(), "Amina")


# --- the sharing question ----------------------------------------------------------------------


async def test_a_warm_yes_with_more_words_is_the_sharing_answer(chat: Chat, core: Core) -> None:
    """C4: "si claro que lo lea la señora rosa, no tengo nada que esconder jaja" went to the
    facilitator as a message, and the question stayed unanswered."""
    await join(chat, core)
    await chat.say("Brian", "/language es")
    await chat.say("Brian", "Aprender a usar la computadora.")
    await chat.deliver()
    typed = "si claro que lo lea la señora rosa, no tengo nada que esconder jaja"
    reply = await chat.say("Brian", typed)
    assert "sin anotar" not in reply
    assert await shares(core) is True
    assert not any(typed in text for text in passed_on_to(await chat.deliver(), "Amina"))


# --- leaving ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "typed", "stays"),
    [
        ("fr", "euh non en fait", True),  # B16
        ("fr", "bon ok oui", False),
        ("de", "hmm nein doch nicht, ich bleibe", True),  # D32
    ],
)
async def test_a_leave_confirmation_in_a_short_sentence(
    chat: Chat, core: Core, language: str, typed: str, stays: bool
) -> None:
    """B16, D32: each got the same question again, word for word."""
    await join(chat, core)
    await chat.say("Brian", "/language " + language)
    await chat.say("Brian", "/skip")
    asked = await chat.say("Brian", "/leave")
    reply = await chat.say("Brian", typed)
    assert reply != asked
    assert ((await member(core, "Brian")).left_at is None) is stays


async def test_a_leave_confirmation_not_understood_is_asked_differently(
    chat: Chat, core: Core
) -> None:
    await join(chat, core)
    await chat.say("Brian", "/skip")
    asked = await chat.say("Brian", "/leave")
    again = await chat.say("Brian", "hmm what happens to my answers")
    assert again != asked
    assert again.startswith("Sorry, I didn't catch that. Yes or no?")
    assert (await member(core, "Brian")).left_at is None


async def test_a_private_question_at_the_check_in_is_offered_to_pass_on_not_sent(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Kept private, a question for the facilitator is hers to pass on with one key."""
    await open_circle(chat, core, {"Carlos": False})
    await play_week(chat, core, clock, 1, Week())
    await chat.deliver()
    typed = "Amina, is the library open on Thursday?"
    reply = await chat.say("Carlos", typed)
    assert "Is it a question for Amina?" in reply
    assert not passed_on_to(await chat.deliver(), "Amina")
    assert "passed that on" in await chat.say("Carlos", "1")
    [notice] = passed_on_to(await chat.deliver(), "Amina")
    assert typed in notice
