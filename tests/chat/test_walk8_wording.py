"""Walkthrough 8 wording (lang 1-3, 6, 7, 12, 15, 18, 20, 27, 28; mix 2, 21): a newcomer asks for
her language in words, a command is spelled one way in /help and in replies, Swahili /futa 3
points to /ghairi 3, old command words keep working after a language switch, and the wording
slips the German, Swahili, Danish, French and Spanish readers tripped on."""

from __future__ import annotations

from bot.chat import keywords
from bot.chat.i18n import Catalogs
from bot.chat.messages import Address, Capabilities, Choice, Outbound
from bot.chat.rendering import fit
from bot.core.command_table import build_registry
from locales import LOCALES_DIR
from tests.conftest import Chat, code_of

CATALOGS = Catalogs(LOCALES_DIR)
SLASHES = Capabilities(max_text_length=4000)


def _circle(name: str, city: str, country: str, zone: str) -> str:
    return (
        f'/newcircle name="{name}" course="Digital Literacy" venue="Stadtbibliothek Pankow" '
        f"city={city} country={country} zone={zone} start=2026-10-29 time=18:00 meetings=6"
    )


async def test_a_newcomer_in_the_wrong_language_asks_for_hers_in_words(chat: Chat) -> None:
    # No word only Swahili has ("Habari" would have said it: issue 16, and the welcome came
    # in Swahili): German, as the phone said.
    welcome = await chat.say("Mwanaisha", "nataka kuanzisha kikundi kipya", locale_hint="de")
    assert "/neuerkreis" in welcome
    # Every language named in itself, with its command: she can read one of them.
    # English with its own word (wave 2, B30), not the reader's "/sprache".
    assert "Kiswahili: /lugha sw" in welcome and "English: /language en" in welcome
    puzzled = await chat.say("Mwanaisha", "sielewi kijerumani. Kiswahili tafadhali")
    assert puzzled.startswith("Kuanzia sasa nitakuandikia kwa Kiswahili."), puzzled
    assert "/kikundipya" in puzzled
    again = await chat.say("Mwanaisha", "nataka kujifunza")
    assert "/jiunge" in again, again
    assert "Deutsch: /sprache de" in again  # still told how to change, every time


async def test_help_and_replies_spell_each_command_the_same_way(chat: Chat) -> None:
    await chat.say("Katrin", "/sprache de")
    await chat.say("Katrin", _circle("Python für Einsteiger", "Berlin", "DE", "Europe/Berlin"))
    german = await chat.say("Katrin", "/hilfe all")
    assert "/uebersicht:" in german and "/übersicht" not in german, german
    assert "Für Facilitator*innen:" in german and "oder aus" in german
    de = CATALOGS.translator("de")
    reminder = de._("Coming: I'm asking everyone now. Send /digest later to see the answers.")
    [shown] = fit(Outbound(Address("x", "1"), reminder), SLASHES, de)
    assert "Schick später /uebersicht" in shown.text, shown.text

    await chat.say("Mette", "/sprog da")
    setup = await chat.say(
        "Mette", _circle("Digital dannelse", "Aarhus", "DK", "Europe/Copenhagen")
    )
    assert "/soeg" in setup and "/søg" not in setup, setup
    replies = await chat.core.handle(chat.inbound("Mette", "/hjælp all"), chat.capabilities)
    everyday, running = (reply.text for reply in replies)
    assert "/soeg [STED, KURSUS ELLER SPROG]" in everyday
    # The facilitators' list is a message of its own, whole to its last line.
    assert running.startswith("Til facilitatorer:") and running.endswith("besked)")
    assert (
        "/paamindelser [TIDER]: " in running and "f.eks. /paamindelser 24h 1h, eller fra" in running
    )
    assert "Om /soeg viser" in running and "/team ny NAVN, /team tilføj KODE" in running
    registry = build_registry()
    da = CATALOGS.translator("da")
    for typed, command in [
        ("paamindelser", "reminders"),
        ("soeg", "find"),
        ("uebersicht", "digest"),
    ]:
        reader = de if typed == "uebersicht" else da
        found = registry.named(typed, reader)
        assert found is not None and found.name == command, typed


async def test_swahili_delete_with_a_meeting_number_points_to_cancel(chat: Chat) -> None:
    await chat.say("Mwanaisha", "/lugha sw")
    await chat.say("Mwanaisha", _circle("Ujuzi wa Kompyuta", "Mombasa", "KE", "Africa/Nairobi"))
    refused = await chat.say("Mwanaisha", "/futa 3")
    assert "/ghairi 3" in refused and "mduara" not in refused, refused
    listed = await chat.say("Mwanaisha", "/msaada all")
    assert "/ghairi MKUTANO [SABABU]: Ghairi mkutano mmoja" in listed
    assert "/ruhusa [WASHA|ZIMA]" in listed and "/kushiriki" not in listed
    assert "mwanafunzi" not in listed.casefold() and "Kumwondoa mshiriki" in listed
    code = await code_of(chat.core, "Ujuzi wa Kompyuta")
    await chat.say("Juma", "/lugha sw")
    await chat.say("Juma", f"/jiunge {code}")
    # The name he learned before the rename still works, and the reply teaches the new one.
    assert "/ruhusa washa" in await chat.say("Juma", "/kushiriki zima")


