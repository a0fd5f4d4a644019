"""Wave 2, group 5: newcomers, languages, names and goals, as the walkthroughs met them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Person
from tests.circles.test_find import listed, names_in_order, network
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.core.test_several_circles import SECOND_CIRCLE
from tests.core.test_sms_words import Phones
from tests.database import open_session
from tests.letters.test_letters import AFTER_MEETING_3, detroit, letters_in
from tests.letters.test_letters_by_sms import LETTER, joined_by_sms
from tests.letters.test_letters_by_sms import PHONE as LETTER_PHONE
from tests.letters.test_relay_due import INVITE
from tests.network.test_survey import TWO_WEEKS, end_the_circle
from tests.seasons import open_circle

PHONE = "+254722000111"


async def _joined(chat: Chat, core: Core, language: str = "sw") -> Phones:
    await chat.say("Amina", DETROIT_CIRCLE + f" language={language}")
    phone = Phones(core, platform="sms")
    await phone.say(PHONE, f"JOIN {await code_of(core, 'Python for Everyone')}")
    return phone


async def _names(core: Core) -> set[str]:
    async with open_session(core) as session:
        return {person.display_name for person in (await session.exec(select(Person))).all()}


async def test_a_filler_after_the_name_is_no_part_of_it(chat: Chat, core: Core) -> None:
    """B1: "ni Otis bana" ("it's Otis, man") was saved as "Otis bana"."""
    phone = await _joined(chat, core)
    assert "Otis!" in await phone.say(PHONE, "ni Otis bana")
    assert "Otis" in await _names(core) and "Otis bana" not in await _names(core)


async def test_name_keyword_takes_the_name_after_an_opening(chat: Chat, core: Core) -> None:
    """B43: "nom c'est Awa" set the name "c'est Awa" that the whole circle saw."""
    phone = await _joined(chat, core, "fr")
    await phone.say(PHONE, "Aminata")
    await phone.say(PHONE, "apprendre Python")
    await phone.say(PHONE, "1")
    assert "Awa" in await phone.say(PHONE, "nom c'est Awa")
    assert "Awa" in await _names(core)
    assert not any("c'est" in name for name in await _names(core))


async def test_a_letter_signature_drops_the_word_before_the_name(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """B18: "ni Otis wa Nyalenda" signed a letter "- ni Otis wa Nyalenda"."""
    await detroit(chat, core, "Brian")
    sms = await joined_by_sms(core, "Python for Everyone")
    clock.set(AFTER_MEETING_3)
    await core.tick()
    clock.set(INVITE + timedelta(minutes=1))
    await core.tick()
    assert "How should it be signed?" in await sms.say(LETTER_PHONE, LETTER)
    await sms.say(LETTER_PHONE, "ni Otis wa Nyalenda")
    assert [letter.signature for letter in await letters_in(core)] == ["Otis wa Nyalenda"]


async def test_asking_for_english_in_a_sentence_switches_at_the_goal_question(
    chat: Chat, core: Core
) -> None:
    """D9: "sorry can you write in english please?" at the German goal question was read as
    a question about the goal; B5: "je comprend pas, en francais svp" was kept as the goal."""
    await chat.say("Amina", DETROIT_CIRCLE + " language=de")
    code = await code_of(core, "Python for Everyone")
    await chat.say("Ayse", f"/join {code}", locale_hint="de")
    answer = await chat.say("Ayse", "sorry can you write in english please?", locale_hint="de")
    assert "From now on I'll write to you in English." in answer
    assert "What do you hope to get out of Python for Everyone?" in answer
    await chat.say("Moussa", f"/join {code}", locale_hint="sw")
    answer = await chat.say("Moussa", "je comprend pas, en francais svp", locale_hint="sw")
    assert "Désormais, je vous écrirai en français." in answer
    assert "Qu'attendez-vous du cercle « Python for Everyone » ?" in answer
    # A goal naming a language is still a goal.
    await chat.say("Lena", f"/join {code}", locale_hint="en")
    assert "remind you" in await chat.say("Lena", "to write emails in English at work")


async def test_asking_for_english_at_the_name_question_asks_the_name_again(
    chat: Chat, core: Core
) -> None:
    """C5: "Sorry, my Spanish is not great - can you text me in English please?" at the
    Spanish name question; then "Mary" is her name, not a message for the facilitator."""
    phone = await _joined(chat, core, "es")
    answer = await phone.say(
        PHONE, "Sorry, my Spanish is not great - can you text me in English please?"
    )
    assert "From now on I'll write to you in English." in answer
    assert "What should the group call you?" in answer
    assert "Nice to meet you, Mary!" in await phone.say(PHONE, "Mary")
    assert "Mary" in await _names(core)


async def test_a_practical_question_at_the_goal_question_reaches_the_facilitator(
    chat: Chat, core: Core
) -> None:
    """A3: "do i need to bring my own laptop?" at the goal question was explained away and
    never reached Amina; the goal question stays open."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Carlos", "/join " + await code_of(core, "Python for Everyone"))
    answer = await chat.say("Carlos", "do i need to bring my own laptop?")
    assert "passed" in answer and "Amina" in answer
    assert "What do you hope to get out of Python for Everyone?" in answer
    rows = [row for row in await chat.outbox() if row.chat_id == "amina"]
    assert any("laptop" in row.payload["text"] for row in rows)
    assert "remind you" in await chat.say("Carlos", "keep my shop's accounts")


