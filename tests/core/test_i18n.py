"""Every user-facing string goes through gettext, and the catalog template is up to date."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import Catalogs
from locales import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extracted_msgids() -> set[str]:
    found: set[str] = set()
    for directory in ("bot", "adapters", "prompts"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / directory, method_map=[("**.py", "python")], keywords=KEYWORDS
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
