"""A learner's yes to sharing was given to the facilitators she knew. A co-facilitator added
later waits for her own yes; the facilitator she said yes to keeps reading her words, in the
digest and the export, whether or not she ever answers the new question. Walkthrough 10 (A6,
A10): Tasha's words vanished from Denise's digest the week it flagged her as drifting away,
and the export lost the first week's shared answers."""

from __future__ import annotations

from bot.chat.clock import FakeClock
from bot.core import Core
from tests.conftest import Chat
from tests.seasons import Week, handle, open_circle, play_week

WORDS_1 = "Week one was a lot, my son was sick."
WORDS_2 = "Nothing yet honestly, no time with the holidays."


async def _digest(chat: Chat, who: str) -> str:
    return await chat.say(who, "/digest")


async def _checkins_csv(chat: Chat, who: str) -> str:
    [reply] = [r for r in await handle(chat, who, "/export") if r.attachments]
    [csv] = [a for a in reply.attachments if a.filename.endswith("checkins.csv")]
    return csv.data.decode("utf-8-sig")


async def test_the_facilitator_keeps_reading_after_a_co_facilitator_is_added(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Tasha": True, "Nadia": False})
    await chat.deliver()
    await play_week(chat, core, clock, 1, Week(ratings={"Tasha": 2}, answers={"Tasha": WORDS_1}))
    made = await chat.say("Amina", "/cofacilitator Nadia")
    # One learner: the German and English singular, and nothing "stays private" from Amina.
    assert (
        "Tasha lets you read their written check-ins, and still does. I've asked them whether "
        "Nadia may read them too; until they say yes, Nadia won't see them."
    ) in made, made
    [asked] = [m.text for m in await chat.deliver() if m.address.chat_id == "tasha"]
    assert asked.startswith(
        "Nadia now helps run Python for Everyone. May Nadia read your check-ins too? Amina "
        "still can; until you say yes, Nadia won't see them."
    ), asked
    # Tasha doesn't answer it; her next check-in in words is still read by Amina.
    await play_week(chat, core, clock, 2, Week(ratings={"Tasha": 2}, answers={"Tasha": WORDS_2}))
    assert WORDS_2 in await _digest(chat, "Amina")
    assert WORDS_2 not in await _digest(chat, "Nadia")
    # The export Amina downloads still has the first week's words (A10); Nadia's has none.
    assert WORDS_1 in await _checkins_csv(chat, "Amina")
    assert WORDS_1 not in await _checkins_csv(chat, "Nadia")


async def test_a_yes_lets_the_new_co_facilitator_read_and_a_no_keeps_the_first(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await open_circle(chat, core, {"Tasha": True, "Ruth": True, "Nadia": False})
    await chat.deliver()
    await play_week(
        chat,
        core,
        clock,
        1,
        Week(ratings={"Tasha": 3, "Ruth": 4}, answers={"Tasha": WORDS_1, "Ruth": WORDS_2}),
    )
    made = await chat.say("Amina", "/cofacilitator Nadia")
    assert "Ruth and Tasha let you read their written check-ins, and still do." in made or (
        "Tasha and Ruth let you read their written check-ins, and still do." in made
    ), made
    await chat.deliver()
    assert "Amina and Nadia will see what you write" in await chat.say("Tasha", "yes")
    assert "Nadia won't see what you write in check-ins; Amina still will." in await chat.say(
        "Ruth", "no"
    )
    nadia = await _digest(chat, "Nadia")
    assert WORDS_1 in nadia and WORDS_2 not in nadia
    amina = await _digest(chat, "Amina")
    assert WORDS_1 in amina and WORDS_2 in amina


async def test_the_thanks_for_a_yes_agrees_with_two_readers_in_german(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Walkthrough D4: "Danke! Sabine und Felix sieht, was du ... schreibst": the verb of the
    thanks agrees with the names it gives (and "one reader" keeps the singular)."""
    await open_circle(chat, core, {"Tasha": True, "Nadia": False})
    await chat.say("Tasha", "/language de")
    await chat.deliver()
    await chat.say("Amina", "/cofacilitator Nadia")
    await chat.deliver()
    thanks = await chat.say("Tasha", "ja")
    assert "Ab jetzt sehen Amina und Nadia, was du in Check-ins schreibst." in thanks, thanks


async def test_the_spanish_question_says_seguimientos(chat: Chat, core: Core) -> None:
    """Walk smses 21: "¿Puede Julián leer también tus check-ins?" to a learner on a feature
    phone who knows them as "seguimientos" everywhere else."""
    await open_circle(chat, core, {"Tasha": True, "Nadia": False})
    await chat.say("Tasha", "/language es")
    await chat.say("Amina", "/language es")
    await chat.deliver()
    made = await chat.say("Amina", "/cofacilitator Nadia")
    assert "check-in" not in made and "seguimientos escritos" in made, made
    [asked] = [m.text for m in await chat.deliver() if m.address.chat_id == "tasha"]
    assert "tus seguimientos" in asked and "check-in" not in asked, asked