async def test_a_hesitant_goal_with_a_question_mark_is_kept_whole(chat: Chat, core: Core) -> None:
    """D8 and D24: "weiß nicht genau... vllt meine excel listen automatisieren?" was cut to
    "weiß nicht genau..." and the rest offered to the facilitator as a question."""
    await chat.say("Amina", DETROIT_CIRCLE + " language=de")
    await chat.say("Lena", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Lena", "weiß nicht genau... vllt meine excel listen automatisieren?")
    private = await chat.say("Lena", "nein lieber nicht")
    assert "weitergeben" not in private
    portfolio = await chat.say("Lena", "/portfolio")
    assert "weiß nicht genau... vllt meine excel listen automatisieren?" in portfolio


async def test_a_question_held_with_a_private_goal_is_offered_both_ways(
    chat: Chat, core: Core
) -> None:
    """D8: the offer to pass a question on showed only "1 (Yes)"; No is a choice too."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Carlos", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Carlos", "To keep my shop's accounts. Where do we meet?")
    offer = await chat.say("Carlos", "2")
    assert "Yes, pass it on" in offer and "No, keep it private" in offer
    assert "stays between you and me" in await chat.say("Carlos", "2")


@pytest.mark.parametrize("word", ["tout", "tous", "toutes"])
async def test_help_all_in_french_words(chat: Chat, word: str) -> None:
    """B8: "/aide tout" answered "Je ne connais pas /tout"."""
    await chat.say("Elodie", "/language fr")
    answer = await chat.say("Elodie", f"/aide {word}")
    assert "/tout" not in answer and "ne connais pas" not in answer
    assert "/demarrer" in answer


async def test_help_about_an_unknown_word_quotes_it_as_typed(chat: Chat) -> None:
    answer = await chat.say("Elodie", "/help toto")
    assert "/toto" not in answer and "“toto”" in answer


# Python for Everyone's meeting 1: Thursday, October 29, 2026, 18:00 in Detroit.
DETROIT_MEETING_1 = datetime(2026, 10, 29, 22, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "typed", "welcomed"),
    [
        ("sw", "niko", "Uko hapa kwa mkutano wa 1"),
        ("sw", "nimeingia", "Uko hapa kwa mkutano wa 1"),
        ("fr", "jsuis la", "réunion 1"),
        ("fr", "chui la", "réunion 1"),
    ],
)
async def test_here_as_people_say_it(
    chat: Chat, core: Core, clock: FakeClock, language: str, typed: str, welcomed: str
) -> None:
    """B12, B17: "niko", "chui la", "jsuis la" were passed on to the facilitator
    mid-meeting instead of marking the learner present."""
    await chat.say("Amina", DETROIT_CIRCLE + f" language={language}")
    await chat.say("Otis", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Otis", "/skip")
    await chat.say("Otis", "1")
    clock.set(DETROIT_MEETING_1 + timedelta(minutes=10))
    assert welcomed in await chat.say("Otis", typed)


async def test_the_welcome_and_next_give_the_course_link(chat: Chat, core: Core) -> None:
    """B10: learners never got the course link, only its title."""
    await chat.say("Amina", DETROIT_CIRCLE + " url=https://www.py4e.com")
    welcome = await chat.say("Brian", "/join " + await code_of(core, "Python for Everyone"))
    assert "https://www.py4e.com" in welcome
    await chat.say("Brian", "/skip")
    await chat.say("Brian", "1")
    assert "https://www.py4e.com" in await chat.say("Brian", "/next")


async def test_find_by_a_circles_own_name(chat: Chat) -> None:
    """B24: "/find kompyuta" didn't find "Kompyuta kwa Wote"; only its city did."""
    await network(chat)
    found = await chat.say("Zawadi", "/find ujuzi")
    assert "Ujuzi wa Kidijitali" in found


async def test_find_a_language_and_a_city_together(chat: Chat) -> None:
    """D66: "/find englisch leipzig" found nothing though each word found the circle; here
    "swahili kampala" and "python nairobi"."""
    await network(chat)
    assert "Ujuzi wa Kidijitali" in await chat.say("Greta", "/find swahili kampala")
    found = await chat.say("Greta", "/find python nairobi")
    assert names_in_order(found)[0] == "Python Nairobi"


async def test_a_city_spelled_two_ways_is_one_city(chat: Chat) -> None:
    """D43: "Århus" and "Aarhus" were two cities to /find."""
    await listed(
        chat,
        "Mette",
        '/newcircle name="Excel 2" course="Excel" venue="Dokk1" city=Aarhus country=DK '
        "zone=Europe/Copenhagen start=2026-11-10 time=17:00 meetings=6",
    )
    for typed in ["Århus", "aarhus", "ARHUS"]:
        assert "Excel 2" in await chat.say("Kai", f"/find {typed}"), typed


async def test_find_says_when_it_found_only_your_own_circle(chat: Chat, core: Core) -> None:
    """C54: a learner searching her own city was told nothing is open."""
    await network(chat)
    await chat.say("Juana", "/join " + await code_of(core, "Python Nairobi"))
    await chat.say("Juana", "/skip")
    await chat.say("Juana", "1")
    assert "You're already in Python Nairobi" in await chat.say("Juana", "/find nairobi python")


async def test_courses_are_found_without_their_accents(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """C43: "/cursos informatica" found nothing, "/cursos informática" found the course."""
    circle = TWO_WEEKS.replace("Python for Everybody", "Informática básica")
    await open_circle(chat, core, {"Brian": True, "Dana": True}, circle)
    await end_the_circle(chat, core, clock)
    for typed in ["informatica", "informática", "INFORMATICA basica"]:
        assert "Informática básica" in await chat.say("Zoe", f"/courses {typed}"), typed


async def test_share_takes_a_link_without_https(chat: Chat, core: Core) -> None:
    """B44: "/partager scratch.mit.edu/projects super tutos" was refused for want of https://."""
    await open_circle(chat, core, {"Brian": True})
    said = await chat.say("Brian", "/share scratch.mit.edu/projects great game tutorials")
    assert "Once your facilitator approves it" in said
    assert "https://scratch.mit.edu/projects" in await chat.say("Amina", "/share")


async def test_the_language_menu_gives_english_its_own_command(chat: Chat) -> None:
    """B30: the menu showed "English: /lugha en" to a Swahili reader, "/langue en" in French."""
    for name, hint, own in [("Moussa", "sw", "/lugha sw"), ("Elodie", "fr", "/langue fr")]:
        menu = await chat.say(name, "habari", locale_hint=hint)
        assert "English: /language en" in menu and own in menu, menu
        assert "\u2060" not in menu


async def test_an_english_invitation_forwarded_by_a_german_facilitator_says_join(
    chat: Chat,
) -> None:
    """D60: the English circle's invitation told people to send the German /beitreten."""
    await chat.say("Jonas", "/language de")
    await chat.say("Jonas", DETROIT_CIRCLE + " language=en")
    invitation = await chat.say("Jonas", "/invite")
    assert "/join " in invitation and "/beitreten" not in invitation, invitation
    assert "\u2060" not in invitation


async def test_same_goal_as_before_takes_the_last_circles_goal(chat: Chat, core: Core) -> None:
    """C59: "LO MISMO Q ANTES" was kept as the goal of Juana's second circle."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", SECOND_CIRCLE)
    await chat.say("Juana", "/join " + await code_of(core, "Python for Everyone"))
    await chat.say("Juana", "send photos to my daughter by WhatsApp")
    await chat.say("Juana", "1")
    await chat.say("Juana", "/join " + await code_of(core, "Digital Skills"))
    await chat.say("Juana", "SAME AS BEFORE")
    portfolio = await chat.say("Juana", "/portfolio")
    assert portfolio.count("send photos to my daughter by WhatsApp") == 2, portfolio
    assert "SAME AS BEFORE" not in portfolio


async def test_oops_wrong_circle_is_no_goal(chat: Chat, core: Core) -> None:
    """D67: "oh nein falsch, ich wollte leipzig!" was saved as Greta's goal."""
    await chat.say("Amina", DETROIT_CIRCLE + " language=de")
    await chat.say("Greta", "/join " + await code_of(core, "Python for Everyone"))
    answer = await chat.say("Greta", "oh nein falsch, ich wollte leipzig!")
    assert "Python for Everyone zu verlassen" in answer
    assert "erinnere ich dich" not in answer
    assert "leipzig" not in await chat.say("Greta", "/portfolio")


async def test_leave_with_the_circle_named_and_a_reason(chat: Chat, core: Core) -> None:
    """B38: "/ondoka python, ni usiku sana kwangu" asked which circle, then gave a bare usage
    line; the circle named first is the one, and the reason reaches the facilitator."""
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", SECOND_CIRCLE)
    for circle in ["Python for Everyone", "Digital Skills"]:
        await chat.say("Zawadi", "/join " + await code_of(core, circle))
        await chat.say("Zawadi", "/skip")
        await chat.say("Zawadi", "1")
    asked = await chat.say("Zawadi", "/leave python, it's too late at night for me")
    assert asked.startswith("Leave Python for Everyone?")
    assert "You've left Python for Everyone" in await chat.say("Zawadi", "1")
    told = [row.payload["text"] for row in await chat.outbox() if row.chat_id == "amina"]
    assert "it's too late at night for me" in told[-1]


async def test_joining_a_circle_in_another_language_says_so(chat: Chat, core: Core) -> None:
    """B32: a French reader joined a Swahili circle with no word that the group speaks
    Swahili; one in his own language hears nothing of it."""
    await chat.say("Amani", DETROIT_CIRCLE + " language=sw")
    code = await code_of(core, "Python for Everyone")
    welcome = await chat.say("Moussa", f"/join {code}", locale_hint="fr")
    assert "Le groupe parle swahili." in welcome, welcome
    assert "Kikundi kinazungumza" not in await chat.say("Otis", f"/join {code}", locale_hint="sw")


async def test_a_phone_joining_an_online_circle_is_told_it_needs_a_smartphone(
    chat: Chat, core: Core
) -> None:
    """D55: Kai joined an online-only circle by SMS without a word on how to take part."""
    await chat.say(
        "Amina", DETROIT_CIRCLE.replace("Detroit Public Library", "https://meet.jit.si/py")
    )
    phone = Phones(core, platform="sms")
    welcome = await phone.say(PHONE, f"JOIN {await code_of(core, 'Python for Everyone')}")
    assert "smartphone or a computer" in welcome, welcome
