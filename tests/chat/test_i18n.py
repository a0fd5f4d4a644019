"""Every user-facing string goes through gettext, and the catalog template is up to date."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.chat.i18n import Catalogs
from locales import LOCALES_DIR
from tests.conftest import Chat
from tests.database import open_session

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extracted_msgids() -> set[str]:
    found: set[str] = set()
    for directory in ("bot", "adapters", "prompts"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / directory,
            method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
            options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords=KEYWORDS,
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_the_pot_file_has_every_msgid_in_the_code_and_no_stale_ones() -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as pot:
        template = {
            message.id if isinstance(message.id, str) else message.id[0]
            for message in read_po(pot)
            if message.id
        }
    code = extracted_msgids()
    assert code - template == set(), "run the pybabel extract/update commands in the README"
    assert template - code == set(), "run the pybabel extract/update commands in the README"


def test_every_catalog_has_every_msgid_of_the_template() -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as pot:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(pot) if m.id}
    for po_path in LOCALES_DIR.glob("*/LC_MESSAGES/messages.po"):
        with po_path.open("rb") as po:
            catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(po) if m.id}
        assert template <= catalog, po_path


def test_prompts_are_extracted_with_the_code() -> None:
    from prompts import onboarding

    assert onboarding.LEARNER_WELCOME in extracted_msgids()


def test_negotiation_falls_back_to_a_shipped_language() -> None:
    catalogs = Catalogs(LOCALES_DIR)
    assert "en" in catalogs.locales
    assert catalogs.negotiate("en-GB") == "en"
    assert catalogs.negotiate("zz", None, "not a locale") == "en"


def test_times_are_shown_in_the_circle_zone_with_plain_spaces() -> None:
    tr = Catalogs(LOCALES_DIR).translator("en")
    instant = datetime(2026, 11, 5, 23, 0, tzinfo=UTC)
    assert tr.when(instant, "America/Detroit") == "Thursday, November 5, 2026 at 6:00 PM (EST)"
    assert tr.when(instant, "Africa/Nairobi") == "Friday, November 6, 2026 at 2:00 AM (EAT)"
    assert tr.when(instant, "Europe/Berlin").endswith("at 12:00 AM (CET)")


def test_plurals_follow_the_count() -> None:
    tr = Catalogs(LOCALES_DIR).translator("en")
    one = tr.ngettext("%(n)d learner", "%(n)d learners", 1)
    three = tr.ngettext("%(n)d learner", "%(n)d learners", 3)
    assert (one, three) == ("1 learner", "3 learners")


PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
TRANSLATED = ("es", "fr", "de", "sw", "da")


def _problems(code: str, locales_dir: Path = LOCALES_DIR) -> list[str]:
    """What is wrong with one catalog: untranslated, fuzzy, placeholders, plural forms."""
    with (locales_dir / code / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale=code)
    found = []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if message.fuzzy:
            found.append(f"fuzzy: {ids[0]!r}")
        if len(ids) > 1 and len(strings) != catalog.num_plurals:
            found.append(f"plural forms: {ids[0]!r}")
        # A plural form may leave some out (the English singular does): each form uses only
        # known names, and together the forms use them all. "n" is always supplied.
        wanted = set(PLACEHOLDER.findall(" ".join(ids))) - ({"n"} if len(ids) > 1 else set())
        used: set[str] = set()
        for string in strings:
            got = set(PLACEHOLDER.findall(string)) - ({"n"} if len(ids) > 1 else set())
            used |= got
            if not string:
                found.append(f"untranslated: {ids[0]!r}")
            elif not got <= wanted:
                found.append(f"unknown placeholders {sorted(got - wanted)}: {ids[0]!r}")
        if used != wanted and all(strings):
            found.append(f"placeholders {sorted(used)} != {sorted(wanted)}: {ids[0]!r}")
    return found


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_shipped_catalog_is_complete_and_keeps_its_placeholders(code: str) -> None:
    assert code in Catalogs(LOCALES_DIR).locales
    assert _problems(code) == []


def test_the_catalog_check_catches_what_it_should(tmp_path: Path) -> None:
    """A catalog with a dropped placeholder, a fuzzy entry and a blank is caught."""
    broken = LOCALES_DIR / "es" / "LC_MESSAGES" / "messages.po"
    text = broken.read_text(encoding="utf-8")
    assert "%(circle)s" in text
    with broken.open("rb") as po:
        catalog = read_po(po, locale="es")
    message = next(m for m in catalog if isinstance(m.id, str) and "%(circle)s" in m.id)
    message.string = message.string.replace("%(circle)s", "")
    other = next(m for m in catalog if isinstance(m.id, str) and m.id and m is not message)
    other.string = ""
    from babel.messages.pofile import write_po

    copy = tmp_path / "es" / "LC_MESSAGES"
    copy.mkdir(parents=True)
    with (copy / "messages.po").open("wb") as po:
        write_po(po, catalog)
    problems = _problems("es", tmp_path)
    assert any("placeholders" in p for p in problems)
    assert any(p.startswith("untranslated") for p in problems)


async def test_a_person_chooses_their_language_and_it_follows_them(chat: Chat) -> None:
    menu = await chat.say("Brian", "/language")
    assert "Kiswahili" in menu and "español" in menu and "Reply 1 for" in menu
    assert "I don't speak Klingon yet" in await chat.say("Brian", "/language Klingon")
    answer = await chat.say("Brian", "/language sw")
    assert "Kiswahili" in answer or "Sasa" in answer or "Kuanzia" in answer
    # Every later message is in Swahili, whatever the platform hints.
    help_text = await chat.say("Brian", "/help", locale_hint="en")
    assert help_text != await Chat(chat.core).say("Amina", "/help")


async def test_choosing_from_the_menu_by_number_works(chat: Chat) -> None:
    await chat.say("Brian", "/language")
    codes = Catalogs(LOCALES_DIR).locales
    answer = await chat.say("Brian", str(codes.index("fr") + 1))
    assert "français" in answer.casefold() or "désormais" in answer.casefold()


async def test_an_sms_learner_gets_the_circles_language_unless_they_chose_another(
    chat: Chat,
) -> None:
    await chat.say(
        "Margot",
        '/newcircle name="Apprendre Python" course="Python" venue="BnF" city=Paris country=FR '
        "zone=Europe/Paris start=2026-11-04 time=19:00 meetings=6 language=fr",
        locale_hint="fr",
    )
    async with open_session(chat.core) as session:
        from sqlmodel import select

        from bot.storage.models import Circle

        code = (await session.exec(select(Circle.join_code))).one()
    sms = Chat(chat.core, platform="sms")
    await sms.say("+33600000000", "/join " + code)
    assert "Réunion 1 sur 6" in await sms.say("+33600000000", "/next")
    await sms.say("+33600000000", "/language en")
    assert "Meeting 1 of 6" in await sms.say("+33600000000", "/next")


def test_an_edited_catalog_is_read_anew_by_the_next_start(tmp_path: Path) -> None:
    """The compiled catalogs are kept between starts; a translator's fix must still show."""
    po = tmp_path / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)

    def write(translation: str) -> None:
        po.write_text(
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            f'msgid "Yes"\nmsgstr "{translation}"\n',
            encoding="utf-8",
        )

    write("Oui")
    assert Catalogs(tmp_path).translator("fr")._("Yes") == "Oui"
    write("Oui, bien sûr")
    assert Catalogs(tmp_path).translator("fr")._("Yes") == "Oui, bien sûr"
    write("Oui")  # back to a text compiled before: the same answer as the first time
    assert Catalogs(tmp_path).translator("fr")._("Yes") == "Oui"
