"""Wording a French, Spanish or Swahili reader noticed (issue 16): a circle's name never glued
to an article ("de Les codeuses"), natural questions, one word for a meeting, command names a
facilitator can't mistype into another command, and /help naming commands as people type them."""

from __future__ import annotations

import difflib

from bot.chat.i18n import Catalogs
from bot.chat.keywords import local_name, plain
from bot.letters import letters
from locales import LOCALES_DIR
from tests.conftest import DETROIT_CIRCLE, Chat, code_of

CATALOGS = Catalogs(LOCALES_DIR)
FRENCH = CATALOGS.translator("fr")
THIES = "Les codeuses de Thiès"


async def test_a_french_learner_is_welcomed_to_the_circle_by_its_name_in_guillemets(
    chat: Chat,
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/language fr")
    welcome = await chat.say("Brian", "/join " + await code_of(chat.core, "Python for Everyone"))
    assert "Bienvenue dans le cercle « Python for Everyone »" in welcome
    assert "dans Python" not in welcome and "de Python" not in welcome


def test_french_never_puts_a_circles_name_right_after_de_dans_or_a() -> None:
    asked = FRENCH._(
        "What do you hope to get out of %(circle)s? A sentence is plenty, and you can keep it "
        "simple.",
        circle=THIES,
    )
    assert asked.startswith("Qu'attendez-vous du cercle « Les codeuses de Thiès » ?")
    invitation = FRENCH._(
        "Join us in %(circle)s, a learning circle: we take the online course %(course)s together.",
        circle=THIES,
        course="Python",
    )
    assert invitation.startswith("Rejoignez-nous dans le cercle d'apprentissage « Les codeuses")
    assert (
        FRENCH._("How %(circle)s is doing", circle=THIES) == "Où en est « Les codeuses de Thiès »"
    )


def test_french_questions_and_notes_read_naturally() -> None:
    assert FRENCH._("What is one thing you learned this week?") == (
        "Qu'avez-vous appris cette semaine ? Une seule chose suffit."
    )
    assert FRENCH._("In their words (shared with you):") == "Avec leurs mots (partagés avec vous) :"
    assert FRENCH._("No, keep it") == "Non, tout garder"
    coming = FRENCH._(
        "Coming: %(yes)d yes, %(no)d no, %(unknown)d not answered yet.", yes=1, no=0, unknown=2
    )
    assert coming.startswith("Viendront : 1 oui, 0 non")
    checkin = FRENCH._(
        "Hi %(name)s! How did meeting %(number)d of %(circle)s go for you?",
        name="Awa",
        number=2,
        circle=THIES,
    )
    assert checkin.startswith("Salut Awa !")  # a check-in may go out in the evening


def test_a_letters_place_reads_as_french_writes_it() -> None:
    place = letters.place(FRENCH, "Dakar", "SN")
    thanks = FRENCH._("Someone in %(place)s says thank you for your letter.", place=place)
    assert thanks == "Quelqu'un à Dakar (Sénégal) vous remercie pour votre lettre."
    header = FRENCH._(
        'From %(place)s (written in %(language)s):\n"%(text)s"\n- %(name)s',
        place=letters.place(FRENCH, "Lyon", "FR"),
        language="français",
        text="Bon courage",
        name="Awa",
    )
    assert header.startswith("De Lyon (France), écrite en français :")


def test_french_rsvp_is_not_one_letter_from_reply() -> None:
    rsvp, reply = plain(local_name(FRENCH, "rsvp")), plain(local_name(FRENCH, "reply"))
    assert difflib.SequenceMatcher(None, rsvp, reply).ratio() < 0.75, (rsvp, reply)


def test_spanish_calls_a_meeting_reunion_throughout() -> None:
    spanish = CATALOGS.translator("es")
    checkin = spanish._(
        "Hi %(name)s! How did meeting %(number)d of %(circle)s go for you?",
        name="Ana",
        number=2,
        circle="Python",
    )
    assert "la reunión 2" in checkin and "encuentro" not in checkin
    assert spanish._("Next meeting") == "Próxima reunión"


async def test_a_french_learners_help_lists_their_words_and_only_their_commands(
    chat: Chat,
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Brian", "/language fr")
    await chat.say("Brian", "/join " + await code_of(chat.core, "Python for Everyone"))
    listed = await chat.say("Brian", "/aide toutes")
    assert "/prochaine" in listed and "/dispo" in listed and "/rejoindre CODE" in listed
    assert "/next" not in listed and "/rsvp" not in listed
    assert "/lettres" not in listed and "/letters" not in listed  # reviewing letters: not theirs
    assert "/inviter" not in listed and "Pour animer un cercle" not in listed


async def test_a_facilitators_help_puts_running_a_circle_after_the_everyday_commands(
    chat: Chat,
) -> None:
    await chat.say("Amina", DETROIT_CIRCLE)
    await chat.say("Amina", "/language fr")
    listed = await chat.say("Amina", "/aide toutes")
    # Two messages (walkthrough 8, mix 2: a long list split by length cut its last line off).
    everyday, running = listed.split("\nPour animer un cercle :\n")
    assert "/prochaine" in everyday and "/inviter" not in everyday
    assert "/inviter" in running and "/lettres" in running and "/prochaine" not in running
