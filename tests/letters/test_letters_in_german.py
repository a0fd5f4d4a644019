"""Round 2 walkthroughs (lang 42, 43): a letter written and approved in German reads as
German: the writer is thanked by name (not by the signature), no doubled verb, and the
facilitator's choices and answer use the text's own verb, without "Pool"."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.letters.test_letters import AFTER_MEETING_3, TEXT, detroit, drain


async def test_a_german_letter_is_thanked_by_name_in_plain_german(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await detroit(chat, core, "Jonas")
    await chat.say("Jonas", "/language de")
    await chat.say("Amina", "/language de")
    clock.set(AFTER_MEETING_3)
    await chat.say("Jonas", "/letter")
    await chat.say("Jonas", TEXT)
    thanked = await chat.say("Jonas", "Jonas aus Kreuzberg")
    assert thanked.startswith("Danke, Jonas!"), thanked
    assert "zurückziehen zurückziehen" not in thanked
    notice = "".join(m.text for m in await drain(chat) if m.address.chat_id == "amina")
    assert "genehmigen" not in notice and "freigeben" in notice, notice
    approved = await chat.say("Amina", "1")
    assert "freigegeben" in approved and "Pool" not in approved, approved


def test_two_letters_by_sms_thank_both_writers_not_all_two() -> None:
    """D16: "Antworte mit DANKE, um dich bei allen 2 Schreibenden zu bedanken.": two writers
    are both ("beiden"), in every language; three are all three."""
    from bot.chat.i18n import Catalogs
    from bot.letters import relay
    from locales import LOCALES_DIR

    catalogs = Catalogs(LOCALES_DIR)
    german = catalogs.translator("de")
    assert relay.thank_line(german, 2, True) == (
        "\nAntworte mit DANKE, um dich bei beiden zu bedanken."
    )
    assert "allen 3 Schreibenden" in relay.thank_line(german, 3, True)
    assert relay.thank_them_all(catalogs.translator("en"), 2) == "Thank both writers"