async def test_old_command_words_work_after_switching_language(chat: Chat) -> None:
    await chat.say("Katrin", "/sprache de")
    await chat.say("Katrin", _circle("Python für Einsteiger", "Berlin", "DE", "Europe/Berlin"))
    code = await code_of(chat.core, "Python für Einsteiger")
    await chat.say("Emine", "/sprache de")
    await chat.say("Emine", f"/beitreten {code}")
    await chat.say("Emine", "/sprache en")
    shared = await chat.say("Emine", "/mitlesen an")
    assert shared.startswith("Done: your facilitator can read"), shared


async def test_the_letter_usage_line_is_in_the_readers_words(chat: Chat) -> None:
    await chat.say("Katrin", "/sprache de")
    await chat.say("Katrin", _circle("Python für Einsteiger", "Berlin", "DE", "Europe/Berlin"))
    german = await chat.say("Katrin", "/brief alle")
    assert "/brief [ZURÜCKZIEHEN]" in german and "withdraw" not in german, german
    assert "/briefe" in german  # where a facilitator finds the letters to approve
    code = await code_of(chat.core, "Python für Einsteiger")
    await chat.say("Juma", "/lugha sw")
    await chat.say("Juma", f"/jiunge {code}")
    swahili = await chat.say("Juma", "/barua zote")
    assert "/barua [ONDOA]" in swahili and "withdraw" not in swahili, swahili
    assert "/barua_zote" not in swahili  # a learner has no letters to approve


def test_wording_slips_are_mended() -> None:
    de, sw = CATALOGS.translator("de"), CATALOGS.translator("sw")
    da, fr, es = (CATALOGS.translator(code) for code in ("da", "fr", "es"))
    setup = de._(
        "Let's set up your circle. I'll ask a few questions; send back to change your last "
        "answer, or /cancel to stop."
    )
    assert "schick „zurück“" in setup
    assert "Hallo Herr Schulz, wie läuft" in de._(
        "Hi %(name)s, how is %(circle)s going? Reply when you can, or /skip.",
        name="Herr Schulz",
        circle="Python",
    )
    welcome = de._(
        "Welcome to %(circle)s! You'll take %(course)s together with the group, meeting at "
        "%(venue)s.\n\nThere's no teacher here: everyone learns and everyone helps. Come as you "
        "are, ask anything.",
        circle="Python",
        course="Python",
        venue="Stadtbibliothek Pankow",
    )
    assert "Treffpunkt: Stadtbibliothek Pankow" in welcome and "in Stadtbibliothek" not in welcome
    arrived = de._(
        "Your letter reached a learning circle in %(place)s today.", place="Mombasa, Kenia"
    )
    assert arrived.endswith("in Mombasa, Kenia.")
    replied = de._("%(name)s (your facilitator) replied:\n%(text)s", name="Katrin", text="Hallo")
    assert "dein Facilitator" not in replied

    signing = sw._(
        "Lovely. How should it be signed? Send a name, or pick yours. It will say %(city)s with "
        "it, never how to reach you.",
        city="Mombasa",
    )
    assert "Itiwe sahihi" not in signing and "isainiwe" in signing and "namba yako" in signing
    came = sw.ngettext(
        "You came to %(came)d of %(n)d meeting.",
        "You came to %(came)d of %(n)d meetings.",
        5,
        came=4,
    )
    assert came == "Ulihudhuria mikutano 4 kati ya 5."
    [rsvp] = fit(
        Outbound(Address("x", "1"), "Utakuja?", (Choice("Ndiyo", "yes"), Choice("Hapana", "no"))),
        Capabilities(max_text_length=4000, buttons=False),
        sw,
    )
    assert rsvp.text.endswith("Jibu 1 (Ndiyo) au 2 (Hapana).")
    assert "Python for Everyone" not in sw._(
        "What's the circle called? For example: Python for Everyone."
    )

    assert "vælg dit eget nedenfor" in da._(
        "Lovely. How should it be signed? Send a name, or pick yours. It will say %(city)s with "
        "it, never how to reach you.",
        city="Aarhus",
    )
    cancelled = da._(
        "%(circle)s: meeting %(number)d on %(when)s won't take place. You meet next on %(next)s.",
        circle="X",
        number=5,
        when="mandag",
        next="mandag",
    )
    assert "er aflyst" in cancelled
    assert "Ingrid bliver facilitator" in da._(
        "Hand %(circle)s over to %(name)s? They'll be its facilitator, and you can "
        "co-facilitate it or step out for now. %(told)s",
        circle="X",
        name="Ingrid",
        told="",
    )
    assert "18.00" in da._("What time do you meet, in local time? For example 18:00.")
    line = fr._(
        "Meeting %(number)d of %(count)d: %(when)s, at %(venue)s.",
        number=1,
        count=6,
        when="jeudi",
        venue="Médiathèque du Bachut",
    )
    assert "lieu : Médiathèque du Bachut" in line and "à Médiathèque" not in line
    assert "armar" not in es._(
        "Let's set up your circle. I'll ask a few questions; send back to change your last "
        "answer, or /cancel to stop."
    )
    assert "Qué tan" not in es._(
        'At the start of %(circle)s you said: "%(goal)s". How close did you get?',
        circle="X",
        goal="Y",
    )
    both = es._(
        "%(facilitator)s now leads %(circle)s, and %(previous)s stays on as co-facilitator. "
        "Your messages reach them both.",
        facilitator="Carmen",
        circle="X",
        previous="Lucía",
    )
    assert "a los dos" not in both and "las dos personas" in both
    assert keywords.slash_name(de, "skip") == "ueberspringen"
