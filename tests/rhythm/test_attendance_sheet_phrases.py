"""The attendance sheet as facilitators answer it in their own words: names without a meeting
number, "both" for a pair, "everyone came" as a phrase in each language, a name followed by
why that one was away, and "only Mariam"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.chat.clock import FakeClock
from bot.core import Core
from bot.storage.models import Attendance
from tests.conftest import DETROIT_CIRCLE, Chat, code_of
from tests.rhythm.test_rhythm import MEETING_1, count, start_circle
from tests.seasons import open_circle, starts


async def test_names_without_a_meeting_number_are_for_the_last_meeting(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    await start_circle(chat, core, "Ruth", "Tasha", "Jamal")
    clock.set(MEETING_1 + timedelta(hours=1))
    assert await chat.say("Amina", "/attendance ruth, tasha") == (
        "Saved: 2 of 3 learners came to meeting 1."
    )
    assert await count(core, Attendance) == 2


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "both came"),
        ("en", "both"),
        ("de", "beide"),
        ("fr", "les deux"),
        ("es", "los dos vinieron"),
        ("da", "begge"),
        ("sw", "wote wawili"),
    ],
)
async def test_both_ticks_the_pair(
    chat: Chat, core: Core, clock: FakeClock, language: str, said: str
) -> None:
    await open_circle(chat, core, {"Emine": True, "Lukas": True})
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance", locale_hint=language)
    sheet = await chat.say("Amina", said, locale_hint=language)
    assert "[x] 1. Emine\n[x] 2. Lukas" in sheet, sheet


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "everyone was there"),
        ("en", "all here"),
        ("fr", "tout le monde était là"),
        ("fr", "tous présents"),
        ("es", "todo el mundo vino"),
        ("es", "estaban todos"),
        ("de", "alle waren da"),
        ("de", "alle sind gekommen"),
        ("da", "alle kom"),
        ("da", "alle var der"),
        ("sw", "wote walikuja"),
        ("sw", "kila mtu alikuja"),
    ],
)
async def test_everyone_came_in_words_ticks_everyone(
    chat: Chat, core: Core, clock: FakeClock, language: str, said: str
) -> None:
    await open_circle(chat, core, {"Mariam": True, "Koffi": True, "Awa": True})
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance", locale_hint=language)
    sheet = await chat.say("Amina", said, locale_hint=language)
    assert "[x] 1. Mariam\n[x] 2. Koffi\n[x] 3. Awa" in sheet, sheet


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "seulement Mariam, Koffi voyageait"),
        ("fr", "Mariam oui, Koffi en vacances"),
        ("en", "just Mariam, Koffi was travelling"),
        ("en", "Mariam came, Koffi had to work"),
        ("es", "solo Mariam, Koffi estaba de viaje"),
        ("de", "nur Mariam, Koffi war verreist"),
        ("da", "kun Mariam, Koffi var på ferie"),
        ("sw", "Mariam tu, Koffi alisafiri"),
    ],
)
async def test_a_name_with_why_they_were_away_is_not_ticked(
    chat: Chat, core: Core, clock: FakeClock, language: str, said: str
) -> None:
    await open_circle(chat, core, {"Mariam": True, "Koffi": True})
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance", locale_hint=language)
    sheet = await chat.say("Amina", said, locale_hint=language)
    assert "[x] 1. Mariam\n[ ] 2. Koffi" in sheet, sheet


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "seulement Mariam"),
        ("en", "only Mariam"),
        ("de", "nur Mariam"),
        ("da", "kun Mariam"),
        ("es", "solo Mariam"),
        ("sw", "Mariam peke yake"),
    ],
)
async def test_only_a_name_means_nobody_else_came(
    chat: Chat, core: Core, clock: FakeClock, language: str, said: str
) -> None:
    """B18: "seulement Mariam" left Koffi ticked (he had said /here); "Mariam peke yake" was
    read as a name nobody on the sheet has."""
    await open_circle(chat, core, {"Mariam": True, "Koffi": True, "Awa": True})
    clock.set(starts(1) + timedelta(minutes=5))
    await chat.say("Koffi", "/here")
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance", locale_hint=language)
    sheet = await chat.say("Amina", said, locale_hint=language)
    assert "[x] 1. Mariam\n[ ] 2. Koffi\n[ ] 3. Awa" in sheet, sheet
    await chat.say("Amina", "done", locale_hint=language)
    assert await count(core, Attendance) == 1


async def test_the_sheet_names_the_circle_for_a_facilitator_learning_in_another(
    chat: Chat, core: Core, clock: FakeClock
) -> None:
    """Someone who runs one circle and learns in another has two meetings numbered 1."""
    await start_circle(chat, core, "Emine")
    other = DETROIT_CIRCLE.replace("Python for Everyone", "English at Work")
    assert "is ready" in await chat.say("Katrin", other)
    assert "Welcome" in await chat.say("Amina", f"/join {await code_of(core, 'English at Work')}")
    clock.set(MEETING_1 + timedelta(hours=1))
    sheet = await chat.say("Amina", "/attendance")
    assert sheet.startswith("Python for Everyone: Who came to meeting 1"), sheet


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "tout le monde sauf Awa"),
        ("fr", "toutes sauf Awa"),
        ("sw", "wote isipokuwa Awa"),
        ("en", "everyone except Awa"),
        ("en", "all but Awa"),
        ("de", "alle außer Awa"),
        ("es", "todos menos Awa"),
        ("da", "alle undtagen Awa"),
    ],
)
async def test_everyone_but_a_name_leaves_that_one_unticked(
    chat: Chat, core: Core, clock: FakeClock, language: str, said: str
) -> None:
    """B4: "tout le monde sauf Moussa" ticked Moussa, the one named as away, and "sauf" was
    read as a name nobody on the sheet has."""
    await open_circle(chat, core, {"Mariam": True, "Koffi": True, "Awa": True})
    clock.set(starts(1) + timedelta(minutes=5))
    await chat.say("Awa", "/here")
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance", locale_hint=language)
    sheet = await chat.say("Amina", said, locale_hint=language)
    assert "[x] 1. Mariam\n[x] 2. Koffi\n[ ] 3. Awa" in sheet, sheet
    assert sheet.count("\n[") == 3, sheet  # the sheet alone: no word read as a name


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("fr", "les trois sont venus"),
        ("en", "all three came"),
        ("en", "the three of them"),
        ("de", "alle drei waren da"),
        ("es", "vinieron los tres"),
        ("sw", "wote watatu walikuja"),
        ("da", "alle tre kom"),
    ],
)
async def test_all_three_in_words_ticks_the_three(
    chat: Chat, core: Core, clock: FakeClock, language: str, said: str
) -> None:
    """B6: "les trois sont venus" closed the sheet with nothing ticked and suggested
    /skipweek."""
    await open_circle(chat, core, {"Mariam": True, "Koffi": True, "Awa": True})
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance", locale_hint=language)
    sheet = await chat.say("Amina", said, locale_hint=language)
    assert "[x] 1. Mariam\n[x] 2. Koffi\n[x] 3. Awa" in sheet, sheet


@pytest.mark.parametrize(
    "said", ["thats everyone", "that's everyone", "thats all", "that's everybody"]
)
async def test_thats_everyone_after_ticking_closes_the_sheet(
    chat: Chat, core: Core, clock: FakeClock, said: str
) -> None:
    """A2: "thats everyone" got "thats isn't on the list for ..." and the sheet again."""
    await open_circle(chat, core, {"Mariam": True, "Koffi": True, "Awa": True})
    clock.set(starts(1) + timedelta(hours=2))
    await chat.say("Amina", "/attendance")
    await chat.say("Amina", "1 2 3")
    answer = await chat.say("Amina", said)
    assert "isn't on the list" not in answer, answer
    assert "Saved: 3 of 3 learners came to meeting 1." in answer, answer
    assert await count(core, Attendance) == 3
